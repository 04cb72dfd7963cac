import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyRouting,
} from 'n8n-workflow';

import { KLING_LIMITS } from './constants';
import { unwrapKlingEnvelope } from './routedResponse';

/**
 * Kling's legacy lists (`GET <route>?pageNum&pageSize`): one page, or every page up to a maximum.
 * Task › List and the element and voice lists share this.
 */
export interface PagedListOptions {
	/** Kling's largest pageSize on this route (500; voice lists 1000). */
	maxPageSize: number;
	/** Name and label of the "stop after" field of the All Pages mode. */
	limitName: string;
	limitLabel: string;
	/** Turn each task of the answer into the asset it created (its `task_result.elements` or `.voices`). */
	flatten?: 'elements' | 'voices';
}

/** Reads pages of the largest size Kling allows until a short page, the limit or Kling's last page. */
function allPages(options: PagedListOptions) {
	return async function (
		this: IExecutePaginationFunctions,
		request: DeclarativeRestApiSettings.ResultOptions,
	): Promise<INodeExecutionData[]> {
		const limit = Number(this.getNodeParameter(options.limitName, 0));
		const results: INodeExecutionData[] = [];
		for (let pageNum = KLING_LIMITS.pageNum.min; pageNum <= KLING_LIMITS.pageNum.max; pageNum++) {
			const page = await this.makeRoutingRequest({
				...request,
				options: {
					...request.options,
					qs: { ...(request.options.qs as IDataObject), pageNum, pageSize: options.maxPageSize },
				},
			});
			results.push(...page);
			// A flattened page has at least one item per task, so a short page is still Kling's last.
			if (page.length < options.maxPageSize || (limit > 0 && results.length >= limit)) break;
		}
		return limit > 0 ? results.slice(0, limit) : results;
	};
}

/** One item per task, as the asset it created plus the task's id; a task without one stays a task. */
function flattenAssets(key: 'elements' | 'voices') {
	return async function (
		this: IExecuteSingleFunctions,
		items: INodeExecutionData[],
	): Promise<INodeExecutionData[]> {
		return items.flatMap((item) => {
			const task = item.json;
			const assets = ((task.task_result as IDataObject | undefined)?.[key] as IDataObject[] | undefined) ?? [];
			const ids = { task_id: task.task_id, task_status: task.task_status };
			if (!assets.length) return [{ json: { ...ids, task_status_msg: task.task_status_msg } }];
			return assets.map((asset) => ({ json: { ...asset, ...ids } }));
		});
	};
}

export function pagedListRouting(url: string, options: PagedListOptions): INodePropertyRouting {
	const postReceive = [unwrapKlingEnvelope, ...(options.flatten ? [flattenAssets(options.flatten)] : [])];
	return {
		request: { method: 'GET', url, ignoreHttpStatusErrors: true },
		operations: { pagination: allPages(options) },
		output: { postReceive },
	};
}

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
			routing: { send: { paginate: '={{ $value === "all" }}' } },
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
			routing: { send: { type: 'query', property: 'pageNum' } },
		},
		{
			displayName: 'Page Size',
			name: 'pageSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: options.maxPageSize },
			default: 30,
			displayOptions: { show: { pages: ['one'] } },
			routing: { send: { type: 'query', property: 'pageSize' } },
		},
	];
}
