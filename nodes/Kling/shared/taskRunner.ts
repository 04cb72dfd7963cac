import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { applyTaskRequestOptions, readWaitSettings, type WaitSettings } from './commonFields';
import { downloadResultFiles } from './download';
import {
	asNodeError,
	cancelledError,
	errorContext,
	isAmbiguousSubmit,
	isCancellation,
	type TaskContext,
	withTaskContext,
} from './errors';
import type { TaskOperation } from './operation';
import { MAX_SUBMIT_SENDS, SUBMIT_LOOKUP_DELAYS_MS } from './constants';
import { pause } from './pause';
import { accountKey, acquireSlots, slotPoolOf, slotsFor } from './slots';
import { mapWithConcurrency, PoolError } from './pool';
import { externalIdLookups, routeOverrideFor } from './provider';
import { klingRequest } from './request';
import type { KlingTask } from './types';
import { validateBody } from './validation';
import { failedTaskError, isFinished, waitForTask } from './wait';

/**
 * A deterministic external_task_id: the same execution, run, node and item always get the same
 * id, so n8n's "Retry On Fail" finds the task it already paid for instead of creating another.
 */
export function derivedExternalTaskId(context: IExecuteFunctions, itemIndex: number): string {
	const workflowId = String(context.getWorkflow().id ?? 'wf');
	const executionId = String(context.getExecutionId() ?? 'manual');
	const node = context.getNode();
	return ['n8n', workflowId, executionId, node.id.slice(0, 8), context.getWorkflowDataProxy(itemIndex).$thisRunIndex ?? 0, itemIndex].join('-');
}

/**
 * Reads a task by its external_task_id. Undefined only when Kling says no such task exists; a
 * lookup that itself fails throws, because "unknown" must never be taken for "absent".
 */
export async function findTaskByExternalId(
	this: IExecuteFunctions,
	taskPath: string,
	externalTaskId: string,
	itemIndex: number,
): Promise<KlingTask | undefined> {
	for (const lookup of externalIdLookups(taskPath, externalTaskId)) {
		try {
			const data = await klingRequest.call<IExecuteFunctions, [Parameters<typeof klingRequest>[0]], Promise<unknown>>(
				this,
				{ method: 'GET', path: lookup.path, qs: lookup.qs, itemIndex },
			);
			const candidates = (Array.isArray(data) ? data : [data]) as KlingTask[];
			const found = candidates.find(
				(task) => task?.task_id && (task.task_info?.external_task_id ?? externalTaskId) === externalTaskId,
			);
			if (found) return found;
		} catch (error) {
			const { klingCode, httpStatus } = errorContext(error);
			if (klingCode !== 1203 && httpStatus !== 404) throw asNodeError(this.getNode(), error);
		}
	}
	return undefined;
}

interface Submitted {
	task: KlingTask;
	route: string;
}

/** Submits once; after an ambiguous failure, looks the task up by its external id before sending again. */
async function submitTask(
	this: IExecuteFunctions,
	operation: TaskOperation,
	body: IDataObject,
	itemIndex: number,
	credentials: ICredentialDataDecryptedObject,
): Promise<Submitted> {
	const override = routeOverrideFor(credentials, operation.taskPath);
	const route = override?.path ?? operation.taskPath;
	const payload = { ...body };
	for (const [from, to] of Object.entries(override?.renameFields ?? {})) {
		if (from in payload) {
			payload[to] = payload[from];
			delete payload[from];
		}
	}
	const externalTaskId = String(payload.external_task_id);
	const send = async () =>
		await klingRequest.call<IExecuteFunctions, [Parameters<typeof klingRequest>[0]], Promise<KlingTask>>(this, {
			method: 'POST',
			path: route,
			body: payload,
			isSubmit: true,
			itemIndex,
		});
	const checkBeforeRetry = `Before running this item again, check with Task › Get (Look Up By: External Task ID "${externalTaskId}") whether Kling created the task, so you do not pay twice.`;
	for (let sends = 1; ; sends++) {
		try {
			return { task: await send(), route };
		} catch (error) {
			if (errorContext(error).klingCode === 1201 && /external_task_id/i.test(String(errorContext(error).klingMessage))) {
				// The id is taken: an earlier attempt of this same item (n8n's Retry On Fail) created the task.
				const existing = await findTaskByExternalId.call(this, route, externalTaskId, itemIndex);
				if (existing) return { task: existing, route };
			}
			if (!isAmbiguousSubmit(error)) {
				throw withTaskContext(asNodeError(this.getNode(), error), sends > 1 ? { externalTaskId } : {});
			}
			const existing = await lookUpAfterAmbiguousSubmit.call(this, route, externalTaskId, itemIndex, error, checkBeforeRetry);
			if (existing) return { task: existing, route };
			// Kling refuses a second task with the same external_task_id, so a resend cannot bill twice.
			if (sends >= MAX_SUBMIT_SENDS) {
				const nodeError = withTaskContext(asNodeError(this.getNode(), error), { externalTaskId });
				nodeError.description = checkBeforeRetry;
				throw nodeError;
			}
		}
	}
}

