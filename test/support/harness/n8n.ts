/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/node-usable-as-tool -- test infrastructure: runs real workflows outside an n8n server; its helper nodes are not tools */
import { userFolder } from './env';

import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataService, DirectoryLoader, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IConnections,
	IVersionedNodeType,
} from 'n8n-workflow';
import {
	createRunExecutionData,
	ICredentialsHelper,
	LoggerProxy,
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
} from 'n8n-workflow';

import { KlingApi } from '../../../credentials/KlingApi.credentials';
import { Kling } from '../../../nodes/Kling/Kling.node';
import { EMULATED_ORIGIN_HEADER } from '../emulator/kling-emulator';

export const KLING_NODE_TYPE = 'n8n-nodes-kling.kling';

/** Every log line n8n's logger printed during the tests, to check that no secret leaks there. */
export const capturedLogLines: string[] = [];
const capture =
	(level: string) =>
	(message: string, meta: object = {}) =>
		capturedLogLines.push(`${level} ${message} ${JSON.stringify(meta)}`);
LoggerProxy.init({
	error: capture('error'),
	warn: capture('warn'),
	info: capture('info'),
	debug: capture('debug'),
	scoped: () => LoggerProxy,
} as unknown as Parameters<typeof LoggerProxy.init>[0]);

/** Emits the items a test gives it, with binary properties stored the way n8n stores uploads. */
export class TestInput implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Input',
		name: 'testInput',
		group: ['input'],
		version: 1,
		description: 'Emits test items',
		defaults: { name: 'Test Input' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | TestItem[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as TestItem[];
		const output: INodeExecutionData[] = [];
		for (const item of items) {
			const binary: INodeExecutionData['binary'] = {};
			for (const [property, file] of Object.entries(item.binary ?? {})) {
				binary[property] = await this.helpers.prepareBinaryData(
					Buffer.from(file.base64, 'base64'),
					file.fileName,
					file.mimeType,
				);
			}
			output.push({ json: item.json ?? {}, binary: Object.keys(binary).length ? binary : undefined });
		}
		return [output];
	}
}

/** Reads every binary of every item back through n8n's helpers, as a next node would. */
export class BinaryProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Binary Probe',
		name: 'binaryProbe',
		group: ['transform'],
		version: 1,
		description: 'Hashes incoming binaries',
		defaults: { name: 'Binary Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			await Promise.all(
				this.getInputData().map(async (item, index) => {
					const probe: IDataObject = {};
					for (const [property, data] of Object.entries(item.binary ?? {})) {
						const bytes = await this.helpers.getBinaryDataBuffer(index, property);
						probe[property] = {
							sha256: createHash('sha256').update(bytes).digest('hex'),
							bytes: bytes.length,
							mimeType: data.mimeType,
							fileName: data.fileName ?? null,
							storedAs: data.id ? String(data.id).split(':')[0] : 'inline',
						};
					}
					return { json: { ...item.json, probe }, pairedItem: { item: index } };
				}),
			),
		];
	}
}

export interface TestItem {
	json?: IDataObject;
	binary?: Record<string, { base64: string; mimeType: string; fileName: string }>;
}

export class TestNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType>) {
		for (const type of Object.values(types)) DirectoryLoader.applyDeclarativeNodeOptionParameters(type);
	}
	getByName(type: string): INodeType | IVersionedNodeType {
		return this.types[type];
	}
	getByNameAndVersion(type: string, version?: number): INodeType {
		const nodeType = this.types[type];
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return NodeHelpers.getVersionedNodeType(nodeType, version);
	}
	getKnownTypes() {
		return {};
	}
}

