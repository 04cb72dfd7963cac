import type { RoutedOperation } from '../../shared/operation';
import { pagedListFields, pagedListRouting, type PagedListOptions } from '../../shared/pagedList';
import { VOICE_ROUTES } from '../../shared/pickers';

// Voice lists take pages of up to 1000 (kling-api.md §1.8).
export const paging: PagedListOptions = { maxPageSize: 1000, limitName: 'maxResults', limitLabel: 'Max Voices', flatten: 'voices' };

export const list: RoutedOperation = {
	kind: 'routed',
	resource: 'voice',
	value: 'list',
	name: 'List',
	action: 'List your custom voices',
	description: 'One item per voice you created, newest first',
	routing: pagedListRouting(VOICE_ROUTES.custom, paging),
	fields: pagedListFields(paging, 'voices'),
};
