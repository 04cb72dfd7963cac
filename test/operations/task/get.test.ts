/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import { TASK_FAMILIES } from '../../../nodes/Kling/input/taskType';
import { OPERATIONS } from '../../../nodes/Kling/resources';
import { TEST_KEYS } from '../../support/emulator/kling-emulator';
import { credentialsFor, networkFor } from '../../support/fixtures';
import { runKling } from '../../support/harness/n8n';
import { fieldSummary, useEmulator } from '../helpers';

const emulator = useEmulator();
const submit = { resource: 'image', operation: 'generate', prompt: 'a kite', waitForCompletion: false };
const run = (parameters: IDataObject, then?: IDataObject) =>
	runKling({ parameters, then, credentials: credentialsFor('singapore', emulator()), network: networkFor(emulator()) });

describe('Task › Get', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(fieldSummary('task', 'get'), {
			taskFamily: '/v1/images/generations',
			lookupBy: 'taskId',
			taskId: '',
			waitForCompletion: false,
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes', 'onTimeout'],
		});
		assert.ok('externalTaskId' in fieldSummary('task', 'get', { lookupBy: 'externalTaskId' }));
	});

	test('every create operation’s route is a task type Task › Get and Task › List offer', () => {
		const families = TASK_FAMILIES.map((family) => family.path as string);
		for (const operation of Object.values(OPERATIONS).flat()) {
			if (operation.kind === 'task') assert.ok(families.includes(operation.taskPath), operation.taskPath);
		}
	});

	test('by task id: one GET on the family route; a running task is returned as it is', async () => {
		emulator().submittedMs = 0;
		emulator().processingMs = 60_000;
		const result = await run(submit, { resource: 'task', operation: 'get', taskId: '={{ $json.task_id }}' });
		assert.equal(result.error('Kling 2'), undefined);
		const [task] = emulator().createdTasks();
		assert.deepEqual(emulator().requests.map((request) => `${request.method} ${request.url}`), [
			'POST /v1/images/generations',
			`GET /v1/images/generations/${task.task_id}`,
		]);
		const [item] = result.output('Kling 2');
		assert.equal(item.json.task_status, 'processing');
		assert.equal(item.binary, undefined);
	});

	test('a timed-out wait can return the running task with timedOut: true', async () => {
		emulator().processingMs = 60_000;
		const result = await run(submit, {
			resource: 'task',
			operation: 'get',
			taskId: '={{ $json.task_id }}',
			waitForCompletion: true,
			waitOptions: { pollIntervalSeconds: 0.05, timeoutMinutes: 0.003, onTimeout: 'return' },
		});
		assert.equal(result.error('Kling 2'), undefined);
		const [item] = result.output('Kling 2');
		assert.equal(item.json.timedOut, true);
		assert.equal(item.json.task_status, 'processing');
	});

	test('a timed-out wait fails by default, naming the task', async () => {
		emulator().processingMs = 60_000;
		const result = await run(submit, {
			resource: 'task',
			operation: 'get',
			taskId: '={{ $json.task_id }}',
			waitForCompletion: true,
			waitOptions: { pollIntervalSeconds: 0.05, timeoutMinutes: 0.003 },
		});
		const [task] = emulator().createdTasks();
		assert.match(String(result.error('Kling 2')?.message), new RegExp(`did not finish.*task_id ${task.task_id}`));
	});

	test('an unknown task id is Kling’s 1201 "Task not found", explained', async () => {
		const result = await run({ resource: 'task', operation: 'get', taskFamily: '/v1/videos/text2video', taskId: '42' });
		assert.match(String(result.error('Kling')?.message), /Kling error 1201: .* — Task not found by id\/external id: 42/);
		assert.equal(emulator().requests[0].url, '/v1/videos/text2video/42');
	});

	test('an unknown external task id says which task type was searched', async () => {
		const result = await run({ resource: 'task', operation: 'get', lookupBy: 'externalTaskId', externalTaskId: 'nope' });
		assert.match(String(result.error('Kling')?.message), /Kling has no "\/v1\/images\/generations" task with external_task_id "nope"/);
	});

	test('by task id: an answer that carries another task (a proxy or cache mixing tasks up) is never delivered', async () => {
		const created = await run(submit);
		assert.equal(created.error('Kling'), undefined);
		const [ours] = emulator().createdTasks();
		emulator().seedForeignTask('singapore', TEST_KEYS.singapore.accessKey, '/v1/images/generations', { prompt: 'someone else', model_name: 'kling-v3' });
		emulator().injectFault({ method: 'GET', path: '/v1/images/generations/*', foreignTask: true, times: 5 });
		const result = await runKling({
			parameters: { resource: 'task', operation: 'get', taskId: ours.task_id },
			credentials: credentialsFor('singapore', emulator()),
			network: networkFor(emulator()),
		});
		const error = result.error('Kling');
		assert.ok(error, 'the foreign task is not handed over as the one asked for');
		assert.match(error.message, new RegExp(`instead of (this item’s task|task ${ours.task_id})`));
		assert.equal(result.probed.length, 0);
	});

	test('new API: two items asking for the same task both get it; neither waits for ever', async () => {
		const created = await runKling({
			parameters: { resource: 'video', operation: 'textToVideo', prompt: 'waves at dusk', waitForCompletion: false },
			credentials: credentialsFor('beijing', emulator()),
			network: networkFor(emulator()),
		});
		assert.equal(created.error('Kling'), undefined, created.error('Kling')?.message);
		const taskId = String(created.kling[0].json.task_id);
		const result = await runKling({
			parameters: {
				resource: 'task',
				operation: 'get',
				taskFamily: '/tasks',
				taskId: '={{ $json.task_id }}',
				waitForCompletion: true,
				downloadResults: false,
				waitOptions: { pollIntervalSeconds: 0.05, timeoutMinutes: 0.2 },
			},
			credentials: credentialsFor('beijing', emulator()),
			network: networkFor(emulator()),
			items: [{ json: { task_id: taskId } }, { json: { task_id: taskId } }],
			cancelAfterMs: 20_000,
		});
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		assert.deepEqual(result.kling.map((item) => [item.json.task_id, item.json.task_status]), [
			[taskId, 'succeed'],
			[taskId, 'succeed'],
		]);
	});

	test('a Task Type expression that gives nothing or an unknown route is refused naming the field; nothing is sent', async () => {
		for (const taskFamily of ['={{ $json.missing }}', '={{ "/v1/unknown" }}']) {
			const result = await run({ resource: 'task', operation: 'get', taskFamily, taskId: '42' });
			assert.match(String(result.error('Kling')?.message), /"Task Type" is/);
			assert.match(String(result.error('Kling')?.description), /Nothing was sent to Kling/);
		}
		assert.equal(emulator().requests.length, 0);
	});
});