/**
 * Stands in for n8n's CLI credentials helper. It calls the real credential's authenticate; the
 * `network` map then plays DNS: a request meant for a preset host (e.g. api.cometapi.com) is
 * delivered to the emulator, which is told the intended origin in a header.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly credentialType: ICredentialType,
		private readonly data: Record<string, ICredentialDataDecryptedObject>,
		private readonly network: Record<string, string>,
	) {
		super();
	}
	getParentTypes(): string[] {
		return [];
	}
	isCredentialUsableByNode(): boolean {
		return true;
	}
	async authenticate(credentials: ICredentialDataDecryptedObject, _type: string, request: IHttpRequestOptions) {
		const authenticate = this.credentialType.authenticate as (
			c: ICredentialDataDecryptedObject,
			r: IHttpRequestOptions,
		) => Promise<IHttpRequestOptions>;
		const authenticated = await authenticate(credentials, request);
		const target = new URL(authenticated.baseURL ?? authenticated.url);
		const routed = this.network[target.origin];
		if (!routed) return authenticated;
		return {
			...authenticated,
			baseURL: authenticated.baseURL ? authenticated.baseURL.replace(target.origin, routed) : undefined,
			url: authenticated.baseURL ? authenticated.url : authenticated.url.replace(target.origin, routed),
			headers: { ...(authenticated.headers ?? {}), [EMULATED_ORIGIN_HEADER]: target.origin },
		};
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getCredentials(): Promise<never> {
		throw new Error('not used by the harness');
	}
	async getDecrypted(_additionalData: unknown, nodeCredentials: { id: string | null }, type: string) {
		const data = this.data[nodeCredentials.id ?? ''];
		if (!data) throw new Error(`No test credential ${nodeCredentials.id} of type ${type}`);
		return NodeHelpers.getNodeParameters(
			this.credentialType.properties,
			data as INode['parameters'],
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties() {
		return this.credentialType.properties;
	}
}

let binaryDataReady: Promise<void> | undefined;

/** Filesystem binary mode, as n8n runs by default: binaries are stored by reference, not inline. */
export function initBinaryData(): Promise<void> {
	binaryDataReady ??= (async () => {
		const service = Container.get(BinaryDataService);
		const config = (service as unknown as { config: { mode: string; localStoragePath: string; availableModes: string[] } }).config;
		config.mode = 'filesystem';
		config.availableModes = ['filesystem'];
		config.localStoragePath = mkdtempSync(join(userFolder, 'binary-'));
		await service.init();
	})();
	return binaryDataReady;
}

export interface RunOptions {
	nodes: INode[];
	connections: IConnections;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	network?: Record<string, string>;
	extraNodeTypes?: Record<string, INodeType>;
	/** Cancel the execution after this many milliseconds. */
	cancelAfterMs?: number;
	executionId?: string;
}

export type NodeRunError = Error & { description?: string; context?: IDataObject; httpCode?: string };

export interface RunResult {
	run: IRun;
	/** The first output of a node's last run, or [] when it did not run. */
	output(nodeName: string): INodeExecutionData[];
	/** The error a node (or the run) ended with, if any. */
	error(nodeName?: string): NodeRunError | undefined;
}

/** A workflow node with a stable id derived from its name. */
export const testNode = (name: string, type: string, parameters: IDataObject, extra: Partial<INode> = {}): INode => ({
	id: `${createHash('sha1').update(name).digest('hex').slice(0, 8)}-0000-4000-8000-000000000000`,
	name,
	type,
	typeVersion: 1,
	position: [0, 0],
	parameters: parameters as INode['parameters'],
	...extra,
});

let executionCounter = 0;

/** An execution id no other run of this test process has. */
export const nextExecutionId = (prefix: string) => `${prefix}-${process.pid}-${++executionCounter}`;

/** The Kling node and the test helper nodes, plus `extra` types a test brings. */
export function harnessNodeTypes(extra: Record<string, INodeType> = {}): TestNodeTypes {
	return new TestNodeTypes({
		[KLING_NODE_TYPE]: new Kling(),
		'test.input': new TestInput(),
		'test.binaryProbe': new BinaryProbe(),
		...extra,
	});
}

/** A workflow as n8n's database holds it. */
export function workflowData(id: string, name: string, nodes: INode[], connections: IConnections): IWorkflowBase {
	return {
		id,
		name,
		active: false,
		isArchived: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	};
}

