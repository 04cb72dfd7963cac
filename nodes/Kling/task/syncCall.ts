import { createHash } from 'node:crypto';

import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { WAIT_DEFAULTS } from '../kling/constants';
import { costJson, estimateCost } from './cost';
import { isPricedProduct } from '../kling/prices';
import { downloadResultFiles } from './downloadResults';
import { asNodeError, isAmbiguousSubmit } from '../transport/errors';
import { klingRequest } from '../transport/request';
import { runItems } from './itemResults';
import type { KlingTask } from '../kling/taskShape';

export { syncDownloadFields } from '../fields/syncDownloadFields';

/**
 * Kling's synchronous endpoints (TTS, identify-face, image-recognize, multi-element selection):
 * the answer carries the result, there is no task to wait for and no external_task_id to look a
 * lost call up by. Paid ones are sent with submit semantics, so they are never re-sent after a
 * failure that may have reached Kling.
 *
 * n8n's Retry On Fail runs the whole node again in the same execution (same run index), so every
 * item is called again. This process remembers, per execution × node × run × item × call, what was
 * paid: an answered call is handed back from memory instead of being paid again, and a call whose
 * outcome is unknown fails again with advice instead of being sent. A new execution pays anew.
 */
type PaidCall = { outcome: 'answered'; answer: IDataObject; at: number } | { outcome: 'unknown'; reason: string; at: number };

const paidCalls = new Map<string, PaidCall>();
const MAX_REMEMBERED_CALLS = 10_000;
/** n8n's Retry On Fail waits at most 5 s between at most 5 tries; an hour covers any retry of a run. */
const REMEMBER_CALLS_MS = 60 * 60_000;

function rememberCall(key: string, call: PaidCall): void {
	paidCalls.delete(key);
	paidCalls.set(key, call);
	for (const [oldest, entry] of paidCalls) {
		if (paidCalls.size <= MAX_REMEMBERED_CALLS && call.at - entry.at < REMEMBER_CALLS_MS) break;
		paidCalls.delete(oldest);
	}
}

function paidCallKey(context: IExecuteFunctions, path: string, body: IDataObject, itemIndex: number): string {
	const runIndex = Number(context.getWorkflowDataProxy(itemIndex).$thisRunIndex ?? 0);
	const parts = [context.getExecutionId() ?? '', context.getNode().id, runIndex, itemIndex, path];
	return createHash('sha256').update(JSON.stringify(parts)).update(JSON.stringify(body)).digest('base64url');
}

const UNKNOWN_OUTCOME_ADVICE =
	'Kling may have answered and charged this call. It has no task ID to look it up by, so it was not sent again (n8n’s Retry On Fail does not send it again either); check your usage (Account › Get Package Ledger) before running the item in a new execution.';

export async function paidSyncCall(
	this: IExecuteFunctions,
	path: string,
	body: IDataObject,
	itemIndex: number,
): Promise<IDataObject> {
	const key = paidCallKey(this, path, body, itemIndex);
	const earlier = paidCalls.get(key);
	if (earlier && Date.now() - earlier.at < REMEMBER_CALLS_MS) {
		// A retry of this very item in this execution: never pay twice.
		if (earlier.outcome === 'answered') return earlier.answer;
		throw new NodeOperationError(this.getNode(), `An earlier try of this item may already have been charged (${earlier.reason})`, {
			itemIndex,
			description: UNKNOWN_OUTCOME_ADVICE,
		});
	}
	try {
		const answer = await klingRequest.call<IExecuteFunctions, [Parameters<typeof klingRequest>[0]], Promise<IDataObject>>(this, {
			method: 'POST',
			path,
			body,
			isSubmit: true,
			itemIndex,
		});
		// A priced call says what it was estimated at and what Kling billed for it.
		if (isPricedProduct(path)) answer.cost = costJson(estimateCost(path, body), answer);
		rememberCall(key, { outcome: 'answered', answer, at: Date.now() });
		return answer;
	} catch (error) {
		const nodeError = asNodeError(this.getNode(), error);
		if (isAmbiguousSubmit(error)) {
			rememberCall(key, { outcome: 'unknown', reason: nodeError.message, at: Date.now() });
			nodeError.description = UNKNOWN_OUTCOME_ADVICE;
		}
		throw nodeError;
	}
}

/** A free request (reads, selection edits): retried by the request module like every read. */
export async function freeCall(
	this: IExecuteFunctions,
	method: 'GET' | 'POST',
	path: string,
	itemIndex: number,
	body?: IDataObject,
	qs?: IDataObject,
): Promise<IDataObject> {
	return await klingRequest.call<IExecuteFunctions, [Parameters<typeof klingRequest>[0]], Promise<IDataObject>>(this, {
		method,
		path,
		body,
		qs,
		itemIndex,
	});
}

/**
 * Downloads the files of a synchronous answer (its `task_result`) with the download module, as
 * binary properties `prefix`, `prefix_1`, …; `name` goes into the file names.
 */
export async function downloadSyncFiles(
	this: IExecuteFunctions,
	name: string,
	taskResult: IDataObject | undefined,
	binaryPropertyPrefix: string,
	itemIndex: number,
): Promise<{ binary: IBinaryKeyData; files: IDataObject[] }> {
	const asTask = { task_id: name, task_status: 'succeed', task_result: taskResult ?? {} } as KlingTask;
	return await downloadResultFiles.call(this, asTask, binaryPropertyPrefix, itemIndex);
}

/** The customOperation of a synchronous endpoint: `perItem` per input item, a few at once, in order. */
export function syncExecutor(perItem: (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData>) {
	return async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runItems.call(this, WAIT_DEFAULTS.concurrency, async (itemIndex) => await perItem.call(this, itemIndex));
	};
}

/** Binary properties of the input item, kept on the output so a chain does not lose its files. */
export function inputBinary(context: IExecuteFunctions, itemIndex: number): IBinaryKeyData {
	return { ...(context.getInputData()[itemIndex]?.binary ?? {}) };
}

export function readSyncDownload(context: IExecuteFunctions, itemIndex: number, defaultProperty = 'data') {
	return {
		download: context.getNodeParameter('downloadResults', itemIndex, true) as boolean,
		binaryPropertyName: String(context.getNodeParameter('binaryPropertyName', itemIndex, defaultProperty) || defaultProperty),
	};
}
