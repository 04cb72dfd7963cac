/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
/**
 * The money-safety findings of issue 12, one test each: every one failed on the earlier code.
 * Suites that depend on whether Kling refuses a taken external_task_id run under both settings.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';

import type { KlingEmulator } from '../support/emulator/kling-emulator';
import { TEST_KEYS } from '../support/emulator/kling-emulator';
import { credentialsFor, fastWait, networkFor, startEmulator } from '../support/fixtures';
import { runKling, testNode } from '../support/harness/n8n';
// After the harness: it prepares n8n's user folder before n8n-core loads.
import { Container } from '@n8n/di';
import { InstanceSettings } from 'n8n-core';
import { assertEveryTaskReported, assertOneTaskPerItem, assertOwnTasks, CLEAR_ERROR } from './invariants';

let emulator: KlingEmulator;
before(async () => (emulator = await startEmulator()));
after(async () => await emulator.stop());
beforeEach(() => emulator.reset());

const SUBMIT = { method: 'POST', path: '/v1/images/generations' };
const testNodeId = (name: string) => testNode(name, 'any', {}).id;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface GenerateOptions {
	prompts?: string[];
	options?: Record<string, unknown>;
	continueOnFail?: boolean;
	waitOptions?: Record<string, unknown>;
	cancelAfterMs?: number;
	preset?: 'singapore' | 'cometapi';
}

async function generate(run: GenerateOptions = {}) {
	const prompts = run.prompts ?? ['a lighthouse'];
	const result = await runKling({
		parameters: {
			resource: 'image',
			operation: 'generate',
			prompt: '={{ $json.prompt }}',
			options: run.options ?? {},
			waitOptions: run.waitOptions ?? fastWait,
		},
		timing: { requestTimeoutMs: 400 },
		credentials: credentialsFor(run.preset ?? 'singapore', emulator),
		network: networkFor(emulator),
		items: prompts.map((prompt) => ({ json: { prompt } })),
		continueOnFail: run.continueOnFail,
		cancelAfterMs: run.cancelAfterMs,
	});
	const error = result.error('Kling');
	assertOneTaskPerItem(emulator);
	assertOwnTasks(emulator, result.kling, (itemIndex) => prompts[itemIndex]);
	assertEveryTaskReported(emulator, result.kling, error);
	return { result, error };
}

for (const uniqueExternalIds of [true, false]) {
	describe(`submit safety — Kling ${uniqueExternalIds ? 'refuses' : 'accepts'} a taken external_task_id`, () => {
		beforeEach(() => (emulator.behaviour.uniqueExternalIds = uniqueExternalIds));

		test('finding 1: a foreign task on the account is never taken for ours when the lookup cannot prove identity', async () => {
			emulator.seedForeignTask('singapore', TEST_KEYS.singapore.accessKey, '/v1/images/generations', { prompt: 'someone else', model_name: 'kling-v3' });
			emulator.injectFault({ ...SUBMIT, reset: 'beforeCreate' });
			// The documented lookup answers like a proxy that does not know the route: no proof either way.
			emulator.injectFault({ method: 'GET', path: '/v1/images/generations/n8n-*', status: 404, code: 1203, message: 'route not found' });
			const { result, error } = await generate();
			assert.ok(error, 'the item fails instead of taking a task it cannot prove is its own');
			assert.match(error.message, /external_task_id n8n-/);
			assert.match(String(error.description), /did not prove whether it exists.*Nothing was sent again/s);
			assert.equal(result.kling.length, 0);
			assert.equal(emulator.submits().length, 1, 'nothing was resent');
			assert.ok(emulator.requests.every((request) => !request.url.includes('external_task_id=')), 'no undocumented lookup');
		});

		test('finding 1: a lookup answered with another task (no or another external_task_id) is no proof; nothing is resent', async () => {
			emulator.seedForeignTask('singapore', TEST_KEYS.singapore.accessKey, '/v1/images/generations', { prompt: 'someone else', model_name: 'kling-v3' });
			emulator.injectFault({ ...SUBMIT, reset: 'beforeCreate' });
			emulator.injectFault({ method: 'GET', path: '/v1/images/generations/n8n-*', foreignTask: true, times: 10 });
			const { result, error } = await generate();
			assert.ok(error);
			assert.match(String(error.description), /does not carry this external_task_id/);
			assert.equal(result.kling.length, 0);
			assert.equal(emulator.submits().length, 1);
		});

		test('finding 1: only Kling’s documented "Task not found" counts as absent; another 1201 is no proof', async () => {
			emulator.injectFault({ ...SUBMIT, reset: 'beforeCreate' });
			emulator.injectFault({ method: 'GET', path: '/v1/images/generations/n8n-*', status: 400, code: 1201, message: 'Invalid parameter: id' });
			const { error } = await generate();
			assert.ok(error);
			assert.match(String(error.description), /did not prove whether it exists/);
			assert.equal(emulator.submits().length, 1);
		});

		test('a status read that answers with another task is never delivered as ours', async () => {
			emulator.seedForeignTask('singapore', TEST_KEYS.singapore.accessKey, '/v1/images/generations', { prompt: 'someone else', model_name: 'kling-v3' });
			emulator.injectFault({ method: 'GET', path: '/v1/images/generations/8*', foreignTask: true, times: 50 });
			const { result, error } = await generate();
			assert.match(String(error?.message), /Kling answered with task \d+ instead of this item’s task/);
			assert.equal(result.probed.length, 0);
		});

		test('finding 1b: a lookup answered "Task not found" (Kling’s documented absence) leads to exactly one resend', async () => {
			emulator.seedForeignTask('singapore', TEST_KEYS.singapore.accessKey, '/v1/images/generations', { prompt: 'someone else', model_name: 'kling-v3' });
			emulator.injectFault({ ...SUBMIT, reset: 'beforeCreate' });
			const { result, error } = await generate();
			assert.equal(error, undefined, error?.message);
			assert.equal(emulator.submits().length, 2);
			assert.equal(emulator.createdTasks().length, 1);
			assert.equal(result.kling[0].json.task_id, emulator.createdTasks()[0].task_id);
		});

		test('finding 4: a gateway 502 (HTML) or 504/5002 after the task was created: found by lookup, never paid twice', async () => {
			for (const fault of [
				{ ...SUBMIT, status: 502, afterCreate: true },
				{ ...SUBMIT, status: 504, code: 5002, afterCreate: true },
				{ ...SUBMIT, hang: 'afterCreate' as const },
			]) {
				emulator.reset();
				emulator.behaviour.uniqueExternalIds = uniqueExternalIds;
				emulator.injectFault(fault);
				const { result, error } = await generate();
				assert.equal(error, undefined, `${JSON.stringify(fault)}: ${error?.message}`);
				assert.equal(emulator.submits().length, 1, `${JSON.stringify(fault)}: not sent again`);
				assert.equal(emulator.createdTasks().length, 1);
				const probe = result.probed[0].json.probe as Record<string, { sha256: string }>;
				assert.equal(probe.data.sha256, sha256(emulator.createdTasks()[0].files[0].bytes));
			}
		});

		test('finding 2: a user-set External Task ID that already has a task fails with that task’s id; nothing is paid', async () => {
			const first = await generate({ options: { externalTaskId: 'campaign-42' } });
			assert.equal(first.error, undefined, first.error?.message);
			const existing = emulator.createdTasks()[0].task_id;
			const postsBefore = emulator.submits().length;
			const { error } = await generate({ prompts: ['a different picture'], options: { externalTaskId: 'campaign-42' } });
			assert.match(String(error?.message), new RegExp(`External Task ID "campaign-42" already belongs to Kling task ${existing}`));
			assert.match(String(error?.description), /Nothing was submitted/);
			assert.equal(emulator.submits().length, postsBefore, 'no second submit');
			assert.equal(emulator.createdTasks().length, 1);
		});

		test('n8n’s Retry On Fail adopts the task its first attempt created (derived id), even when Kling accepts duplicates', async () => {
			emulator.injectFileFault({ kind: 'expired' });
			const result = await runKling({
				parameters: { resource: 'image', operation: 'generate', prompt: 'a lighthouse', waitOptions: fastWait },
				credentials: credentialsFor('singapore', emulator),
				network: networkFor(emulator),
				retryOnFail: true,
			});
			assert.equal(result.error('Kling'), undefined);
			assert.equal(emulator.createdTasks().length, 1, 'Kling created only one task');
			assertOneTaskPerItem(emulator);
		});

		test('a create still in Kling’s backlog when the answer was lost is found by lookups that last the whole request timeout', async () => {
			// The answer is lost (reset); reads see the task only 250 ms later — after the old 60 ms of lookups, within
			// the request timeout (400 ms in these tests, 60 s in production) the lookups now cover.
			emulator.injectFault({ ...SUBMIT, reset: 'afterCreate', registerAfterMs: 250 });
			const { result, error } = await generate();
			assert.equal(error, undefined, error?.message);
			assert.equal(emulator.submits().length, 1, 'not sent again');
			assert.equal(emulator.createdTasks().length, 1);
			assert.equal(result.kling[0].json.task_id, emulator.createdTasks()[0].task_id);
		});

		test('if a create registers only after the lookups gave up, the resent item names both task ids', async () => {
			emulator.injectFault({ ...SUBMIT, reset: 'afterCreate', registerAfterMs: 700 });
			emulator.processingMs = 1_000;
			const result = await runKling({
				parameters: { resource: 'image', operation: 'generate', prompt: 'a lighthouse', waitOptions: fastWait },
				timing: { requestTimeoutMs: 400 },
				credentials: credentialsFor('singapore', emulator),
				network: networkFor(emulator),
			});
			const tasks = emulator.createdTasks();
			if (uniqueExternalIds) {
				// Kling refuses the resend (1201 "already exists"): one task whatever the node concludes.
				assert.equal(tasks.length, 1);
				return;
			}
			assert.equal(tasks.length, 2, 'Kling accepted the resend: two tasks exist');
			const json = result.kling[0]?.json ?? {};
			const error = result.error('Kling');
			const said = JSON.stringify(json) + String(error?.message) + String(error?.description);
			for (const task of tasks) assert.ok(said.includes(task.task_id), `task ${task.task_id} is named`);
		});

		test('derived ids: a second n8n installation replaying the same workflow, node and execution ids gets its own task', async () => {
			const settings = Container.get(InstanceSettings);
			const ownInstance = settings.instanceId;
			const run = async (instanceId: string, prompt: string) => {
				settings.instanceId = instanceId;
				try {
					return await runKling({
						parameters: { resource: 'image', operation: 'generate', prompt, waitOptions: fastWait },
						credentials: credentialsFor('singapore', emulator),
						network: networkFor(emulator),
						executionId: `replayed-${uniqueExternalIds}`,
					});
				} finally {
					settings.instanceId = ownInstance;
				}
			};
			const first = await run('instance-a', 'a red cat');
			const second = await run('instance-b', 'a blue dog');
			assert.equal(first.error('Kling'), undefined, first.error('Kling')?.message);
			assert.equal(second.error('Kling'), undefined, second.error('Kling')?.message);
			assert.equal(emulator.createdTasks().length, 2, 'each installation paid for its own task');
			assertOneTaskPerItem(emulator);
			const [redCat, blueDog] = emulator.createdTasks();
			assert.equal(first.kling[0].json.task_id, redCat.task_id);
			assert.equal(second.kling[0].json.task_id, blueDog.task_id, 'the blue dog run got the blue dog task');
			const probe = second.probed[0].json.probe as Record<string, { sha256: string }>;
			assert.equal(probe.data.sha256, sha256(blueDog.files[0].bytes), 'and its file');
			assert.notEqual(first.kling[0].json.external_task_id, second.kling[0].json.external_task_id);
			assert.match(String(second.kling[0].json.external_task_id), /^n8n-[A-Za-z0-9_-]+$/);
			assert.deepEqual(second.kling[0].json.external_task_id_parts, {
				n8n_instance: 'instance-b',
				workflow_id: 'wf-kling-test',
				execution_id: `replayed-${uniqueExternalIds}`,
				node_id: testNodeId('Kling'),
				run_index: 0,
				item_index: 0,
			});
		});

		test('derived ids: two Generate nodes whose ids share their first characters each get their own task', async () => {
			const result = await runKling({
				parameters: { resource: 'image', operation: 'generate', prompt: 'a red cat', waitOptions: fastWait },
				then: { resource: 'image', operation: 'generate', prompt: 'a blue dog', waitOptions: fastWait },
				credentials: credentialsFor('singapore', emulator),
				network: networkFor(emulator),
				nodeIds: { Kling: 'abcdef12-0000-4000-8000-000000000001', 'Kling 2': 'abcdef12-0000-4000-8000-000000000002' },
			});
			assert.equal(result.error('Kling 2'), undefined, result.error('Kling 2')?.message);
			assert.equal(emulator.createdTasks().length, 2, 'the second node paid for its own task');
			assertOneTaskPerItem(emulator);
			assert.equal(result.output('Kling 2')[0].json.task_id, emulator.createdTasks()[1].task_id);
		});
	});
}

describe('user-set External Task IDs within one run', () => {
	test('finding 2: the same id on several items is rejected before any request, naming the items', async () => {
		const { error } = await generate({ prompts: ['one', 'two', 'three'], options: { externalTaskId: 'campaign-42' } });
		assert.match(String(error?.message), /External Task ID "campaign-42" is set on items 0, 1, 2 of this run/);
		assert.equal(emulator.requests.length, 0, 'nothing was sent');
	});

	test('with Continue On Fail the clashing items become error rows that keep pairedItem; the others run', async () => {
		const { result, error } = await generate({
			prompts: ['one', 'two', 'three'],
			options: { externalTaskId: '={{ $json.prompt === "three" ? "unique-3" : "shared" }}' },
			continueOnFail: true,
		});
		assert.equal(error, undefined);
		assert.deepEqual(result.kling.map((row) => row.pairedItem), [{ item: 0 }, { item: 1 }, { item: 2 }]);
		assert.match(String(result.kling[0].json.error), /is set on items 0, 1/);
		assert.match(String(result.kling[1].json.error), /is set on items 0, 1/);
		assert.ok(result.kling[2].json.task_id);
		assert.equal(emulator.createdTasks().length, 1);
	});
});

describe('reads go through the one request policy', () => {
	test('finding 5: Task › List survives a 503 and a reset', async () => {
		await generate();
		emulator.injectFault({ method: 'GET', path: '/v1/images/generations', status: 503, code: 5001 });
		emulator.injectFault({ method: 'GET', path: '/v1/images/generations', reset: 'beforeCreate' });
		const result = await runKling({
			parameters: { resource: 'task', operation: 'list', taskFamily: '/v1/images/generations' },
			credentials: credentialsFor('singapore', emulator),
			network: networkFor(emulator),
		});
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		assert.equal(result.kling.length, 1);
	});

	test('finding 5: Account › Get Costs survives a 503', async () => {
		emulator.injectFault({ method: 'GET', path: '/account/costs', status: 503 });
		const result = await runKling({
			parameters: { resource: 'account', operation: 'getCosts', startTime: '2026-11-01T00:00:00Z', endTime: '2026-11-20T00:00:00Z' },
			credentials: credentialsFor('singapore', emulator),
			network: networkFor(emulator),
		});
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		assert.ok(Array.isArray(result.kling[0].json.resource_pack_subscribe_infos));
	});
});

describe('download integrity', () => {
	for (const kind of ['gzip', 'chunked', 'gzipTruncated', 'chunkedTruncated', 'crossOriginRedirect'] as const) {
		test(`finding 6: a ${kind} transfer ends with the exact file (a cut transfer is retried)`, async () => {
			emulator.injectFileFault({ kind });
			const { result, error } = await generate();
			assert.equal(error, undefined, error?.message);
			const probe = result.probed[0].json.probe as Record<string, { sha256: string }>;
			assert.equal(probe.data.sha256, sha256(emulator.createdTasks()[0].files[0].bytes));
			assert.ok(emulator.fileRequests.every((request) => request.headers.authorization === undefined));
		});
	}

	test('a cross-origin redirect of a Kling API call never carries the credential', async () => {
		emulator.injectFault({ method: 'GET', path: '/v1/images/generations/*', crossOriginRedirect: true });
		const { error } = await generate({ preset: 'cometapi' });
		const redirected = emulator.requests.filter((request) => request.url.startsWith('/kling/v1/images/generations/') && !request.headers.authorization);
		assert.ok(redirected.length >= 1, 'the redirected request arrived without Authorization');
		if (error) assert.match(error.message.replace(/ \[task_id.*\]$/, ''), CLEAR_ERROR);
	});
});

describe('cancelling', () => {
	test('finding 8: a cancel during a 60-second poll pause ends the execution at once', async () => {
		const started = Date.now();
		emulator.processingMs = 120_000;
		const { error } = await generate({ waitOptions: { pollIntervalSeconds: 60, timeoutMinutes: 5 }, cancelAfterMs: 300 });
		const elapsed = Date.now() - started;
		assert.ok(elapsed < 3_000, `the execution ended ${elapsed} ms after it started`);
		assert.ok(error === undefined || /cancel/i.test(error.message) || error.message.length > 0);
	});
});
