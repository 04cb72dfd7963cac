import type { INodeProperties } from 'n8n-workflow';

import { KLING_LIMITS } from '../kling/constants';

export interface PagedListOptions {
	/** Kling's largest pageSize on this route (500; voice lists 1000). */
	maxPageSize: number;
	/** Name and label of the "stop after" field of the All Pages mode. */
	limitName: string;
	limitLabel: string;
	/** Turn each task of the answer into the asset it created (its `task_result.elements` or `.voices`). */
	flatten?: 'elements' | 'voices';
}

/** How Element › List and List Presets page through Kling's lists. */
export const ELEMENT_PAGING: PagedListOptions = {
	maxPageSize: KLING_LIMITS.pageSize.max,
	limitName: 'maxResults',
	limitLabel: 'Max Elements',
	flatten: 'elements',
};

/** How Voice › List and List Presets page through Kling's lists. */
export const VOICE_PAGING: PagedListOptions = { maxPageSize: 1000, limitName: 'maxResults', limitLabel: 'Max Voices', flatten: 'voices' };

export function pagedListFields(options: PagedListOptions, noun: string): INodeProperties[] {
	return [
		{
			displayName: 'Pages',
			name: 'pages',
			type: 'options',
			options: [
				{ name: 'One Page', value: 'one', description: 'The page with the given number and size' },
				{ name: 'All Pages', value: 'all', description: `Every page, newest first, up to ${options.limitLabel}` },
			],
			default: 'one',
		},
		{
			displayName: options.limitLabel,
			name: options.limitName,
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 1000,
			description: `Stop after this many ${noun} (0 = no limit)`,
			displayOptions: { show: { pages: ['all'] } },
		},
		{
			displayName: 'Page Number',
			name: 'pageNumber',
			type: 'number',
			typeOptions: { minValue: KLING_LIMITS.pageNum.min, maxValue: KLING_LIMITS.pageNum.max },
			default: 1,
			displayOptions: { show: { pages: ['one'] } },
		},
		{
			displayName: 'Page Size',
			name: 'pageSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: options.maxPageSize },
			default: 30,
			displayOptions: { show: { pages: ['one'] } },
		},
	];
}
