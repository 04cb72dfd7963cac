import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { KLING_LIMITS } from '../../shared/constants';
import type { CustomOperation } from '../../shared/operation';
import { rowsPerItem } from '../../shared/pagedList';
import { routeOverrideFor } from '../../shared/provider';
import { klingRequest } from '../../shared/request';
import { fromNewStandardTask, NEW_TASKS_PATH } from '../../shared/standards';
import { taskFamilyField } from '../../shared/taskFamilies';

async function page(this: IExecuteFunctions, route: string, pageNum: number, pageSize: number, itemIndex: number) {
	const data = await klingRequest.call<IExecuteFunctions, [Parameters<typeof klingRequest>[0]], Promise<unknown>>(this, {
		method: 'GET',
		path: route,
		qs: { pageNum, pageSize },
		itemIndex,
	});
	return (Array.isArray(data) ? data : []) as IDataObject[];
}

/** New-API tasks: `POST /tasks` pages with a cursor (kling-api.md §4.6), newest first, in the one task shape. */
async function listNewStandardTasks(this: IExecuteFunctions, itemIndex: number, all: boolean, limit: number): Promise<IDataObject[]> {
	const tasks: IDataObject[] = [];
	let cursor: string | undefined;
	const pageSize = all ? 500 : Number(this.getNodeParameter('pageSize', itemIndex, 30));
	for (;;) {
		const page = await klingRequest.call<IExecuteFunctions, [Parameters<typeof klingRequest>[0]], Promise<IDataObject>>(this, {
			method: 'POST',
			path: NEW_TASKS_PATH,
			body: cursor ? { cursor, limit: pageSize } : { limit: pageSize },
			itemIndex,
		});
		tasks.push(...((page.result as IDataObject[] | undefined) ?? []).map((row) => fromNewStandardTask(row)));
		cursor = page.next_cursor as string | undefined;
		if (!all || !page.has_more || !cursor || (limit > 0 && tasks.length >= limit)) break;
	}
	return limit > 0 ? tasks.slice(0, limit) : tasks;
}

/** One page, or pages of the largest size Kling allows until a short page, Max Tasks or Kling's last page. */
async function listTasks(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const credentials = await this.getCredentials('klingApi');
	const family = this.getNodeParameter('taskFamily', itemIndex) as string;
	if (family === NEW_TASKS_PATH) {
		const all = this.getNodeParameter('pages', itemIndex, 'one') === 'all';
		return await listNewStandardTasks.call(this, itemIndex, all, all ? Number(this.getNodeParameter('maxTasks', itemIndex, 1000)) : 0);
	}
	const route = routeOverrideFor(credentials, family)?.path ?? family;
	if (this.getNodeParameter('pages', itemIndex, 'one') === 'one') {
		const pageNum = Number(this.getNodeParameter('pageNumber', itemIndex, 1));
		const pageSize = Number(this.getNodeParameter('pageSize', itemIndex, 30));
		return await page.call(this, route, pageNum, pageSize, itemIndex);
	}
	const limit = Number(this.getNodeParameter('maxTasks', itemIndex, 1000));
	const pageSize = KLING_LIMITS.pageSize.max;
	const tasks: IDataObject[] = [];
	for (let pageNum = KLING_LIMITS.pageNum.min; pageNum <= KLING_LIMITS.pageNum.max; pageNum++) {
		const rows = await page.call(this, route, pageNum, pageSize, itemIndex);
		tasks.push(...rows);
		if (rows.length < pageSize || (limit > 0 && tasks.length >= limit)) break;
	}
	return limit > 0 ? tasks.slice(0, limit) : tasks;
}

export const list: CustomOperation = {
	kind: 'custom',
	resource: 'task',
	value: 'list',
	name: 'List',
	action: 'List tasks',
	description: 'List the tasks of one kind, newest first',
	fields: [
		taskFamilyField,
		{
			displayName: 'Pages',
			name: 'pages',
			type: 'options',
			options: [
				{ name: 'One Page', value: 'one', description: 'The page with the given number and size' },
				{ name: 'All Pages', value: 'all', description: 'Every page, newest task first, up to Max Tasks' },
			],
			default: 'one',
		},
		{
			displayName: 'Max Tasks',
			name: 'maxTasks',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 1000,
			description: 'Stop after this many tasks (0 = no limit)',
			displayOptions: { show: { pages: ['all'] } },
		},
		{
			displayName: 'Page Number',
			name: 'pageNumber',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1000 },
			default: 1,
			displayOptions: { show: { pages: ['one'] } },
		},
		{
			displayName: 'Page Size',
			name: 'pageSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 500 },
			default: 30,
			displayOptions: { show: { pages: ['one'] } },
		},
	],
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Each input item lists once; its rows keep the item as their pairedItem.
		return await rowsPerItem.call(this, async (itemIndex) => await listTasks.call(this, itemIndex));
	},
};
