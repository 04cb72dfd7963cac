import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { concurrencyOf, maxDownloadBytes, pollIntervalMs, timeoutMs, waitOptionsField } from '../../fields/commonFields';
import { invalidInput } from '../../transport/errors';
import type { CustomOperation } from '../../task/operation';
import { routeOverrideFor } from '../../transport/provider';
import { taskFamilyOf } from '../../input/taskType';
import { taskFamilyField } from '../../fields/taskTypeField';
import { deliverTask } from '../../task/deliver';
import { runItems } from '../../task/itemResults';
import { lookUpByExternalId } from '../../task/lookupByExternalId';
import { getTask } from '../../task/taskRead';

async function getOne(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const credentials = await this.getCredentials('klingApi');
	const family = taskFamilyOf.call(this, itemIndex);
	const route = routeOverrideFor(credentials, family)?.path ?? family;
	const lookupBy = this.getNodeParameter('lookupBy', itemIndex) as 'taskId' | 'externalTaskId';
	const id = String(this.getNodeParameter(lookupBy, itemIndex, '')).trim();
	const field = lookupBy === 'taskId' ? 'Task ID' : 'External Task ID';
	if (!id) throw invalidInput(this.getNode(), `Invalid input: "${field}" is empty`, itemIndex);
	// The numbers are checked before the task is read, so a bad one costs no request.
	const options = (this.getNodeParameter('waitOptions', itemIndex, {}) ?? {}) as IDataObject;
	const wait = this.getNodeParameter('waitForCompletion', itemIndex, false) as boolean;
	const download = this.getNodeParameter('downloadResults', itemIndex, true) as boolean;
	const checkedPollIntervalMs = pollIntervalMs(options.pollIntervalSeconds, this.getNode(), itemIndex);
	const checkedTimeoutMs = timeoutMs(this.getNode(), options, itemIndex);
	if (download) maxDownloadBytes(this.getNode(), options, itemIndex);

	let task;
	if (lookupBy === 'taskId') {
		task = await getTask.call(this, route, id, itemIndex);
	} else {
		const found = await lookUpByExternalId.call(this, route, id, itemIndex);
		if (found.kind === 'absent') {
			throw invalidInput(
				this.getNode(),
				`Kling has no "${family}" task with external_task_id "${id}"`,
				itemIndex,
				'Check the Task Type: Kling keeps each kind of task under its own route.',
			);
		}
		if (found.kind === 'unknown') {
			throw invalidInput(
				this.getNode(),
				`Could not find out whether a "${family}" task with external_task_id "${id}" exists: ${found.reason}`,
				itemIndex,
				'Kling’s answer did not carry this exact external_task_id, so no task was taken for it.',
			);
		}
		task = found.task;
	}
	return await deliverTask.call(this, {
		route,
		task,
		// The ids the user asked for, never ones read from Kling's answer: delivery checks the task against them.
		ids: lookupBy === 'taskId' ? { taskId: id } : { taskId: task.task_id, externalTaskId: id },
		itemIndex,
		wait,
		download,
		binaryPropertyName: String(options.binaryPropertyName || 'data'),
		pollIntervalMs: checkedPollIntervalMs,
		timeoutMs: checkedTimeoutMs,
		onTimeout: options.onTimeout === 'return' ? 'return' : 'error',
		failIfFailed: wait,
	});
}

export const get: CustomOperation = {
	kind: 'custom',
	resource: 'task',
	value: 'get',
	name: 'Get',
	action: 'Get a task',
	description: 'Read a task by its ID or external ID; optionally wait for it and download its files',
	fields: [
		taskFamilyField,
		{
			displayName: 'Look Up By',
			name: 'lookupBy',
			type: 'options',
			options: [
				{ name: 'Task ID', value: 'taskId' },
				{ name: 'External Task ID', value: 'externalTaskId' },
			],
			default: 'taskId',
		},
		{
			displayName: 'Task ID',
			name: 'taskId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '={{ $json.task_id }}',
			displayOptions: { show: { lookupBy: ['taskId'] } },
		},
		{
			displayName: 'External Task ID',
			name: 'externalTaskId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '={{ $json.external_task_id }}',
			displayOptions: { show: { lookupBy: ['externalTaskId'] } },
		},
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: false,
			description: 'Whether to wait until the task has finished when it is still running',
		},
		{
			displayName: 'Download Results',
			name: 'downloadResults',
			type: 'boolean',
			default: true,
			description: 'Whether to download the files of a finished task as binary data',
		},
		{
			...waitOptionsField,
			displayOptions: undefined,
			options: [
				...(waitOptionsField.options ?? []).filter((option) => option.name !== 'concurrency'),
				{
					displayName: 'On Timeout',
					name: 'onTimeout',
					type: 'options',
					options: [
						{ name: 'Fail', value: 'error', description: 'Stop with an error naming the task' },
						{
							name: 'Return the Running Task',
							value: 'return',
							description: 'Output the last state with timedOut: true, e.g. to loop with a Wait node',
						},
					],
					default: 'error',
				},
			],
		},
	],
	async execute(this: IExecuteFunctions) {
		const options = (this.getNodeParameter('waitOptions', 0, {}) ?? {}) as IDataObject;
		const concurrency = this.getInputData().length ? concurrencyOf(this.getNode(), options, 0) : 1;
		return await runItems.call(this, concurrency, async (itemIndex) =>
			await getOne.call(this, itemIndex),
		);
	},
};
