import { ELEMENT_PAGING as paging, pagedListFields } from '../../fields/listFields';
import type { CustomOperation } from '../../task/operation';
import { pagedListExecute } from '../../task/pagedList';
import { ELEMENT_ROUTES } from '../../fields/pickers';

export const list: CustomOperation = {
	kind: 'custom',
	resource: 'element',
	value: 'list',
	name: 'List',
	action: 'List your elements',
	description: 'One item per element you created (status succeed, or deleted), newest first',
	execute: pagedListExecute(ELEMENT_ROUTES.custom, paging),
	fields: pagedListFields(paging, 'elements'),
};
