/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { credentialsFor, networkFor } from '../../support/fixtures';
import { runKling } from '../../support/harness/n8n';
import { fieldSummary, operationOption, useEmulator } from '../helpers';

const emulator = useEmulator();
const run = (parameters: object) =>
	runKling({ parameters: { resource: 'element', ...parameters }, credentials: credentialsFor('beijing', emulator()), network: networkFor(emulator()) });

describe('Element › Get', () => {
	test('descriptor', () => {
		assert.equal(operationOption('element', 'get')?.name, 'Get');
		assert.deepEqual(fieldSummary('element', 'get'), { taskId: '' });
	});

	test('reads the creation task by task ID or external task ID, on its own route', async () => {
		await run({ operation: 'create', elementName: 'Mia', elementDescription: 'd', frontalImageSource: 'url', frontalImage: 'https://x.example/f.png', referImages: { images: [{ source: 'url', value: 'https://x.example/s.png' }] }, waitForCompletion: false, options: { externalTaskId: 'mia-1' } });
		const [task] = emulator().createdTasks();
		emulator().requests.length = 0;
		const byId = await run({ operation: 'get', taskId: task.task_id });
		const byExternal = await run({ operation: 'get', taskId: ' mia-1 ' });
		assert.deepEqual(emulator().requests.map((request) => request.url), [`/v1/general/advanced-custom-elements/${task.task_id}`, '/v1/general/advanced-custom-elements/mia-1']);
		assert.equal(byId.kling[0].json.task_id, task.task_id);
		assert.equal(byExternal.kling[0].json.task_id, task.task_id);
	});

	test('an unknown task is Kling’s error, explained', async () => {
		const result = await run({ operation: 'get', taskId: 'nope' });
		assert.match(String(result.error('Kling')?.message), /Kling error 1201: .*Task not found/);
	});
});
