import { KLING_LIMITS } from './constants';
import type { PagedListOptions } from './pagedList';

/** How Element › List and List Presets page through Kling's lists. */
export const ELEMENT_PAGING: PagedListOptions = {
	maxPageSize: KLING_LIMITS.pageSize.max,
	limitName: 'maxResults',
	limitLabel: 'Max Elements',
	flatten: 'elements',
};

/** How Voice › List and List Presets page through Kling's lists. */
export const VOICE_PAGING: PagedListOptions = { maxPageSize: 1000, limitName: 'maxResults', limitLabel: 'Max Voices', flatten: 'voices' };
