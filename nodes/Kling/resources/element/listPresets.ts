import type { RoutedOperation } from '../../shared/operation';
import { pagedListFields, pagedListRouting } from '../../shared/pagedList';
import { ELEMENT_ROUTES } from '../../shared/pickers';
import { paging } from './list';

export const listPresets: RoutedOperation = {
	kind: 'routed',
	resource: 'element',
	value: 'listPresets',
	name: 'List Presets',
	action: 'List Kling’s preset elements',
	description: 'One item per official element Kling offers',
	routing: pagedListRouting(ELEMENT_ROUTES.presets, paging),
	fields: pagedListFields(paging, 'elements'),
};
