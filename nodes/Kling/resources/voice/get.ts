import type { CustomOperation } from '../../task/operation';
import { getByIdExecute } from '../../task/pagedList';
import { VOICE_ROUTES } from '../../fields/pickers';

export const get: CustomOperation = {
	kind: 'custom',
	resource: 'voice',
	value: 'get',
	name: 'Get',
	action: 'Get a custom voice',
	description: 'Read the task that created a custom voice (by task ID or external task ID), with the voice',
	execute: getByIdExecute(VOICE_ROUTES.custom),
	fields: [
		{
			displayName: 'Task ID',
			name: 'taskId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '={{ $json.task_id }}',
			description: 'The task ID or the external task ID of the Voice › Create task',
		},
	],
};
