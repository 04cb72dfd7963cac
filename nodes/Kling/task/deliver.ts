import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { costJson, costSentence, type Estimate } from './cost';
import { downloadResultFiles, resultFiles } from './downloadResults';
import { asNodeError, type TaskContext, withTaskContext } from '../transport/errors';
import { externalIdOf } from './lookupByExternalId';
import type { KlingTask } from '../kling/taskShape';
import { failedTaskError, isFinished, waitForTask } from './waitForTask';

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
	/** Facts about the request for the item's JSON (API standard, model check). */
	extraJson?: IDataObject;
	/** The item's price before it was paid; with Kling's bill it becomes the item's `cost`. */
	estimate?: Estimate;
}

/**
 * One line for people and for AI agents (a tool's binaries never reach the model, its JSON does):
 * what happened and where the files are.
 */
function summaryOf(task: KlingTask): string {
	if (task.task_status === 'failed') return `Kling task ${task.task_id} failed: ${task.task_status_msg || 'no reason given'}`;
	if (task.task_status !== 'succeed') return `Kling task ${task.task_id} is ${task.task_status}; collect it later with Task › Get`;
	const urls = resultFiles(task).map((file) => `${file.kind} ${file.url}`);
	return `Kling task ${task.task_id} succeeded with ${urls.length} file${urls.length === 1 ? '' : 's'}: ${urls.join(', ')}`;
}

function outputJson(task: KlingTask, extra: IDataObject = {}): IDataObject {
	const cost = extra.cost as IDataObject | undefined;
	return { ...task, external_task_id: externalIdOf(task), ...extra, summary: `${summaryOf(task)}${costSentence(cost)}` };
}

/**
 * A file is only handed over for the task this item owns: the same task id, and no other
 * external_task_id than ours. A proxy or a cache that answers with another task stops here.
 */
function assertOwnTask(context: IExecuteFunctions, task: KlingTask, ids: TaskContext, itemIndex: number): void {
	const echoed = externalIdOf(task);
	const wrongTask = ids.taskId !== undefined && task.task_id !== ids.taskId;
	const wrongExternal = ids.externalTaskId !== undefined && echoed !== undefined && echoed !== ids.externalTaskId;
	if (wrongTask || wrongExternal) {
		throw withTaskContext(
			new NodeOperationError(
				context.getNode(),
				`Kling answered with task ${task.task_id}${echoed ? ` (external_task_id "${echoed}")` : ''} instead of this item’s task`,
				{ itemIndex, description: 'Its files were not taken as this item’s result. Collect your task with Task › Get.' },
			),
			ids,
		);
	}
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
				model: typeof options.extraJson?.model === 'string' ? options.extraJson.model : undefined,
			}));
		}
		options.afterWait?.();
		assertOwnTask(this, task, ids, itemIndex);
		if (options.failIfFailed && task.task_status === 'failed') throw failedTaskError(this, task, itemIndex);
		const extra: IDataObject = { ...options.extraJson, external_task_id: externalIdOf(task) ?? ids.externalTaskId, cost: costJson(options.estimate, task) };
		if (extra.api_standard === undefined) extra.api_standard = task.api_standard ?? 'legacy';
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
