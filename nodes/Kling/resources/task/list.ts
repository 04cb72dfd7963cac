import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import { KLING_LIMITS } from '../../shared/constants';
import type { RoutedOperation } from '../../shared/operation';
import { unwrapKlingEnvelope } from '../../shared/routedResponse';
import { taskFamilyField } from '../../shared/taskFamilies';

/** Reads pages of the largest size Kling allows until a short page, the limit or Kling's last page. */
async function allPages(
	this: IExecutePaginationFunctions,
	request: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const limit = Number(this.getNodeParameter('maxTasks', 0));
	const pageSize = KLING_LIMITS.pageSize.max;
	const tasks: INodeExecutionData[] = [];
	for (let pageNum = KLING_LIMITS.pageNum.min; pageNum <= KLING_LIMITS.pageNum.max; pageNum++) {
		const page = await this.makeRoutingRequest({
			...request,
			options: { ...request.options, qs: { ...(request.options.qs as IDataObject), pageNum, pageSize } },
		});
		tasks.push(...page);
		if (page.length < pageSize || (limit > 0 && tasks.length >= limit)) break;
	}
	return limit > 0 ? tasks.slice(0, limit) : tasks;
}

export const list: RoutedOperation = {
	kind: 'routed',
	resource: 'task',
	value: 'list',
	name: 'List',
	action: 'List tasks',
	description: 'List the tasks of one kind, newest first',
	routing: {
		request: { method: 'GET', url: '={{ $parameter.taskFamily }}', ignoreHttpStatusErrors: true },
		operations: { pagination: allPages },
		output: { postReceive: [unwrapKlingEnvelope] },
	},
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
			routing: { send: { paginate: '={{ $value === "all" }}' } },
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
			routing: { send: { type: 'query', property: 'pageNum' } },
		},
		{
			displayName: 'Page Size',
			name: 'pageSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 500 },
			default: 30,
			displayOptions: { show: { pages: ['one'] } },
			routing: { send: { type: 'query', property: 'pageSize' } },
		},
	],
};
