import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { KLING_LIMITS } from '../kling/constants';
import type { PagedListOptions } from '../fields/listFields';
import { runItems } from './itemResults';
import { numberParameter } from '../input/numbers';
import { klingRequest } from '../transport/request';

export { pagedListFields, type PagedListOptions } from '../fields/listFields';

/**
 * Kling's legacy lists (`GET <route>?pageNum&pageSize`): one page, or every page up to a maximum.
 * Read through the one request module, so a list gets the same retries as every other read.
 * Task › List, the element and voice lists and the assets' get/delete share these helpers.
 */

async function read(this: IExecuteFunctions, method: 'GET' | 'POST', path: string, itemIndex: number, extra: { qs?: IDataObject; body?: IDataObject } = {}) {
	return await klingRequest.call<IExecuteFunctions, [Parameters<typeof klingRequest>[0]], Promise<unknown>>(this, {
		method,
		path,
		itemIndex,
		...extra,
	});
}

/** One item per task, as the asset it created plus the task's id; a task without one stays a task. */
function flattenAssets(tasks: IDataObject[], key: 'elements' | 'voices'): IDataObject[] {
	return tasks.flatMap((task) => {
		const assets = ((task.task_result as IDataObject | undefined)?.[key] as IDataObject[] | undefined) ?? [];
		const ids = { task_id: task.task_id, task_status: task.task_status };
		if (!assets.length) return [{ ...ids, task_status_msg: task.task_status_msg }];
		return assets.map((asset) => ({ ...asset, ...ids }));
	});
}

export async function listRows(this: IExecuteFunctions, route: string, options: PagedListOptions, itemIndex: number): Promise<IDataObject[]> {
	const page = async (pageNum: number, pageSize: number) => {
		const data = await read.call(this, 'GET', route, itemIndex, { qs: { pageNum, pageSize } });
		const tasks = (Array.isArray(data) ? data : []) as IDataObject[];
		return { count: tasks.length, rows: options.flatten ? flattenAssets(tasks, options.flatten) : tasks };
	};
	if (this.getNodeParameter('pages', itemIndex, 'one') === 'one') {
		const pageNumber = numberParameter(this, 'pageNumber', itemIndex, 1, { label: 'Page Number', integer: true, ...KLING_LIMITS.pageNum });
		const pageSize = numberParameter(this, 'pageSize', itemIndex, 30, { label: 'Page Size', integer: true, min: 1, max: options.maxPageSize });
		const { rows } = await page(pageNumber, pageSize);
		return rows;
	}
	const limit = numberParameter(this, options.limitName, itemIndex, 1000, { label: options.limitLabel, integer: true, min: 0 });
	const results: IDataObject[] = [];
	for (let pageNum = KLING_LIMITS.pageNum.min; pageNum <= KLING_LIMITS.pageNum.max; pageNum++) {
		const { count, rows } = await page(pageNum, options.maxPageSize);
		results.push(...rows);
		if (count < options.maxPageSize || (limit > 0 && results.length >= limit)) break;
	}
	return limit > 0 ? results.slice(0, limit) : results;
}

/** Runs `rowsOf` per input item; every row keeps its input item as pairedItem, failures stay one row. */
export async function rowsPerItem(
	this: IExecuteFunctions,
	rowsOf: (itemIndex: number) => Promise<IDataObject[]>,
): Promise<INodeExecutionData[][]> {
	const [perItem] = await runItems.call(this, 1, async (itemIndex) => ({
		json: { rows: await rowsOf(itemIndex) } as IDataObject,
		pairedItem: { item: itemIndex },
	}));
	return [
		perItem.flatMap((item) =>
			Array.isArray(item.json.rows) ? (item.json.rows as IDataObject[]).map((json) => ({ json, pairedItem: item.pairedItem })) : [item],
		),
	];
}

export function pagedListExecute(route: string, options: PagedListOptions) {
	return async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await rowsPerItem.call(this, async (itemIndex) => await listRows.call(this, route, options, itemIndex));
	};
}

/** Reads one asset task by id (`GET <route>/<id>`), as Kling returns it. */
export function getByIdExecute(route: string) {
	return async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await rowsPerItem.call(this, async (itemIndex) => {
			const id = String(this.getNodeParameter('taskId', itemIndex, '')).trim();
			return [(await read.call(this, 'GET', `${route}/${encodeURIComponent(id)}`, itemIndex)) as IDataObject];
		});
	};
}

/** Deletes one asset (`POST <route>` with its id): a free call, so it follows the read policy. */
export function deleteExecute(route: string, field: string, parameter: string) {
	return async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await rowsPerItem.call(this, async (itemIndex) => {
			const value = this.getNodeParameter(parameter, itemIndex, '', { extractValue: true });
			const data = await read.call(this, 'POST', route, itemIndex, { body: { [field]: String(value).trim() } });
			return [(data && typeof data === 'object' ? data : { deleted: String(value).trim() }) as IDataObject];
		});
	};
}
