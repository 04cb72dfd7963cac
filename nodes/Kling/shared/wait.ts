import { NodeOperationError } from 'n8n-workflow';

import { routeFactsOf } from './catalogue';
import { POLL_SCHEDULE } from './constants';
import { withTaskContext } from './errors';
import { pause } from './pause';
import type { KlingContext } from './request';
import { getNewStandardTask, newTaskPoller } from './newTasks';
import { klingRequest } from './request';
import { isNewStandardRoute } from './standards';
import { timingOf } from './timing';
import type { KlingTask } from './types';

/** Which poll schedule a task route follows (the catalogue's; a new-API create route is a video's). */
function scheduleOf(taskPath: string) {
	return POLL_SCHEDULE[routeFactsOf(taskPath)?.poll ?? 'video'];
}

/** The pause before the next status request of an automatically polled task. */
export function autoPollDelayMs(taskPath: string, elapsedMs: number, scale: number = POLL_SCHEDULE.timeScale): number {
	const schedule = scheduleOf(taskPath);
	const first = schedule.firstPollMs * scale;
	if (elapsedMs < first) return first - elapsedMs;
	return Math.min(schedule.maxIntervalMs * scale, Math.max(schedule.minIntervalMs * scale, elapsedMs * schedule.growth));
}

export interface WaitOptions {
	/** The task family's route, e.g. /v1/images/generations; the task is read at `${taskPath}/${taskId}`. */
	taskPath: string;
	taskId: string;
	externalTaskId?: string;
	/** 0 = automatic, growing with the time waited. */
	pollIntervalMs: number;
	timeoutMs: number;
	itemIndex: number;
	/** When the task was submitted (for automatic polling); defaults to now. */
	startedAt?: number;
	/** 'error' throws when time runs out; 'return' hands back the last state with timedOut: true. */
	onTimeout: 'error' | 'return';
}

export interface WaitResult {
	task: KlingTask;
	timedOut: boolean;
}

function formatDuration(ms: number): string {
	return ms < 60_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 6_000) / 10} min`;
}

export const isFinished = (task: KlingTask) => task.task_status === 'succeed' || task.task_status === 'failed';

export async function getTask(this: KlingContext, taskPath: string, taskId: string, itemIndex: number): Promise<KlingTask> {
	if (isNewStandardRoute(taskPath)) return await getNewStandardTask.call(this, taskId, itemIndex);
	const task = await klingRequest.call<KlingContext, [Parameters<typeof klingRequest>[0]], Promise<KlingTask>>(this, {
		method: 'GET',
		path: `${taskPath}/${encodeURIComponent(taskId)}`,
		itemIndex,
	});
	// Checked against the id asked for, not one taken from the answer: a proxy or cache may answer with another task.
	if (String(task?.task_id) !== taskId) {
		throw withTaskContext(
			new NodeOperationError(this.getNode(), `Kling answered with task ${String(task?.task_id)} instead of this item’s task ${taskId}`, {
				itemIndex,
				description: 'Its files were not taken as this item’s result. Read the task again later with Task › Get.',
			}),
			{ taskId },
		);
	}
	return task;
}

export function failedTaskError(context: KlingContext, task: KlingTask, itemIndex: number) {
	const reason = task.task_status_msg || 'no reason given';
	return withTaskContext(
		new NodeOperationError(context.getNode(), `Kling task failed: ${reason}`, {
			itemIndex,
			description: 'Kling charges nothing for failed tasks. Change the input and run again.',
		}),
		{ taskId: task.task_id, externalTaskId: task.task_info?.external_task_id },
	);
}

function timeoutError(context: KlingContext, options: WaitOptions, task: KlingTask) {
	return withTaskContext(
		new NodeOperationError(
			context.getNode(),
			`The Kling task did not finish within ${formatDuration(options.timeoutMs)} (last status: ${task.task_status})`,
			{
				itemIndex: options.itemIndex,
				description: `The task keeps running at Kling and is charged. Collect it later with the Task › Get operation and task ID ${options.taskId}, or raise the timeout.`,
			},
		),
		{ taskId: options.taskId, externalTaskId: options.externalTaskId },
	);
}

/** Polls a task on its own route until it succeeds, fails, time runs out or the execution is cancelled. */
export async function waitForTask(this: KlingContext, options: WaitOptions): Promise<WaitResult> {
	const startedAt = options.startedAt ?? Date.now();
	const deadline = Date.now() + options.timeoutMs;
	const scale = timingOf(this).pollTimeScale;
	const nextDelay = () =>
		options.pollIntervalMs > 0 ? options.pollIntervalMs : autoPollDelayMs(options.taskPath, Date.now() - startedAt, scale);
	let task: KlingTask | undefined;
	if (isNewStandardRoute(options.taskPath)) {
		const result = await newTaskPoller(this).wait({
			taskId: options.taskId,
			itemIndex: options.itemIndex,
			deadline,
			nextDelayMs: nextDelay,
		});
		task = result.task;
		if (result.timedOut) {
			if (options.onTimeout === 'return') return result;
			throw timeoutError(this, options, task);
		}
		if (task.task_status === 'failed') throw failedTaskError(this, task, options.itemIndex);
		return result;
	}
	if (options.pollIntervalMs === 0) await pause(this, Math.min(nextDelay(), Math.max(0, deadline - Date.now())));
	for (;;) {
		task = await getTask.call(this, options.taskPath, options.taskId, options.itemIndex);
		if (isFinished(task)) break;
		const remaining = deadline - Date.now();
		if (remaining <= 0) {
			if (options.onTimeout === 'return') return { task, timedOut: true };
			throw timeoutError(this, options, task);
		}
		await pause(this, Math.min(nextDelay(), remaining));
	}
	if (task.task_status === 'failed') throw failedTaskError(this, task, options.itemIndex);
	return { task, timedOut: false };
}
