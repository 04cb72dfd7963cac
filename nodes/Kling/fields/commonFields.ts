import type { INodePropertyOptions, INodeProperties } from 'n8n-workflow';

import { CUSTOM_MODEL, defaultMaxDownloadMb, MAX_DOWNLOAD_MB_LIMIT } from '../input/itemSettings';
import { WAIT_DEFAULTS } from '../kling/constants';

/** The readers of these fields, for callers that import them from here. */
export {
	applyTaskRequestOptions,
	concurrencyOf,
	CUSTOM_MODEL,
	defaultMaxDownloadMb,
	maxDownloadBytes,
	pickedModelOf,
	pollIntervalMs,
	readWaitSettings,
	timeoutMs,
	WAIT_NUMBER_FIELDS,
	type WaitSettings,
} from '../input/itemSettings';

const { concurrency: defaultConcurrency, pollIntervalSeconds: defaultPollInterval, timeoutMinutes: defaultTimeout } =
	WAIT_DEFAULTS;

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
			description: 'How long to wait before giving up (Kling 4.0 operations wait 30 minutes unless this is set); the task keeps running and can be collected with Task › Get',
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

