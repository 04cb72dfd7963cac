import type { RoutedOperation } from '../../shared/operation';
import { pagedListFields, pagedListRouting } from '../../shared/pagedList';
import { VOICE_ROUTES } from '../../shared/pickers';
import { paging } from './list';

export const listPresets: RoutedOperation = {
	kind: 'routed',
	resource: 'voice',
	value: 'listPresets',
	name: 'List Presets',
	action: 'List Kling’s preset voices',
	description: 'One item per official voice Kling offers (for elements and videos; Text to Speech has its own voices)',
	routing: pagedListRouting(VOICE_ROUTES.presets, paging),
	fields: pagedListFields(paging, 'voices'),
};
