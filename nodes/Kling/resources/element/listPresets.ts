import { ELEMENT_PAGING as paging, pagedListFields } from '../../shared/listFields';
import type { CustomOperation } from '../../shared/operation';
import { pagedListExecute } from '../../shared/pagedList';
import { ELEMENT_ROUTES } from '../../shared/pickers';

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
