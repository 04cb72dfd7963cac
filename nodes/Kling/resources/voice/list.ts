import { VOICE_PAGING as paging, pagedListFields } from '../../fields/listFields';
import type { CustomOperation } from '../../task/operation';
import { pagedListExecute } from '../../task/pagedList';
import { VOICE_ROUTES } from '../../fields/pickers';

// Voice lists take pages of up to 1000 (https://kling.ai/document-api/guides/get-started/quick-start).
export const list: CustomOperation = {
	kind: 'custom',
	resource: 'voice',
	value: 'list',
	name: 'List',
	action: 'List your custom voices',
	description: 'One item per voice you created, newest first',
	execute: pagedListExecute(VOICE_ROUTES.custom, paging),
	fields: pagedListFields(paging, 'voices'),
};
