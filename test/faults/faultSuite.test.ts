/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';

import type { Fault, FileFault, KlingEmulator } from '../support/emulator/kling-emulator';
import { credentialsFor, fastWait, networkFor, startEmulator } from '../support/fixtures';
import { capturedLogLines, runKling } from '../support/harness/n8n';
import { assertEveryTaskReported, assertNoDuplicateSubmissions, assertNoSecrets, CLEAR_ERROR } from './invariants';

let emulator: KlingEmulator;
before(async () => {
	emulator = await startEmulator();
});
after(async () => {
	await emulator.stop();
});
beforeEach(() => emulator.reset());

const SUBMIT = { method: 'POST', path: '/v1/images/generations' };
const POLL = { method: 'GET', path: '/v1/images/generations/*' };
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function generate(options: { items?: number; continueOnFail?: boolean; prompt?: string } = {}) {
	const result = await runKling({
		parameters: { resource: 'image', operation: 'generate', prompt: options.prompt ?? 'a lighthouse', waitOptions: fastWait },
		timing: { requestTimeoutMs: 400 },
		credentials: credentialsFor('singapore', emulator),
		network: networkFor(emulator),
		items: Array.from({ length: options.items ?? 1 }, (_, index) => ({ json: { index } })),
		continueOnFail: options.continueOnFail,
	});
	const error = result.error('Kling');
	assertNoDuplicateSubmissions(emulator);
	assertEveryTaskReported(emulator, result.kling, error);
	assertNoSecrets([JSON.stringify(result.kling), error?.message ?? '', error?.description ?? '', JSON.stringify(error?.context ?? {}), ...capturedLogLines]);
	if (error) assert.match(error.message.replace(/ \[task_id.*\]$/, ''), CLEAR_ERROR);
	return { result, error };
}

function assertDelivered(result: Awaited<ReturnType<typeof generate>>['result']) {
	const [task] = emulator.createdTasks();
	assert.equal(result.kling[0].json.task_id, task.task_id);
	const probe = result.probed[0].json.probe as Record<string, { sha256: string }>;
	assert.equal(probe.data.sha256, sha256(task.files[0].bytes), 'the file arrived whole');
}

const succeeds: Array<[string, Fault[], (submitRequests: number) => void]> = [
	['429 with 1302 (rate limit) on submit is retried', [{ ...SUBMIT, status: 429, code: 1302, times: 2 }], (n) => assert.equal(n, 3)],
	['429 with 1303 (parallel task limit) on submit waits and retries', [{ ...SUBMIT, status: 429, code: 1303, times: 3, retryAfterSeconds: 0 }], (n) => assert.equal(n, 4)],
	['503 with 5001 (maintenance) on submit is retried', [{ ...SUBMIT, status: 503, code: 5001 }], (n) => assert.equal(n, 2)],
	['500 with 5000 on submit: looked up by external id, then sent once more', [{ ...SUBMIT, status: 500, code: 5000 }], (n) => assert.equal(n, 2)],
	['504 with 5002 on submit: looked up, then sent once more', [{ ...SUBMIT, status: 504, code: 5002 }], (n) => assert.equal(n, 2)],
	['a gateway 502 without a Kling body on submit: looked up, then sent once more', [{ ...SUBMIT, status: 502 }], (n) => assert.equal(n, 2)],
	['a reset before the task is created: looked up (absent), sent once more', [{ ...SUBMIT, reset: 'beforeCreate' }], (n) => assert.equal(n, 2)],
	['a reset after the task was created: found by external id, not sent again', [{ ...SUBMIT, reset: 'afterCreate' }], (n) => assert.equal(n, 1)],
	['a hanging submit after the task was created: found by external id, not sent again', [{ ...SUBMIT, hang: 'afterCreate' }], (n) => assert.equal(n, 1)],
	['a hanging submit before creation: looked up (absent), sent once more', [{ ...SUBMIT, hang: 'beforeCreate' }], (n) => assert.equal(n, 2)],
	['malformed JSON on submit: looked up, then sent once more', [{ ...SUBMIT, malformed: true }], (n) => assert.equal(n, 2)],
	['500, 503 and 504 gateway errors while polling are retried', [{ ...POLL, status: 500 }, { ...POLL, status: 503 }, { ...POLL, status: 504 }], (n) => assert.equal(n, 1)],
	['Kling 5000 and a 429/1302 while polling are retried', [{ ...POLL, status: 500, code: 5000 }, { ...POLL, status: 429, code: 1302 }], (n) => assert.equal(n, 1)],
	['a reset, a hang and malformed JSON while polling are retried', [{ ...POLL, reset: 'beforeCreate' }, { ...POLL, hang: 'beforeCreate' }, { ...POLL, malformed: true }], (n) => assert.equal(n, 1)],
	['an expired JWT (1004) is re-signed once', [{ ...SUBMIT, status: 401, code: 1004 }], (n) => assert.equal(n, 2)],
];