/** What n8n's server gives an execution, minus its hooks (one set per engine pass, see executePass). */
export function harnessAdditionalData(
	executionId: string,
	workflowId: string,
	credentials: Record<string, ICredentialDataDecryptedObject>,
	network: Record<string, string>,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new TestCredentialsHelper(new KlingApi(), credentials, network),
		executionId,
		workflowId,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		variables: {},
		logAiEvent: () => undefined,
		setExecutionStatus: () => undefined,
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not part of these tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** Execution data that starts the workflow at `node` with one empty item. */
export const startingAt = (node: INode): IRunExecutionData =>
	createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node, data: { main: [[{ json: {} }]] }, source: null }] },
	});

/**
 * One pass of n8n's engine over `data` until the workflow ends or waits; resolves with the run as
 * n8n's workflowExecuteAfter hook reports it (what n8n saves).
 */
export async function executePass(
	additionalData: IWorkflowExecuteAdditionalData,
	data: IWorkflowBase,
	workflow: Workflow,
	runExecutionData: IRunExecutionData,
	cancelAfterMs?: number,
): Promise<IRun> {
	const hooks = new ExecutionLifecycleHooks('manual', additionalData.executionId!, data);
	let finish: (run: IRun) => void = () => undefined;
	const finished = new Promise<IRun>((resolve) => (finish = resolve));
	hooks.addHandler('workflowExecuteAfter', (run: IRun) => finish(run));
	const execute = new WorkflowExecute({ ...additionalData, hooks }, 'manual', runExecutionData);
	const cancellable = execute.processRunExecutionData(workflow);
	if (cancelAfterMs !== undefined) setTimeout(() => cancellable.cancel(), cancelAfterMs);
	await cancellable;
	return await finished;
}

/** The first output of a node's last run, or [] when it did not run. */
export function lastOutput(run: IRun, nodeName: string): INodeExecutionData[] {
	const runs = run.data.resultData.runData[nodeName];
	return runs?.[runs.length - 1]?.data?.main?.[0] ?? [];
}

/** The error a node's last run (or, without a name, the run) ended with, if any. */
export function runError(run: IRun, nodeName?: string): NodeRunError | undefined {
	if (!nodeName) return run.data.resultData.error as NodeRunError | undefined;
	const runs = run.data.resultData.runData[nodeName];
	return runs?.[runs.length - 1]?.error as NodeRunError | undefined;
}

export async function runWorkflow(options: RunOptions): Promise<RunResult> {
	await initBinaryData();
	const data = workflowData('wf-kling-test', 'Kling test', options.nodes, options.connections);
	const workflow = new Workflow({ ...data, nodeTypes: harnessNodeTypes(options.extraNodeTypes) });
	const additionalData = harnessAdditionalData(options.executionId ?? nextExecutionId('exec'), data.id, options.credentials ?? {}, options.network ?? {});
	const run = await executePass(additionalData, data, workflow, startingAt(options.nodes[0]), options.cancelAfterMs);
	return { run, output: (nodeName) => lastOutput(run, nodeName), error: (nodeName) => runError(run, nodeName) };
}

export interface KlingRunOptions {
	parameters: IDataObject;
	/** A second Kling node ("Kling 2") fed by the first, e.g. Task › Get after a submit. */
	then?: IDataObject;
	credentials: ICredentialDataDecryptedObject;
	items?: TestItem[];
	network?: Record<string, string>;
	continueOnFail?: boolean;
	retryOnFail?: boolean;
	cancelAfterMs?: number;
	/** The execution's id (default: one no other run of this process has), e.g. to replay another database's ids. */
	executionId?: string;
	/** Node ids by node name, e.g. to give two nodes ids that share a prefix. */
	nodeIds?: Record<string, string>;
	/** Timing overrides for the node (its hidden `timing` parameter); defaults to FAST_TIMING. */
	timing?: IDataObject;
}

/**
 * The emulator answers in milliseconds, so tests back off in milliseconds too. Passed to the node
 * as its hidden `timing` parameter: the production constants stay untouched.
 */
export const FAST_TIMING: IDataObject = {
	backoffBaseMs: 10,
	backoffMaxMs: 40,
	requestTimeoutMs: 2_000,
	submitLookupDelaysMs: [10, 20, 30],
	downloadBackoffBaseMs: 10,
	downloadBackoffMaxMs: 40,
	// The emulator's file host is 127.0.0.1 while tests reach Kling under the preset host names.
	allowPrivateFileHosts: true,
	// Most tests give made-up input URLs (https://x.example/…); the URL pre-check tests switch it on.
	inputUrlCheck: false,
};

