import { createHash } from 'node:crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { routeFactsOf, type PackType } from '../kling/catalogue';
import { resolveBaseUrl } from '../transport/provider';

/**
 * Kling limits running tasks per account × model version × resource-pack type (https://kling.ai/document-api/api/get-started/concurrency-rules;
 * image tasks take n slots). Items of every execution in this n8n process that use the same pool
 * share it, first come first served, so parallel workflows neither trip 1303 against each other
 * nor overtake one another. The size asked for is the Concurrency option of the node that asks.
 *
 * Other processes (queue-mode workers, other tools) share the account without telling us, so Kling's
 * 1303 is the only signal that the account is full. The pool then learns how much of the account is
 * ours: its estimate drops to the tasks this process has running at Kling (what provably fitted),
 * the refused item gives its slot back and waits at the head of the queue until
 *  - one of our own tasks ends (Kling freed a slot, and we are the first to know), or
 *  - its backoff passes (another process's task may have ended): a probe beyond the estimate.
 * Every accepted submit proves its running count fits and grows the estimate by about one slot per
 * round; a probe that Kling accepts lets the next waiter probe at once. So workers neither hammer
 * Kling with refused submits nor leave the account's slots idle while they back off.
 */
interface Waiter {
	slots: number;
	limit: number;
	/** Arrival order: an item refused with 1303 goes back in front of those that came after it. */
	seq: number;
	grant: (asProbe: boolean) => void;
	/** Set for an item Kling refused with 1303; `armed` once one of our tasks in the pool ended since. */
	refused?: { armed: boolean };
	/** It may go beyond the estimate (its backoff passed, or a probe before it was accepted). */
	probeDue: boolean;
}

interface Pool {
	/** Slots held by items of this process: submitting, or with a task running at Kling. */
	inUse: number;
	/** Slots of tasks Kling accepted that this process has not yet seen end. */
	running: number;
	queue: Waiter[];
	/** This process's share of the account, learnt from 1303 answers; undefined until Kling said "full". */
	estimate?: number;
	/** Submits sent beyond the estimate and not yet answered: at most one at a time. */
	probesInFlight: number;
	/** The backoff Kling's last 1303 called for: how often items held back by the estimate look for room. */
	probeAfterMs: number;
	/** Runs while the first in line is held back by the estimate alone: it probes when this fires. */
	headProbeTimer?: AbortController;
	nextSeq: number;
}

const pools = new Map<string, Pool>();

/** setTimeout fires at once for a longer delay; a timeout of weeks then waits this long instead. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** An account's identity without keeping its secret: a hash of host and key. */
export function accountKey(credentials: ICredentialDataDecryptedObject): string {
	const key = credentials.authType === 'accessKey' ? credentials.accessKey : credentials.apiKey;
	return createHash('sha256').update(`${resolveBaseUrl(credentials)}\u0000${String(key ?? '')}`).digest('hex');
}

function poolOf(key: string): Pool {
	let pool = pools.get(key);
	if (!pool) {
		pool = { inUse: 0, running: 0, queue: [], probesInFlight: 0, probeAfterMs: 0, nextSeq: 0 };
		pools.set(key, pool);
	}
	return pool;
}

const capOf = (pool: Pool, waiter: Waiter) =>
	Math.max(1, Math.min(waiter.limit, pool.estimate === undefined ? Infinity : Math.floor(pool.estimate)));

/** Whether the first in line may start now: within the estimate, as the one probe beyond it, or not yet. */
function howHeadStarts(pool: Pool, head: Waiter): 'fits' | 'probe' | undefined {
	// A task larger than the whole limit still runs alone rather than waiting forever.
	const fitsUnder = (limit: number) => pool.inUse === 0 || pool.inUse + head.slots <= limit;
	// A probe goes beyond the learnt estimate, never beyond the node's own Concurrency.
	const probe = head.probeDue && pool.probesInFlight === 0 && fitsUnder(head.limit) ? 'probe' : undefined;
	// A refused item tries again only once a slot can have freed; before that Kling would refuse it again.
	if (head.refused && !head.refused.armed) return probe;
	if (fitsUnder(capOf(pool, head))) return 'fits';
	return probe;
}

