import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ACKNOWLEDGED, acknowledgeNow, asTaskContext, type CallbackNotice, readCallback, refuseUnverifiedCallback } from '../Kling/shared/callback';
import { deliverTask } from '../Kling/shared/deliver';
import { asNodeError } from '../Kling/shared/errors';
import { failureItem } from '../Kling/shared/items';
import { externalIdOf, isTaskNotFound } from '../Kling/shared/lookup';
import { routeOverrideFor } from '../Kling/shared/provider';
import { NEW_TASKS_PATH, reachesNewStandard } from '../Kling/shared/standards';
import { TASK_FAMILIES } from '../Kling/shared/taskFamilies';
import { TIMING_PARAMETER } from '../Kling/shared/timing';
import type { KlingTask } from '../Kling/shared/types';
import { getTask, isFinished } from '../Kling/shared/wait';

/** One production URL for every Kling callback of the workflow: Kling POSTs to it. */
const callbackWebhooks: IWebhookDescription[] = [
	{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'kling' },
];

const FAMILY_KIND: Array<[prefix: string, kind: CallbackNotice['kind']]> = [
	['/v1/videos', 'video'],
	['/v1/audio/video-to-audio', 'video'],
	['/v1/images', 'image'],
	['/v1/audio', 'audio'],
];

/** Where to look the task up: the chosen task types (all when none), those matching the body's kind first. */
function candidateRoutes(chosen: string[], kind: CallbackNotice['kind'], canReadNewStandard: boolean): string[] {
	let families = chosen.length ? chosen : TASK_FAMILIES.map((family) => family.path);
	// New-API tasks are read through /tasks, which only an API key on Kling's own hosts reaches.
	if (!canReadNewStandard) families = families.filter((path) => path !== NEW_TASKS_PATH);
	const matches = (path: string) => FAMILY_KIND.some(([prefix, familyKind]) => path.startsWith(prefix) && familyKind === kind);
	return [...families.filter(matches), ...families.filter((path) => !matches(path))];
}

/**
 * Reads the task a callback names, with the credential, on each candidate route until Kling has it.
 * Only Kling's documented "Task not found" moves on; any other failure stops (n8n answers 500 and
 * records the failed execution, which names the task).
 */
async function readCalledBackTask(this: IWebhookFunctions, notice: CallbackNotice): Promise<{ task: KlingTask; route: string } | undefined> {
	const credentials = await this.getCredentials('klingApi');
	const chosen = (this.getNodeParameter('taskTypes', []) as string[]) ?? [];
	const context = asTaskContext(this);
	for (const family of candidateRoutes(chosen, notice.kind, reachesNewStandard(credentials))) {
		const route = routeOverrideFor(credentials, family)?.path ?? family;
		try {
			const task = await getTask.call(context, route, notice.taskId, 0);
			if (task.task_id === notice.taskId) return { task, route };
		} catch (error) {
			if (!isTaskNotFound(error)) throw asNodeError(this.getNode(), error);
		}
	}
	return undefined;
}

export class KlingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kling Trigger',
		name: 'klingTrigger',
		icon: { light: 'file:../../icons/kling.svg', dark: 'file:../../icons/kling.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'When a Kling task ends',
		description: 'Starts the workflow when Kling reports that a task has ended, with its files as binary data',
		defaults: { name: 'Kling Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'klingApi', required: true }],
		webhooks: callbackWebhooks,
		properties: [
			{
				displayName:
					'Put this node’s Production URL (Webhook URLs, above) into the Callback URL option of any Kling node, or into the callback_url of your own Kling requests. Each task that ends starts one execution. The task is read again with this credential: what the callback says is never used as the result. Kling must be able to reach the URL (n8n’s WEBHOOK_URL).',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Task Types',
				name: 'taskTypes',
				type: 'multiOptions',
				options: TASK_FAMILIES.map((family) => ({ name: family.name, value: family.path })),
				default: [],
				description:
					'Which kinds of task the callbacks come from; empty = any (each is tried in turn until Kling has the task)',
			},
			{
				displayName: 'Download Results',
				name: 'downloadResults',
				type: 'boolean',
				default: true,
				description: 'Whether to download the files of a succeeded task as binary data',
			},
			{
				displayName: 'Binary Property',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'Name of the first result file; further files get _1, _2, … appended',
				displayOptions: { show: { downloadResults: [true] } },
			},
			{
				displayName: 'Include Non-Final Statuses',
				name: 'includeNonFinal',
				type: 'boolean',
				default: false,
				description: 'Whether "submitted" and "processing" callbacks also start an execution (without files)',
			},
			// Never shown: lets tests run the request policy faster.
			{ displayName: 'Timing', name: TIMING_PARAMETER, type: 'hidden', default: {} },
		],
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const refused = await refuseUnverifiedCallback.call(this);
		if (refused) return refused;
		const notice = readCallback(this.getBodyData());
		if (!notice) return ACKNOWLEDGED;
		if (!notice.final && !(this.getNodeParameter('includeNonFinal', false) as boolean)) return ACKNOWLEDGED;

		const found = await readCalledBackTask.call(this, notice);
		// No task of this account has that id: nothing to start (a callback cannot inject data).
		if (!found) return ACKNOWLEDGED;
		const { task, route } = found;
		acknowledgeNow(this);
		const ended = isFinished(task);
		let item: INodeExecutionData;
		try {
			item = await deliverTask.call(asTaskContext(this), {
				route,
				task,
				ids: { taskId: task.task_id, externalTaskId: externalIdOf(task) },
				itemIndex: 0,
				wait: false,
				download: ended && (this.getNodeParameter('downloadResults', true) as boolean),
				binaryPropertyName: String(this.getNodeParameter('binaryPropertyName', 'data') || 'data'),
				pollIntervalMs: 0,
				timeoutMs: 0,
				onTimeout: 'error',
				failIfFailed: false,
			});
		} catch (error) {
			// Kling has its answer already: the execution starts with the task and what went wrong.
			item = { json: { ...(task as IDataObject), ...failureItem(error, 0).json } };
		}
		delete item.pairedItem;
		item.json.task_route = route;
		return { noWebhookResponse: true, workflowData: [[item]] };
	}
}
