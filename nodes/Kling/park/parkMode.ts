import type {
	IDataObject,
	IExecuteData,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { randomUUID } from 'node:crypto';
import { sleep, WAIT_INDEFINITELY } from 'n8n-workflow';

import {
	ACKNOWLEDGED,
	acknowledgeNow,
	asTaskContext,
	continuesOnFail,
	readCallback,
	refuseUnverifiedCallback,
} from './callback';
import { readWaitSettings, type WaitSettings } from '../input/itemSettings';
import { routeFactsOf } from '../kling/catalogue';
import { PARK_MODE, WAIT_DEFAULTS } from '../kling/constants';
import { generation4Capabilities } from '../task/apiStandardAdapter';
import { deliverTask } from '../task/deliver';
import { asNodeError, invalidInput } from '../transport/errors';
import { failureItem, rejectSharedExternalIds, runItems } from '../task/itemResults';
import { externalIdOf } from '../task/lookupByExternalId';
import type { TaskOperation } from '../task/operation';
import { mapWithConcurrency } from '../concurrency/mapWithConcurrency';
import { pause } from '../transport/cancellablePause';
import { estimateItem, planRunBudget, submitItem, userExternalTaskId } from '../task/runTaskOperation';
import { costJson, estimateFromCostJson, isEstimateOnly, type Estimate } from '../task/cost';
import { timingOf } from '../transport/timing';
import type { KlingTask } from '../kling/taskShape';
import { getTask } from '../task/taskRead';
import { isFinished } from '../task/waitForTask';
import { signStandardWebhook } from './webhookSignature';

/**
 * Park mode: every item is submitted with this execution's resume URL as Kling's callback_url, then
 * the execution is stored as "waiting" and no process holds it. Kling's callbacks come back to the
 * node's restart webhook; once every task of the run has ended, each is read again with the
 * credential, its files are downloaded, and the execution resumes with one item per input item.
 *
 * When the deadline passes first, n8n re-runs the waiting node as *disabled*, which passes the
 * node's input through without running any of its code. So the input is replaced, at park time,
 * by the parked items: each carries its task_id and `park.status: "not collected"`, and that is
 * what the next node receives (collect those with Task › Get).
 */
export { PARK_MODE } from '../kling/constants';

const NOT_COLLECTED = 'not collected';

/** The restart webhook Kling's callbacks reach: `$execution.resumeUrl` has no path suffix. */
export const parkWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		// Without it n8n answers the resuming callback with the literal text "firstEntryJson".
		responseData: '',
		path: '',
		restartWebhook: true,
		isFullPath: true,
	},
];

/** Shown in the editor while the node waits, with the URL resolved from this n8n's WEBHOOK_URL. */
export const parkWaitingTooltip =
	'={{ "Parked until Kling calls back every task at " + $execution.resumeUrl.split("?")[0] + " (this address must be reachable by Kling)" }}';

/** What the webhook needs to collect one item's task, kept in the parked item itself. */
interface ParkInfo extends IDataObject {
	status: string;
	route: string;
	deadline: string | null;
	download: boolean;
	binaryPropertyName: string;
	message: string;
}

interface ParkedTask {
	itemIndex: number;
	taskId: string;
	externalTaskId?: string;
	info: ParkInfo;
}

/**
 * Per parked execution, in this process: which tasks callbacks said had ended (a hint only) and which
 * a re-read confirmed.
 *
 * n8n answers 409 to every call while the execution runs: a final callback that arrived while the
 * node was still submitting (or while n8n stored the execution) was refused and never comes again.
 * So no callback heard before parking is assumed: `swept` is false until a call has read every open
 * task of the run since the execution was stored as waiting (the first call this process handles
 * does; a restart or another process starts again with false). After that sweep every task that
 * ends calls back to a waiting execution, and a callback reads only the task it names.
 */
interface ParkState {
	swept: boolean;
	claimed: Set<string>;
	confirmed: Map<string, KlingTask>;
	/** Reads in flight. */
	reading: Set<string>;
	/** Asked for while their read was in flight (it may have started before the task ended): read once more. */
	again: Set<string>;
	resuming: boolean;
	expiresAt: number;
}

const parkedHere = new Map<string, ParkState>();
const MAX_PARKED = 10_000;

