import { createHash } from 'node:crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { resolveBaseUrl } from './provider';

/**
 * Kling limits running tasks per account × model version × resource-pack type (kling-api.md §1.12;
 * image tasks take n slots). Items of every execution in this n8n process that use the same pool
 * share it, first come first served, so parallel workflows neither trip 1303 against each other
 * nor overtake one another. The size asked for is the Concurrency option of the node that asks;
 * when Kling still answers 1303 (other processes, other tools on the account) the pool halves its
 * estimate of the account's limit and grows it back by one per round of successes (AIMD).
 */
interface Waiter {
	slots: number;
	limit: number;
	grant: () => void;
}

interface Pool {
	inUse: number;
	queue: Waiter[];
	/** Estimated account limit learnt from 1303 answers; undefined until Kling said "full". */
	estimate?: number;
}

const pools = new Map<string, Pool>();

/** An account's identity without keeping its secret: a hash of host and key. */
export function accountKey(credentials: ICredentialDataDecryptedObject): string {
	const key = credentials.authType === 'accessKey' ? credentials.accessKey : credentials.apiKey;
	return createHash('sha256').update(`${resolveBaseUrl(credentials)}\u0000${String(key ?? '')}`).digest('hex');
}

function poolOf(key: string): Pool {
	let pool = pools.get(key);
	if (!pool) {
		pool = { inUse: 0, queue: [] };
		pools.set(key, pool);
	}
	return pool;
}

const capOf = (pool: Pool, waiter: Waiter) =>
	Math.max(1, Math.min(waiter.limit, pool.estimate === undefined ? Infinity : Math.floor(pool.estimate)));

function grantWaiting(pool: Pool): void {
	// Strictly in arrival order: a request that does not fit blocks those behind it (no overtaking).
	while (pool.queue.length) {
		const head = pool.queue[0];
		// A task larger than the whole limit still runs alone rather than waiting forever.
		if (pool.inUse !== 0 && pool.inUse + head.slots > capOf(pool, head)) return;
		pool.inUse += head.slots;
		pool.queue.shift();
		head.grant();
	}
}

export interface SlotRequest {
	pool: string;
	slots: number;
	limit: number;
	signal?: AbortSignal;
	/** How long the item may wait for a slot (its timeout); 0 or less = it fails at once if none is free. */
	maxWaitMs: number;
	cancelled: () => Error;
	timedOut: (waitedMs: number) => Error;
}

/** Waits for free slots in arrival order; resolves to the function that gives them back. */
export async function acquireSlots(request: SlotRequest): Promise<() => void> {
	const pool = poolOf(request.pool);
	const startedAt = Date.now();
	const stopTimer = new AbortController();
	let onAbort: (() => void) | undefined;
	try {
		await new Promise<void>((resolve, reject) => {
			const waiter: Waiter = { slots: request.slots, limit: request.limit, grant: () => resolve() };
			const leave = (error: Error) => {
				const index = pool.queue.indexOf(waiter);
				if (index === -1) return;
				pool.queue.splice(index, 1);
				// The head left: those behind it may fit now.
				grantWaiting(pool);
				reject(error);
			};
			pool.queue.push(waiter);
			grantWaiting(pool);
			if (!pool.queue.includes(waiter)) return;
			if (request.signal?.aborted) return leave(request.cancelled());
			onAbort = () => leave(request.cancelled());
			request.signal?.addEventListener('abort', onAbort, { once: true });
			void sleep(Math.max(0, request.maxWaitMs), stopTimer.signal).then(
				() => leave(request.timedOut(Date.now() - startedAt)),
				() => undefined,
			);
		});
	} finally {
		stopTimer.abort();
		if (onAbort) request.signal?.removeEventListener('abort', onAbort);
	}
	let released = false;
	return () => {
		if (released) return;
		released = true;
		pool.inUse -= request.slots;
		grantWaiting(pool);
	};
}

/** Kling said the account is full (1303): assume the limit is about half of what this process runs. */
export function noteAccountFull(poolKey: string): void {
	const pool = poolOf(poolKey);
	const current = pool.estimate === undefined ? pool.inUse : Math.min(pool.estimate, pool.inUse);
	pool.estimate = Math.max(1, Math.floor(current / 2));
}

/** A submit went through: the estimate may grow again, by about one slot per round of submits. */
export function noteSubmitAccepted(poolKey: string): void {
	const pool = pools.get(poolKey);
	if (!pool || pool.estimate === undefined) return;
	pool.estimate += 1 / Math.max(1, pool.estimate);
	grantWaiting(pool);
}

/** Slots in use, waiting requests and the learnt limit per pool (for tests and diagnostics). */
export function slotUsage(poolKey: string): { inUse: number; waiting: number; estimate?: number } {
	const pool = pools.get(poolKey);
	return { inUse: pool?.inUse ?? 0, waiting: pool?.queue.length ?? 0, estimate: pool?.estimate };
}

export type PackType = 'image' | 'tryOn' | 'video' | 'audio';

/** The resource-pack type a task route draws on. */
export function packTypeOf(taskPath: string): PackType {
	if (taskPath.includes('kolors-virtual-try-on')) return 'tryOn';
	if (taskPath.startsWith('/v1/images')) return 'image';
	if (taskPath.startsWith('/v1/audio')) return 'audio';
	return 'video';
}

/** The pool a task counts against: account × model version × pack type. */
export function slotPoolKey(account: string, taskPath: string, modelVersion: string | undefined): string {
	return `${account}:${packTypeOf(taskPath)}:${modelVersion ?? 'default'}`;
}

export function slotsFor(taskPath: string, body: { n?: unknown; result_type?: unknown; series_amount?: unknown }): number {
	if (packTypeOf(taskPath) !== 'image') return 1;
	// Omni Image series count the images produced (Kling's default 4). With "auto" that number is
	// only known once the task is done, so the most Kling can produce (9) is reserved.
	if (body.result_type === 'series') return body.series_amount === 'auto' ? 9 : Math.max(1, Number(body.series_amount ?? 4));
	return Math.max(1, Number(body.n ?? 1));
}
