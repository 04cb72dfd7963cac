import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MAX_SUBMIT_SENDS } from '../kling/constants';
import { asNodeError, errorContext, isAmbiguousSubmit, isCancellation, withTaskContext } from '../transport/errors';
import { externalIdOf, lookUpByExternalId, type Lookup } from './lookupByExternalId';
import { pause } from '../transport/cancellablePause';
import { klingRequest, type KlingRequest } from '../transport/request';
import { taskOfCreateAnswer } from './apiStandardAdapter';
import { getTask } from './taskRead';
import { timingOf } from '../transport/timing';
import type { KlingTask } from '../kling/taskShape';

/**
 * The submit policy: a paid request is sent once; it is sent again (at most once) only after
 * Kling said "no such task" for our external_task_id by its documented lookup. Correct whether or
 * not Kling refuses a second task with the same external_task_id (undocumented on legacy routes).
 */
export type IdOrigin = 'derived' | 'user';

export interface SubmitRequest {
	route: string;
	payload: IDataObject;
	externalTaskId: string;
	/** "derived": the node's own id (n8n's Retry On Fail may adopt its task); "user": set by the user, never adopted. */
	idOrigin: IdOrigin;
	/** Identifies the account, so ids attempted before are remembered per account. */
	account: string;
	itemIndex: number;
	onAccountFull?: KlingRequest['onAccountFull'];
	/**
	 * Where Kling has not confirmed that it keeps external_task_id (Kling 4.0): never resent after an
	 * ambiguous failure, whether or not the id was sent; the item fails naming how to find the task.
	 */
	sendOnce?: { model: string; externalIdSent: boolean; /** The Task Type that lists the task (Task › List). */ taskType: string };
}

export interface Submitted {
	task: KlingTask;
	route: string;
	/** The task existed already (an earlier attempt of this item) and was adopted, not created now. */
	adopted: boolean;
	/** The submit was sent again after Kling said "no such task": a late twin may exist (see taskIdsCarrying). */
	resent?: boolean;
}

/**
 * Derived ids this process has sent before. An id seen again means n8n is retrying the item
 * (Retry On Fail): the earlier attempt may have created the task, so it is looked up first.
 */
const attempted = new Map<string, true>();
const MAX_REMEMBERED = 20_000;

function remember(key: string): void {
	attempted.set(key, true);
	if (attempted.size > MAX_REMEMBERED) attempted.delete(attempted.keys().next().value as string);
}

const checkWith = (externalTaskId: string) =>
	`Check with Task › Get (Look Up By: External Task ID "${externalTaskId}") whether Kling created the task before running this item again, so you do not pay twice.`;

function unprovenError(context: IExecuteFunctions, request: SubmitRequest, headline: string, reason: string) {
	const error = new NodeOperationError(context.getNode(), headline, {
		itemIndex: request.itemIndex,
		description: `${reason}. Nothing was sent again. ${checkWith(request.externalTaskId)}`,
	});
	return withTaskContext(error, { externalTaskId: request.externalTaskId });
}

function alreadyExistsError(context: IExecuteFunctions, request: SubmitRequest, task: KlingTask) {
	const error = new NodeOperationError(
		context.getNode(),
		`External Task ID "${request.externalTaskId}" already belongs to Kling task ${task.task_id} (status: ${task.task_status})`,
		{
			itemIndex: request.itemIndex,
			description: `Nothing was submitted. Collect that task with Task › Get (Task ID ${task.task_id}), or give this item an External Task ID that is unique in your Kling account.`,
		},
	);
	return withTaskContext(error, { taskId: task.task_id, externalTaskId: request.externalTaskId });
}

const isDuplicateExternalId = (error: unknown) => {
	const { klingCode, klingMessage } = errorContext(error);
	return klingCode === 1201 && /external_task_id/i.test(String(klingMessage)) && /exist/i.test(String(klingMessage));
};

/**
 * After an ambiguous submit: looks the task up until the ambiguity window has passed. A create that
 * reached Kling may be registered late (a 5002 "internal timeout" backlog), so "absent" counts only
 * once the lookups have covered as long as the request itself was allowed to take (the request
 * timeout, 60 s by default): a resend before then could pay twice where Kling accepts a repeated id.
 */
