/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: node:test, node:assert and timers run outside n8n */
/** The Kling Trigger in n8n's engine: the emulator's callbacks over HTTP to its production webhook. */
import { TASK_FAMILIES } from '../../nodes/Kling/shared/taskFamilies';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { postCallback, signatureHeaders, TEST_WEBHOOK_SECRET } from '../emulator/callbacks';
import type { KlingEmulator } from '../emulator/kling-emulator';
import { credentialsFor, startEmulator } from '../fixtures';
import { runKling } from '../harness/n8n';
import { type CallbackAnswer, CallbackReceiver, type CallbackRequest, callTrigger } from '../harness/park';

let emulator: KlingEmulator;
let receiver: CallbackReceiver;
/** Every execution the trigger started: its one item. */
let started: INodeExecutionData[];
let triggerParameters: IDataObject;
let credentialOverrides: IDataObject;

before(async () => {
	emulator = await startEmulator({ submittedMs: 50, processingMs: 150 });
	receiver = await new CallbackReceiver().start();
	receiver.trigger = async (request: CallbackRequest): Promise<CallbackAnswer> => {
		const answer = await callTrigger({ parameters: triggerParameters, credentials: credentialsFor('custom', emulator, credentialOverrides), request });
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
		assert.equal(await postCallback(triggerUrl(), JSON.stringify({ task_id: '42', task_status: 'succeed', task_result: { videos: [{ url: 'https://attacker.example/x.mp4' }] } })), 200);
		await receiver.settled();
		assert.equal(started.length, 0);
		// Every legacy task type (an Access Key credential cannot read the new API's /tasks), by its documented lookup.
		assert.equal(emulator.requests.filter((request) => request.method === 'GET').length, TASK_FAMILIES.length - 1, 'every task type was asked');

		await submit({ resource: 'image', operation: 'generate', prompt: 'a fox [fail]' });
		await until('3 callbacks', allCallbacksDelivered(3));
		assert.equal(started.length, 1);
		assert.equal(started[0].json.task_status, 'failed');
		assert.equal(started[0].binary, undefined);
	});
});
