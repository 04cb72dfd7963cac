/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: node:test, node:assert and timers run outside n8n */
/** The Kling Trigger in n8n's engine: the emulator's callbacks over HTTP to its production webhook. */
import { TASK_FAMILIES } from '../../nodes/Kling/input/taskType';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { forgetTriggerMemory, MAX_LOOKUP_READS_PER_CALLBACK } from '../../nodes/KlingTrigger/delivered';
import { postCallback, signatureHeaders, TEST_WEBHOOK_SECRET } from '../support/emulator/callbacks';
import { stringifyExactJson } from '../support/emulator/exactJson';
import type { KlingEmulator } from '../support/emulator/kling-emulator';
import { credentialsFor, startEmulator } from '../support/fixtures';
import { FAST_TIMING, runKling } from '../support/harness/n8n';
import { type CallbackAnswer, CallbackReceiver, type CallbackRequest, callTrigger } from '../support/harness/park';
import { isNewStandardRoute } from '../../nodes/Kling/task/apiStandardAdapter';

let emulator: KlingEmulator;
let receiver: CallbackReceiver;
/** Every execution the trigger started: its one item. */
let started: INodeExecutionData[];
let triggerParameters: IDataObject;
let credentialOverrides: IDataObject;
/** The workflow's static data as n8n stores it between callbacks. */
let stored: IDataObject;