describe('fault suite: each fault ends in success, with no duplicate task and every task reported', () => {
	for (const [label, faults, checkSubmits] of succeeds) {
		test(label, async () => {
			for (const fault of faults) emulator.injectFault(fault);
			const { result, error } = await generate();
			assert.equal(error, undefined, error?.message);
			assertDelivered(result);
			checkSubmits(emulator.submits().length);
			assert.equal(emulator.createdTasks().length, 1);
		});
	}

	for (const kind of ['truncate', 'reset', 'status500', 'redirect'] as FileFault['kind'][]) {
		test(`a download that fails once (${kind}) is retried; a short file is never passed on`, async () => {
			emulator.injectFileFault({ kind });
			const { result, error } = await generate();
			assert.equal(error, undefined, error?.message);
			assertDelivered(result);
			assert.ok(emulator.fileRequests.every((request) => request.headers.authorization === undefined), 'no Authorization to the file host, redirects included');
		});
	}
});

describe('fault suite: each fault ends in a clear error, with no duplicate task and every task reported', () => {
	test('429 with 1102 (resource pack used up) is final: not retried, explained', async () => {
		emulator.injectFault({ ...SUBMIT, status: 429, code: 1102, message: 'resource pack exhausted' });
		const { error } = await generate();
		assert.match(String(error?.message), /Kling error 1102: The resource pack is used up or has expired — resource pack exhausted/);
		assert.match(String(error?.description), /Top up the resource pack of this kind of task/);
		assert.equal(emulator.submits().length, 1);
	});

	test('clock skew (1003 on every request) is re-signed once, then explained', async () => {
		emulator.clockOffsetMs = -120_000;
		const { error } = await generate();
		assert.match(String(error?.message), /Kling error 1003: The token is not valid yet/);
		assert.match(String(error?.description), /clock running n8n is probably ahead; sync it with NTP/);
		assert.equal(emulator.submits().length, 2);
		assert.equal(emulator.createdTasks().length, 0);
	});

	test('a failed task names Kling’s reason and the task', async () => {
		const { error } = await generate({ prompt: 'a lighthouse [fail]' });
		assert.match(String(error?.message), /Kling task failed: Failure to pass the risk control system \[task_id \d+, external_task_id n8n-/);
	});

	test('an expired result URL says so (30 days) and names the task; it is not retried', async () => {
		emulator.injectFileFault({ kind: 'expired' });
		const { error } = await generate();
		assert.match(String(error?.message), /The result file is gone \(HTTP 404\): Kling deletes results 30 days after generation \[task_id \d+/);
		assert.equal(emulator.fileRequests.length, 1);
	});

	test('a download that stays truncated ends in a clear error after the retries, never a short file', async () => {
		emulator.injectFileFault({ kind: 'truncate', times: 10 });
		const { result, error } = await generate();
		assert.match(String(error?.message), /Could not download a result file: .*\[task_id \d+/);
		assert.equal(result.probed.length, 0);
		assert.equal(emulator.fileRequests.length, 4, 'one try and three retries');
	});

	test('a submit that keeps failing ambiguously is not retried blindly: at most one resend, then an error', async () => {
		emulator.injectFault({ ...SUBMIT, status: 502, times: 5 });
		const { error } = await generate();
		assert.match(String(error?.message), /The submit to Kling ended without a clear answer \(HTTP 502 with an unreadable body\).*\[external_task_id n8n-/);
		assert.match(String(error?.description), /Check with Task › Get \(Look Up By: External Task ID "n8n-.*"\) whether Kling created the task/);
		assert.equal(emulator.submits().length, 2);
		assert.equal(emulator.createdTasks().length, 0);
	});

	test('continue on fail keeps pairedItem, the task id and Kling’s code and message on each error row', async () => {
		emulator.injectFault({ ...SUBMIT, status: 400, code: 1301, message: 'prompt violates policy' });
		const { result, error } = await generate({ items: 3, continueOnFail: true, prompt: '={{ $json.index === 2 ? "bad [fail]" : "ok" }}' });
		assert.equal(error, undefined);
		const rows = result.kling;
		assert.deepEqual(rows.map((row) => row.pairedItem), [{ item: 0 }, { item: 1 }, { item: 2 }]);
		const refused = rows.find((row) => row.json.klingCode === 1301);
		assert.ok(refused, 'the refused submit is an error row');
		assert.match(String(refused.json.error), /Kling error 1301: Kling content-safety policy was triggered — prompt violates policy/);
		assert.equal(refused.json.klingMessage, 'prompt violates policy');
		const failed = rows[2];
		const failedTask = emulator.createdTasks().find((task) => String(task.body.prompt).includes('[fail]'));
		assert.equal(failed.json.taskId, failedTask?.task_id);
		assert.match(String(failed.json.externalTaskId), /^n8n-/);
	});
});

describe('n8n’s Retry On Fail re-runs the node without paying twice', () => {
	test('a retry looks up the task the first attempt created (same derived external id) and finishes it', async () => {
		emulator.injectFileFault({ kind: 'expired' });
		const result = await runKling({
			parameters: { resource: 'image', operation: 'generate', prompt: 'a lighthouse', waitOptions: fastWait },
			credentials: credentialsFor('singapore', emulator),
			network: networkFor(emulator),
			retryOnFail: true,
		});
		assert.equal(result.error('Kling'), undefined);
		assert.equal(emulator.submits().length, 1, 'the retry looked its id up first and adopted the task');
		assert.equal(emulator.createdTasks().length, 1, 'Kling created only one task');
		assertNoDuplicateSubmissions(emulator);
		assertDelivered(result);
	});
});