async function lookUpAfterAmbiguousSubmit(this: IExecuteFunctions, request: SubmitRequest): Promise<Lookup> {
	const timing = timingOf(this);
	const delays = timing.submitLookupDelaysMs.length ? timing.submitLookupDelaysMs : [1_000];
	const since = Date.now();
	for (let attempt = 0; ; attempt++) {
		if (attempt > 0) await pause(this, delays[Math.min(attempt - 1, delays.length - 1)]);
		const found = await lookUpByExternalId.call(this, request.route, request.externalTaskId, request.itemIndex);
		if (found.kind !== 'absent') return found;
		if (attempt >= delays.length && Date.now() - since >= timing.requestTimeoutMs) return found;
	}
}

/** One create request as the submit policy sends it; the answer in the node's one task shape. */
async function sendCreate(this: IExecuteFunctions, request: SubmitRequest): Promise<KlingTask> {
	const created = await klingRequest.call<IExecuteFunctions, [Parameters<typeof klingRequest>[0]], Promise<KlingTask>>(this, {
		method: 'POST',
		path: request.route,
		body: request.payload,
		isSubmit: true,
		itemIndex: request.itemIndex,
		onAccountFull: request.onAccountFull,
	});
	return taskOfCreateAnswer(request.route, created);
}

/**
 * What became of the sends of a send-once item in this process: its task, or "unknown" after an answer
 * that was lost. n8n's Retry On Fail of the item then adopts the task, or refuses to pay again.
 */
const sentOnce = new Map<string, { taskId: string } | 'unknown'>();

function notSentAgainError(context: IExecuteFunctions, request: SubmitRequest, headline: string, sentAt: Date, cause?: unknown) {
	const model = request.sendOnce!.model;
	const window = `${new Date(sentAt.getTime() - 60_000).toISOString()} and ${new Date(sentAt.getTime() + 5 * 60_000).toISOString()}`;
	const error = cause ? asNodeError(context.getNode(), cause) : new NodeOperationError(context.getNode(), headline, { itemIndex: request.itemIndex });
	if (cause) error.message = `${headline}: ${error.message}`;
	error.description = `Kling may have created the ${model} task (submitted ${sentAt.toISOString()}); it was not sent again, so you are not charged twice. Find it with Task › List (Task Type "${request.sendOnce!.taskType}", newest first: a task created between ${window}), then collect it with Task › Get by its Task ID. Kling has not confirmed that it keeps an external_task_id for ${model}, so the node cannot look the task up by one.`;
	return withTaskContext(error, { externalTaskId: request.sendOnce!.externalIdSent ? request.externalTaskId : undefined });
}

/** Send-once submits: one send per item, ever; an answer that was lost is never resent. */
async function submitOnce(this: IExecuteFunctions, request: SubmitRequest): Promise<Submitted> {
	const { route, itemIndex } = request;
	const memoryKey = `${request.account}\u0000${route}\u0000${request.externalTaskId}`;
	const earlier = sentOnce.get(memoryKey);
	if (earlier === 'unknown') {
		throw notSentAgainError(this, request, 'An earlier attempt of this item may have created its Kling task; it was not sent again', new Date());
	}
	if (earlier && request.idOrigin === 'user') {
		// A user's id is never adopted (another run or workflow may have used it for another request).
		const task = await getTask.call(this, route, earlier.taskId, itemIndex).catch(() => ({ task_id: earlier.taskId, task_status: 'not readable now' }) as unknown as KlingTask);
		throw alreadyExistsError(this, request, task);
	}
	if (earlier) {
		const task = await getTask.call(this, route, earlier.taskId, itemIndex);
		return { task, route, adopted: true };
	}
	if (request.idOrigin === 'user' && request.sendOnce!.externalIdSent) {
		// Where the host keeps the id, a task already carrying the user's id is named, not paid for again.
		const before = await lookUpByExternalId.call(this, route, request.externalTaskId, itemIndex);
		if (before.kind === 'found') throw alreadyExistsError(this, request, before.task);
	}
	const sentAt = new Date();
	sentOnce.set(memoryKey, 'unknown');
	if (sentOnce.size > MAX_REMEMBERED) sentOnce.delete(sentOnce.keys().next().value as string);
	let task: KlingTask;
	try {
		task = await sendCreate.call(this, request);
	} catch (error) {
		if (isCancellation(error)) throw asNodeError(this.getNode(), error);
		if (!isAmbiguousSubmit(error)) {
			// Kling refused the request: no task exists, a later attempt may send it.
			sentOnce.delete(memoryKey);
			throw withTaskContext(asNodeError(this.getNode(), error), {});
		}
		if (request.sendOnce!.externalIdSent) {
			// Where the host keeps the id, the lookup may find the task; "absent" proves nothing here.
			const found = await lookUpAfterAmbiguousSubmit.call(this, request).catch(() => undefined);
			if (found?.kind === 'found') {
				sentOnce.set(memoryKey, { taskId: found.task.task_id });
				return { task: found.task, route, adopted: true };
			}
		}
		throw notSentAgainError(this, request, 'The submit’s answer was lost', sentAt, error);
	}
	const echoed = externalIdOf(task);
	if (request.sendOnce!.externalIdSent && echoed !== undefined && echoed !== request.externalTaskId) {
		throw unprovenError(this, request, `Kling answered the submit with task ${task.task_id}, which carries another external_task_id ("${echoed}")`, 'The task was not taken as this item’s result');
	}
	sentOnce.set(memoryKey, { taskId: task.task_id });
	return { task, route, adopted: false };
}