/** Looks a task up by its external id, giving Kling a moment to register it before calling it absent. */
async function lookUpAfterAmbiguousSubmit(
	this: IExecuteFunctions,
	route: string,
	externalTaskId: string,
	itemIndex: number,
	submitError: unknown,
	checkBeforeRetry: string,
): Promise<KlingTask | undefined> {
	for (const delay of [0, ...SUBMIT_LOOKUP_DELAYS_MS]) {
		if (delay) await pause(this, delay);
		try {
			const existing = await findTaskByExternalId.call(this, route, externalTaskId, itemIndex);
			if (existing) return existing;
		} catch (lookupError) {
			if (isCancellation(lookupError)) throw asNodeError(this.getNode(), lookupError);
			const unknown = withTaskContext(asNodeError(this.getNode(), submitError), { externalTaskId });
			unknown.description = `Looking the task up failed too (${(lookupError as Error).message}). ${checkBeforeRetry}`;
			throw unknown;
		}
	}
	return undefined;
}

function outputJson(task: KlingTask, extra: IDataObject = {}): IDataObject {
	return { ...task, external_task_id: task.task_info?.external_task_id, ...extra };
}

export interface DeliverOptions {
	route: string;
	task: KlingTask;
	ids: TaskContext;
	itemIndex: number;
	wait: boolean;
	download: boolean;
	binaryPropertyName: string;
	pollIntervalMs: number;
	timeoutMs: number;
	onTimeout: 'error' | 'return';
	/** A task that is (or already was) failed raises Kling's reason instead of being returned. */
	failIfFailed: boolean;
	/** Called once the task has ended (or waiting stopped), before any download. */
	afterWait?: () => void;
}

/** Waits for a known task if asked, downloads its files once it has succeeded, and builds the item. */
export async function deliverTask(this: IExecuteFunctions, options: DeliverOptions): Promise<INodeExecutionData> {
	const { itemIndex, ids } = options;
	try {
		let task = options.task;
		let timedOut = false;
		if (options.wait && !isFinished(task)) {
			({ task, timedOut } = await waitForTask.call(this, {
				taskPath: options.route,
				taskId: task.task_id,
				externalTaskId: ids.externalTaskId,
				pollIntervalMs: options.pollIntervalMs,
				timeoutMs: options.timeoutMs,
				itemIndex,
				onTimeout: options.onTimeout,
				startedAt: Math.min(Date.now(), Number(task.created_at) || Date.now()),
			}));
		}
		options.afterWait?.();
		if (options.failIfFailed && task.task_status === 'failed') throw failedTaskError(this, task, itemIndex);
		const extra: IDataObject = { external_task_id: task.task_info?.external_task_id ?? ids.externalTaskId };
		if (timedOut) extra.timedOut = true;
		if (!options.download || task.task_status !== 'succeed') {
			return { json: outputJson(task, extra), pairedItem: { item: itemIndex } };
		}
		const { binary, files } = await downloadResultFiles.call(this, task, options.binaryPropertyName, itemIndex);
		return { json: outputJson(task, { ...extra, files }), binary, pairedItem: { item: itemIndex } };
	} catch (error) {
		throw withTaskContext(asNodeError(this.getNode(), error), ids);
	}
}

