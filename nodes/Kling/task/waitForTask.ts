import { NodeOperationError } from 'n8n-workflow';

import { routeFactsOf } from '../kling/catalogue';
import { POLL_SCHEDULE } from '../kling/constants';
import { withTaskContext } from '../transport/errors';
import { accountPoller } from './statusPoller';
import { resolveBaseUrl } from '../transport/provider';
import type { KlingContext } from '../transport/request';
import { accountKey } from '../concurrency/taskSlots';
import { timingOf } from '../transport/timing';
import type { KlingTask } from '../kling/taskShape';

/** Which poll schedule a task route follows (the catalogue's; a new-API create route is a video's). */
function scheduleOf(taskPath: string) {
	return POLL_SCHEDULE[routeFactsOf(taskPath)?.poll ?? 'video'];
}

/** The pause before the next status request of a lone, automatically polled task on the documented curve (the prior). */
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
	/** The model, when known: the schedule is learnt per route and model. */
	model?: string;
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

/**
 * Waits for a task until it succeeds, fails, time runs out or this item's execution is cancelled.
 * The task joins the process's poller of its account (statusPoller.ts), which reads every waiting task of
 * a route family in one batched round; this item keeps its own deadline and cancel.
 */
export async function waitForTask(this: KlingContext, options: WaitOptions): Promise<WaitResult> {
	const startedAt = options.startedAt ?? Date.now();
	const credentials = await this.getCredentials('klingApi');
	const poller = accountPoller(accountKey(credentials), resolveBaseUrl(credentials));
	const result = await poller.wait(this, {
		taskPath: options.taskPath,
		taskId: options.taskId,
		itemIndex: options.itemIndex,
		deadline: Date.now() + options.timeoutMs,
		startedAt,
		pollIntervalMs: options.pollIntervalMs,
		model: options.model,
		scale: timingOf(this).pollTimeScale,
	});
	if (result.timedOut) {
		if (options.onTimeout === 'return') return result;
		throw timeoutError(this, options, result.task);
	}
	if (result.task.task_status === 'failed') throw failedTaskError(this, result.task, options.itemIndex);
	return result;
}