export async function submitTask(this: IExecuteFunctions, request: SubmitRequest): Promise<Submitted> {
	if (request.sendOnce) return await submitOnce.call(this, request);
	const { route, externalTaskId, itemIndex } = request;
	const memoryKey = `${request.account}\u0000${route}\u0000${externalTaskId}`;
	const adopt = (task: KlingTask): Submitted => ({ task, route, adopted: true });

	// A user's own id, or a derived id this process sent before, may already have a task: find out first.
	if (request.idOrigin === 'user' || attempted.has(memoryKey)) {
		const before = await lookUpByExternalId.call(this, route, externalTaskId, itemIndex);
		if (before.kind === 'found') {
			if (request.idOrigin === 'user') throw alreadyExistsError(this, request, before.task);
			return adopt(before.task);
		}
		if (before.kind === 'unknown') {
			throw unprovenError(
				this,
				request,
				`Could not check whether External Task ID "${externalTaskId}" already has a Kling task`,
				`Kling's answer did not prove it either way (${before.reason})`,
			);
		}
	}

	for (let sends = 1; ; sends++) {
		remember(memoryKey);
		try {
			const task = await sendCreate.call(this, request);
			const echoed = externalIdOf(task);
			if (echoed !== undefined && echoed !== externalTaskId) {
				throw unprovenError(
					this,
					request,
					`Kling answered the submit with task ${task.task_id}, which carries another external_task_id ("${echoed}")`,
					'The task was not taken as this item’s result',
				);
			}
			return { task, route, adopted: false, resent: sends > 1 };
		} catch (error) {
			if (isCancellation(error)) throw asNodeError(this.getNode(), error);
			if (isDuplicateExternalId(error)) {
				const existing = await lookUpByExternalId.call(this, route, externalTaskId, itemIndex);
				if (existing.kind === 'found') {
					// Ours only when this item sent it: a derived id (Retry On Fail) or our own earlier send.
					if (request.idOrigin === 'derived' || sends > 1) return adopt(existing.task);
					throw alreadyExistsError(this, request, existing.task);
				}
				throw unprovenError(
					this,
					request,
					`Kling says External Task ID "${externalTaskId}" is taken, but its task could not be read`,
					existing.kind === 'unknown' ? existing.reason : 'The lookup found no such task',
				);
			}
			if (!isAmbiguousSubmit(error)) throw withTaskContext(asNodeError(this.getNode(), error), { externalTaskId });

			const found = await lookUpAfterAmbiguousSubmit.call(this, request);
			if (found.kind === 'found') return adopt(found.task);
			if (found.kind === 'unknown') {
				const unknown = withTaskContext(asNodeError(this.getNode(), error), { externalTaskId });
				unknown.description = `Looking the task up did not prove whether it exists (${found.reason}). Nothing was sent again. ${checkWith(externalTaskId)}`;
				throw unknown;
			}
			if (sends >= MAX_SUBMIT_SENDS) {
				const gaveUp = withTaskContext(asNodeError(this.getNode(), error), { externalTaskId });
				gaveUp.description = `Kling said it has no task with this external_task_id, but the submit was already sent ${sends} times. ${checkWith(externalTaskId)}`;
				throw gaveUp;
			}
			// Kling said "no such task" for our id by its documented lookup: one more send cannot pay twice.
		}
	}
}