async function runItem(
	this: IExecuteFunctions,
	operation: TaskOperation,
	itemIndex: number,
	settings: WaitSettings,
): Promise<INodeExecutionData> {
	const options = (this.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
	const body = applyTaskRequestOptions(await operation.buildBody.call(this, itemIndex, options), options);
	validateBody(this.getNode(), body, operation.rules, itemIndex);
	if (operation.commonOptions.includes('externalTaskId') && !body.external_task_id) {
		body.external_task_id = derivedExternalTaskId(this, itemIndex);
	}

	const credentials = await this.getCredentials('klingApi');
	const release = await acquireSlots(
		`${accountKey(credentials)}:${slotPoolOf(operation.taskPath)}`,
		slotsFor(operation.taskPath, body),
		settings.concurrency,
		this.getExecutionCancelSignal(),
		() => cancelledError(this.getNode()),
	);
	try {
		const { task, route } = await submitTask.call(this, operation, body, itemIndex, credentials);
		return await deliverTask.call(this, {
			route,
			task,
			ids: {
				taskId: task.task_id,
				externalTaskId: task.task_info?.external_task_id ?? (body.external_task_id as string | undefined),
			},
			itemIndex,
			wait: settings.waitForCompletion,
			download: settings.downloadResults,
			binaryPropertyName: settings.binaryPropertyName,
			pollIntervalMs: settings.pollIntervalMs,
			timeoutMs: settings.timeoutMs,
			onTimeout: 'error',
			failIfFailed: true,
			// Kling frees the slot when the task ends; the download does not need it.
			afterWait: release,
		});
	} finally {
		release();
	}
}

export function failureItem(error: unknown, itemIndex: number): INodeExecutionData {
	const context = errorContext(error);
	const json: IDataObject = { error: (error as Error).message };
	for (const key of ['taskId', 'externalTaskId', 'klingCode', 'klingMessage', 'requestId', 'httpStatus']) {
		if (context[key] !== undefined) json[key] = context[key] as IDataObject[string];
	}
	const description = (error as { description?: string }).description;
	if (description) json.description = description;
	return { json, pairedItem: { item: itemIndex } };
}

/** A failing item stops the node; the tasks other items already finished must still be findable. */
function withOtherTasks<E extends Error>(error: E, finished: Array<INodeExecutionData | undefined>): E {
	const taskIds = finished.map((item) => item?.json.task_id).filter(Boolean);
	if (taskIds.length && error && typeof error === 'object') {
		const described = error as Error & { description?: string | null };
		const note = `Tasks that other items of this run finished: ${taskIds.join(', ')}`;
		described.description = described.description ? `${described.description}\n${note}` : note;
	}
	return error;
}

/**
 * Runs `perItem` over the input items with at most `concurrency` at once. With "Continue On Fail"
 * a failing item becomes an error row; otherwise the first failure stops the node.
 */
export async function runItems(
	this: IExecuteFunctions,
	concurrency: number,
	perItem: (itemIndex: number) => Promise<INodeExecutionData>,
): Promise<INodeExecutionData[][]> {
	try {
		const results = await mapWithConcurrency(this.getInputData(), concurrency, async (_item, itemIndex) => {
			try {
				return await perItem(itemIndex);
			} catch (error) {
				if (this.continueOnFail() && !isCancellation(error)) return failureItem(error, itemIndex);
				throw asNodeError(this.getNode(), error);
			}
		});
		return [results];
	} catch (error) {
		if (!(error instanceof PoolError)) throw asNodeError(this.getNode(), error);
		throw withOtherTasks(asNodeError(this.getNode(), error.cause), error.finished);
	}
}

/** The customOperation behind every create endpoint: validate, submit, wait, download, per item. */
export function taskExecutor(operation: TaskOperation) {
	return async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const concurrency = this.getInputData().length ? readWaitSettings(this, 0).concurrency : 1;
		return await runItems.call(this, concurrency, async (itemIndex) =>
			await runItem.call(this, operation, itemIndex, readWaitSettings(this, itemIndex)),
		);
	};
}
