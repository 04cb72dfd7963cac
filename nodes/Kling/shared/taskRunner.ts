import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { applyTaskRequestOptions, readWaitSettings, type WaitSettings } from './commonFields';
import { deliverTask } from './deliver';
import { cancelledError } from './errors';
import { rejectSharedExternalIds, runItems } from './items';
import type { TaskOperation } from './operation';
import { routeOverrideFor } from './provider';
import { accountKey, acquireSlots, noteAccountFull, noteSubmitAccepted, slotPoolKey, slotsFor } from './slots';
import { submitTask, type IdOrigin } from './submit';
import type { KlingTask } from './types';
import { validateBody } from './validation';

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

export function userExternalTaskId(context: IExecuteFunctions, itemIndex: number): string | undefined {
	const options = (context.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
	const id = String(options.externalTaskId ?? '').trim();
	return id || undefined;
}

/** The submit body for one item: fields, common options, checked against Kling's limits before anything is paid. */
async function prepareBody(this: IExecuteFunctions, operation: TaskOperation, itemIndex: number) {
	const options = (this.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
	const body = applyTaskRequestOptions(await operation.buildBody.call(this, itemIndex, options), options);
	validateBody(this.getNode(), body, operation.rules, itemIndex);
	let idOrigin: IdOrigin = 'user';
	if (operation.commonOptions.includes('externalTaskId') && !body.external_task_id) {
		body.external_task_id = derivedExternalTaskId(this, itemIndex);
		idOrigin = 'derived';
	}
	return { body, idOrigin };
}

export interface SubmittedItem {
	task: KlingTask;
	route: string;
	externalTaskId: string;
	startedAt: number;
	/** Gives the item's task slots back; the caller decides when (polling: once the task has ended). */
	release: () => void;
}

/**
 * Prepares, checks and submits one item: the body, provider quirks, a task slot, the submit policy.
 * `adjustPayload` may change the request before anything is sent (park mode adds its callback URL).
 */
export async function submitItem(
	this: IExecuteFunctions,
	operation: TaskOperation,
	itemIndex: number,
	settings: WaitSettings,
	adjustPayload?: (payload: IDataObject) => void,
): Promise<SubmittedItem> {
	const startedAt = Date.now();
	const { body, idOrigin } = await prepareBody.call(this, operation, itemIndex);
	const credentials = await this.getCredentials('klingApi');
	const override = routeOverrideFor(credentials, operation.taskPath);
	const route = override?.path ?? operation.taskPath;
	const payload = { ...body };
	for (const [from, to] of Object.entries(override?.renameFields ?? {})) {
		if (from in payload) {
			payload[to] = payload[from];
			delete payload[from];
		}
	}
	adjustPayload?.(payload);
	const account = accountKey(credentials);
	const pool = slotPoolKey(account, operation.taskPath, typeof body.model_name === 'string' ? body.model_name : undefined);
	const release = await acquireSlots({
		pool,
		slots: slotsFor(operation.taskPath, body),
		limit: settings.concurrency,
		signal: this.getExecutionCancelSignal(),
		maxWaitMs: settings.timeoutMs,
		cancelled: () => cancelledError(this.getNode()),
		timedOut: (waitedMs) =>
			new NodeOperationError(
				this.getNode(),
				`No free Kling task slot within the timeout (${Math.round(waitedMs / 1000)} s waited); nothing was submitted`,
				{ itemIndex, description: 'Other items and executions on this Kling account held every slot. Raise the timeout or lower the load.' },
			),
	});
	let submitted = false;
	try {
		const { task, route: usedRoute } = await submitTask.call(this, {
			route,
			payload,
			externalTaskId: String(payload.external_task_id),
			idOrigin,
			account,
			itemIndex,
			onAccountFull: () => noteAccountFull(pool),
		});
		noteSubmitAccepted(pool);
		submitted = true;
		return { task, route: usedRoute, externalTaskId: String(payload.external_task_id), startedAt, release };
	} finally {
		if (!submitted) release();
	}
}

async function runItem(
	this: IExecuteFunctions,
	operation: TaskOperation,
	itemIndex: number,
	settings: WaitSettings,
): Promise<INodeExecutionData> {
	const { task, route, externalTaskId, startedAt, release } = await submitItem.call(this, operation, itemIndex, settings);
	try {
		return await deliverTask.call(this, {
			route,
			task,
			ids: { taskId: task.task_id, externalTaskId },
			itemIndex,
			wait: settings.waitForCompletion,
			download: settings.downloadResults,
			binaryPropertyName: settings.binaryPropertyName,
			pollIntervalMs: settings.pollIntervalMs,
			// The time spent waiting for a slot counts toward the item's timeout.
			timeoutMs: Math.max(0, settings.timeoutMs - (Date.now() - startedAt)),
			onTimeout: 'error',
			failIfFailed: true,
			// Kling frees the slot when the task ends; the download does not need it.
			afterWait: release,
		});
	} finally {
		release();
	}
}

/** The customOperation behind every create endpoint: validate, submit, wait, download, per item. */
export function taskExecutor(operation: TaskOperation) {
	return async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const concurrency = this.getInputData().length ? readWaitSettings(this, 0).concurrency : 1;
		const rejected = operation.commonOptions.includes('externalTaskId')
			? rejectSharedExternalIds(this, (itemIndex) => userExternalTaskId(this, itemIndex))
			: new Map<number, Error>();
		return await runItems.call(
			this,
			concurrency,
			async (itemIndex) => await runItem.call(this, operation, itemIndex, readWaitSettings(this, itemIndex)),
			rejected,
		);
	};
}
