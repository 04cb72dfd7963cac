// n8n's REST API as the editor uses it: log in as the owner, run a workflow, read an execution and its
// binaries. Used by the checks that run n8n as a server (queue mode, the community-package install,
// park mode) and by the park benchmark.
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { OWNER, ROOT, sleep, waitFor } from './realN8n.mjs';

// n8n stores and serves execution data in `flatted` form (it keeps shared references).
const { parse: parseFlatted } = createRequire(join(ROOT, 'package.json'))('flatted');

export class N8nRest {
	/** n8n binds the auth cookie to a browser id sent with every request. */
	#headers = { 'browser-id': 'kling-e2e-browser' };

	constructor(baseUrl) {
		this.baseUrl = baseUrl;
	}

	async request(method, path, body) {
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: { ...this.#headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${(await response.text()).slice(0, 1500)}`);
		return response;
	}

	async json(method, path, body) {
		return (await (await this.request(method, path, body)).json()).data;
	}

	async login() {
		const response = await this.request('POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
		const cookie = response.headers.getSetCookie().find((value) => value.startsWith('n8n-auth='));
		if (!cookie) throw new Error('n8n login returned no auth cookie');
		this.#headers.cookie = cookie.split(';')[0];
	}

	/** What the editor's "Publish" button does: activates the current version (its triggers go live). Returns the activated workflow. */
	async publish(workflowId) {
		const workflow = await this.json('GET', `/rest/workflows/${workflowId}`);
		return await this.json('POST', `/rest/workflows/${workflowId}/activate`, { versionId: workflow.versionId });
	}

	/** A POST to a published workflow's Webhook node. n8n registers the webhooks a moment after answering the activation: a 404 is retried briefly. */
	async postWebhook(path, body) {
		for (let attempt = 0; ; attempt++) {
			const response = await fetch(`${this.baseUrl}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			if (response.ok) return;
			if (response.status !== 404 || attempt >= 40) throw new Error(`webhook ${path}: ${response.status} ${await response.text()}`);
			await sleep(250);
		}
	}

	/** What the editor's "Execute workflow" sends: a full run from the named trigger. */
	async runManually(workflowId, triggerName = 'Start') {
		const data = await this.json('POST', `/rest/workflows/${workflowId}/run`, { triggerToStartFrom: { name: triggerName } });
		if (!data?.executionId) throw new Error(`workflow ${workflowId} did not start: ${JSON.stringify(data)}`);
		return data.executionId;
	}

	/** The execution with its run data parsed; undefined while it has not finished. */
	async execution(executionId) {
		const execution = await this.json('GET', `/rest/executions/${executionId}`);
		if (!execution || ['new', 'running', 'waiting'].includes(execution.status)) return undefined;
		return { ...execution, data: typeof execution.data === 'string' ? parseFlatted(execution.data) : execution.data };
	}

	async waitForExecution(executionId, timeoutMs) {
		return await waitFor(`execution ${executionId} to finish`, () => this.execution(executionId), timeoutMs, 500);
	}

	/** Executions of one workflow, newest first (summary only). */
	async executions(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		return (await this.json('GET', `/rest/executions?filter=${filter}&limit=100`)).results;
	}

	/** Resolves with the executions of a workflow whose status is one of `statuses`, once there are at least `count`. */
	async waitForExecutions(workflowId, count, statuses, timeoutMs) {
		return await waitFor(`${count} ${statuses.join('/')} execution(s) of ${workflowId}`, async () => {
			const matching = (await this.executions(workflowId)).filter((execution) => statuses.includes(execution.status));
			return matching.length >= count ? matching : undefined;
		}, timeoutMs);
	}

	/** A binary from n8n's binary store, whatever its mode (filesystem, database, s3). */
	async binary(binaryId) {
		const response = await this.request('GET', `/rest/binary-data?id=${encodeURIComponent(binaryId)}&action=download`);
		return Buffer.from(await response.arrayBuffer());
	}
}
