import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ACKNOWLEDGED, acknowledgeNow, asTaskContext, type CallbackNotice, readCallback, refuseUnverifiedCallback } from '../Kling/park/callback';
import { deliverTask } from '../Kling/task/deliver';
import { asNodeError } from '../Kling/transport/errors';
import { failureItem } from '../Kling/task/itemResults';
import { externalIdOf, isTaskNotFound } from '../Kling/task/lookupByExternalId';
import { routeOverrideFor } from '../Kling/transport/provider';
import { routeFactsOf } from '../Kling/kling/catalogue';
import { NEW_TASKS_PATH, reachesNewStandard } from '../Kling/task/apiStandardAdapter';
import { TASK_FAMILIES } from '../Kling/input/taskType';
import { pause } from '../Kling/transport/cancellablePause';
import { TIMING_PARAMETER, timingOf } from '../Kling/transport/timing';
import type { KlingTask } from '../Kling/kling/taskShape';
import { getTask } from '../Kling/task/taskRead';
import { isFinished } from '../Kling/task/waitForTask';

import { type CallbackMemory, callbackMemory, MAX_LOOKUP_READS_PER_CALLBACK } from './delivered';

/** One production URL for every Kling callback of the workflow: Kling POSTs to it. */
const callbackWebhooks: IWebhookDescription[] = [
	{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'kling' },
];

/**
 * Where to look the task up: the chosen task types (all when none); a body in the new API's shape
 * first on /tasks, then those matching the body's kind, then the rest.
 */
function candidateFamilies(chosen: string[], notice: CallbackNotice, newShape: boolean, canReadNewStandard: boolean): string[] {
	let families: string[] = chosen.length ? chosen : TASK_FAMILIES.map((family) => family.path);
	// Kling 4.0 tasks are new-API tasks: one read of /tasks finds them, whichever 4.0 family was chosen.
	families = [...new Set(families.map((path) => (routeFactsOf(path)?.generation4 ? NEW_TASKS_PATH : path)))];
	// New-API tasks are read through /tasks, which only an API key on Kling's own hosts reaches.
	if (!canReadNewStandard) families = families.filter((path) => path !== NEW_TASKS_PATH);
	const matches = (path: string) =>
		newShape ? path === NEW_TASKS_PATH : (routeFactsOf(path)?.callbackKinds ?? []).some((familyKind) => familyKind === notice.kind);
	return [...families.filter(matches), ...families.filter((path) => !matches(path))];
}

type Located = { task: KlingTask; route: string } | { incomplete: boolean };

/**
 * Reads the task a callback names, with the credential: first where it was found before, then on the
 * task types not yet asked for this id, at most MAX_LOOKUP_READS_PER_CALLBACK of them per callback
 * (a forged id costs that much, and each task type once in all). Only Kling's documented "Task not
 * found" moves on; any other failure stops (n8n answers 500 and records the failed execution, which
 * names the task), or, when `quiet`, ends the lookup for this callback.
 */
async function locateTask(
	this: IWebhookFunctions,
	memory: CallbackMemory,
	notice: CallbackNotice,
	families: string[],
	quiet: boolean,
): Promise<Located> {
	const credentials = await this.getCredentials('klingApi');
	const context = asTaskContext(this);
	const known = memory.locatedFamily(notice.taskId);
	const asked = memory.askedFamilies(notice.taskId);
	const open = memory.byExperience(families.filter((family) => family !== known && !asked.includes(family)));
	const order = known && families.includes(known) ? [known, ...open] : open;
	for (const family of order.slice(0, MAX_LOOKUP_READS_PER_CALLBACK)) {
		const route = routeOverrideFor(credentials, family)?.path ?? family;
		try {
			const task = await getTask.call(context, route, notice.taskId, 0);
			if (task.task_id === notice.taskId) {
				memory.locate(notice.taskId, family);
				return { task, route };
			}
		} catch (error) {
			if (!isTaskNotFound(error)) {
				if (quiet) return { incomplete: true };
				throw asNodeError(this.getNode(), error);
			}
		}
		if (family === known) memory.forgetLocation(notice.taskId);
		memory.markAsked(notice.taskId, family);
	}
	return { incomplete: order.length > MAX_LOOKUP_READS_PER_CALLBACK };
}

