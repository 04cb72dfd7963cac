import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { KLING_LIMITS, POLL_SCHEDULE } from '../kling/constants';
import { findGeneration4Model } from '../kling/generation4';
import { asNodeError, cancelledError } from '../transport/errors';
import { readTasks, TASK_IDS_PER_READ } from './newApiTaskReads';
import { klingRequest, type KlingContext } from '../transport/request';
import { packTypeOf } from '../concurrency/taskSlots';
import { fromNewStandardTask, isNewStandardRoute } from './apiStandardAdapter';
import type { KlingTask } from '../kling/taskShape';
import { getTask } from './taskRead';

/**
 * One status poller per n8n process and Kling account, shared by every item of every execution
 * that waits for a task of that account (as the task-slot pool is shared, concurrency/taskSlots.ts). A round reads
 * all waiting tasks of a route family at once:
 *  - new API: `GET /tasks?task_ids=` with up to 20 ids per request;
 *  - legacy: the family's list route (`GET <family>?pageNum=1&pageSize=…`, newest first) answers
 *    many tasks in one request; a waiting task absent from the page is read by its own route, never
 *    taken as gone. A host without list routes (some resellers) is read task by task, remembered.
 * A task is delivered only by its own id. Each waiter keeps its own deadline, its own cancel signal
 * and its own node context for errors; reads are made with a context whose cancel signal belongs to
 * no execution, so one execution's cancel never aborts a read another waits for.
 */

export interface PollWaiterOptions {
	/** The task family's route (legacy) or a new-API route; legacy tasks are read at `${taskPath}/${taskId}`. */
	taskPath: string;
	taskId: string;
	itemIndex: number;
	deadline: number;
	startedAt: number;
	/** The user's fixed interval, or 0 for the learnt schedule. */
	pollIntervalMs: number;
	/** Model name, when known: schedules are learnt per product and model. */
	model?: string;
	/** Scales the automatic schedule (benchmarks run time-scaled tasks). */
	scale: number;
}

export interface PollResult {
	task: KlingTask;
	timedOut: boolean;
}

interface Waiter extends PollWaiterOptions {
	context: KlingContext;
	dueAt: number;
	/** A round this much before its due time takes it along. */
	slackMs: number;
	/** When its last read that found it still running was answered. */
	lastOpenReadAt?: number;
	/** Set once a task of its kind has ended: checked closely until then (see expectLikeSibling). */
	nearEndUntil?: number;
	nearEndIntervalMs?: number;
	last?: KlingTask;
	settled: boolean;
	resolve: (result: PollResult) => void;
	reject: (error: unknown) => void;
	detach: () => void;
}

// ---------------------------------------------------------------- schedules that learn

const SAMPLES_KEPT = 20;
/** Run times (ms, real time) of tasks this process has seen end, per family and model. */
const runTimes = new Map<string, number[]>();

const scheduleKey = (taskPath: string, model?: string) => `${taskPath}\u0000${model ?? ''}`;

type Curve = (typeof POLL_SCHEDULE)['image'];

/** The documented curve of a route (and model): the prior of the learnt schedule. */
export function priorOf(taskPath: string, model?: string): Curve {
	if (taskPath.startsWith('/v1/general/')) return POLL_SCHEDULE.general;
	const generation4 = model ? findGeneration4Model(model) : undefined;
	if (generation4) return POLL_SCHEDULE[generation4.schedule];
	const pack = isNewStandardRoute(taskPath) ? 'video' : packTypeOf(taskPath);
	if (pack === 'video' && model && /turbo|flash|lite/i.test(model)) return POLL_SCHEDULE.fastVideo;
	return POLL_SCHEDULE[pack];
}

/** Remembers how long a task of this kind ran (bounded: the newest SAMPLES_KEPT per kind). */
export function learnRunTime(taskPath: string, model: string | undefined, runTimeMs: number): void {
	if (!Number.isFinite(runTimeMs) || runTimeMs <= 0) return;
	const key = scheduleKey(taskPath, model);
	const samples = runTimes.get(key) ?? [];
	samples.push(runTimeMs);
	if (samples.length > SAMPLES_KEPT) samples.shift();
	runTimes.set(key, samples);
	// A bounded table: a process that saw very many kinds forgets the oldest.
	if (runTimes.size > 500) runTimes.delete(runTimes.keys().next().value as string);
}

