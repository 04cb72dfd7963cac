import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

/**
 * What the Kling Trigger remembers about callbacks, per workflow and trigger node, so that each task
 * starts one execution however often Kling (or anyone else) calls back:
 *
 * - tasks that started an execution (by task id; with "Include Non-Final Statuses" also by status),
 * - webhook-ids of signed callbacks that were handled,
 * - where each task was found, and which task types were asked in vain (a forged id costs each
 *   task type once in all, then nothing),
 * - the task types this workflow's tasks were found on (asked first).
 *
 * It lives in this process, bounded in count and time, and the first two are also written to the
 * workflow's static data: n8n saves the static data a production webhook changed once webhook() has
 * answered, so they survive a restart (test URLs are not saved; concurrent callbacks that each save
 * keep the last write, which is why this process's own memory is what decides first).
 */

/** At most this many task types are asked for the task a callback names, per callback. */
export const MAX_LOOKUP_READS_PER_CALLBACK = 8;

const MINUTE = 60_000;
const LIMITS = { tasks: 5_000, webhookIds: 5_000, workflows: 500, storedTasks: 1_000, storedWebhookIds: 500, learnedFamilies: 32 };
const TTL = {
	delivered: 7 * 24 * 60 * MINUTE,
	/** Kling's signature is only valid for 5 minutes: a later replay is refused by its timestamp. */
	webhookId: 15 * MINUTE,
	lookup: 60 * MINUTE,
};

/** Insertion-ordered, bounded in count, entries expire. */
class BoundedMap<V> {
	private readonly entries = new Map<string, { value: V; expiresAt: number }>();

	constructor(private readonly limit: number) {}

	get(key: string, now = Date.now()): V | undefined {
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		if (entry.expiresAt > now) return entry.value;
		this.entries.delete(key);
		return undefined;
	}

	set(key: string, value: V, expiresAt: number): void {
		this.entries.delete(key);
		this.entries.set(key, { value, expiresAt });
		while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
	}

	delete(key: string): void {
		this.entries.delete(key);
	}

	/** The newest entries still valid, as key → expiry (what the static data keeps). */
	newest(count: number, now = Date.now()): Record<string, number> {
		const kept = [...this.entries].filter(([, entry]) => entry.expiresAt > now).slice(-count);
		return Object.fromEntries(kept.map(([key, entry]) => [key, entry.expiresAt]));
	}
}

const deliveredKey = (taskId: string, status?: string) => (status ? `${taskId} ${status}` : taskId);

export class CallbackMemory {
	private readonly delivered = new BoundedMap<true>(LIMITS.tasks);
	private readonly webhookIds = new BoundedMap<true>(LIMITS.webhookIds);
	private readonly located = new BoundedMap<string>(LIMITS.tasks);
	private readonly asked = new BoundedMap<string[]>(LIMITS.tasks);
	private readonly locks = new Map<string, Promise<void>>();
	/** Task types this workflow's tasks were found on, most recent first. */
	private learned: string[] = [];
	/** Something the static data keeps changed since it was last written. */
	private changed = false;

	/** Takes in what the workflow's static data holds (written by this or another process). */
	load(stored: IDataObject): void {
		const now = Date.now();
		const merge = (target: BoundedMap<true>, entries: unknown) => {
			if (!entries || typeof entries !== 'object') return;
			for (const [key, expiresAt] of Object.entries(entries as IDataObject)) {
				if (typeof expiresAt === 'number' && expiresAt > now && !target.get(key, now)) target.set(key, true, expiresAt);
			}
		};
		merge(this.delivered, stored.deliveredTasks);
		merge(this.webhookIds, stored.webhookIds);
		if (Array.isArray(stored.taskTypes)) {
			for (const family of stored.taskTypes) if (typeof family === 'string' && !this.learned.includes(family)) this.learned.push(family);
			this.learned = this.learned.slice(0, LIMITS.learnedFamilies);
		}
	}

