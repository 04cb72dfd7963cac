/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test infrastructure: plays n8n's waiting-webhook server around the engine */
/**
 * Park mode in n8n's engine: a workflow runs until the Kling node parks it (status waiting), then a
 * callback is played the way n8n's server does (packages/cli/src/webhooks/waiting-webhooks.ts and
 * webhook-helpers.ts): the node's webhook() runs in a real WebhookContext; with workflowData the
 * waiting node is disabled, its input replaced by the webhook's items and the execution continues.
 * `expire()` plays the WaitTracker when waitTill passes (the engine re-runs the node disabled).
 * Between the two, the execution data goes through JSON, as it does through n8n's database.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { WebhookContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	IRun,
	IRunExecutionData,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { KlingTrigger } from '../../../nodes/KlingTrigger/KlingTrigger.node';
import { readBody } from '../emulator/kling-emulator';
import {
	executePass,
	FAST_TIMING,
	harnessAdditionalData,
	harnessNodeTypes,
	initBinaryData,
	KLING_CREDENTIAL_ID,
	klingChain,
	lastOutput,
	nextExecutionId,
	type NodeRunError,
	runError,
	startingAt,
	testNode,
	TestNodeTypes,
	workflowData,
} from './n8n';

export const KLING_TRIGGER_TYPE = 'n8n-nodes-kling.klingTrigger';

export interface CallbackRequest {
	body: unknown;
	headers?: Record<string, string>;
	/** The exact bytes received; defaults to JSON.stringify(body). */
	rawBody?: string;
}

export interface CallbackAnswer {
	status: number;
	body: unknown;
	/** The webhook handed items over: the execution continued. */
	resumed: boolean;
	/** How long webhook() took until it answered Kling, and in total. */
	answeredAfterMs?: number;
}

/** Stands in for express's Response: records what the webhook answered. */
class RecordedResponse {
	statusCode = 200;
	body: unknown;
	headersSent = false;
	answeredAt?: number;
	/** Passes the answer on at once, as express does (the webhook may keep working afterwards). */
	constructor(private readonly forward?: (status: number, body: unknown) => void) {}
	status(code: number) {
		this.statusCode = code;
		return this;
	}
	json(body: unknown) {
		return this.send(body);
	}
	send(body: unknown) {
		this.body = body;
		this.headersSent = true;
		this.answeredAt = Date.now();
		this.forward?.(this.statusCode, body);
		return this;
	}
	end() {
		return this.send(undefined);
	}
	setHeader() {
		return this;
	}
}

function webhookRequest(request: CallbackRequest) {
	const rawBody = request.rawBody ?? JSON.stringify(request.body);
	return {
		method: 'POST',
		body: request.body,
		rawBody: Buffer.from(rawBody),
		headers: { 'content-type': 'application/json', ...(request.headers ?? {}) },
		query: {},
		params: {},
		contentType: 'application/json',
	};
}

/** One POST to a node's webhook as n8n's webhook servers set it up: the request in, a recorded response, the node's WebhookContext. */
function webhookCall(call: {
	workflow: Workflow;
	node: INode;
	description: IWebhookDescription;
	path: string;
	mode: WorkflowExecuteMode;
	additionalData: IWorkflowExecuteAdditionalData;
	request: CallbackRequest;
	runExecutionData: IRunExecutionData | null;
	forward?: (status: number, body: unknown) => void;
}) {
	const response = new RecordedResponse(call.forward);
	const additionalData = {
		...call.additionalData,
		httpRequest: webhookRequest(call.request),
		httpResponse: response,
	} as unknown as IWorkflowExecuteAdditionalData;
	const webhookData = {
		httpMethod: 'POST',
		node: call.node.name,
		path: call.path,
		webhookDescription: call.description,
		workflowId: call.workflow.id,
		workflowExecuteAdditionalData: additionalData,
	} as unknown as IWebhookData;
	const context = new WebhookContext(call.workflow, call.node, additionalData, call.mode, webhookData, [], call.runExecutionData);
	return { response, context };
}

export interface ParkRunOptions {
	parameters: IDataObject;
	credentials: ICredentialDataDecryptedObject;
	items?: IDataObject[];
	network?: Record<string, string>;
	continueOnFail?: boolean;
	timing?: IDataObject;
	/** A second Kling node after the first (e.g. Task › Get for items that were not collected). */
	then?: IDataObject;
	/** Where the resume URL points (a CallbackReceiver); nothing listens on the default. */
	waitingBaseUrl?: string;
}

/** Test Input → Kling (→ Kling 2) → Binary Probe, started and then driven by callbacks or a deadline. */
export class ParkSession {
	readonly executionId = nextExecutionId('park');
	readonly workflow: Workflow;
	private readonly additionalData: IWorkflowExecuteAdditionalData;
	private readonly workflowData: IWorkflowBase;
	private data!: IRunExecutionData;
	/** The run as the last engine pass ended it (waiting, success or error). */
	run!: IRun;
	/** Engine passes: 1 to park, then one per resume (a second resume would show here). */
	passes = 0;
	/** An engine pass is under way: n8n's database says "running". */
	private executing = false;