/** For tests: forget every learnt run time. */
export function forgetRunTimes(): void {
	runTimes.clear();
}

/**
 * When to check first: the documented curve's first check, or — once this process has seen tasks of
 * this kind end — a little before the fastest of the last ones (so a Turbo task is checked early and a
 * 10-minute video late), never later than ten times the documented first check.
 */
export function firstCheckMs(taskPath: string, model: string | undefined, scale: number): number {
	const prior = priorOf(taskPath, model);
	const samples = runTimes.get(scheduleKey(taskPath, model));
	if (!samples?.length) return prior.firstPollMs * scale;
	const learnt = 0.85 * Math.min(...samples);
	return Math.max(prior.minIntervalMs * scale * 0.5, Math.min(learnt, prior.firstPollMs * scale * 10));
}

/**
 * The pause before the next check of a task waited on for `elapsedMs`. `share` is how many tasks one
 * status request answers in its round (1 for a lone task; all of a family's waiting tasks on a legacy
 * list route; up to 20 on the new API): the cheaper a round per task, the shorter the interval, down
 * to noticing the end within max(min interval, 5 % of the run time).
 */
export function pollDelayMs(taskPath: string, model: string | undefined, elapsedMs: number, scale: number, share = 1): number {
	const curve = priorOf(taskPath, model);
	const first = firstCheckMs(taskPath, model, scale);
	if (elapsedMs < first) return first - elapsedMs;
	const discount = Math.max(1, share) ** 0.75;
	const growth = Math.max(POLL_SCHEDULE.batchedGrowth, curve.growth / discount);
	const minInterval = Math.max(POLL_SCHEDULE.minRoundMs, curve.minIntervalMs / discount) * scale;
	return Math.min(curve.maxIntervalMs * scale, Math.max(minInterval, elapsedMs * growth));
}

// ---------------------------------------------------------------- the process poller

/** Hosts (and families) whose list routes are missing: read task by task there. */
const noListRoute = new Set<string>();

const isFinished = (task: KlingTask) => task.task_status === 'succeed' || task.task_status === 'failed';

/** The context reads are made with: a waiter's node and credentials, but no execution's cancel signal. */
function readingContext(context: KlingContext): KlingContext {
	const source = context as unknown as Record<string, unknown>;
	const delegate: Record<string, unknown> = {
		getExecutionCancelSignal: () => undefined,
		helpers: source.helpers,
		logger: source.logger,
	};
	for (const name of ['getNode', 'getNodeParameter', 'getCredentials', 'getInputData', 'getWorkflow', 'getMode', 'getTimezone', 'getExecutionId']) {
		const method = source[name];
		if (typeof method === 'function') delegate[name] = (...args: unknown[]) => (method as (...a: unknown[]) => unknown).apply(context, args);
	}
	return delegate as unknown as KlingContext;
}

class AccountPoller {
	private readonly waiters = new Set<Waiter>();
	private running = false;
	private wake?: AbortController;
	/** Status requests sent per round (for tests and benchmarks), the newest 1000. */
	readonly rounds: number[] = [];
	requests = 0;

	constructor(
		readonly key: string,
		private readonly host: string,
		private readonly onIdle: () => void,
	) {}

	get size(): number {
		return this.waiters.size;
	}

	get isRunning(): boolean {
		return this.running;
	}

	async wait(context: KlingContext, options: PollWaiterOptions): Promise<PollResult> {
		const signal = context.getExecutionCancelSignal();
		if (signal?.aborted) throw cancelledError(context.getNode());
		return await new Promise<PollResult>((resolve, reject) => {
			const waiter: Waiter = {
				...options,
				context,
				dueAt: 0,
				slackMs: 0,
				settled: false,
				resolve,
				reject,
				detach: () => undefined,
			};
			this.waiters.add(waiter);
			this.schedule(waiter, Date.now());
			if (signal) {
				// Its own execution's cancel ends this waiter alone; others keep waiting.
				const onAbort = () => this.settle(waiter, () => reject(cancelledError(context.getNode())));
				signal.addEventListener('abort', onAbort, { once: true });
				waiter.detach = () => signal.removeEventListener('abort', onAbort);
			}
			this.nudge();
		});
	}

