import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, withTaskContext } from './errors';
import { pause } from './pause';
import { klingRequest, type KlingContext } from './request';
import { fromNewStandardTask, NEW_TASKS_PATH } from './standards';
import type { KlingTask, Lookup } from './types';

/**
 * Reads of new-standard tasks: `GET /tasks?task_ids=a,b,…` takes at most 20 ids (kling-api.md
 * §1.8), and an unknown id is simply missing from `data`. Every waiting item of a node run shares
 * one poller, so 50 items cost ceil(50 / 20) = 3 requests per polling round instead of 50.
 */
export const TASK_IDS_PER_READ = 20;

async function readTasks(this: KlingContext, query: 'task_ids' | 'external_task_ids', ids: string[], itemIndex: number) {
	const data = await klingRequest.call<KlingContext, [Parameters<typeof klingRequest>[0]], Promise<unknown>>(this, {
		method: 'GET',
		path: NEW_TASKS_PATH,
		qs: { [query]: ids.join(',') },
		itemIndex,
	});
	return (Array.isArray(data) ? data : []) as IDataObject[];
}

/** One task by its id; Kling's empty answer means it has no such task on this account. */
export async function getNewStandardTask(this: KlingContext, taskId: string, itemIndex: number): Promise<KlingTask> {
	const rows = await readTasks.call(this, 'task_ids', [taskId], itemIndex);
	const row = rows.find((candidate) => String(candidate.id) === taskId);
	if (!row) {
		const error = new NodeOperationError(this.getNode(), `Kling has no task with ID "${taskId}" on this account`, {
			itemIndex,
			description: 'New-API tasks are read with the API key that created them (same account and region).',
		});
		// An empty /tasks answer is the new API's "no such task" (kling-api.md §1.8): the same meaning as legacy 1201.
		Object.assign(error.context, { klingCode: 1201, klingMessage: `Task not found by id: ${taskId}` });
		throw withTaskContext(error, { taskId });
	}
	return fromNewStandardTask(row);
}

/** The documented lookup by external id: `GET /tasks?external_task_ids=` — an empty list is Kling's "no such task". */
export async function lookUpNewStandardByExternalId(this: KlingContext, externalTaskId: string, itemIndex: number): Promise<Lookup> {
	let rows: IDataObject[];
	try {
		rows = await readTasks.call(this, 'external_task_ids', [externalTaskId], itemIndex);
	} catch (error) {
		return { kind: 'unknown', reason: (error as Error).message };
	}
	if (rows.length === 0) return { kind: 'absent' };
	const ours = rows.filter((row) => row.external_id === externalTaskId && row.id);
	if (ours.length === 1) return { kind: 'found', task: fromNewStandardTask(ours[0]) };
	return { kind: 'unknown', reason: 'Kling answered with tasks that do not carry exactly this external_task_id' };
}

/** Every new-standard task id that carries this external id (the list is Kling's own, unfiltered by us). */
export async function newStandardTaskIdsCarrying(this: KlingContext, externalTaskId: string, itemIndex: number): Promise<string[]> {
	const rows = await readTasks.call(this, 'external_task_ids', [externalTaskId], itemIndex);
	return rows.filter((row) => row.external_id === externalTaskId && row.id).map((row) => String(row.id));
}

interface Waiting {
	taskId: string;
	itemIndex: number;
	deadline: number;
	nextDelayMs: () => number;
	last?: KlingTask;
	resolve: (result: { task: KlingTask; timedOut: boolean }) => void;
	reject: (error: unknown) => void;
}

const isFinished = (task: KlingTask) => task.task_status === 'succeed' || task.task_status === 'failed';

/**
 * One polling loop per node run: every round reads all waiting tasks, 20 ids per request. Several
 * items may wait for the same task (Task › Get with one id twice): each is answered, none replaced.
 */
class NewTaskPoller {
	private readonly waiting = new Map<string, Waiting[]>();
	private running = false;
	/** Requests sent per polling round (for tests and benchmarks). */
	readonly rounds: number[] = [];

	constructor(private readonly context: KlingContext) {}

	async wait(entry: Omit<Waiting, 'resolve' | 'reject'>): Promise<{ task: KlingTask; timedOut: boolean }> {
		return await new Promise((resolve, reject) => {
			this.waiting.set(entry.taskId, [...(this.waiting.get(entry.taskId) ?? []), { ...entry, resolve, reject }]);
			if (!this.running) void this.loop();
		});
	}

	private entries(): Waiting[] {
		return [...this.waiting.values()].flat();
	}

	private async loop(): Promise<void> {
		this.running = true;
		try {
			while (this.waiting.size) {
				const entries = this.entries();
				const delay = Math.min(...entries.map((entry) => entry.nextDelayMs()));
				const untilDeadline = Math.min(...entries.map((entry) => entry.deadline)) - Date.now();
				await pause(this.context, Math.max(0, Math.min(delay, untilDeadline)));
				await this.round();
			}
		} catch (error) {
			// Cancelled: every waiting item ends with the cancel.
			for (const entry of this.entries()) entry.reject(error);
			this.waiting.clear();
		} finally {
			this.running = false;
		}
	}

	private async round(): Promise<void> {
		const ids = [...this.waiting.keys()];
		let requests = 0;
		for (let start = 0; start < ids.length; start += TASK_IDS_PER_READ) {
			const chunk = ids.slice(start, start + TASK_IDS_PER_READ);
			const first = this.waiting.get(chunk[0])?.[0];
			requests++;
			let rows: IDataObject[];
			try {
				rows = await readTasks.call(this.context, 'task_ids', chunk, first?.itemIndex ?? 0);
			} catch (error) {
				for (const id of chunk) {
					for (const entry of this.waiting.get(id) ?? []) entry.reject(asNodeError(this.context.getNode(), error));
					this.waiting.delete(id);
				}
				continue;
			}
			for (const row of rows) {
				const id = String(row.id);
				const entries = this.waiting.get(id);
				if (!entries) continue;
				const task = fromNewStandardTask(row);
				for (const entry of entries) entry.last = task;
				if (isFinished(task)) {
					for (const entry of entries) entry.resolve({ task, timedOut: false });
					this.waiting.delete(id);
				}
			}
		}
		this.rounds.push(requests);
		const now = Date.now();
		for (const [id, entries] of [...this.waiting]) {
			const open = entries.filter((entry) => now < entry.deadline);
			for (const entry of entries) {
				if (now < entry.deadline) continue;
				entry.resolve({ task: entry.last ?? ({ task_id: entry.taskId, task_status: 'submitted' } as KlingTask), timedOut: true });
			}
			if (open.length) this.waiting.set(id, open);
			else this.waiting.delete(id);
		}
	}
}

const pollers = new WeakMap<object, NewTaskPoller>();

/** The poller of this node run (one per execution context). */
export function newTaskPoller(context: KlingContext): NewTaskPoller {
	let poller = pollers.get(context);
	if (!poller) {
		poller = new NewTaskPoller(context);
		pollers.set(context, poller);
	}
	return poller;
}
