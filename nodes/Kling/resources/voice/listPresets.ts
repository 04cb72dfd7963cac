import { VOICE_PAGING as paging, pagedListFields } from '../../fields/listFields';
import type { CustomOperation } from '../../task/operation';
import { pagedListExecute } from '../../task/pagedList';
import { VOICE_ROUTES } from '../../fields/pickers';

export const listPresets: CustomOperation = {
	kind: 'custom',
	resource: 'voice',
	value: 'listPresets',
	name: 'List Presets',
	action: 'List Kling’s preset voices',
	description: 'One item per official voice Kling offers (for elements and videos; Text to Speech has its own voices)',
	execute: pagedListExecute(VOICE_ROUTES.presets, paging),
	fields: pagedListFields(paging, 'voices'),
};