	/** Tasks that one request answers in this waiter's round. */
	private shareOf(waiter: Waiter): number {
		let same = 0;
		for (const other of this.waiters) if (this.familyOf(other) === this.familyOf(waiter)) same++;
		if (isNewStandardRoute(waiter.taskPath)) return Math.min(TASK_IDS_PER_READ, Math.max(1, same));
		return this.listsFamily(waiter.taskPath) ? Math.max(1, same) : 1;
	}

	private delayOf(waiter: Waiter, now: number): number {
		if (waiter.pollIntervalMs > 0) return waiter.pollIntervalMs;
		if (waiter.nearEndUntil !== undefined && now < waiter.nearEndUntil) return waiter.nearEndIntervalMs ?? 0;
		return pollDelayMs(waiter.taskPath, waiter.model, now - waiter.startedAt, waiter.scale, this.shareOf(waiter));
	}

	/**
	 * The next check of a waiter read at `at`, and how early a round may take it along (a quarter of its
	 * interval). `curveAt` is the point of the schedule that read stood for (its due time, when a round
	 * took it along a little early).
	 */
	private schedule(waiter: Waiter, at: number, curveAt = at): void {
		const delay = this.delayOf(waiter, curveAt);
		waiter.dueAt = at + delay;
		const intervalThen =
			waiter.pollIntervalMs > 0 ? waiter.pollIntervalMs : this.delayOf(waiter, Math.max(waiter.dueAt, waiter.startedAt + firstCheckMs(waiter.taskPath, waiter.model, waiter.scale)));
		// A fixed interval is a cadence: reading up to half an interval early lines the waiters up in one round.
		waiter.slackMs = Math.min(delay, (waiter.pollIntervalMs > 0 ? 0.5 : 0.25) * intervalThen);
	}

	private familyOf(waiter: Waiter): string {
		return isNewStandardRoute(waiter.taskPath) ? '/tasks' : waiter.taskPath;
	}

	private listsFamily(taskPath: string): boolean {
		return !noListRoute.has(`${this.host}\u0000${taskPath}`);
	}

	private settle(waiter: Waiter, finish: () => void): void {
		if (waiter.settled) return;
		waiter.settled = true;
		waiter.detach();
		this.waiters.delete(waiter);
		finish();
		if (!this.waiters.size) this.wake?.abort();
	}

	/** Starts the loop, or wakes it so it sees a new waiter's earlier due time. */
	private nudge(): void {
		if (this.running) {
			this.wake?.abort();
			return;
		}
		this.running = true;
		void this.loop().finally(() => {
			this.running = false;
			if (this.waiters.size) this.nudge();
			else this.onIdle();
		});
	}

	private async loop(): Promise<void> {
		while (this.waiters.size) {
			const now = Date.now();
			let next = Infinity;
			for (const waiter of this.waiters) next = Math.min(next, waiter.dueAt, waiter.deadline);
			if (next > now) {
				const wake = new AbortController();
				this.wake = wake;
				try {
					await sleep(Math.min(next - now, 2 ** 31 - 1), wake.signal);
				} catch {
					// Woken: a waiter came or left; look again.
				}
				this.wake = undefined;
				continue;
			}
			await this.round();
		}
	}

	/** One round: every family with a waiter due is read once; each waiter due is answered or rescheduled. */
	private async round(): Promise<void> {
		const now = Date.now();
		const families = new Map<string, Waiter[]>();
		for (const waiter of this.waiters) {
			const family = this.familyOf(waiter);
			families.set(family, [...(families.get(family) ?? []), waiter]);
		}
		let requests = 0;
		await Promise.all(
			[...families.values()].map(async (waiting) => {
				// Waiters due soon ride along with those due now: rounds line up instead of drifting apart.
				const due = waiting.filter((waiter) => waiter.dueAt - waiter.slackMs <= now || waiter.deadline <= now);
				if (!due.length) return;
				requests += isNewStandardRoute(due[0].taskPath)
					? await this.readNew(due, waiting)
					: await this.readLegacy(due, waiting);
			}),
		);
		this.requests += requests;
		this.rounds.push(requests);
		if (this.rounds.length > 1000) this.rounds.shift();
		const after = Date.now();
		for (const waiter of [...this.waiters]) {
			if (waiter.deadline <= after) {
				const task = waiter.last ?? ({ task_id: waiter.taskId, task_status: 'submitted' } as KlingTask);
				this.settle(waiter, () => waiter.resolve({ task, timedOut: true }));
			}
		}
	}

