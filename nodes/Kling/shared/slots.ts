import { createHash } from 'node:crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { resolveBaseUrl } from './provider';

/**
 * Kling limits running tasks per account (image tasks take n slots). Items of every execution in
 * this n8n process that use the same account share one pool, so parallel workflows do not trip
 * 1303 against each other. The pool's size is the Concurrency option of the node that asks.
 */
interface Pool {
	inUse: number;
	waiting: Array<{ slots: number; limit: number; grant: () => void }>;
}

const pools = new Map<string, Pool>();

/** An account's identity without keeping its secret: a hash of host and key. */
export function accountKey(credentials: ICredentialDataDecryptedObject): string {
	const key = credentials.authType === 'accessKey' ? credentials.accessKey : credentials.apiKey;
	return createHash('sha256').update(`${resolveBaseUrl(credentials)}\u0000${String(key ?? '')}`).digest('hex');
}

function grantWaiting(pool: Pool): void {
	for (let index = 0; index < pool.waiting.length; ) {
		const next = pool.waiting[index];
		// A task larger than the whole limit still runs alone rather than waiting forever.
		if (pool.inUse === 0 || pool.inUse + next.slots <= next.limit) {
			pool.inUse += next.slots;
			pool.waiting.splice(index, 1);
			next.grant();
		} else {
			index++;
		}
	}
}

/** Waits for `slots` free slots of the account; resolves to the function that gives them back. */
export async function acquireSlots(
	account: string,
	slots: number,
	limit: number,
	signal: AbortSignal | undefined,
	cancelled: () => Error,
): Promise<() => void> {
	let pool = pools.get(account);
	if (!pool) {
		pool = { inUse: 0, waiting: [] };
		pools.set(account, pool);
	}
	const owner = pool;
	await new Promise<void>((resolve, reject) => {
		const entry = { slots, limit, grant: () => resolve() };
		owner.waiting.push(entry);
		grantWaiting(owner);
		signal?.addEventListener(
			'abort',
			() => {
				const index = owner.waiting.indexOf(entry);
				if (index !== -1) {
					owner.waiting.splice(index, 1);
					reject(cancelled());
				}
			},
			{ once: true },
		);
	});
	let released = false;
	return () => {
		if (released) return;
		released = true;
		owner.inUse -= slots;
		grantWaiting(owner);
	};
}

/** Slots in use and waiting requests per account (for tests and diagnostics). */
export function slotUsage(account: string): { inUse: number; waiting: number } {
	const pool = pools.get(account);
	return { inUse: pool?.inUse ?? 0, waiting: pool?.waiting.length ?? 0 };
}

/** Kling counts running tasks per resource-pack type; image tasks use n slots (kling-api.md §1.9). */
export function slotPoolOf(taskPath: string): 'image' | 'tryOn' | 'video' | 'audio' {
	if (taskPath.includes('kolors-virtual-try-on')) return 'tryOn';
	if (taskPath.startsWith('/v1/images')) return 'image';
	if (taskPath.startsWith('/v1/audio')) return 'audio';
	return 'video';
}

export function slotsFor(taskPath: string, body: { n?: unknown; result_type?: unknown; series_amount?: unknown }): number {
	if (slotPoolOf(taskPath) !== 'image') return 1;
	// Omni Image series count the images produced (Kling's default 4). With "auto" that number is
	// only known once the task is done, so the most Kling can produce (9) is reserved.
	if (body.result_type === 'series') return body.series_amount === 'auto' ? 9 : Math.max(1, Number(body.series_amount ?? 4));
	return Math.max(1, Number(body.n ?? 1));
}