function grantWaiting(pool: Pool): void {
	// Strictly in arrival order: a request that may not start blocks those behind it (no overtaking).
	for (;;) {
		const head = pool.queue[0];
		const start = head && howHeadStarts(pool, head);
		if (!start) return scheduleHeadProbe(pool);
		pool.queue.shift();
		pool.inUse += head.slots;
		if (start === 'probe') pool.probesInFlight++;
		head.grant(start === 'probe');
	}
}

/**
 * The first in line may be held back by the estimate alone, without Kling ever having refused it:
 * then nothing would wake it but one of our own tasks ending, while the rest of the account may have
 * come free (another worker finished its job), and the estimate would grow back by only a slot per
 * round. So such an item probes after the last 1303's backoff, as a refused one does: one timer per
 * pool, at most one probe in flight.
 */
function scheduleHeadProbe(pool: Pool): void {
	const head = pool.queue[0];
	if (!head) return stopHeadProbe(pool);
	if (head.refused || head.probeDue || pool.estimate === undefined || pool.headProbeTimer) return;
	const timer = new AbortController();
	pool.headProbeTimer = timer;
	void sleep(Math.min(pool.probeAfterMs, MAX_TIMER_MS), timer.signal).then(
		() => {
			pool.headProbeTimer = undefined;
			const first = pool.queue[0];
			if (first && !first.refused) first.probeDue = true;
			grantWaiting(pool);
		},
		() => undefined,
	);
}

function stopHeadProbe(pool: Pool): void {
	pool.headProbeTimer?.abort();
	pool.headProbeTimer = undefined;
}

/**
 * Nothing of this process runs or waits in the pool: what was learnt about other processes is
 * stale, so the next burst starts from the node's Concurrency again (a 1303 corrects it if need be).
 */
function forgetWhenIdle(pool: Pool): void {
	if (pool.inUse === 0 && pool.queue.length === 0) pool.estimate = undefined;
}

function enqueue(pool: Pool, waiter: Waiter): void {
	const index = pool.queue.findIndex((other) => other.seq > waiter.seq);
	if (index === -1) pool.queue.push(waiter);
	else pool.queue.splice(index, 0, waiter);
}

export interface SlotRequest {
	pool: string;
	slots: number;
	limit: number;
	signal?: AbortSignal;
	/**
	 * How long the item may wait for a slot (its timeout); 0 or less = it fails at once if none is
	 * free, and after a 1303 it waits for its turn without a deadline of its own.
	 */
	maxWaitMs: number;
	cancelled: () => Error;
	timedOut: (waitedMs: number) => Error;
}

/** An item's hold on its slots, from the grant until its task ends. */
export interface SlotLease {
	/** Kling accepted the item's task: its slots now count as running at Kling. */
	accepted(): void;
	/**
	 * Kling answered 1303: gives the slots back and resolves, holding them again, once the item may
	 * try again (a task of ours ended, or `probeAfterMs` passed and it is first in line). Rejects on
	 * cancel or when the item's wait budget is spent; it then holds nothing.
	 */
	waitAfterAccountFull(probeAfterMs: number): Promise<void>;
	/** Gives the slots back; once the task was accepted this also says Kling freed them. Idempotent. */
	release(): void;
	/**
	 * Gives the slots back while the accepted task goes on running at Kling unwatched (park mode):
	 * no refused item is told a slot freed, since none did. Idempotent.
	 */
	handOff(): void;
}

