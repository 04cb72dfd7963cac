import type { RoutedOperation } from '../../shared/operation';
import { unwrapKlingEnvelope } from '../../shared/routedResponse';

export const getCosts: RoutedOperation = {
	kind: 'routed',
	resource: 'account',
	value: 'getCosts',
	name: 'Get Costs',
	action: 'Get resource pack balances',
	description: 'List the account’s resource packs with their remaining quantity (free to call)',
	routing: {
		request: {
			method: 'GET',
			url: '/account/costs',
			ignoreHttpStatusErrors: true,
			qs: {
				start_time: '={{ new Date($parameter.startTime).getTime() }}',
				end_time: '={{ new Date($parameter.endTime).getTime() }}',
			},
		},
		output: {
			postReceive: [unwrapKlingEnvelope],
		},
	},
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
			routing: { send: { type: 'query', property: 'resource_pack_name', value: '={{ $value || undefined }}' } },
		},
	],
};