function rememberPark(executionId: string, state: ParkState): void {
	const now = Date.now();
	for (const [id, entry] of parkedHere) if (entry.expiresAt < now) parkedHere.delete(id);
	parkedHere.set(executionId, state);
	if (parkedHere.size > MAX_PARKED) parkedHere.delete(parkedHere.keys().next().value as string);
}

export function isParkRequested(context: IExecuteFunctions): boolean {
	return (
		context.getNodeParameter('waitForCompletion', 0, true) === true &&
		context.getNodeParameter('waitMode', 0, 'poll') === PARK_MODE
	);
}

/** Polling stays the default; the same operation parks when asked to. */
export function withParkMode(
	operation: TaskOperation,
	polling: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>,
) {
	return async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (this.getInputData().length && isParkRequested(this)) {
			// Never park a task nobody will call back: where the host's 4.0 callbacks are not confirmed, poll instead.
			if (routeFactsOf(operation.taskPath)?.generation4 && !generation4Capabilities(await this.getCredentials('klingApi')).callbackUrl) {
				const output = await polling.call(this);
				for (const item of output[0] ?? []) {
					item.json.notice = [
						'Polled instead of parked: this credential\'s "Kling 4.0: Send Callback URL" is off, so Kling would not call this execution back.',
						item.json.notice,
					]
						.filter(Boolean)
						.join(' ');
				}
				return output;
			}
			return await parkTasks.call(this, operation);
		}
		return await polling.call(this);
	};
}

function parkedItem(
	task: KlingTask,
	estimate: Estimate,
	route: string,
	externalTaskId: string | undefined,
	itemIndex: number,
	settings: WaitSettings,
	deadline: Date,
): INodeExecutionData {
	const info: ParkInfo = {
		status: NOT_COLLECTED,
		route,
		deadline: deadline === WAIT_INDEFINITELY ? null : deadline.toISOString(),
		download: settings.downloadResults,
		binaryPropertyName: settings.binaryPropertyName,
		message: `Kling had not reported the end of this task when the execution stopped waiting. It keeps running at Kling and is charged: collect it with Task › Get (Task Type ${route}, Task ID ${task.task_id}).`,
	};
	return {
		json: { ...task, external_task_id: externalIdOf(task) ?? externalTaskId, cost: costJson(estimate), park: info },
		pairedItem: { item: itemIndex },
	};
}

function parkedTaskOf(json: IDataObject | undefined, itemIndex: number): ParkedTask | undefined {
	const info = json?.park as ParkInfo | undefined;
	if (!info || info.status !== NOT_COLLECTED || typeof json?.task_id !== 'string') return undefined;
	return { itemIndex, taskId: json.task_id, externalTaskId: json.external_task_id as string | undefined, info };
}

