import { KLING_LIMITS } from '../../shared/constants';
import type { CustomOperation } from '../../shared/operation';
import { pagedListExecute, pagedListFields, type PagedListOptions } from '../../shared/pagedList';
import { ELEMENT_ROUTES } from '../../shared/pickers';

export const paging: PagedListOptions = {
	maxPageSize: KLING_LIMITS.pageSize.max,
	limitName: 'maxResults',
	limitLabel: 'Max Elements',
	flatten: 'elements',
};

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