	/** A read answered this task (by its own id): deliver it, or schedule the next check. */
	private answer(waiters: Waiter[], task: KlingTask, at: number): void {
		for (const waiter of waiters) {
			if (waiter.settled) continue;
			waiter.last = task;
			if (isFinished(task)) {
				if (task.task_status === 'succeed') {
					// The end lies between the last read that saw it running and this one.
					const since = waiter.lastOpenReadAt ?? waiter.startedAt;
					learnRunTime(waiter.taskPath, waiter.model, (since + at) / 2 - waiter.startedAt);
					this.expectLikeSibling(waiter, since - waiter.startedAt, at - waiter.startedAt, at);
				}
				this.settle(waiter, () => waiter.resolve({ task, timedOut: false }));
			} else {
				// A read at its due check, or one that took it along a little early, was that check — the
				// first one too: the next comes an interval later, not at its own first check again.
				const curveAt = at >= waiter.dueAt - waiter.slackMs ? Math.max(at, waiter.dueAt) : at;
				waiter.lastOpenReadAt = at;
				this.schedule(waiter, at, curveAt);
			}
		}
	}

	/**
	 * A task ran between `shortestMs` and `longestMs`: the tasks of the same route and model still
	 * waiting here (automatic polling) are likely to run as long from their own start. Each is checked
	 * at that point and then at a short interval until that run time plus 3 % has passed for it, once;
	 * a batched round answers them together, so these checks cost a request per round, not per task.
	 */
	private expectLikeSibling(ended: Waiter, shortestMs: number, longestMs: number, at: number): void {
		if (!(shortestMs > 0) || !(longestMs >= shortestMs)) return;
		for (const other of this.waiters) {
			if (other === ended || other.settled || other.pollIntervalMs > 0 || other.nearEndUntil !== undefined) continue;
			if (other.taskPath !== ended.taskPath || other.model !== ended.model || other.taskId === ended.taskId) continue;
			const interval = Math.max(POLL_SCHEDULE.siblingIntervalMs * other.scale, 0.01 * shortestMs);
			other.nearEndIntervalMs = interval;
			other.nearEndUntil = other.startedAt + longestMs * 1.03 + interval;
			// Already past that point: read in the next round; otherwise at the point itself.
			const expected = Math.max(at + interval, other.startedAt + shortestMs);
			if (expected < other.nearEndUntil && expected < other.dueAt) {
				other.dueAt = expected;
				other.slackMs = 0;
			}
		}
		this.wake?.abort();
	}

	private fail(waiters: Waiter[], error: unknown): void {
		for (const waiter of waiters) this.settle(waiter, () => waiter.reject(asNodeError(waiter.context.getNode(), error)));
	}

	private byId(waiters: Waiter[]): Map<string, Waiter[]> {
		const ids = new Map<string, Waiter[]>();
		for (const waiter of waiters) ids.set(waiter.taskId, [...(ids.get(waiter.taskId) ?? []), waiter]);
		return ids;
	}

	/** New API: the due ids first, 20 per request; the last request's spare room carries ids not yet due. */
	private async readNew(due: Waiter[], waiting: Waiter[]): Promise<number> {
		const dueIds = this.byId(due);
		const all = this.byId(waiting.filter((waiter) => !waiter.settled));
		const ids = [...dueIds.keys()];
		const spare = (TASK_IDS_PER_READ - (ids.length % TASK_IDS_PER_READ)) % TASK_IDS_PER_READ;
		ids.push(...[...all.keys()].filter((id) => !dueIds.has(id)).slice(0, spare));
		let requests = 0;
		for (let start = 0; start < ids.length; start += TASK_IDS_PER_READ) {
			const chunk = ids.slice(start, start + TASK_IDS_PER_READ);
			const lead = (all.get(chunk[0]) ?? [])[0];
			if (!lead) continue;
			requests++;
			let rows: IDataObject[];
			try {
				rows = await readTasks.call(readingContext(lead.context), 'task_ids', chunk, lead.itemIndex);
			} catch (error) {
				this.fail(chunk.flatMap((id) => (dueIds.get(id) ?? []).filter((waiter) => !waiter.settled)), error);
				continue;
			}
			const at = Date.now();
			const answered = new Set<string>();
			for (const row of rows) {
				const id = String(row.id);
				// Only ids this request asked for, each to its own waiters, each once.
				if (!chunk.includes(id) || answered.has(id)) continue;
				answered.add(id);
				this.answer(all.get(id) ?? [], fromNewStandardTask(row), at);
			}
			// Not in the answer (Kling does not list it yet): asked again at its next check.
			for (const id of chunk) {
				if (answered.has(id)) continue;
				for (const waiter of dueIds.get(id) ?? []) if (!waiter.settled) this.schedule(waiter, at);
			}
		}
		return requests;
	}