	constructor(options: ParkRunOptions) {
		const { nodes, connections } = klingChain({ ...options, items: options.items?.map((json) => ({ json })) });
		this.workflowData = workflowData('wf-kling-park', 'Kling park test', nodes, connections);
		this.workflow = new Workflow({ ...this.workflowData, nodeTypes: harnessNodeTypes() });
		this.additionalData = harnessAdditionalData(this.executionId, this.workflowData.id, { [KLING_CREDENTIAL_ID]: options.credentials }, options.network ?? {});
		if (options.waitingBaseUrl) this.additionalData.webhookWaitingBaseUrl = options.waitingBaseUrl;
	}

	get resumeToken(): string | undefined {
		return this.data?.resumeToken;
	}

	/** Runs until the workflow ends or parks. */
	async start(): Promise<IRun> {
		await initBinaryData();
		this.data = startingAt(this.workflow.getNode('Test Input')!);
		return await this.execute();
	}

	private async execute(): Promise<IRun> {
		this.passes++;
		this.executing = true;
		try {
			this.run = await executePass(this.additionalData, this.workflowData, this.workflow, this.data);
			// What n8n stores and later loads again.
			this.data = JSON.parse(JSON.stringify(this.run.data)) as IRunExecutionData;
		} finally {
			this.executing = false;
		}
		return this.run;
	}

	get waiting(): boolean {
		return this.run?.status === 'waiting' || Boolean(this.run?.waitTill);
	}

	get resumeUrl(): string {
		return `${this.additionalData.webhookWaitingBaseUrl}/${this.executionId}?signature=${this.data.resumeToken}`;
	}

	/** A callback to the resume URL, as n8n's waiting-webhook server handles it (several may be in flight). */
	async callback(request: CallbackRequest, forward?: (status: number, body: unknown) => void): Promise<CallbackAnswer> {
		// waiting-webhooks.ts: a running execution (still submitting, or resuming) and a finished one both get 409.
		if (this.executing || !this.data) return { status: 409, body: { code: 409, message: `The execution "${this.executionId}" is running already.` }, resumed: false };
		if (!this.waiting) return { status: 409, body: { code: 409, message: `The execution "${this.executionId} has finished already.` }, resumed: false };
		const data = this.data;
		const entry = data.executionData!.nodeExecutionStack[0];
		const node = this.workflow.getNode(entry.node.name)!;
		const nodeType = this.workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as INodeType;
		const { response, context } = webhookCall({
			workflow: this.workflow,
			node,
			description: nodeType.description.webhooks!.find((webhook) => webhook.restartWebhook)!,
			path: '',
			mode: 'manual',
			additionalData: this.additionalData,
			request,
			runExecutionData: data,
			forward,
		});
		const startedAt = Date.now();
		const result: IWebhookResponseData = await nodeType.webhook!.call(context);
		const answer: CallbackAnswer = {
			status: response.headersSent ? response.statusCode : 200,
			body: response.headersSent ? response.body : (result.webhookResponse ?? { message: 'Webhook call received' }),
			resumed: result.workflowData !== undefined,
			answeredAfterMs: (response.answeredAt ?? Date.now()) - startedAt,
		};
		if (result.workflowData === undefined) return answer;
		// waiting-webhooks.ts + webhook-helpers.ts prepareExecutionData
		entry.node.disabled = true;
		data.waitTill = undefined;
		data.resultData.runData[data.resultData.lastNodeExecuted!].pop();
		entry.data.main = result.workflowData;
		entry.metadata = { ...(entry.metadata ?? {}), forwardAllOutputs: true };
		await this.execute();
		return answer;
	}

	/** waitTill has passed: n8n's WaitTracker runs the execution again as it was stored. */
	async expire(): Promise<IRun> {
		if (!this.waiting) throw new Error('the execution is not waiting');
		return await this.execute();
	}

	output(nodeName: string): INodeExecutionData[] {
		return lastOutput(this.run, nodeName);
	}

	error(nodeName?: string): NodeRunError | undefined {
		return runError(this.run, nodeName);
	}
}

/**
 * The Kling Trigger's production webhook, as n8n's live-webhook server calls it: no execution yet;
 * with workflowData a new execution starts with those items (here: the trigger's output).
 */
