import type { CustomOperation } from '../../task/operation';
import { deleteExecute } from '../../task/pagedList';
import { elementLocator } from '../../fields/pickers';

export const deleteElement: CustomOperation = {
	kind: 'custom',
	resource: 'element',
	value: 'delete',
	name: 'Delete',
	action: 'Delete an element',
	description: 'Delete one of your custom elements (presets cannot be deleted)',
	// The video pages name this route; the image pages' /delete-elements is the old element library (§5.18).
	execute: deleteExecute('/v1/general/delete-advanced-elements', 'element_id', 'element'),
	fields: [
		{
			...elementLocator('element', 'Element'),
			required: true,
		},
	],
};
