import { ELEMENT_PAGING as paging, pagedListFields } from '../../fields/listFields';
import type { CustomOperation } from '../../task/operation';
import { pagedListExecute } from '../../task/pagedList';
import { ELEMENT_ROUTES } from '../../fields/pickers';

export const listPresets: CustomOperation = {
	kind: 'custom',
	resource: 'element',
	value: 'listPresets',
	name: 'List Presets',
	action: 'List Kling’s preset elements',
	description: 'One item per official element Kling offers',
	execute: pagedListExecute(ELEMENT_ROUTES.presets, paging),
	fields: pagedListFields(paging, 'elements'),
};
