import type { IDataObject, IExecuteFunctions, INode, INodePropertyOptions, INodeProperties } from 'n8n-workflow';

import { invalidInput } from './errors';
import { checkedNumber, optionNumber } from './numbers';

import { WAIT_DEFAULTS } from './constants';

const { concurrency: defaultConcurrency, pollIntervalSeconds: defaultPollInterval, timeoutMinutes: defaultTimeout } =
	WAIT_DEFAULTS;

/** Result files up to 2 GiB are downloaded unless the user sets another Max File Size. */
export const defaultMaxDownloadMb = 2048;
const MAX_DOWNLOAD_MB_LIMIT = 1024 * 1024;
/** Longest wait: 30 days, the time Kling keeps a task's results. */
const MAX_TIMEOUT_MINUTES = 30 * 24 * 60;
const MAX_POLL_INTERVAL_SECONDS = 24 * 60 * 60;

/** The labels of the Wait Options' numbers, as the editor shows them. */
export const WAIT_NUMBER_FIELDS = {
	concurrency: { label: 'Concurrency', integer: true, min: 1, max: 50 },
	pollIntervalSeconds: { label: 'Poll Interval (Seconds)', min: 0, max: MAX_POLL_INTERVAL_SECONDS },
	timeoutMinutes: { label: 'Timeout (Minutes)', min: 0, max: MAX_TIMEOUT_MINUTES },
	maxDownloadMb: { label: 'Max File Size (MB)', min: 1, max: MAX_DOWNLOAD_MB_LIMIT },
} as const;

/** Options Kling has on (almost) every create endpoint; merged into each operation's Options collection. */
export const taskRequestOptions: Record<'callbackUrl' | 'externalTaskId' | 'watermark', INodeProperties> = {
	callbackUrl: {
		displayName: 'Callback URL',
		name: 'callbackUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/webhook/kling',
		description: 'Kling POSTs the task to this URL on every status change (e.g. an n8n Webhook node URL)',
	},
	externalTaskId: {
		displayName: 'External Task ID',
		name: 'externalTaskId',
		type: 'string',
		default: '',
		description:
			'Your own ID for the task, unique per Kling account. When empty, one is derived from the execution, node and item, so a retry finds the task instead of paying twice.',
	},
	watermark: {
		displayName: 'Watermarked Copy',
		name: 'watermark',
		type: 'boolean',
		default: false,
		description: 'Whether Kling should also produce a watermarked version (watermark_url)',
	},
};

export function applyTaskRequestOptions(body: IDataObject, options: IDataObject): IDataObject {
	if (options.callbackUrl) body.callback_url = options.callbackUrl;
	if (options.externalTaskId) body.external_task_id = options.externalTaskId;
	if (options.watermark) body.watermark_info = { enabled: true };
	return body;
}

export const waitForCompletionField: INodeProperties = {
	displayName: 'Wait for Completion',
	name: 'waitForCompletion',
	type: 'boolean',
	default: true,
	description:
		'Whether to wait until Kling finishes the task and return the result. When off, the submitted task is returned at once; collect it later with Task › Get.',
};

export const downloadResultsField: INodeProperties = {
	displayName: 'Download Results',
	name: 'downloadResults',
	type: 'boolean',
	default: true,
	description: 'Whether to download the generated files as binary data for the next nodes',
	displayOptions: { show: { waitForCompletion: [true] } },
};

export const waitOptionsField: INodeProperties = {
	displayName: 'Wait Options',
	name: 'waitOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { waitForCompletion: [true] } },
	options: [
		{
			displayName: 'Binary Property',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			description: 'Name of the first result file; further files get _1, _2, … appended',
		},
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50 },
			default: defaultConcurrency,
			description: 'How many items run at once; keep it at or below your Kling resource pack’s task limit',
		},
		{
			displayName: 'Max File Size (MB)',
			name: 'maxDownloadMb',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_DOWNLOAD_MB_LIMIT },
			default: defaultMaxDownloadMb,
			description:
				'A result file larger than this is not downloaded (the task stays done at Kling; its URL is in the output). 8K images are about 80 MB, long videos more.',
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: defaultPollInterval,
			description:
				'0 = automatic: the first check when such a task could be done, then less often the longer it runs (about 30 checks for a 10-minute video)',
		},
		{
			displayName: 'Timeout (Minutes)',
			name: 'timeoutMinutes',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: defaultTimeout,
			description: 'How long to wait before giving up; the task keeps running and can be collected with Task › Get',
		},
	],
};

/** Cost Control of every create operation (read by cost.ts): a budget per node run, unknown prices, a dry run. */
export const costControlField: INodeProperties = {
	displayName: 'Cost Control',
	name: 'costControl',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Allow Unknown Prices',
			name: 'allowUnknownPrices',
			type: 'boolean',
			default: false,
			description:
				'Whether items whose price the node does not know (a new model, an unpriced product) may run under a Run Budget. They count as 0 units, so the budget cannot limit them.',
		},
		{
			displayName: 'Estimate Only',
			name: 'estimateOnly',
			type: 'boolean',
			default: false,
			description:
				'Whether to return each item’s estimate and the checked request without sending anything to Kling (a dry run before scheduling a workflow)',
		},
		{
			displayName: 'Run Budget (Units)',
			name: 'runBudgetUnits',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 100,
			description:
				'Most resource-pack units this node may spend in one run, across all items. Items whose estimates would go past it are refused before anything is sent. An account-wide limit is set in Kling’s console.',
		},
	],
};

