import { VOICE_PAGING as paging, pagedListFields } from '../../shared/listFields';
import type { CustomOperation } from '../../shared/operation';
import { pagedListExecute } from '../../shared/pagedList';
import { VOICE_ROUTES } from '../../shared/pickers';

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
