import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import { WAIT_DEFAULTS } from '../kling/constants';
import { GENERATION4_DEFAULTS, GENERATION4_OPERATIONS } from '../kling/generation4';
import { invalidInput } from '../transport/errors';
import { checkedNumber, optionNumber } from './numbers';

/**
 * An item's settings as the editor's fields hold them, read and checked before anything is sent:
 * wait, download, concurrency, the common task options and the model.
 */
const { concurrency: defaultConcurrency, pollIntervalSeconds: defaultPollInterval, timeoutMinutes: defaultTimeout } =
	WAIT_DEFAULTS;

/** Result files up to 2 GiB are downloaded unless the user sets another Max File Size. */
export const defaultMaxDownloadMb = 2048;
export const MAX_DOWNLOAD_MB_LIMIT = 1024 * 1024;
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

export function applyTaskRequestOptions(body: IDataObject, options: IDataObject): IDataObject {
	if (options.callbackUrl) body.callback_url = options.callbackUrl;
	if (options.externalTaskId) body.external_task_id = options.externalTaskId;
	if (options.watermark) body.watermark_info = { enabled: true };
	return body;
}

/** 0 (or nothing) means automatic polling; a set interval is never below 50 ms. Checked: "fast" is an error. */
export function pollIntervalMs(seconds: unknown, node?: INode, itemIndex = 0): number {
	const value =
		node === undefined
			? Number(seconds ?? defaultPollInterval)
			: checkedNumber(node, seconds ?? defaultPollInterval, WAIT_NUMBER_FIELDS.pollIntervalSeconds, itemIndex);
	return value > 0 ? Math.max(50, value * 1000) : 0;
}

/** The Wait Options' Timeout in milliseconds, checked: "15 min" is an error, never an endless wait. */
export function timeoutMs(node: INode, options: IDataObject, itemIndex: number, fallbackMinutes: number = defaultTimeout): number {
	return optionNumber(node, options, 'timeoutMinutes', fallbackMinutes, WAIT_NUMBER_FIELDS.timeoutMinutes, itemIndex) * 60_000;
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
		// Kling 4.0 renders take 5–15 minutes: its operations wait longer unless a Timeout is set.
		timeoutMs: timeoutMs(node, options, itemIndex, GENERATION4_OPERATIONS.includes(String(context.getNodeParameter('operation', itemIndex, ''))) ? GENERATION4_DEFAULTS.timeoutMinutes : defaultTimeout),
	};
}

/** Picks "Other" to type a model ID the model table does not know yet (it is then sent unchecked). */
export const CUSTOM_MODEL = '__custom__';

/** The model of one item, image or video: the picked one, or the typed ID. */
export function pickedModelOf(context: IExecuteFunctions, itemIndex: number): string {
	const picked = String(context.getNodeParameter('model', itemIndex) ?? '').trim();
	const model = picked === CUSTOM_MODEL ? String(context.getNodeParameter('modelId', itemIndex, '')).trim() : picked;
	if (!model) throw invalidInput(context.getNode(), 'Invalid input: the model is empty; pick one or enter a Model ID', itemIndex, 'Nothing was sent to Kling.');
	return model;
}
