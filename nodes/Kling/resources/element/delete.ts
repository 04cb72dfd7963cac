import type { RoutedOperation } from '../../shared/operation';
import { elementLocator } from '../../shared/pickers';
import { unwrapKlingEnvelope } from '../../shared/routedResponse';

export const deleteElement: RoutedOperation = {
	kind: 'routed',
	resource: 'element',
	value: 'delete',
	name: 'Delete',
	action: 'Delete an element',
	description: 'Delete one of your custom elements (presets cannot be deleted)',
	routing: {
		// The video pages name this route; the image pages' /delete-elements is the old element library (§5.18).
		request: { method: 'POST', url: '/v1/general/delete-advanced-elements', ignoreHttpStatusErrors: true },
		output: { postReceive: [unwrapKlingEnvelope] },
	},
	fields: [
		{
			...elementLocator('element', 'Element'),
			required: true,
			routing: { send: { type: 'body', property: 'element_id', value: '={{ String($value).trim() }}' } },
		},
	],
};
