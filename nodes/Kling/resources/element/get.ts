import type { CustomOperation } from '../../task/operation';
import { getByIdExecute } from '../../task/pagedList';
import { ELEMENT_ROUTES } from '../../fields/pickers';

export const get: CustomOperation = {
	kind: 'custom',
	resource: 'element',
	value: 'get',
	name: 'Get',
	action: 'Get an element',
	description: 'Read the task that created a custom element (by task ID or external task ID), with the element',
	execute: getByIdExecute(ELEMENT_ROUTES.custom),
	fields: [
		{
			displayName: 'Task ID',
			name: 'taskId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '={{ $json.task_id }}',
			description: 'The task ID or the external task ID of the Element › Create task',
		},
	],
};