/** Kling's callback was answered already (by this webhook or an earlier step of it). */
const answered = (context: IWebhookFunctions) => context.getResponseObject().headersSent;

function acknowledge(context: IWebhookFunctions): void {
	if (!answered(context)) acknowledgeNow(context);
}

/** Nothing to start: Kling gets its 2xx (once). */
function nothingToStart(context: IWebhookFunctions): IWebhookResponseData {
	return answered(context) ? { noWebhookResponse: true } : ACKNOWLEDGED;
}

/**
 * Kling's final callback can arrive before its status read says so. Like park mode, the read is given
 * the submit policy's short grace to catch up (a few reads; callbacks for one task take turns, so a
 * flood of claims for one task reads no faster than that).
 */
async function readUntilFinal(this: IWebhookFunctions, task: KlingTask, route: string): Promise<KlingTask> {
	const context = asTaskContext(this);
	let latest = task;
	for (const delay of timingOf(this).submitLookupDelaysMs) {
		try {
			await pause(context, delay);
			const read = await getTask.call(context, route, task.task_id, 0);
			if (read.task_id !== task.task_id) break;
			latest = read;
			if (isFinished(read)) return read;
		} catch {
			// A failed read proves nothing: the next callback decides.
			break;
		}
	}
	return latest;
}

/** With a Webhook Secret the signature was checked, so the webhook-id is Kling's own; without one there is none to trust. */
async function verifiedWebhookId(context: IWebhookFunctions): Promise<string | undefined> {
	const credentials = await context.getCredentials('klingApi');
	if (!String(credentials.webhookSecret ?? '').trim()) return undefined;
	const id = context.getHeaderData()['webhook-id'];
	return typeof id === 'string' && id !== '' ? id : undefined;
}

