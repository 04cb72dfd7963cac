import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { runItems } from '../../task/itemResults';
import type { CustomOperation } from '../../task/operation';
import { klingRequest } from '../../transport/request';

async function getCostsOf(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const qs: IDataObject = {
		start_time: new Date(this.getNodeParameter('startTime', itemIndex) as string).getTime(),
		end_time: new Date(this.getNodeParameter('endTime', itemIndex) as string).getTime(),
	};
	const name = String(this.getNodeParameter('resourcePackName', itemIndex, '') ?? '');
	if (name) qs.resource_pack_name = name;
	return await klingRequest.call<IExecuteFunctions, [Parameters<typeof klingRequest>[0]], Promise<IDataObject>>(this, {
		method: 'GET',
		path: '/account/costs',
		qs,
		itemIndex,
	});
}

export const getCosts: CustomOperation = {
	kind: 'custom',
	resource: 'account',
	value: 'getCosts',
	name: 'Get Costs',
	action: 'Get resource pack balances',
	description: 'List the account’s resource packs with their remaining quantity (free to call)',
	fields: [
		{
			displayName: 'Start Time',
			name: 'startTime',
			type: 'dateTime',
			default: '={{ $now.minus({ days: 30 }).toISO() }}',
			required: true,
			description: 'Start of the period whose resource packs to report',
		},
		{
			displayName: 'End Time',
			name: 'endTime',
			type: 'dateTime',
			default: '={{ $now.toISO() }}',
			required: true,
		},
		{
			displayName: 'Resource Pack Name',
			name: 'resourcePackName',
			type: 'string',
			default: '',
			description: 'Only report the pack with exactly this name',
		},
	],
	async execute(this: IExecuteFunctions) {
		// Kling asks for at most one /account/costs call per second: one item at a time.
		return await runItems.call(this, 1, async (itemIndex) => ({
			json: await getCostsOf.call(this, itemIndex),
			pairedItem: { item: itemIndex },
		}));
	},
};