/** The Kling nodes' credential id in a workflow from klingChain. */
export const KLING_CREDENTIAL_ID = 'kling-credential';

export type KlingChainOptions = Pick<KlingRunOptions, 'parameters' | 'then' | 'items' | 'continueOnFail' | 'retryOnFail' | 'timing' | 'nodeIds'>;

/** Test Input → Kling (→ Kling 2) → Binary Probe, the shape of the workflows users build. */
export function klingChain(options: KlingChainOptions): { nodes: INode[]; connections: IConnections } {
	const timing = { ...FAST_TIMING, ...(options.timing ?? {}) };
	const klingNode = (name: string, parameters: IDataObject) =>
		testNode(name, KLING_NODE_TYPE, { timing, ...parameters }, {
			credentials: { klingApi: { id: KLING_CREDENTIAL_ID, name: 'Kling account' } },
			onError: options.continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
			retryOnFail: options.retryOnFail,
			waitBetweenTries: 0,
			maxTries: 2,
			...(options.nodeIds?.[name] ? { id: options.nodeIds[name] } : {}),
		});
	const chain = ['Test Input', 'Kling', ...(options.then ? ['Kling 2'] : []), 'Binary Probe'];
	return {
		nodes: [
			testNode('Test Input', 'test.input', { items: JSON.stringify(options.items ?? [{ json: {} }]) }),
			klingNode('Kling', options.parameters),
			...(options.then ? [klingNode('Kling 2', options.then)] : []),
			testNode('Binary Probe', 'test.binaryProbe', {}),
		],
		connections: Object.fromEntries(
			chain.slice(0, -1).map((name, index) => [
				name,
				{ main: [[{ node: chain[index + 1], type: NodeConnectionTypes.Main, index: 0 }]] },
			]),
		),
	};
}

export async function runKling(options: KlingRunOptions): Promise<RunResult & { kling: INodeExecutionData[]; probed: INodeExecutionData[] }> {
	const result = await runWorkflow({
		...klingChain(options),
		credentials: { [KLING_CREDENTIAL_ID]: options.credentials },
		network: options.network,
		cancelAfterMs: options.cancelAfterMs,
		executionId: options.executionId,
	});
	return { ...result, kling: result.output('Kling'), probed: result.output('Binary Probe') };
}

/**
 * Runs the credential's test request the way n8n's credentials tester does: as the routing of a
 * throwaway declarative node, through the real engine and the real authenticate.
 */
export async function testCredential(
	credentials: ICredentialDataDecryptedObject,
	network: Record<string, string> = {},
): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const credentialType = new KlingApi();
	const testNode: INodeType = {
		description: {
			displayName: 'Credential Test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: 'Runs a credential test request',
			defaults: { name: 'Credential Test' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: 'klingApi', required: true }],
			requestDefaults: {},
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: credentialType.test.request } },
			],
		},
	};
	const result = await runWorkflow({
		nodes: [
			{ id: 'a0000000-0000-4000-8000-000000000001', name: 'Test Input', type: 'test.input', typeVersion: 1, position: [0, 0], parameters: { items: '[{}]' } },
			{
				id: 'a0000000-0000-4000-8000-000000000002',
				name: 'Credential Test',
				type: 'test.credentialTest',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
				credentials: { klingApi: { id: 'kling-credential', name: 'Kling account' } },
			},
		],
		connections: { 'Test Input': { main: [[{ node: 'Credential Test', type: NodeConnectionTypes.Main, index: 0 }]] } },
		credentials: { 'kling-credential': credentials },
		network,
		extraNodeTypes: { 'test.credentialTest': testNode },
	});
	const error = result.error('Credential Test');
	if (!error) return { status: 'OK', message: 'Connection successful' };
	const rule = credentialType.test.rules?.find(
		(candidate) => candidate.type === 'responseCode' && String(candidate.properties.value) === String(error.httpCode),
	);
	return { status: 'Error', message: rule ? String(rule.properties.message) : error.message };
}
