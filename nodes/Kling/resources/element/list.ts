import { ELEMENT_PAGING as paging, pagedListFields } from '../../shared/listFields';
import type { CustomOperation } from '../../shared/operation';
import { pagedListExecute } from '../../shared/pagedList';
import { ELEMENT_ROUTES } from '../../shared/pickers';

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
