import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { asNodeError, invalidInput } from '../../transport/errors';
import type { CustomOperation } from '../../task/operation';
import { freeCall } from '../../task/syncCall';
import { failureItem } from '../../task/itemResults';

/**
 * Kling's deduction ledgers (https://kling.ai/document-api/llms.txt, since 2026-07-06): `POST /account/billing/balance`
 * (cash) and `/account/billing/package` (resource-pack units). Cursor paged: a page's next_cursor
 * fetches the next one and overrides every other field. Free reads.
 */
const MAX_PAGE = 500;
// A runaway cursor chain must end: 1000 pages of 500 rows is far beyond any account's 30 days.
const MAX_PAGES = 1000;

const split = (text: unknown) =>
	String(text ?? '')
		.split(',')
		.map((value) => value.trim())
		.filter(Boolean);

function ledgerFields(kind: 'balance' | 'package'): INodeProperties[] {
	const filters: INodeProperties[] = [
		{
			displayName: 'API Key Names',
			name: 'keyNames',
			type: 'string',
			default: '',
			placeholder: 'production, staging',
			description: 'Only rows of these API keys (comma-separated names)',
		},
	];
	if (kind === 'package') {
		filters.push(
			{
				displayName: 'Package IDs',
				name: 'packageIds',
				type: 'string',
				default: '',
				description: 'Only these resource packs (comma-separated IDs); not together with Package Names',
			},
			{
				displayName: 'Package Names',
				name: 'packageNames',
				type: 'string',
				default: '',
				description: 'Only these resource packs (comma-separated names); not together with Package IDs',
			},
			{
				displayName: 'Product Types',
				name: 'productTypes',
				type: 'multiOptions',
				options: [
					{ name: 'Image', value: 'image' },
					{ name: 'Video', value: 'video' },
					{ name: 'Virtual Try-On', value: 'try-on' },
				],
				default: [],
			},
		);
	}
	return [
		{ displayName: 'Start Time', name: 'startTime', type: 'dateTime', default: '={{ $now.minus({ days: 30 }).toISO() }}', required: true },
		{ displayName: 'End Time', name: 'endTime', type: 'dateTime', default: '={{ $now.toISO() }}', required: true },
		{
			displayName: 'Pages',
			name: 'pages',
			type: 'options',
			options: [
				{ name: 'One Page', value: 'one', description: 'The first rows, up to Page Size' },
				{ name: 'All Pages', value: 'all', description: 'Every row, following Kling’s cursor, up to Max Rows' },
			],
			default: 'one',
		},
		{
			displayName: 'Page Size',
			name: 'pageSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_PAGE },
			default: 100,
			displayOptions: { show: { pages: ['one'] } },
		},
		{
			displayName: 'Max Rows',
			name: 'maxRows',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 1000,
			description: 'Stop after this many rows (0 = no limit)',
			displayOptions: { show: { pages: ['all'] } },
		},
		{ displayName: 'Filters', name: 'filters', type: 'collection', placeholder: 'Add Filter', default: {}, options: filters },
	];
}

function firstPageBody(context: IExecuteFunctions, itemIndex: number, pageSize: number): IDataObject {
	const time = (name: string) => new Date(String(context.getNodeParameter(name, itemIndex))).getTime();
	const body: IDataObject = { start_time: time('startTime'), end_time: time('endTime'), limit: pageSize };
	if (!Number.isFinite(body.start_time) || !Number.isFinite(body.end_time) || Number(body.start_time) >= Number(body.end_time)) {
		throw invalidInput(context.getNode(), 'Invalid input: the Start Time must be a date before the End Time', itemIndex);
	}
	const options = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const filters = [
		{ key: 'api_key_name', values: split(options.keyNames) },
		{ key: 'product_type', values: (options.productTypes as string[] | undefined) ?? [] },
		{ key: 'package_name', values: split(options.packageNames) },
		{ key: 'package_id', values: split(options.packageIds) },
	].filter((filter) => filter.values.length);
	if (filters.some((f) => f.key === 'package_name') && filters.some((f) => f.key === 'package_id')) {
		throw invalidInput(context.getNode(), 'Invalid input: filter by Package Names or by Package IDs, not both', itemIndex);
	}
	if (filters.length) body.filters = filters;
	return body;
}

function ledger(path: string) {
	return async function (this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
		const all = this.getNodeParameter('pages', itemIndex) === 'all';
		const limit = all ? Number(this.getNodeParameter('maxRows', itemIndex, 1000)) : Number(this.getNodeParameter('pageSize', itemIndex, 100));
		let body = firstPageBody(this, itemIndex, all ? MAX_PAGE : Math.min(MAX_PAGE, Math.max(1, limit)));
		const rows: IDataObject[] = [];
		for (let page = 0; page < MAX_PAGES; page++) {
			const data = await freeCall.call(this, 'POST', path, itemIndex, body);
			rows.push(...((((data.result as IDataObject | undefined)?.detail as IDataObject[] | undefined) ?? [])));
			const done = !all || !data.has_more || !data.next_cursor || (limit > 0 && rows.length >= limit);
			if (done) break;
			body = { cursor: data.next_cursor };
		}
		return (limit > 0 ? rows.slice(0, limit) : rows).map((json) => ({ json, pairedItem: { item: itemIndex } }));
	};
}

export function ledgerOperation(kind: 'balance' | 'package'): CustomOperation {
	const perItem = ledger(`/account/billing/${kind}`);
	return {
		kind: 'custom',
		resource: 'account',
		value: kind === 'balance' ? 'getBalanceLedger' : 'getPackageLedger',
		name: kind === 'balance' ? 'Get Balance Ledger' : 'Get Package Ledger',
		action: kind === 'balance' ? 'Get cash deductions' : 'Get resource pack deductions',
		description:
			kind === 'balance'
				? 'One item per task paid from the cash balance: amount, balance before and after (free to call)'
				: 'One item per task paid with resource-pack units: pack, units before and after (free to call)',
		fields: ledgerFields(kind),
		async execute(this: IExecuteFunctions) {
			// One input item can give many rows; items run one after another (Kling asks for a low QPS on account routes).
			const output: INodeExecutionData[] = [];
			for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
				try {
					output.push(...(await perItem.call(this, itemIndex)));
				} catch (error) {
					if (!this.continueOnFail()) throw asNodeError(this.getNode(), error);
					output.push(failureItem(error, itemIndex));
				}
			}
			return [output];
		},
	};
}
