import type { RoutedOperation } from '../../shared/operation';
import { VOICE_ROUTES } from '../../shared/pickers';
import { unwrapKlingEnvelope } from '../../shared/routedResponse';

export const get: RoutedOperation = {
	kind: 'routed',
	resource: 'voice',
	value: 'get',
	name: 'Get',
	action: 'Get a custom voice',
	description: 'Read the task that created a custom voice (by task ID or external task ID), with the voice',
	routing: {
		request: {
			method: 'GET',
			url: `=${VOICE_ROUTES.custom}/{{ encodeURIComponent(String($parameter.taskId).trim()) }}`,
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
			description: 'The task ID or the external task ID of the Voice › Create task',
		},
	],
};
