import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeFactsOf } from '../../kling/catalogue';
import { KLING_LIMITS } from '../../kling/constants';
import { numberParameter } from '../../input/numbers';
import type { CustomOperation } from '../../task/operation';
import { pagedListFields, type PagedListOptions } from '../../fields/listFields';
import { listRows, rowsPerItem } from '../../task/pagedList';
import { routeOverrideFor } from '../../transport/provider';
import { klingRequest } from '../../transport/request';
import { fromNewStandardTask, NEW_TASKS_PATH } from '../../task/apiStandardAdapter';
import { taskFamilyOf } from '../../input/taskType';
import { taskFamilyField } from '../../fields/taskTypeField';

/** Legacy task lists page like the element and voice lists (`GET <route>?pageNum&pageSize`, up to 500). */
const LEGACY_PAGING: PagedListOptions = { maxPageSize: KLING_LIMITS.pageSize.max, limitName: 'maxTasks', limitLabel: 'Max Tasks' };

/** New-API tasks: `POST /tasks` pages with a cursor (https://kling.ai/document-api/api/video/3-0-omni/text-to-video), newest first, in the one task shape. */
async function listNewStandardTasks(this: IExecuteFunctions, itemIndex: number, all: boolean, limit: number): Promise<IDataObject[]> {
	const tasks: IDataObject[] = [];
	let cursor: string | undefined;
	const pageSize = all
		? 500
		: numberParameter(this, 'pageSize', itemIndex, 30, { label: 'Page Size', integer: true, min: 1, max: KLING_LIMITS.pageSize.max });
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

/** One page, or every page up to Max Tasks: new-API tasks by cursor, legacy tasks by page number. */
async function listTasks(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const family = taskFamilyOf.call(this, itemIndex);
	const credentials = await this.getCredentials('klingApi');
	// Kling 4.0 tasks are new-API tasks: listed through /tasks with the rest.
	if (family === NEW_TASKS_PATH || routeFactsOf(family)?.generation4) {
		const all = this.getNodeParameter('pages', itemIndex, 'one') === 'all';
		const limit = all ? numberParameter(this, 'maxTasks', itemIndex, 1000, { label: 'Max Tasks', integer: true, min: 0 }) : 0;
		return await listNewStandardTasks.call(this, itemIndex, all, limit);
	}
	return await listRows.call(this, routeOverrideFor(credentials, family)?.path ?? family, LEGACY_PAGING, itemIndex);
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
		...pagedListFields(LEGACY_PAGING, 'tasks'),
	],
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Each input item lists once; its rows keep the item as their pairedItem.
		return await rowsPerItem.call(this, async (itemIndex) => await listTasks.call(this, itemIndex));
	},
};
