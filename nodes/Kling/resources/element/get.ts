import type { RoutedOperation } from '../../shared/operation';
import { ELEMENT_ROUTES } from '../../shared/pickers';
import { unwrapKlingEnvelope } from '../../shared/routedResponse';

export const get: RoutedOperation = {
	kind: 'routed',
	resource: 'element',
	value: 'get',
	name: 'Get',
	action: 'Get an element',
	description: 'Read the task that created a custom element (by task ID or external task ID), with the element',
	routing: {
		request: {
			method: 'GET',
			url: `=${ELEMENT_ROUTES.custom}/{{ encodeURIComponent(String($parameter.taskId).trim()) }}`,
			ignoreHttpStatusErrors: true,
		},
		output: { postReceive: [unwrapKlingEnvelope] },
	},
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
