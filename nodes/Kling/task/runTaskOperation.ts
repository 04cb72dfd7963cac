import { createHash } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { applyTaskRequestOptions, readWaitSettings, type WaitSettings } from '../input/itemSettings';
import { budgetOf, costJson, estimateCost, type Estimate, isEstimateOnly, readRunBudget, rememberBudget } from './cost';
import { deliverTask } from './deliver';
import { asNodeError, cancelledError, inputRefused } from '../transport/errors';
import { rejectSharedExternalIds, runItems } from './itemResults';
import type { TaskOperation } from './operation';
import { accountKey, acquireSlots, slotPoolKey, slotsFor } from '../concurrency/taskSlots';
import { submitTask, type IdOrigin } from './submit';
import { capabilitiesOf, findVideoModel } from '../kling/models';
import { generation4Capabilities, StandardError, submitRequestFor } from './apiStandardAdapter';
import type { KlingTask } from '../kling/taskShape';
import { checkBodyVideoUrls } from '../input/urlCheck';
import { promptProblemOnRoute, validateBody } from '../input/validation';
import { taskIdsCarrying } from './lookupByExternalId';
import { routeFactsOf } from '../kling/catalogue';
import { findGeneration4Model } from '../kling/generation4';
import { nonEnglishPromptNotice } from '../input/generation4Input';
import { mergeBodyExtras, offeredLabels, readBodyExtras } from './bodyExtras';

/** What a derived external_task_id is made of, kept beside it in the item's JSON. */
export interface DerivedIdParts extends IDataObject {
	n8n_instance: string;
	workflow_id: string;
	execution_id: string;
	node_id: string;
	run_index: number;
	item_index: number;
}

/**
 * A deterministic external_task_id, unique to this n8n installation, workflow, node (its full id),
 * execution, run and item: n8n's "Retry On Fail" of the same item finds the task it already paid for,
 * while another installation replaying the same ids (source control, a restored backup) or another
 * node of the workflow never meets it. Kling documents no length limit or character set for the id,
 * so the parts are hashed into a short id of [A-Za-z0-9_-].
 */
export function derivedExternalTaskId(context: IExecuteFunctions, itemIndex: number): { id: string; parts: DerivedIdParts } {
	const parts: DerivedIdParts = {
		n8n_instance: context.getInstanceId(),
		workflow_id: String(context.getWorkflow().id ?? ''),
		execution_id: String(context.getExecutionId() ?? ''),
		node_id: context.getNode().id,
		run_index: Number(context.getWorkflowDataProxy(itemIndex).$thisRunIndex ?? 0),
		item_index: itemIndex,
	};
	const digest = createHash('sha256').update(JSON.stringify(Object.values(parts))).digest('base64url');
	return { id: `n8n-${digest.slice(0, 32)}`, parts };
}

