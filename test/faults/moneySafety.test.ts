/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
/**
 * The money-safety findings of issue 12, one test each: every one failed on the earlier code.
 * Suites that depend on whether Kling refuses a taken external_task_id run under both settings.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';

import type { KlingEmulator } from '../emulator/kling-emulator';
import { TEST_KEYS } from '../emulator/kling-emulator';
import { credentialsFor, fastWait, networkFor, startEmulator } from '../fixtures';
import { runKling } from '../harness/n8n';
import { assertEveryTaskReported, assertOneTaskPerItem, assertOwnTasks, CLEAR_ERROR } from './invariants';

let emulator: KlingEmulator;
before(async () => (emulator = await startEmulator()));
after(async () => await emulator.stop());
beforeEach(() => emulator.reset());

const SUBMIT = { method: 'POST', path: '/v1/images/generations' };
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
