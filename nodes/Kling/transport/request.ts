import type {
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHttpRequestMethods,
	IN8nHttpFullResponse,
	INode,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { describeKlingCode } from './errorCodes';
import { forgetKlingJwt } from './jwtCache';
import { ambiguousSubmitError, cancelledError, klingApiError, networkError } from './errors';
import { parseKlingJson, serializeKlingBody } from './klingJson';
import { backoffDelay, pause, throwIfCancelled } from './cancellablePause';
import { timingOf } from './timing';
import type { KlingEnvelope } from '../kling/taskShape';

export type KlingContext = IExecuteFunctions | IExecuteSingleFunctions;

export interface KlingRequest {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	/** A submit creates a paid task: it is only re-sent when Kling guarantees nothing was created. */
	isSubmit?: boolean;
	itemIndex?: number;
	/**
	 * Called instead of the backoff pause when Kling answers 1303 (the account's task limit): the
	 * slot pool decides when this submit may try again, at the latest after `probeAfterMs`.
	 */
	onAccountFull?: (probeAfterMs: number) => Promise<void>;
}

const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function networkErrorCode(error: unknown): string | undefined {
	const candidates = [error, (error as { cause?: unknown })?.cause, (error as { cause?: { cause?: unknown } })?.cause?.cause];
	for (const candidate of candidates) {
		const code = (candidate as { code?: unknown } | undefined)?.code;
		if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
	}
	const message = String((error as Error | undefined)?.message ?? '');
	if (/socket hang up/i.test(message)) return 'ECONNRESET';
	if (/timeout/i.test(message)) return 'ETIMEDOUT';
	return undefined;
}

// n8n replaces any error message that contains a raw code such as ECONNRESET with a generic text,
// so codes are described in words.
const NETWORK_FAILURES: Record<string, string> = {
	ECONNRESET: 'the connection was reset',
	ETIMEDOUT: 'no answer in time',
	ECONNABORTED: 'no answer in time',
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name could not be resolved',
	EAI_AGAIN: 'the host name could not be resolved',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	EPIPE: 'the connection was closed while sending',
};

function describeNetworkFailure(code: string): string {
	return NETWORK_FAILURES[code] ?? 'a network error';
}

function parseEnvelope(body: unknown): KlingEnvelope | undefined {
	let parsed = body;
	if (typeof body === 'string') {
		try {
			parsed = parseKlingJson(body);
		} catch {
			return undefined;
		}
	}
	if (parsed && typeof parsed === 'object' && 'code' in parsed) return parsed as KlingEnvelope;
	return undefined;
}

function retryAfterSeconds(headers: IDataObject | undefined): number | undefined {
	const value = headers?.['retry-after'];
	if (value === undefined) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return seconds;
	const date = Date.parse(String(value));
	return Number.isFinite(date) ? Math.max(0, (date - Date.now()) / 1000) : undefined;
}

// Any origin: a path that keeps this origin keeps every base URL's origin (it is only appended).
const PROBE_BASE = 'https://kling.invalid/prefix';

/**
 * Why a request path would leave the credential's host, or undefined when it stays there. A Kling
 * path is appended to the credential's base URL: it must start with one "/" and hold no
 * backslash, whitespace or control character, so that no client reads it as an absolute or
 * protocol-relative URL (n8n's client sends an absolute url to its own host, with the credential).
 */
export function requestPathProblem(path: unknown): string | undefined {
	if (typeof path !== 'string' || path === '') return 'it is empty';
	if (!path.startsWith('/')) return 'it is not a path on the Kling host';
	if (/^\/[/\\]/.test(path)) return 'it names another host';
	// eslint-disable-next-line no-control-regex -- control characters are what is refused
	if (/[\\\s\u0000-\u001f\u007f]/.test(path)) return 'it holds a backslash, a space or a control character';
	let resolved: URL;
	try {
		resolved = new URL(`${PROBE_BASE}${path}`);
	} catch {
		return 'it is not a valid path';
	}
	return resolved.origin === new URL(PROBE_BASE).origin ? undefined : 'it names another host';
}

function offHostError(node: INode, path: string, reason: string, itemIndex?: number): NodeOperationError {
	const shown = path.length > 120 ? `${path.slice(0, 120)}…` : path;
	return new NodeOperationError(node, `Refused to send a request to "${shown}": ${reason}; every Kling request must stay on the credential’s host`, {
		itemIndex,
		description: 'Kling paths such as /v1/images/generations are appended to the credential’s Base URL; the API key is never sent anywhere else. Nothing was sent to Kling.',
	});
}

async function forgetSignedToken(this: KlingContext): Promise<void> {
	forgetKlingJwt(await this.getCredentials('klingApi'));
}

/**
 * The one way to call Kling's API. Reads are retried on network errors, 408, 429 and 5xx with
 * backoff; a submit only when Kling says the task was not created (1302/1303/5001) or no
 * connection was made, because any other failure may already have started a paid task.
 */
export async function klingRequest<T = IDataObject>(this: KlingContext, request: KlingRequest): Promise<T> {
	const node = this.getNode();
	// Before anything is signed or sent: the credential's key must reach no other host.
	const offHost = requestPathProblem(request.path);
	if (offHost !== undefined) throw offHostError(node, String(request.path), offHost, request.itemIndex);
	const signal = this.getExecutionCancelSignal();
	const timing = timingOf(this);
	const maxRetries = request.isSubmit ? timing.submitMaxRetries : timing.readMaxRetries;
	const startedAt = Date.now();
	const body = serializeKlingBody(request.body);
	let resigned = false;

	for (let attempt = 0; ; attempt++) {
		throwIfCancelled(this);
		const canRetry = attempt < maxRetries && Date.now() - startedAt < timing.retryBudgetMs;
		let response: IN8nHttpFullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(this, 'klingApi', {
				method: request.method,
				url: request.path,
				body,
				...(typeof body === 'string' && { headers: { 'Content-Type': 'application/json' } }),
				qs: request.qs,
				json: true,
				// Parsed here, so that ids beyond 2^53 keep their digits (klingJson.ts).
				encoding: 'text',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				sendCredentialsOnCrossOriginRedirect: false,
				timeout: timing.requestTimeoutMs,
				abortSignal: signal,
			})) as IN8nHttpFullResponse;
		} catch (error) {
			if (signal?.aborted) throw cancelledError(node);
			const code = networkErrorCode(error) ?? 'UNKNOWN';
			const safeToRetry = !request.isSubmit || NEVER_CONNECTED.has(code);
			if (safeToRetry && canRetry) {
				await pause(this, backoffDelay(attempt, timing.backoffBaseMs, timing.backoffMaxMs));
				continue;
			}
			const failure = describeNetworkFailure(code);
			if (request.isSubmit && !NEVER_CONNECTED.has(code)) throw ambiguousSubmitError(node, failure, request.itemIndex);
			throw networkError(node, failure, request.itemIndex);
		}

		const status = response.statusCode;
		const envelope = parseEnvelope(response.body);
		if (status >= 200 && status < 300 && envelope?.code === 0) return (envelope.data ?? {}) as T;

		const info = describeKlingCode(envelope?.code);
		if (info?.retry === 'resign' && !resigned) {
			resigned = true;
			await forgetSignedToken.call(this);
			continue;
		}

		let retryable: boolean;
		if (info) {
			retryable = info.retry === 'backoff' && (!request.isSubmit || info.taskNotCreated);
		} else {
			const transientStatus = status === 408 || status === 429 || status >= 500;
			if (request.isSubmit && (transientStatus || !envelope)) {
				// No Kling code means a proxy or a broken answer: the task may exist.
				throw ambiguousSubmitError(
					node,
					envelope ? `HTTP ${status}` : `HTTP ${status} with an unreadable body`,
					request.itemIndex,
				);
			}
			retryable = transientStatus || (!envelope && status >= 200 && status < 300);
		}
		// A full account (1303) clears as running tasks end: wait for a slot within a time budget, not a count.
		const accountFull = envelope?.code === 1303;
		const waitingForSlot = accountFull && Date.now() - startedAt < timing.slotWaitBudgetMs;
		if (retryable && (canRetry || waitingForSlot)) {
			const maxPause = accountFull ? Math.min(timing.backoffMaxMs, timing.slotBackoffMaxMs) : timing.backoffMaxMs;
			const delay = backoffDelay(attempt, timing.backoffBaseMs, maxPause, retryAfterSeconds(response.headers));
			if (accountFull && request.onAccountFull) await request.onAccountFull(delay);
			else await pause(this, delay);
			continue;
		}
		if (request.isSubmit && info && !info.taskNotCreated) {
			throw ambiguousSubmitError(node, `Kling error ${envelope?.code}`, request.itemIndex);
		}
		throw klingApiError(
			node,
			{
				httpStatus: status,
				klingCode: envelope?.code,
				klingMessage: envelope?.message ?? (envelope ? undefined : 'The answer was not Kling JSON'),
				requestId: envelope?.request_id,
			},
			request.itemIndex,
		);
	}
}
