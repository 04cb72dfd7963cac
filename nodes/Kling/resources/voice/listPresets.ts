import { VOICE_PAGING as paging, pagedListFields } from '../../shared/listFields';
import type { CustomOperation } from '../../shared/operation';
import { pagedListExecute } from '../../shared/pagedList';
import { VOICE_ROUTES } from '../../shared/pickers';

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