export function userExternalTaskId(context: IExecuteFunctions, itemIndex: number): string | undefined {
	const options = (context.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
	const id = String(options.externalTaskId ?? '').trim();
	return id || undefined;
}

/**
 * The submit body for one item: fields, common options, checked against Kling's limits before
 * anything is paid. `extras` (Options › Additional Body Fields) are read here and merged by routeFor
 * into the payload as sent, so the estimate, the slots and every send of the item see one body.
 */
async function prepareBody(this: IExecuteFunctions, operation: TaskOperation, itemIndex: number) {
	const options = (this.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
	const extras = readBodyExtras(this.getNode(), options.additionalBodyFields, itemIndex);
	const body = applyTaskRequestOptions(await operation.buildBody.call(this, itemIndex, options), options);
	validateBody(this.getNode(), body, operation.rules, itemIndex);
	await checkBodyVideoUrls.call(this, body, operation.rules, itemIndex);
	let idOrigin: IdOrigin = 'user';
	let idParts: DerivedIdParts | undefined;
	if (operation.commonOptions.includes('externalTaskId') && !body.external_task_id) {
		const derived = derivedExternalTaskId(this, itemIndex);
		body.external_task_id = derived.id;
		idParts = derived.parts;
		idOrigin = 'derived';
	}
	return { body, idOrigin, idParts, options, extras };
}

interface Route {
	route: string;
	payload: IDataObject;
	/** Added to the item's JSON: which API was used, and whether the model was checked before paying. */
	facts: IDataObject;
}

/**
 * Where the body goes: a video product goes to the API standard the credential and model allow
 * (https://kling.ai/document-api/updates/api), with the body in that standard's shape; everything else to its route.
 */
function routeFor(
	this: IExecuteFunctions,
	operation: TaskOperation,
	body: IDataObject,
	options: IDataObject,
	extras: IDataObject | undefined,
	credentials: ICredentialDataDecryptedObject,
	itemIndex: number,
): Route {
	const product = operation.videoProduct;
	const model = String(body.model_name ?? '');
	// The extras join the body as sent (after the new-API conversion), never over what the node manages.
	const withExtras = (payload: IDataObject) => mergeBodyExtras(this.getNode(), payload, extras, offeredLabels(operation), itemIndex);
	try {
		const choice = submitRequestFor(credentials, operation, body, (options.apiStandard as 'auto') ?? 'auto');
		if (routeFactsOf(operation.taskPath)?.generation4) {
			if (options.externalTaskId && !generation4Capabilities(credentials).externalTaskId) {
				throw new StandardError(
					'the External Task ID option cannot be used with Kling 4.0 on this host: the credential\'s "Kling 4.0: Send External Task ID" is off, so Kling would never see it. Remove the option, or switch the credential\'s setting on where your host documents external_task_id for Kling 4.0',
				);
			}
			const facts: IDataObject = { api_standard: 'new', model };
			if (!findGeneration4Model(model)) {
				facts.model_checked = false;
				facts.notice = `${model} is not in this node's Kling 4.0 table; it was sent with the checks every 4.0 request gets and Kling decided`;
			}
			const notice = nonEnglishPromptNotice(body);
			if (notice) facts.notice = notice;
			return { route: choice.route, payload: withExtras(choice.payload), facts };
		}
		if (!product) return { route: choice.route, payload: withExtras(choice.payload), facts: { api_standard: 'legacy' } };
		const payload = choice.payload;
		const promptProblem = promptProblemOnRoute(body, product, choice.standard, payload);
		if (promptProblem) throw new StandardError(promptProblem);
		const facts: IDataObject = { api_standard: choice.standard, model };
		if (!capabilitiesOf(model, product)) {
			facts.model_checked = false;
			facts.notice = findVideoModel(model)
				? `${model} is retired; it was sent as it is and Kling decided`
				: `${model} is not in this node's model table; it was sent unchecked and Kling decided`;
		}
		return { route: choice.route, payload: withExtras(payload), facts };
	} catch (error) {
		if (error instanceof StandardError) throw inputRefused(this.getNode(), `Invalid input: ${error.message}`, itemIndex);
		throw asNodeError(this.getNode(), error);
	}
}

export interface SubmittedItem {
	task: KlingTask;
	/** The item's price before it was paid (prices.ts). */
	estimate: Estimate;
	route: string;
	/** The external_task_id Kling was given; undefined where none was sent (Kling 4.0 without the credential's switch). */
	externalTaskId: string | undefined;
	startedAt: number;
	/** Facts for the item's JSON (API standard, model check). */
	facts: IDataObject;
	/** Sent twice (Kling said "no such task" after the first send was lost). */
	resent?: boolean;
	/** Gives the item's task slots back; the caller decides when (polling: once the task has ended). */
	release: () => void;
	/** Gives the slots back while the task runs on at Kling unwatched (park mode). */
	handOff: () => void;
}

/**
 * Prepares, checks and submits one item: the body, the API standard and provider quirks, a task
 * slot, the submit policy. `adjustPayload` may change the body before anything is sent (park mode
 * adds its callback URL; on the new standard it then travels in `options`).
 */
export async function submitItem(
	this: IExecuteFunctions,
	operation: TaskOperation,
	itemIndex: number,
	settings: WaitSettings,
	adjustPayload?: (payload: IDataObject) => void,
): Promise<SubmittedItem> {
	const startedAt = Date.now();
	const { body, idOrigin, idParts, options, extras } = await prepareBody.call(this, operation, itemIndex);
	adjustPayload?.(body);
	const credentials = await this.getCredentials('klingApi');
	const { route, payload, facts } = routeFor.call(this, operation, body, options, extras, credentials, itemIndex);
	// Kling 4.0: the id goes only where the credential says the host keeps it; the task is then sent once.
	const generation4 = routeFactsOf(operation.taskPath)?.generation4 !== undefined;
	const externalIdSent = Boolean(payload.external_task_id ?? (payload.options as IDataObject | undefined)?.external_task_id);
	if (idParts && externalIdSent) facts.external_task_id_parts = idParts;
	const estimate = estimateCost(operation.taskPath, body, operation.videoProduct);
	// The run's budget was reserved item by item before anything was sent; an item without a reservation covering it is not sent.
	const budget = budgetOf(this) ?? readRunBudget(this);
	if (budget && !budget.covers(itemIndex, estimate)) throw budget.refusal(this.getNode(), itemIndex, estimate);
	const account = accountKey(credentials);
	// Kling counts one pool per model version, whichever API standard reaches it.
	const modelName = typeof body.model_name === 'string' ? body.model_name : undefined;
	const pool = slotPoolKey(account, operation.taskPath, modelName && (findVideoModel(modelName)?.id ?? modelName));
	const lease = await acquireSlots({
		pool,
		slots: slotsFor(operation.taskPath, body),
		limit: settings.concurrency,
		signal: this.getExecutionCancelSignal(),
		maxWaitMs: settings.timeoutMs,
		cancelled: () => cancelledError(this.getNode()),
		timedOut: (waitedMs) =>
			new NodeOperationError(
				this.getNode(),
				`No free Kling task slot within the timeout (${Math.round(waitedMs / 1000)} s waited); nothing was submitted`,
				{ itemIndex, description: 'Other items and executions on this Kling account held every slot. Raise the timeout or lower the load.' },
			),
	});
	let submitted = false;
	try {
		const { task, route: usedRoute, resent } = await submitTask.call(this, {
			route,
			payload,
			externalTaskId: String(body.external_task_id),
			idOrigin,
			account,
			itemIndex,
			onAccountFull: async (probeAfterMs) => await lease.waitAfterAccountFull(probeAfterMs),
			sendOnce: generation4 ? { model: findGeneration4Model(modelName ?? '')?.name ?? modelName ?? '', externalIdSent, taskType: routeFactsOf(operation.taskPath)!.label } : undefined,
		});
		lease.accepted();
		submitted = true;
		const externalTaskId = externalIdSent ? String(body.external_task_id) : undefined;
		return { task, estimate, route: usedRoute, externalTaskId, startedAt, facts, resent, release: lease.release, handOff: lease.handOff };
	} finally {
		if (!submitted) lease.release();
	}
}

async function runItem(
	this: IExecuteFunctions,
	operation: TaskOperation,
	itemIndex: number,
	settings: WaitSettings,
): Promise<INodeExecutionData> {
	if (isEstimateOnly(this, itemIndex)) return await estimateItem.call(this, operation, itemIndex);
	const { task, estimate, route, externalTaskId, startedAt, facts, resent, release } = await submitItem.call(this, operation, itemIndex, settings);
	try {
		const delivered = await deliverTask.call(this, {
			route,
			task,
			estimate,
			ids: { taskId: task.task_id, externalTaskId },
			extraJson: facts,
			itemIndex,
			wait: settings.waitForCompletion,
			download: settings.downloadResults,
			binaryPropertyName: settings.binaryPropertyName,
			pollIntervalMs: settings.pollIntervalMs,
			// The time spent waiting for a slot counts toward the item's timeout.
			timeoutMs: Math.max(0, settings.timeoutMs - (Date.now() - startedAt)),
			onTimeout: 'error',
			failIfFailed: true,
			// Kling frees the slot when the task ends; the download does not need it.
			afterWait: release,
		});
		if (resent && externalTaskId) await nameTwinTasks.call(this, delivered, route, externalTaskId, task.task_id, itemIndex);
		return delivered;
	} finally {
		release();
	}
}

/**
 * After a resend, a lost first submit may still have been registered by Kling (late, on a route that
 * accepts a repeated external_task_id): then two tasks exist and both are charged. Name them both.
 */
async function nameTwinTasks(
	this: IExecuteFunctions,
	item: INodeExecutionData,
	route: string,
	externalTaskId: string,
	deliveredTaskId: string,
	itemIndex: number,
): Promise<void> {
	const ids = await taskIdsCarrying.call(this, route, externalTaskId, itemIndex);
	const twins = (ids ?? []).filter((id) => id !== deliveredTaskId);
	if (ids === undefined) {
		item.json.notice = `The first submit's answer was lost and it was sent again; whether Kling also registered the first one later could not be checked. Look for another task with external_task_id "${externalTaskId}" in Task › List.`;
		return;
	}
	if (!twins.length) return;
	item.json.twin_task_ids = twins;
	item.json.notice = `Kling created ${twins.length + 1} tasks for this item (external_task_id "${externalTaskId}"): task ${deliveredTaskId} (delivered here) and ${twins.map((id) => `task ${id}`).join(', ')}, registered by Kling after the first submit's answer was lost and every lookup said "no such task". Each is charged; collect the other with Task › Get.`;
}

/**
 * Estimate Only: the item's estimate and the checked request (route and body as they would be
 * sent), without sending anything. Under a Run Budget it says whether the item would fit.
 */
export async function estimateItem(this: IExecuteFunctions, operation: TaskOperation, itemIndex: number): Promise<INodeExecutionData> {
	const { body, options, extras } = await prepareBody.call(this, operation, itemIndex);
	const credentials = await this.getCredentials('klingApi');
	const { route, payload, facts } = routeFor.call(this, operation, body, options, extras, credentials, itemIndex);
	const estimate = estimateCost(operation.taskPath, body, operation.videoProduct);
	const cost = costJson(estimate);
	const budget = budgetOf(this);
	if (budget) cost.within_budget = budget.covers(itemIndex, estimate);
	const price = estimate.units === undefined ? `price unknown (${estimate.basis})` : `${estimate.units} units${estimate.pack ? ` (${estimate.pack} pack)` : ''}: ${estimate.basis}`;
	return {
		json: {
			estimate_only: true,
			...facts,
			request: { route, body: payload },
			cost,
			summary: `Estimate only, nothing was sent to Kling: ${price}${budget ? (cost.within_budget ? `; within the Run Budget of ${budget.limit} units` : `; refused under the Run Budget of ${budget.limit} units`) : ''}`,
		},
		pairedItem: { item: itemIndex },
	};
}

/**
 * Under a Run Budget, reserves each item's estimate in item order before anything is sent: items
 * that would take the run past the budget (or whose price is unknown, unless allowed) are added to
 * `rejected` and never sent. An item whose body cannot be built reserves nothing and fails later.
 */
export async function planRunBudget(this: IExecuteFunctions, operation: TaskOperation, rejected: Map<number, Error>): Promise<void> {
	const budget = readRunBudget(this);
	if (!budget) return;
	rememberBudget(this, budget);
	const estimates = new Map<number, Estimate>();
	for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
		if (rejected.has(itemIndex)) continue;
		let estimate: Estimate;
		try {
			const { body } = await prepareBody.call(this, operation, itemIndex);
			estimate = estimateCost(operation.taskPath, body, operation.videoProduct);
		} catch {
			continue;
		}
		if (!budget.reserve(itemIndex, estimate)) estimates.set(itemIndex, estimate);
	}
	for (const [itemIndex, estimate] of estimates) {
		if (!isEstimateOnly(this, itemIndex)) rejected.set(itemIndex, budget.refusal(this.getNode(), itemIndex, estimate));
	}
}

/** The customOperation behind every create endpoint: validate, submit, wait, download, per item. */
export function taskExecutor(operation: TaskOperation) {
	return async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const concurrency = this.getInputData().length ? readWaitSettings(this, 0).concurrency : 1;
		const rejected = operation.commonOptions.includes('externalTaskId')
			? rejectSharedExternalIds(this, (itemIndex) => userExternalTaskId(this, itemIndex))
			: new Map<number, Error>();
		await planRunBudget.call(this, operation, rejected);
		return await runItems.call(
			this,
			concurrency,
			async (itemIndex) => await runItem.call(this, operation, itemIndex, readWaitSettings(this, itemIndex)),
			rejected,
		);
	};
}
