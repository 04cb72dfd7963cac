import { NodeOperationError } from 'n8n-workflow';

import { withTaskContext } from '../transport/errors';
import { getNewStandardTask } from './newApiTaskReads';
import { klingRequest, type KlingContext } from '../transport/request';
import { isNewStandardRoute } from './apiStandardAdapter';
import type { KlingTask } from '../kling/taskShape';

/**
 * One read of one task by its id, on the route it was created on (new-API tasks through `/tasks`). The
 * poller and every other reader use it; it sits below the waiting code so that neither imports the other.
 */
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
