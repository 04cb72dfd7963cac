import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { withTaskContext } from '../transport/errors';
import { klingRequest, type KlingContext } from '../transport/request';
import { fromNewStandardTask, NEW_TASKS_PATH } from './apiStandardAdapter';
import type { KlingTask, Lookup } from '../kling/taskShape';

/**
 * Reads of new-standard tasks: `GET /tasks?task_ids=a,b,…` takes at most 20 ids (https://kling.ai/document-api/llms.txt
 * §1.8), and an unknown id is simply missing from `data`. Every task this process waits for on an
 * account shares one poller (statusPoller.ts), so 50 waiting tasks cost ceil(50 / 20) = 3 requests per
 * polling round instead of 50.
 */
export const TASK_IDS_PER_READ = 20;

export async function readTasks(this: KlingContext, query: 'task_ids' | 'external_task_ids', ids: string[], itemIndex: number) {
	const data = await klingRequest.call<KlingContext, [Parameters<typeof klingRequest>[0]], Promise<unknown>>(this, {
		method: 'GET',
		path: NEW_TASKS_PATH,
		qs: { [query]: ids.join(',') },
		itemIndex,
	});
	return (Array.isArray(data) ? data : []) as IDataObject[];
}

/** One task by its id; Kling's empty answer means it has no such task on this account. */
export async function getNewStandardTask(this: KlingContext, taskId: string, itemIndex: number): Promise<KlingTask> {
	const rows = await readTasks.call(this, 'task_ids', [taskId], itemIndex);
	const row = rows.find((candidate) => String(candidate.id) === taskId);
	if (!row) {
		const error = new NodeOperationError(this.getNode(), `Kling has no task with ID "${taskId}" on this account`, {
			itemIndex,
			description: 'New-API tasks are read with the API key that created them (same account and region).',
		});
		// An empty /tasks answer is the new API's "no such task" (https://kling.ai/document-api/guides/get-started/quick-start): the same meaning as legacy 1201.
		Object.assign(error.context, { klingCode: 1201, klingMessage: `Task not found by id: ${taskId}` });
		throw withTaskContext(error, { taskId });
	}
	return fromNewStandardTask(row);
}

/** The documented lookup by external id: `GET /tasks?external_task_ids=` — an empty list is Kling's "no such task". */
export async function lookUpNewStandardByExternalId(this: KlingContext, externalTaskId: string, itemIndex: number): Promise<Lookup> {
	let rows: IDataObject[];
	try {
		rows = await readTasks.call(this, 'external_task_ids', [externalTaskId], itemIndex);
	} catch (error) {
		return { kind: 'unknown', reason: (error as Error).message };
	}
	if (rows.length === 0) return { kind: 'absent' };
	const ours = rows.filter((row) => row.external_id === externalTaskId && row.id);
	if (ours.length === 1) return { kind: 'found', task: fromNewStandardTask(ours[0]) };
	return { kind: 'unknown', reason: 'Kling answered with tasks that do not carry exactly this external_task_id' };
}

/** Every new-standard task id that carries this external id (the list is Kling's own, unfiltered by us). */
export async function newStandardTaskIdsCarrying(this: KlingContext, externalTaskId: string, itemIndex: number): Promise<string[]> {
	const rows = await readTasks.call(this, 'external_task_ids', [externalTaskId], itemIndex);
	return rows.filter((row) => row.external_id === externalTaskId && row.id).map((row) => String(row.id));
}