/** 0 (or nothing) means automatic polling; a set interval is never below 50 ms. Checked: "fast" is an error. */
export function pollIntervalMs(seconds: unknown, node?: INode, itemIndex = 0): number {
	const value =
		node === undefined
			? Number(seconds ?? defaultPollInterval)
			: checkedNumber(node, seconds ?? defaultPollInterval, WAIT_NUMBER_FIELDS.pollIntervalSeconds, itemIndex);
	return value > 0 ? Math.max(50, value * 1000) : 0;
}

/** The Wait Options' Timeout in milliseconds, checked: "15 min" is an error, never an endless wait. */
export function timeoutMs(node: INode, options: IDataObject, itemIndex: number): number {
	return optionNumber(node, options, 'timeoutMinutes', defaultTimeout, WAIT_NUMBER_FIELDS.timeoutMinutes, itemIndex) * 60_000;
}

/** The Wait Options' Concurrency, checked: a whole number from 1 to 50. */
export function concurrencyOf(node: INode, options: IDataObject, itemIndex: number): number {
	return optionNumber(node, options, 'concurrency', defaultConcurrency, WAIT_NUMBER_FIELDS.concurrency, itemIndex);
}

/** The Wait Options' Max File Size in bytes, checked (`nothingSent`: read before any request). */
export function maxDownloadBytes(node: INode, options: IDataObject, itemIndex: number, nothingSent = true): number {
	const spec = { ...WAIT_NUMBER_FIELDS.maxDownloadMb, nothingSent };
	return optionNumber(node, options, 'maxDownloadMb', defaultMaxDownloadMb, spec, itemIndex) * 1024 * 1024;
}

export interface WaitSettings {
	waitForCompletion: boolean;
	downloadResults: boolean;
	binaryPropertyName: string;
	concurrency: number;
	pollIntervalMs: number;
	timeoutMs: number;
}

export function readWaitSettings(context: IExecuteFunctions, itemIndex: number): WaitSettings {
	const waitForCompletion = context.getNodeParameter('waitForCompletion', itemIndex, true) as boolean;
	const options = (context.getNodeParameter('waitOptions', itemIndex, {}) ?? {}) as IDataObject;
	const node = context.getNode();
	const downloadResults = waitForCompletion && (context.getNodeParameter('downloadResults', itemIndex, true) as boolean);
	// Checked before anything is sent; the download reads it again, so a bad value fails here first.
	if (downloadResults) maxDownloadBytes(node, options, itemIndex);
	return {
		waitForCompletion,
		downloadResults,
		binaryPropertyName: String(options.binaryPropertyName || 'data'),
		concurrency: concurrencyOf(node, options, itemIndex),
		pollIntervalMs: pollIntervalMs(options.pollIntervalSeconds, node, itemIndex),
		timeoutMs: timeoutMs(node, options, itemIndex),
	};
}

/** The prompt field of an operation; `description` says what the prompt is for and its limit. */
export function promptField(
	description: string,
	options: { required?: boolean; rows?: number; placeholder?: string } = {},
): INodeProperties {
	const field: INodeProperties = {
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: options.rows ?? 4 },
		default: '',
		description,
	};
	if (options.required) field.required = true;
	if (options.placeholder) field.placeholder = options.placeholder;
	return field;
}

/** Picks "Other" to type a model ID the model table does not know yet (it is then sent unchecked). */
export const CUSTOM_MODEL = '__custom__';

/**
 * A model menu (the current models of the model table) plus "Other" with a free Model ID. Set by
 * an expression, any model ID is accepted too.
 */
export function modelFields(choices: INodePropertyOptions[], defaultModel: string, placeholder: string): INodeProperties[] {
	return [
		{
			displayName: 'Model',
			name: 'model',
			type: 'options',
			options: [...choices, { name: 'Other (Enter Model ID)', value: CUSTOM_MODEL, description: 'A model Kling released after this version of the node' }],
			default: defaultModel,
			description: 'Set by expression or typed in, any model ID is accepted; models the node does not know are sent unchecked',
		},
		{
			displayName: 'Model ID',
			name: 'modelId',
			type: 'string',
			default: '',
			// Not "required": n8n would then flag it whenever Model is set by an expression.
			placeholder,
			displayOptions: { show: { model: [CUSTOM_MODEL] } },
		},
	];
}

/** The model of one item, image or video: the picked one, or the typed ID. */
export function pickedModelOf(context: IExecuteFunctions, itemIndex: number): string {
	const picked = String(context.getNodeParameter('model', itemIndex) ?? '').trim();
	const model = picked === CUSTOM_MODEL ? String(context.getNodeParameter('modelId', itemIndex, '')).trim() : picked;
	if (!model) throw invalidInput(context.getNode(), 'Invalid input: the model is empty; pick one or enter a Model ID', itemIndex, 'Nothing was sent to Kling.');
	return model;
}
