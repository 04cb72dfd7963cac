import type { INode } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { cancelledError } from './errors';

interface Cancellable {
	getNode(): INode;
	getExecutionCancelSignal(): AbortSignal | undefined;
}

export function throwIfCancelled(context: Cancellable): void {
	if (context.getExecutionCancelSignal()?.aborted) throw cancelledError(context.getNode());
}

/**
 * Sleeps, but ends the moment the execution is cancelled: a video poll may pause a minute, and a
 * cancel must not wait for it. The timer is cleared with the signal, so nothing is left behind.
 */
export async function pause(context: Cancellable, ms: number): Promise<void> {
	throwIfCancelled(context);
	const signal = context.getExecutionCancelSignal();
	if (!signal) return await sleep(ms);
	const stop = new AbortController();
	const onAbort = () => stop.abort();
	signal.addEventListener('abort', onAbort, { once: true });
	try {
		await sleep(ms, stop.signal);
	} catch {
		throw cancelledError(context.getNode());
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}

/** Exponential backoff with full jitter, at least `base` long; honours a server's Retry-After. */
export function backoffDelay(attempt: number, base: number, max: number, retryAfterSeconds?: number): number {
	if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) {
		return Math.min(max, Math.max(base, retryAfterSeconds * 1000));
	}
	const ceiling = Math.min(max, base * 2 ** attempt);
	return base + Math.random() * (ceiling - base);
}