before(async () => {
	emulator = await startEmulator({ submittedMs: 50, processingMs: 150 });
	receiver = await new CallbackReceiver().start();
	receiver.trigger = async (request: CallbackRequest): Promise<CallbackAnswer> => {
		const answer = await callTrigger({
			parameters: triggerParameters,
			credentials: credentialsFor('custom', emulator, credentialOverrides),
			request,
			staticData: stored,
		});
		if (answer.items) started.push(...answer.items);
		return answer;
	};
});
after(async () => {
	await receiver.stop();
	await emulator.stop();
});
beforeEach(() => {
	emulator.reset();
	started = [];
	triggerParameters = {};
	credentialOverrides = {};
	stored = {};
	forgetTriggerMemory();
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const triggerUrl = () => `${receiver.url}/webhook/3f1c2a9d/kling`;

async function until(what: string, condition: () => boolean, timeoutMs = 8_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
		await sleep(20);
	}
	await emulator.callbacks.settled();
	await receiver.settled();
}

/** A workflow that submits and returns at once, with the trigger's URL as the Callback URL. */
async function submit(parameters: IDataObject, items = 1) {
	const result = await runKling({
		parameters: { waitForCompletion: false, ...parameters, options: { ...((parameters.options as IDataObject) ?? {}), callbackUrl: triggerUrl() } },
		credentials: credentialsFor('custom', emulator),
		items: Array.from({ length: items }, (_, index) => ({ json: { index } })),
	});
	assert.equal(result.error('Kling'), undefined);
	return result.kling;
}

async function storedBytes(item: INodeExecutionData, property: string): Promise<Buffer> {
	return await Container.get(BinaryDataService).getAsBuffer(item.binary![property]);
}

const allCallbacksDelivered = (count: number) => () => emulator.callbacks.sent.filter((callback) => callback.answer !== undefined).length >= count;

describe('Kling Trigger: one execution per finished task', () => {
	test('20 tasks submitted with its URL → 20 executions, each with its task’s file; non-final callbacks start nothing', async () => {
		const submitted = await submit({ resource: 'image', operation: 'generate', prompt: '={{ "frame " + $json.index }}' }, 20);
		assert.equal(submitted.length, 20);
		await until('60 callbacks', allCallbacksDelivered(60));
		assert.equal(started.length, 20);
		const byTask = new Map(started.map((item) => [item.json.task_id as string, item]));
		for (const task of emulator.createdTasks()) {
			const item = byTask.get(task.task_id)!;
			assert.ok(item, `an execution for ${task.task_id}`);
			assert.equal(item.json.task_status, 'succeed');
			assert.equal(item.json.task_route, '/v1/images/generations');
			assert.equal(sha256(await storedBytes(item, 'data')), sha256(task.files[0].bytes));
		}
	});

	test('a video task is found on its own route; chosen task types limit the lookup', async () => {
		triggerParameters = { taskTypes: ['/v1/videos/text2video'] };
		await submit({ resource: 'video', operation: 'textToVideo', prompt: 'waves', model: 'kling-v2-6', mode: 'std', duration: '5' });
		await until('3 callbacks', allCallbacksDelivered(3));
		assert.equal(started.length, 1);
		assert.equal(started[0].json.task_route, '/v1/videos/text2video');
		assert.equal(emulator.requests.filter((request) => request.method === 'GET').length, 1, 'one read, on the chosen route');
		assert.equal(sha256(await storedBytes(started[0], 'data')), sha256(emulator.createdTasks()[0].files[0].bytes));
	});

	test('Include Non-Final Statuses: every callback starts an execution; Download Results off: no binary', async () => {
		triggerParameters = { includeNonFinal: true, downloadResults: false };
		await submit({ resource: 'image', operation: 'generate', prompt: 'a fox' });
		await until('3 callbacks', allCallbacksDelivered(3));
		assert.deepEqual(started.map((item) => item.json.task_status).sort(), ['processing', 'submitted', 'succeed']);
		assert.ok(started.every((item) => item.binary === undefined));
	});

	test('with a Webhook Secret: Kling’s signed callbacks pass; unsigned and forged ones get 401 and start nothing', async () => {
		credentialOverrides = { webhookSecret: TEST_WEBHOOK_SECRET };
		emulator.callbacks.settings.secret = TEST_WEBHOOK_SECRET;
		await submit({ resource: 'image', operation: 'generate', prompt: 'a fox' });
		await until('3 callbacks', allCallbacksDelivered(3));
		assert.equal(started.length, 1);
		const body = JSON.stringify(emulator.taskObject(emulator.createdTasks()[0]));
		assert.equal(await postCallback(triggerUrl(), body), 401);
		assert.equal(await postCallback(triggerUrl(), body, signatureHeaders('whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==', body)), 401);
		await receiver.settled();
		assert.equal(started.length, 1);
	});

	test('a callback naming a task the account does not have starts nothing; failed tasks start one without files', async () => {
		// Not found among the task types asked so far: 503, so that a retry would ask the next ones.
		assert.equal(await postCallback(triggerUrl(), JSON.stringify({ task_id: '42', task_status: 'succeed', task_result: { videos: [{ url: 'https://attacker.example/x.mp4' }] } })), 503);
		await receiver.settled();
		assert.equal(started.length, 0);
		// Every legacy task type (an Access Key credential cannot read the new API's /tasks), by its documented lookup.
		const asked = emulator.requests.filter((request) => request.method === 'GET');
		assert.ok(asked.length >= 1 && asked.length <= MAX_LOOKUP_READS_PER_CALLBACK, `one forged POST cost ${asked.length} reads`);

		await submit({ resource: 'image', operation: 'generate', prompt: 'a fox [fail]' });
		await until('3 callbacks', allCallbacksDelivered(3));
		assert.equal(started.length, 1);
		assert.equal(started[0].json.task_status, 'failed');
		assert.equal(started[0].binary, undefined);
	});

	test('a forged POST for an unknown task costs a few reads; its replays cost each task type once in all, then nothing', async () => {
		const gets = () => emulator.requests.filter((request) => request.method === 'GET');
		const forged = (id: string) => JSON.stringify({ task_id: id, task_status: 'failed', task_result: {} });
		// Every legacy task type (an Access Key credential cannot read the new API's /tasks, where 4.0 tasks live too).
		const legacyTypes = TASK_FAMILIES.filter((family) => !isNewStandardRoute(family.path)).length;
		for (let replay = 1; replay <= 5; replay++) {
			const before = gets().length;
			await postCallback(triggerUrl(), forged('4242'));
			await receiver.settled();
			assert.ok(gets().length - before <= MAX_LOOKUP_READS_PER_CALLBACK, `replay ${replay} cost ${gets().length - before} reads`);
		}
		const paths = gets().map((request) => request.klingPath);
		assert.equal(new Set(paths).size, paths.length, 'no task type was asked twice for the same id');
		assert.equal(paths.length, legacyTypes, 'every task type was asked once in all');
		const settled = gets().length;
		await postCallback(triggerUrl(), forged('4242'));
		await receiver.settled();
		assert.equal(gets().length, settled, 'a replay of an id Kling does not have costs nothing');
		// Fresh ids cost at most the bound each.
		for (const id of ['5151', '6161', '7171']) {
			const before = gets().length;
			await postCallback(triggerUrl(), forged(id));
			await receiver.settled();
			assert.ok(gets().length - before <= MAX_LOOKUP_READS_PER_CALLBACK);
		}
		assert.equal(started.length, 0);
	});
});

describe('Kling Trigger: one execution per task, however often Kling calls back', () => {
	const gets = () => emulator.requests.filter((request) => request.method === 'GET').length;

	/** One image task whose final callback Kling drops: the test plays that callback itself. */
	async function finishedTaskWithoutFinalCallback() {
		emulator.callbacks.injectFault({ kind: 'drop', stage: 'final' });
		await submit({ resource: 'image', operation: 'generate', prompt: 'a fox' });
		const task = emulator.createdTasks()[0];
		await until('the task has ended', () => emulator.taskObject(task).task_status === 'succeed' && allCallbacksDelivered(2)());
		return { task, body: stringifyExactJson(emulator.taskObject(task)) };
	}

	async function expectOneExecutionWithTheFile(task: ReturnType<KlingEmulator['createdTasks']>[number]) {
		assert.equal(started.length, 1, `executions: ${started.map((item) => item.json.task_status).join(', ')}`);
		assert.equal(started[0].json.task_id, task.task_id);
		assert.equal(started[0].json.task_status, 'succeed');
		assert.equal(sha256(await storedBytes(started[0], 'data')), sha256(task.files[0].bytes));
	}

	test('a byte-identical signed replay, four times (two at once), starts one execution', async () => {
		credentialOverrides = { webhookSecret: TEST_WEBHOOK_SECRET };
		emulator.callbacks.settings.secret = TEST_WEBHOOK_SECRET;
		const { task, body } = await finishedTaskWithoutFinalCallback();
		const headers = signatureHeaders(TEST_WEBHOOK_SECRET, body);
		const answers = await Promise.all([postCallback(triggerUrl(), body, headers), postCallback(triggerUrl(), body, headers)]);
		answers.push(await postCallback(triggerUrl(), body, headers), await postCallback(triggerUrl(), body, headers));
		await receiver.settled();
		assert.deepEqual(answers, [200, 200, 200, 200]);
		await expectOneExecutionWithTheFile(task);
	});

	test('the same task under other webhook-ids, and unsigned replays, start one execution; replays read nothing', async () => {
		credentialOverrides = { webhookSecret: TEST_WEBHOOK_SECRET };
		emulator.callbacks.settings.secret = TEST_WEBHOOK_SECRET;
		const { task, body } = await finishedTaskWithoutFinalCallback();
		await Promise.all([0, 1].map(() => postCallback(triggerUrl(), body, signatureHeaders(TEST_WEBHOOK_SECRET, body))));
		const readsAfterFirst = gets();
		for (let replay = 0; replay < 3; replay++) assert.equal(await postCallback(triggerUrl(), body, signatureHeaders(TEST_WEBHOOK_SECRET, body)), 200);
		await receiver.settled();
		await expectOneExecutionWithTheFile(task);
		assert.equal(gets(), readsAfterFirst, 'a task that started its execution is not read again');

		// Without a Webhook Secret, Kling's callbacks carry no webhook-id: the task id alone decides.
		credentialOverrides = {};
		for (let replay = 0; replay < 3; replay++) await postCallback(triggerUrl(), body);
		await receiver.settled();
		assert.equal(started.length, 1);
	});

	test('after a restart, the workflow’s static data still knows which tasks started an execution', async () => {
		const { task, body } = await finishedTaskWithoutFinalCallback();
		await postCallback(triggerUrl(), body);
		await receiver.settled();
		assert.equal(started.length, 1);
		forgetTriggerMemory();
		const reads = gets();
		await postCallback(triggerUrl(), body);
		await receiver.settled();
		await expectOneExecutionWithTheFile(task);
		assert.equal(gets(), reads, 'nothing read after the restart either');
	});

	test('a succeed callback while the read still says processing waits for the read to turn final, then delivers the file once', async () => {
		triggerParameters = { timing: { ...FAST_TIMING, submitLookupDelaysMs: [100, 200, 300, 400] } };
		// Kling's own final callback is lost: only the early one can start the execution.
		emulator.callbacks.injectFault({ kind: 'drop', stage: 'final' });
		await submit({ resource: 'image', operation: 'generate', prompt: 'a fox' });
		const task = emulator.createdTasks()[0];
		await until('the task is processing', () => emulator.taskObject(task).task_status === 'processing', 2_000);
		// What Kling would send once the task has ended, arriving while its status read still says processing.
		assert.equal(await postCallback(triggerUrl(), stringifyExactJson(emulator.taskObject(task, Date.now() + 60_000))), 200);
		await until('2 callbacks', allCallbacksDelivered(2));
		await expectOneExecutionWithTheFile(task);
	});

	test('a succeed callback whose read stays processing starts nothing (and costs a few reads); Kling’s real one then delivers', async () => {
		emulator.processingMs = 1_500;
		await submit({ resource: 'image', operation: 'generate', prompt: 'a fox' });
		const task = emulator.createdTasks()[0];
		await until('the task is processing', () => emulator.taskObject(task).task_status === 'processing', 2_000);
		const before = gets();
		assert.equal(await postCallback(triggerUrl(), stringifyExactJson(emulator.taskObject(task, Date.now() + 60_000))), 200);
		await receiver.settled();
		assert.equal(started.length, 0, 'no file-less execution for a task whose read is not final');
		const grace = (FAST_TIMING.submitLookupDelaysMs as number[]).length;
		assert.ok(gets() - before <= 1 + grace, `the early callback cost ${gets() - before} reads`);
		await until('3 callbacks', allCallbacksDelivered(3), 8_000);
		await expectOneExecutionWithTheFile(task);
	});
});