async function parkTasks(this: IExecuteFunctions, operation: TaskOperation): Promise<INodeExecutionData[][]> {
	const settings = readWaitSettings(this, 0);
	const callbackUrl = String(this.evaluateExpression('{{ $execution.resumeUrl }}', 0));
	const deadline = settings.timeoutMs > 0 ? new Date(Date.now() + settings.timeoutMs) : WAIT_INDEFINITELY;
	const rejected = operation.commonOptions.includes('externalTaskId')
		? rejectSharedExternalIds(this, (itemIndex) => userExternalTaskId(this, itemIndex))
		: new Map<number, Error>();
	await planRunBudget.call(this, operation, rejected);
	const finishedAtSubmit = new Map<string, KlingTask>();

	const [items] = await runItems.call(
		this,
		settings.concurrency,
		async (itemIndex) => {
			if (isEstimateOnly(this, itemIndex)) return await estimateItem.call(this, operation, itemIndex);
			const itemSettings = readWaitSettings(this, itemIndex);
			// Timeout 0 parks indefinitely; the wait for a slot of this process (other items' submits) is unbounded then too.
			const slotSettings = itemSettings.timeoutMs > 0 ? itemSettings : { ...itemSettings, timeoutMs: Number.POSITIVE_INFINITY };
			const submitted = await submitItem.call(this, operation, itemIndex, slotSettings, (payload) => {
				if (payload.callback_url && payload.callback_url !== callbackUrl) {
					throw invalidInput(
						this.getNode(),
						'Invalid input: the Callback URL option cannot be used with Wait Mode "Park Until Kling Calls Back"',
						itemIndex,
						'Park mode gives Kling this execution’s resume URL as the callback URL. Remove the Callback URL option, or use Poll Kling. Nothing was sent.',
					);
				}
				payload.callback_url = callbackUrl;
			});
			// A parked task holds no slot of this process: Kling's own limit (1303) makes later submits wait.
			submitted.handOff();
			if (isFinished(submitted.task)) finishedAtSubmit.set(submitted.task.task_id, submitted.task);
			return parkedItem(submitted.task, submitted.estimate, submitted.route, submitted.externalTaskId, itemIndex, itemSettings, deadline);
		},
		rejected,
	);

	const parked = items.map((item, itemIndex) => parkedTaskOf(item.json, itemIndex));
	// Synchronous endpoints (text to speech) answer with the finished task: nothing to wait for.
	if (parked.every((task) => !task || finishedAtSubmit.has(task.taskId))) {
		return [await deliverParked.call(this, items, parked, finishedAtSubmit, this.continueOnFail(), settings.concurrency)];
	}

	rememberPark(this.getExecutionId(), {
		swept: false,
		claimed: new Set(),
		confirmed: finishedAtSubmit,
		reading: new Set(),
		again: new Set(),
		resuming: false,
		expiresAt: deadline === WAIT_INDEFINITELY ? Number.MAX_SAFE_INTEGER : deadline.getTime() + 60_000,
	});
	const secret = await webhookSecretOf(this);
	// On a deadline n8n passes the node's input on unchanged: make that input the parked items.
	const entry = this.getExecuteData();
	entry.data = { ...entry.data, main: [items] };
	await this.putExecutionToWait(deadline);
	// Runs on after the node has returned, once n8n has stored the execution as waiting.
	void recheckAfterParking(this, callbackUrl, secret);
	return [items];
}

/** The body of the node's own re-check call: it names no task, so nothing but the park webhook acts on it. */
const RECHECK_FIELD = 'kling_park_recheck';
/** Further attempts while n8n still answers 409 "running" (the execution is not stored yet) or cannot be reached. */
const RECHECK_RETRIES = 5;

/** n8n's answer, whether the helper parsed it or not. */
function textOf(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return JSON.stringify(body);
}

function isRecheck(body: unknown): boolean {
	return typeof body === 'object' && body !== null && typeof (body as IDataObject)[RECHECK_FIELD] === 'string';
}

async function webhookSecretOf(context: IExecuteFunctions): Promise<string> {
	const credentials = await context.getCredentials('klingApi');
	return String(credentials.webhookSecret ?? '').trim();
}

/**
 * A final callback refused while the node was busy is never repeated, and if it was the run's last
 * one, no later callback would come to notice it. So once the execution is stored as waiting, the
 * node calls its own resume URL, signed like Kling's callbacks when the credential has a Webhook
 * Secret: that call reads every task of the run not known to have ended, and resumes the run if all
 * have. It is sent after the grace Kling may need to show a task's end to reads, and while n8n
 * answers 409 "running" (not stored yet), 5xx or cannot be reached, retried with backoff a bounded
 * number of times (about a minute). Any other answer ends it; its failure only leaves the run to
 * later callbacks and the deadline.
 */
async function recheckAfterParking(context: IExecuteFunctions, resumeUrl: string, secret: string): Promise<void> {
	const timing = timingOf(context);
	const body = JSON.stringify({ [RECHECK_FIELD]: context.getExecutionId() });
	let delay = Math.max(timing.backoffBaseMs, timing.submitLookupDelaysMs.reduce((sum, ms) => sum + ms, 0));
	for (let attempt = 0; attempt <= RECHECK_RETRIES; attempt++) {
		try {
			await sleep(delay);
			delay = Math.min(timing.backoffMaxMs, timing.backoffBaseMs * 2 ** attempt);
			const headers: IDataObject = { 'content-type': 'application/json' };
			if (secret) {
				const id = `msg_recheck_${randomUUID()}`;
				const timestamp = Math.floor(Date.now() / 1000);
				Object.assign(headers, { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signStandardWebhook(secret, id, timestamp, body) });
			}
			const response = (await context.helpers.httpRequest({
				method: 'POST',
				url: resumeUrl,
				body,
				headers,
				json: false,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: timing.requestTimeoutMs,
			})) as { statusCode?: number; body?: unknown };
			const status = Number(response.statusCode ?? 0);
			const stillRunning = status === 409 && !/finished/i.test(textOf(response.body));
			if (!stillRunning && status !== 0 && status < 500) return;
		} catch {
			// Not reachable (yet): try again.
		}
	}
}