/** Waits for free slots in arrival order; resolves to the item's lease on them. */
export async function acquireSlots(request: SlotRequest): Promise<SlotLease> {
	const pool = poolOf(request.pool);
	const startedAt = Date.now();
	const seq = pool.nextSeq++;
	let holding = false;
	let running = false;

	/** Queues the item; resolves once it holds its slots, to whether it starts as the probe beyond the estimate. */
	const wait = async (refused: Waiter['refused'], probeAfterMs: number): Promise<boolean> => {
		const stopTimers = new AbortController();
		let onAbort: (() => void) | undefined;
		let asProbe = false;
		try {
			await new Promise<void>((resolve, reject) => {
				const waiter: Waiter = { slots: request.slots, limit: request.limit, seq, refused, probeDue: false, grant: (probe) => ((asProbe = probe), resolve()) };
				const leave = (error: Error) => {
					const index = pool.queue.indexOf(waiter);
					if (index === -1) return;
					pool.queue.splice(index, 1);
					forgetWhenIdle(pool);
					// The head left: those behind it may start now.
					grantWaiting(pool);
					reject(error);
				};
				enqueue(pool, waiter);
				grantWaiting(pool);
				if (!pool.queue.includes(waiter)) return;
				if (request.signal?.aborted) return leave(request.cancelled());
				onAbort = () => leave(request.cancelled());
				request.signal?.addEventListener('abort', onAbort, { once: true });
				// Without a budget of its own (park mode's "wait indefinitely") a refused item keeps its turn, as
				// any retry would: the submit's slot-wait budget and cancellation bound it, not an instant timeout.
				const unbounded = refused && request.maxWaitMs <= 0;
				const remainingMs = unbounded ? Infinity : Math.max(0, request.maxWaitMs - (Date.now() - startedAt));
				if (!unbounded) {
					void sleep(Math.min(remainingMs, MAX_TIMER_MS), stopTimers.signal).then(
						() => leave(request.timedOut(Date.now() - startedAt)),
						() => undefined,
					);
				}
				if (refused) {
					// Another process's task may have ended meanwhile: look again after the backoff.
					void sleep(Math.min(probeAfterMs, remainingMs, MAX_TIMER_MS), stopTimers.signal).then(
						() => {
							waiter.probeDue = true;
							grantWaiting(pool);
						},
						() => undefined,
					);
				}
			});
		} finally {
			stopTimers.abort();
			if (onAbort) request.signal?.removeEventListener('abort', onAbort);
		}
		holding = true;
		return asProbe;
	};

	let probing = false;
	/** The probe's answer came: another may go. */
	const endProbe = () => {
		if (!probing) return;
		probing = false;
		pool.probesInFlight--;
	};

	/** Gives the slots back; once the task was accepted this also says Kling freed them. */
	const giveBack = (taskEnded = true) => {
		if (!holding) return;
		holding = false;
		pool.inUse -= request.slots;
		if (running) {
			running = false;
			pool.running -= request.slots;
			// Kling freed these slots: the items it refused may try again now.
			if (taskEnded) for (const waiter of pool.queue) if (waiter.refused) waiter.refused.armed = true;
		}
		grantWaiting(pool);
	};

	const letGo = (taskEnded: boolean) => {
		endProbe();
		giveBack(taskEnded);
		forgetWhenIdle(pool);
	};

	probing = await wait(undefined, 0);
	return {
		accepted() {
			if (!holding || running) return;
			running = true;
			pool.running += request.slots;
			if (pool.estimate !== undefined) {
				// Accepted proves this many fit; beyond that, about one more slot per round of submits.
				pool.estimate = Math.max(pool.estimate + 1 / Math.max(1, pool.estimate), pool.running);
			}
			if (probing) {
				endProbe();
				// The probe found room: the next in line may look for more at once.
				if (pool.queue[0]) pool.queue[0].probeDue = true;
			}
			grantWaiting(pool);
		},
		async waitAfterAccountFull(probeAfterMs: number) {
			if (!holding || running) return;
			// What provably fits is what this process has running; the rest belongs to others for now.
			pool.estimate = Math.max(1, pool.running);
			pool.probeAfterMs = Math.max(0, probeAfterMs);
			// Kling just said "full": a probe that came due on an older backoff or after an accepted probe is
			// not due any more; items held back by the estimate look again after this 1303's backoff.
			for (const waiter of pool.queue) if (!waiter.refused) waiter.probeDue = false;
			stopHeadProbe(pool);
			endProbe();
			// The slots go back without granting them: this item re-enters the queue by its arrival order
			// first, so no later item overtakes it with a submit Kling would refuse just the same.
			holding = false;
			pool.inUse -= request.slots;
			probing = await wait({ armed: false }, pool.probeAfterMs);
		},
		release: () => letGo(true),
		handOff: () => letGo(false),
	};
}

/** Slots in use, waiting requests and the learnt share of the account per pool (for tests and diagnostics). */
export function slotUsage(poolKey: string): { inUse: number; running: number; waiting: number; estimate?: number } {
	const pool = pools.get(poolKey);
	return { inUse: pool?.inUse ?? 0, running: pool?.running ?? 0, waiting: pool?.queue.length ?? 0, estimate: pool?.estimate };
}

export type { PackType } from '../kling/catalogue';

/** The resource-pack type a task route draws on; a new-API create route is a video product's. */
export function packTypeOf(taskPath: string): PackType {
	return routeFactsOf(taskPath)?.pack ?? 'video';
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