	/** Writes the newest entries to the workflow's static data (n8n saves it after the webhook answered). */
	save(stored: IDataObject): void {
		if (!this.changed) return;
		this.changed = false;
		// Whole new values: n8n notices an assignment to the node's static data, not a change deep inside it.
		stored.deliveredTasks = this.delivered.newest(LIMITS.storedTasks);
		stored.webhookIds = this.webhookIds.newest(LIMITS.storedWebhookIds);
		stored.taskTypes = [...this.learned];
	}

	isDelivered(taskId: string, status?: string): boolean {
		return this.delivered.get(deliveredKey(taskId, status)) === true;
	}

	markDelivered(taskId: string, status?: string): void {
		this.delivered.set(deliveredKey(taskId, status), true, Date.now() + TTL.delivered);
		this.changed = true;
	}

	knowsWebhook(webhookId: string): boolean {
		return this.webhookIds.get(webhookId) === true;
	}

	rememberWebhook(webhookId: string | undefined): void {
		if (!webhookId || this.knowsWebhook(webhookId)) return;
		this.webhookIds.set(webhookId, true, Date.now() + TTL.webhookId);
		this.changed = true;
	}

	locatedFamily(taskId: string): string | undefined {
		return this.located.get(taskId);
	}

	locate(taskId: string, family: string): void {
		this.located.set(taskId, family, Date.now() + TTL.lookup);
		this.asked.delete(taskId);
		if (!this.learned.includes(family)) this.changed = true;
		this.learned = [family, ...this.learned.filter((known) => known !== family)].slice(0, LIMITS.learnedFamilies);
	}

	forgetLocation(taskId: string): void {
		this.located.delete(taskId);
	}

	/** Task types that said "no such task" for this id. */
	askedFamilies(taskId: string): string[] {
		return this.asked.get(taskId) ?? [];
	}

	markAsked(taskId: string, family: string): void {
		const asked = this.askedFamilies(taskId);
		if (!asked.includes(family)) this.asked.set(taskId, [...asked, family], Date.now() + TTL.lookup);
	}

	/** The families in the order to ask them: those this workflow's tasks were found on first. */
	byExperience(families: string[]): string[] {
		const known = this.learned.filter((family) => families.includes(family));
		return [...known, ...families.filter((family) => !known.includes(family))];
	}

	isBusy(taskId: string): boolean {
		return this.locks.has(taskId);
	}

	/** Runs callbacks for one task one after the other, so a duplicate sees what the first one decided. */
	async serially<T>(taskId: string, work: () => Promise<T>): Promise<T> {
		const previous = this.locks.get(taskId);
		let release!: () => void;
		const mine = new Promise<void>((resolve) => (release = resolve));
		const chain = (previous ?? Promise.resolve()).then(async () => await mine);
		this.locks.set(taskId, chain);
		try {
			if (previous) await previous;
			return await work();
		} finally {
			release();
			if (this.locks.get(taskId) === chain) this.locks.delete(taskId);
		}
	}
}

const memories = new Map<string, CallbackMemory>();

/** This trigger node's memory in this process, with what the workflow's static data holds merged in. */
export function callbackMemory(context: IWebhookFunctions): { memory: CallbackMemory; stored: IDataObject } {
	const node = context.getNode();
	const key = `${context.getWorkflow().id ?? ''}\u0000${node.id ?? node.name}`;
	let memory = memories.get(key);
	if (memory) memories.delete(key);
	else memory = new CallbackMemory();
	memories.set(key, memory);
	while (memories.size > LIMITS.workflows) memories.delete(memories.keys().next().value as string);
	const stored = context.getWorkflowStaticData('node');
	memory.load(stored);
	return { memory, stored };
}

/** Forgets what this process remembers about callbacks (as a restart does). */
export function forgetTriggerMemory(): void {
	memories.clear();
}