	/** Legacy: one list page for the family, then each due task the page did not hold by its own route. */
	private async readLegacy(due: Waiter[], waiting: Waiter[]): Promise<number> {
		const family = due[0].taskPath;
		const dueIds = this.byId(due);
		const all = this.byId(waiting.filter((waiter) => !waiter.settled));
		let requests = 0;
		let missing = [...dueIds.keys()];
		if (all.size > 1 && this.listsFamily(family)) {
			const lead = due[0];
			requests++;
			try {
				const pageSize = Math.min(KLING_LIMITS.pageSize.max, Math.max(50, 4 * all.size));
				const data = await klingRequest.call<KlingContext, [Parameters<typeof klingRequest>[0]], Promise<unknown>>(readingContext(lead.context), {
					method: 'GET',
					path: family,
					qs: { pageNum: 1, pageSize },
					itemIndex: lead.itemIndex,
				});
				const at = Date.now();
				const rows = (Array.isArray(data) ? data : []) as KlingTask[];
				const seen = new Set<string>();
				for (const row of rows) {
					const id = String(row?.task_id);
					const waiters = all.get(id);
					// A task nobody here waits for (another tool's, another execution's finished one) is skipped.
					if (!waiters || seen.has(id)) continue;
					seen.add(id);
					this.answer(waiters, row, at);
				}
				missing = missing.filter((id) => !seen.has(id));
			} catch (error) {
				const context = (error as { context?: { httpStatus?: number; klingCode?: number } }).context;
				const status = context?.httpStatus;
				// No list route on this host (404, unknown endpoint): read its tasks one by one from now on.
				if ((status !== undefined && status >= 400 && status < 500 && status !== 429) || context?.klingCode === 1203) {
					noListRoute.add(`${this.host}\u0000${family}`);
				}
			}
		}
		// Absent from the page (or no page): read by the task's own route — never taken as gone.
		await Promise.all(
			missing.map(async (id) => {
				const waiters = (dueIds.get(id) ?? []).filter((waiter) => !waiter.settled);
				if (!waiters.length) return;
				requests++;
				try {
					const task = await getTask.call(readingContext(waiters[0].context), family, id, waiters[0].itemIndex);
					this.answer(all.get(id) ?? waiters, task, Date.now());
				} catch (error) {
					this.fail(waiters, error);
				}
			}),
		);
		return requests;
	}
}

const pollers = new Map<string, AccountPoller>();

/** The poller of this process for an account (see concurrency/taskSlots.ts accountKey); created when first waited on. */
export function accountPoller(key: string, host: string): AccountPoller {
	let poller = pollers.get(key);
	if (!poller) {
		const created = new AccountPoller(key, host, () => {
			if (pollers.get(key) === created && created.size === 0) pollers.delete(key);
		});
		poller = created;
		pollers.set(key, poller);
	}
	return poller;
}

/** For tests and benchmarks: the live pollers and what they have sent. */
export function pollerStats(): Array<{ key: string; waiting: number; running: boolean; requests: number; rounds: number[] }> {
	return [...pollers.values()].map((poller) => ({
		key: poller.key,
		waiting: poller.size,
		running: poller.isRunning,
		requests: poller.requests,
		rounds: [...poller.rounds],
	}));
}

/** For tests: whether hosts are remembered as having no list route. */
export function forgetListRoutes(): void {
	noListRoute.clear();
}
