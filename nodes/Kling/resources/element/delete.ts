import type { CustomOperation } from '../../shared/operation';
import { deleteExecute } from '../../shared/pagedList';
import { elementLocator } from '../../shared/pickers';

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