export class KlingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kling Trigger',
		name: 'klingTrigger',
		icon: { light: 'file:../../icons/kling.svg', dark: 'file:../../icons/kling.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'When a Kling task ends',
		// n8n's node search shows one "Kling" entry for both nodes, with this description: it names both.
		description:
			'Kling AI image, video and audio generation: starts the workflow when a Kling task ends, with its files as binary data',
		defaults: { name: 'Kling Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'klingApi', required: true }],
		webhooks: callbackWebhooks,
		properties: [
			{
				displayName:
					'Put this node’s Production URL (Webhook URLs, above) into the Callback URL option of any Kling node, or into the callback_url of your own Kling requests. Each task that ends starts one execution, however often Kling calls back. The task is read again with this credential: what the callback says is never used as the result. Kling must be able to reach the URL (n8n’s WEBHOOK_URL). Without a Webhook Secret in the credential, anyone who knows the URL can start this workflow for any task of the account.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Task Types',
				name: 'taskTypes',
				type: 'multiOptions',
				options: TASK_FAMILIES.map((family) => ({ name: family.name, value: family.path })),
				default: [],
				description:
					'Which kinds of task the callbacks come from; empty = any (each is tried in turn until Kling has the task)',
			},
			{
				displayName: 'Download Results',
				name: 'downloadResults',
				type: 'boolean',
				default: true,
				description: 'Whether to download the files of a succeeded task as binary data',
			},
			{
				displayName: 'Binary Property',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'Name of the first result file; further files get _1, _2, … appended',
				displayOptions: { show: { downloadResults: [true] } },
			},
			{
				displayName: 'Include Non-Final Statuses',
				name: 'includeNonFinal',
				type: 'boolean',
				default: false,
				description: 'Whether "submitted" and "processing" callbacks also start an execution (without files)',
			},
			// Never shown: lets tests run the request policy faster.
			{ displayName: 'Timing', name: TIMING_PARAMETER, type: 'hidden', default: {} },
		],
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const refused = await refuseUnverifiedCallback.call(this);
		if (refused) return refused;
		const body = this.getBodyData();
		const notice = readCallback(body);
		if (!notice) return ACKNOWLEDGED;
		const { memory, stored } = callbackMemory(this);
		const webhookId = await verifiedWebhookId(this);
		// A delivery Kling repeats, or a task that started its execution already: nothing is read.
		if ((webhookId && memory.knowsWebhook(webhookId)) || memory.isDelivered(notice.taskId)) {
			memory.rememberWebhook(webhookId);
			memory.save(stored);
			return ACKNOWLEDGED;
		}
		const includeNonFinal = this.getNodeParameter('includeNonFinal', false) as boolean;
		const credentials = await this.getCredentials('klingApi');
		const chosen = (this.getNodeParameter('taskTypes', []) as string[]) ?? [];
		const newShape = body.task_id === undefined && body.id !== undefined;
		const families = candidateFamilies(chosen, notice, newShape, reachesNewStandard(credentials));
		// A status change before the end only starts something with Include Non-Final Statuses; when one
		// callback cannot ask every task type, it finds the task early so the final one reads it at once.
		const locateEarly = families.length > MAX_LOOKUP_READS_PER_CALLBACK && !memory.locatedFamily(notice.taskId);
		if (!notice.final && !includeNonFinal && !locateEarly) return ACKNOWLEDGED;

		if (memory.isBusy(notice.taskId)) acknowledge(this);
		try {
			return await memory.serially(notice.taskId, async () => {
				if (memory.isDelivered(notice.taskId)) {
					memory.rememberWebhook(webhookId);
					return nothingToStart(this);
				}
				const quiet = !notice.final && !includeNonFinal;
				const found = await locateTask.call(this, memory, notice, families, quiet);
				if (!('task' in found)) {
					// No task of this account has that id (a callback cannot inject data), or not among the
					// task types asked so far: a final callback is answered 503, so a retry asks the next ones.
					if (found.incomplete && notice.final && !answered(this)) {
						this.getResponseObject().status(503).json({ error: 'Kling callback not processed yet: the task was not found among the task types asked so far' });
					}
					return nothingToStart(this);
				}
				let { task } = found;
				const { route } = found;
				acknowledge(this);
				if (!isFinished(task) && notice.final) task = await readUntilFinal.call(this, task, route);
				const ended = isFinished(task);
				// Never an execution for a task that has not ended unless non-final statuses were asked for.
				if (!ended && !includeNonFinal) return nothingToStart(this);
				const status = ended ? undefined : task.task_status;
				if (memory.isDelivered(task.task_id, status)) return nothingToStart(this);
				memory.markDelivered(task.task_id, status);
				memory.rememberWebhook(webhookId);
				return { noWebhookResponse: true, workflowData: [[await deliverCalledBack.call(this, task, route, ended)]] };
			});
		} finally {
			memory.save(stored);
		}
	}
}

/** The execution's one item: the task as read, with its files when it succeeded (and download is on). */
async function deliverCalledBack(this: IWebhookFunctions, task: KlingTask, route: string, ended: boolean): Promise<INodeExecutionData> {
	let item: INodeExecutionData;
	try {
		item = await deliverTask.call(asTaskContext(this), {
			route,
			task,
			ids: { taskId: task.task_id, externalTaskId: externalIdOf(task) },
			itemIndex: 0,
			wait: false,
			download: ended && (this.getNodeParameter('downloadResults', true) as boolean),
			binaryPropertyName: String(this.getNodeParameter('binaryPropertyName', 'data') || 'data'),
			pollIntervalMs: 0,
			timeoutMs: 0,
			onTimeout: 'error',
			failIfFailed: false,
		});
	} catch (error) {
		// Kling has its answer already: the execution starts with the task and what went wrong.
		item = { json: { ...(task as IDataObject), ...failureItem(error, 0).json } };
	}
	delete item.pairedItem;
	item.json.task_route = route;
	return item;
}
