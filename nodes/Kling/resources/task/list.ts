import { KLING_LIMITS } from '../../shared/constants';
import type { RoutedOperation } from '../../shared/operation';
import { pagedListFields, pagedListRouting, type PagedListOptions } from '../../shared/pagedList';
import { taskFamilyField } from '../../shared/taskFamilies';

const paging: PagedListOptions = { maxPageSize: KLING_LIMITS.pageSize.max, limitName: 'maxTasks', limitLabel: 'Max Tasks' };

export const list: RoutedOperation = {
	kind: 'routed',
	resource: 'task',
	value: 'list',
	name: 'List',
	action: 'List tasks',
	description: 'List the tasks of one kind, newest first',
	routing: pagedListRouting('={{ $parameter.taskFamily }}', paging),
	fields: [taskFamilyField, ...pagedListFields(paging, 'tasks')],
};