/** Downloads the results of tasks that have ended, in input order; error rows stay as they were. */
async function deliverParked(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	parked: Array<ParkedTask | undefined>,
	finished: Map<string, KlingTask>,
	continueOnFail: boolean,
	concurrency: number,
	failures: Array<{ itemIndex: number; error: Error }> = [],
): Promise<INodeExecutionData[]> {
	const output = await mapWithConcurrency(items, concurrency, async (item, itemIndex) => {
		const task = parked[itemIndex];
		if (!task) return { json: item.json, pairedItem: { item: itemIndex } };
		try {
			return await deliverTask.call(this, {
				route: task.info.route,
				task: finished.get(task.taskId)!,
				estimate: estimateFromCostJson(item.json.cost),
				ids: { taskId: task.taskId, externalTaskId: task.externalTaskId },
				itemIndex,
				wait: false,
				download: task.info.download,
				binaryPropertyName: task.info.binaryPropertyName,
				pollIntervalMs: 0,
				timeoutMs: 0,
				onTimeout: 'error',
				failIfFailed: true,
			});
		} catch (error) {
			failures.push({ itemIndex, error: asNodeError(this.getNode(), error) });
			return failureItem(error, itemIndex);
		}
	});
	if (failures.length && !continueOnFail) throw withFinishedTasks(failures, output);
	return output;
}

/** The first failure, naming the tasks the other items finished (as polling mode does). */
function withFinishedTasks(failures: Array<{ itemIndex: number; error: Error }>, output: INodeExecutionData[]): Error {
	const { error } = [...failures].sort((a, b) => a.itemIndex - b.itemIndex)[0];
	const finished = output.filter((item) => item.json.task_id && !item.json.error).map((item) => item.json.task_id);
	if (finished.length) {
		const described = error as Error & { description?: string | null };
		const note = `Tasks that other items of this run finished: ${finished.join(', ')}`;
		described.description = described.description ? `${described.description}\n${note}` : note;
	}
	return error;
}

/**
 * Reads the given tasks again; a task counts as ended only when Kling's own answer says so. A task a
 * callback said had ended gets the short grace the submit policy gives Kling to catch up; one asked
 * for again while its read was in flight is read once more.
 */
async function confirmEnded(context: IExecuteFunctions, state: ParkState, tasks: ParkedTask[]): Promise<void> {
	const grace = [0, ...timingOf(context).submitLookupDelaysMs];
	for (const parked of tasks) state.reading.add(parked.taskId);
	await mapWithConcurrency(tasks, WAIT_DEFAULTS.concurrency, async (parked) => {
		try {
			do {
				state.again.delete(parked.taskId);
				if (await confirmOne(context, state, parked, state.claimed.has(parked.taskId) ? grace : [0])) return;
			} while (state.again.has(parked.taskId));
			state.claimed.delete(parked.taskId);
		} finally {
			state.reading.delete(parked.taskId);
		}
	});
}

async function confirmOne(context: IExecuteFunctions, state: ParkState, parked: ParkedTask, delays: number[]): Promise<boolean> {
	for (const delay of delays) {
		try {
			if (delay) await pause(context, delay);
			const task = await getTask.call(context, parked.info.route, parked.taskId, parked.itemIndex);
			if (task.task_id === parked.taskId && isFinished(task)) {
				state.confirmed.set(parked.taskId, task);
				return true;
			}
		} catch {
			// A failed read proves nothing: the next call reads every open task again.
			state.swept = false;
			return false;
		}
	}
	return false;
}

/**
 * The parked node's input items (what `$input.all()` gives in this call). Read from the items n8n
 * handed this webhook call where it holds them: evaluating the expression copies every item into n8n's
 * expression isolate (n8n 2's default engine) on every callback, and that memory is not given back
 * soon. The expression where n8n does not hold them so.
 */
