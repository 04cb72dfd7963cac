import { asNodeError, errorContext, isCancellation } from '../transport/errors';
import { externalIdLookup } from '../transport/provider';
import { lookUpNewStandardByExternalId, newStandardTaskIdsCarrying } from './newApiTaskReads';
import { klingRequest, type KlingContext } from '../transport/request';
import { isNewStandardRoute } from './apiStandardAdapter';
import type { KlingTask, Lookup } from '../kling/taskShape';

export type { Lookup } from '../kling/taskShape';

export const externalIdOf = (task: KlingTask | undefined): string | undefined => {
	const id = task?.task_info?.external_task_id;
	return typeof id === 'string' && id !== '' ? id : undefined;
};

/** Kling's documented answer for an id it does not know (https://kling.ai/document-api/guides/get-started/quick-start, LIVE): 400 / 1201 "Task not found …". */
export function isTaskNotFound(error: unknown): boolean {
	const { klingCode, klingMessage } = errorContext(error);
	return klingCode === 1201 && /task not found/i.test(String(klingMessage ?? ''));
}

/** Reads a task by its external_task_id on the route it was created on, and proves the answer. */
export async function lookUpByExternalId(
	this: KlingContext,
	taskPath: string,
	externalTaskId: string,
	itemIndex: number,
): Promise<Lookup> {
	if (isNewStandardRoute(taskPath)) return await lookUpNewStandardByExternalId.call(this, externalTaskId, itemIndex);
	const { path } = externalIdLookup(taskPath, externalTaskId);
	let data: unknown;
	try {
		data = await klingRequest.call<KlingContext, [Parameters<typeof klingRequest>[0]], Promise<unknown>>(this, {
			method: 'GET',
			path,
			itemIndex,
		});
	} catch (error) {
		if (isCancellation(error)) throw asNodeError(this.getNode(), error);
		if (isTaskNotFound(error)) return { kind: 'absent' };
		return { kind: 'unknown', reason: (error as Error).message };
	}
	const candidates = (Array.isArray(data) ? data : [data]) as KlingTask[];
	const ours = candidates.filter((task) => task?.task_id && externalIdOf(task) === externalTaskId);
	if (ours.length === 1) return { kind: 'found', task: ours[0] };
	if (ours.length > 1) {
		return { kind: 'unknown', reason: `Kling returned ${ours.length} tasks with this external_task_id (${ours.map((t) => t.task_id).join(', ')})` };
	}
	return { kind: 'unknown', reason: 'Kling answered with a task that does not carry this external_task_id' };
}

/**
 * The ids of every task this route's list shows with this external_task_id (newest first, one page
 * of 500), or undefined when the list cannot be read. Used after a resend, to name a twin task that
 * Kling registered late, on routes where Kling accepts a repeated external_task_id.
 */
export async function taskIdsCarrying(
	this: KlingContext,
	taskPath: string,
	externalTaskId: string,
	itemIndex: number,
): Promise<string[] | undefined> {
	try {
		if (isNewStandardRoute(taskPath)) return await newStandardTaskIdsCarrying.call(this, externalTaskId, itemIndex);
		const data = await klingRequest.call<KlingContext, [Parameters<typeof klingRequest>[0]], Promise<unknown>>(this, {
			method: 'GET',
			path: taskPath,
			qs: { pageNum: 1, pageSize: 500 },
			itemIndex,
		});
		return ((Array.isArray(data) ? data : []) as KlingTask[])
			.filter((task) => task?.task_id && externalIdOf(task) === externalTaskId)
			.map((task) => String(task.task_id));
	} catch (error) {
		if (isCancellation(error)) throw asNodeError(this.getNode(), error);
		return undefined;
	}
}