export async function callTrigger(options: {
	parameters: IDataObject;
	credentials: ICredentialDataDecryptedObject;
	network?: Record<string, string>;
	request: CallbackRequest;
	/**
	 * The workflow's static data as n8n's database holds it: each call loads it into the workflow and,
	 * when the node changed it, writes it back once webhook() has answered (live-webhooks.ts,
	 * WorkflowStaticDataService.saveStaticData). Concurrent calls race as they do in n8n.
	 */
	staticData?: IDataObject;
}): Promise<CallbackAnswer & { items?: INodeExecutionData[] }> {
	await initBinaryData();
	const node = testNode('Kling Trigger', KLING_TRIGGER_TYPE, { timing: FAST_TIMING, ...options.parameters }, {
		credentials: { klingApi: { id: KLING_CREDENTIAL_ID, name: 'Kling account' } },
		webhookId: createHash('sha1').update('trigger').digest('hex').slice(0, 12),
	});
	const trigger = new KlingTrigger();
	const workflow = new Workflow({
		id: 'wf-kling-trigger',
		name: 'Kling trigger test',
		active: true,
		nodes: [node],
		connections: {},
		nodeTypes: new TestNodeTypes({ [KLING_TRIGGER_TYPE]: trigger }),
		settings: { executionOrder: 'v1' },
		staticData: options.staticData ? (JSON.parse(JSON.stringify(options.staticData)) as IDataObject) : undefined,
	});
	const { response, context } = webhookCall({
		workflow,
		node,
		description: trigger.description.webhooks![0],
		path: 'kling',
		mode: 'trigger',
		additionalData: harnessAdditionalData(nextExecutionId('trigger'), workflow.id, { [KLING_CREDENTIAL_ID]: options.credentials }, options.network ?? {}),
		request: options.request,
		runExecutionData: null,
	});
	const result = await trigger.webhook.call(context);
	if (options.staticData && workflow.staticData.__dataChanged === true) {
		for (const key of Object.keys(options.staticData)) delete options.staticData[key];
		Object.assign(options.staticData, JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject);
	}
	return {
		status: response.headersSent ? response.statusCode : 200,
		body: response.headersSent ? response.body : result.webhookResponse,
		resumed: result.workflowData !== undefined,
		items: result.workflowData?.[0],
	};
}

/**
 * n8n's webhook server in front of the engine, on 127.0.0.1: the emulator's callbacks really travel
 * over HTTP. /webhook-waiting/<execution>?signature=<token> goes to a ParkSession (the token is
 * checked as n8n checks it); /webhook/<anything> goes to the trigger handler.
 */
export class CallbackReceiver {
	readonly sessions = new Map<string, ParkSession>();
	readonly received: Array<{ path: string; status: number }> = [];
	/**
	 * Answers a request with this status instead of handling it: plays a proxy or network between
	 * the caller and n8n that refuses it (e.g. n8n cannot reach its own WEBHOOK_URL).
	 */
	refuse?: (request: CallbackRequest) => number | undefined;
	trigger?: (request: CallbackRequest) => Promise<CallbackAnswer>;
	url = '';
	private server?: Server;
	private readonly pending = new Set<Promise<unknown>>();

	get waitingBaseUrl(): string {
		return `${this.url}/webhook-waiting`;
	}

	async start(): Promise<this> {
		this.server = createServer((req, res) => {
			const work = this.handle(req, (status, body) => {
				if (res.headersSent) return;
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body ?? {}));
			});
			this.pending.add(work);
			void work.finally(() => this.pending.delete(work));
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	async stop(): Promise<void> {
		await this.settled();
		await new Promise((resolve) => this.server?.close(resolve));
	}

	/** Resolves once every request received so far (and any execution it resumed) has ended. */
	async settled(): Promise<void> {
		while (this.pending.size) await Promise.allSettled([...this.pending]);
	}

	private async handle(req: IncomingMessage, answer: (status: number, body: unknown) => void): Promise<void> {
		const url = new URL(req.url ?? '/', this.url);
		const rawBody = await readBody(req);
		const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, String(value)]));
		let body: unknown;
		try {
			body = JSON.parse(rawBody);
		} catch {
			body = {};
		}
		const request: CallbackRequest = { body, rawBody, headers };
		let answered = false;
		const respond = (status: number, payload: unknown) => {
			if (answered) return;
			answered = true;
			this.received.push({ path: url.pathname, status });
			answer(status, payload);
		};
		const refusal = this.refuse?.(request);
		if (refusal !== undefined) return respond(refusal, { message: 'refused by the test' });
		try {
			const waiting = /^\/webhook-waiting\/([^/]+)$/.exec(url.pathname);
			if (waiting) {
				const session = this.sessions.get(waiting[1]);
				if (!session) return respond(404, { message: 'no such execution' });
				if (url.searchParams.get('signature') !== session.resumeToken) return respond(401, { error: 'Invalid token' });
				const result = await session.callback(request, respond);
				return respond(result.status, result.body);
			}
			if (url.pathname.startsWith('/webhook/') && this.trigger) {
				const result = await this.trigger(request);
				return respond(result.status, result.body);
			}
			respond(404, { message: 'not found' });
		} catch (error) {
			respond(500, { message: (error as Error).message });
		}
	}
}