function parkedInputs(context: IWebhookFunctions): IDataObject[] {
	const held = (context as unknown as { connectionInputData?: unknown }).connectionInputData;
	if (Array.isArray(held) && held.length > 0 && held.every((item) => typeof (item as INodeExecutionData)?.json === 'object')) {
		return held.map((item) => (item as INodeExecutionData).json);
	}
	return (context.evaluateExpression('{{ $input.all().map((item) => item.json) }}') ?? []) as IDataObject[];
}

/**
 * Kling's callback, or the node's own re-check, reached the parked execution. Non-final callbacks,
 * unknown tasks and runs with tasks still open change nothing (no workflowData: the execution stays
 * waiting). When every task has ended, the items are built from fresh reads and become the node's output.
 */
export async function parkWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const refused = await refuseUnverifiedCallback.call(this);
	if (refused) return refused;
	const body = this.getBodyData();
	const recheck = isRecheck(body);
	const notice = recheck ? undefined : readCallback(body);
	if (!recheck && !notice?.final) return ACKNOWLEDGED;

	const inputs = parkedInputs(this);
	const parked = inputs.map((json, itemIndex) => parkedTaskOf(json, itemIndex));
	const open = parked.filter((task): task is ParkedTask => task !== undefined);
	if (!open.length || (notice && !open.some((task) => task.taskId === notice.taskId))) return ACKNOWLEDGED;

	const executionId = this.getExecutionId();
	let state = parkedHere.get(executionId);
	if (!state) {
		const deadline = Date.parse(String(open[0].info.deadline));
		const expiresAt = Number.isFinite(deadline) ? deadline + 60_000 : Number.MAX_SAFE_INTEGER;
		state = { swept: false, claimed: new Set(), confirmed: new Map(), reading: new Set(), again: new Set(), resuming: false, expiresAt };
		rememberPark(executionId, state);
	}
	if (state.resuming) return ACKNOWLEDGED;
	acknowledgeNow(this);

	if (notice) state.claimed.add(notice.taskId);
	// Until a call has read every open task since the execution was stored as waiting, any of them may
	// have ended with its callback refused; the node's re-check reads them all in any case.
	const sweep = recheck || !state.swept;
	state.swept = true;
	const unconfirmed = open.filter((task) => !state.confirmed.has(task.taskId));
	const wanted = sweep ? unconfirmed : unconfirmed.filter((task) => state.claimed.has(task.taskId));
	for (const task of wanted) if (state.reading.has(task.taskId)) state.again.add(task.taskId);
	const context = asTaskContext(this);
	await confirmEnded(context, state, wanted.filter((task) => !state.reading.has(task.taskId)));
	// Every reader checks afterwards, so whichever read ends last sees the run complete.
	if (state.resuming || open.some((task) => !state.confirmed.has(task.taskId))) return { noWebhookResponse: true };

	// Kept a while: a duplicate callback arriving while n8n starts the resumed run must not start another.
	state.resuming = true;
	state.expiresAt = Date.now() + 10 * 60_000;
	const items = inputs.map((json, itemIndex): INodeExecutionData => ({ json, pairedItem: { item: itemIndex } }));
	const options = this.getNodeParameter('waitOptions', {}) as IDataObject;
	const concurrency = Math.max(1, Math.floor(Number(options.concurrency ?? WAIT_DEFAULTS.concurrency)));
	const failures: Array<{ itemIndex: number; error: Error }> = [];
	const output = await deliverParked.call(context, items, parked, state.confirmed, true, concurrency, failures);
	if (failures.length && !continuesOnFail(this)) failTheResume(this, withFinishedTasks(failures, output));
	return { noWebhookResponse: true, workflowData: [output] };
}

/**
 * The resumed node never runs its own code (n8n runs it disabled and passes the webhook's items on),
 * so a failure is handed over the way n8n hands over a failed sub-execution: as the resume error of
 * the waiting node, which n8n raises when the execution continues. n8n gives node code no other way;
 * if its internals ever move, the items still carry the error rows.
 */
function failTheResume(context: IWebhookFunctions, error: Error): void {
	const entry = (context as unknown as { executeData?: IExecuteData }).executeData;
	if (!entry) return;
	entry.metadata = { ...(entry.metadata ?? {}), resumeError: error as unknown as NonNullable<IExecuteData['metadata']>['resumeError'] };
}
