/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { credentialsFor, networkFor } from '../../support/fixtures';
import { runKling } from '../../support/harness/n8n';
import { fieldSummary, operationOption, useEmulator } from '../helpers';

const emulator = useEmulator();
const run = (parameters: Record<string, unknown>) =>
	runKling({ parameters: { resource: 'task', operation: 'list', ...parameters }, credentials: credentialsFor('quickrouter', emulator()), network: networkFor(emulator()) });

async function createTasks(count: number) {
	for (let index = 0; index < count; index++) {
		await runKling({
			parameters: { resource: 'image', operation: 'generate', prompt: `task ${index}`, waitForCompletion: false },
			credentials: credentialsFor('quickrouter', emulator()),
			network: networkFor(emulator()),
		});
	}
	emulator().requests.length = 0;
}

describe('Task › List (declarative routing with a pagination hook)', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.equal(operationOption('task', 'list')?.name, 'List');
		assert.deepEqual(fieldSummary('task', 'list'), { taskFamily: '/v1/images/generations', pages: 'one', pageNumber: 1, pageSize: 30 });
		assert.deepEqual(fieldSummary('task', 'list', { pages: 'all' }), { taskFamily: '/v1/images/generations', pages: 'one', maxTasks: 1000 });
	});

	test('one page: the page number and size reach Kling, one item per task', async () => {
		await createTasks(3);
		const result = await run({ pageNumber: 1, pageSize: 2 });
		assert.equal(result.error('Kling'), undefined);
		assert.deepEqual(emulator().requests.map((request) => request.url), ['/kling/v1/images/generations?pageNum=1&pageSize=2']);
		assert.deepEqual(result.kling.map((item) => item.json.task_id), emulator().createdTasks().reverse().slice(0, 2).map((task) => task.task_id));
	});

	test('all pages: pages of 500 until a short page, cut at Max Tasks', async () => {
		await createTasks(3);
		const everything = await run({ pages: 'all', maxTasks: 0 });
		assert.equal(everything.kling.length, 3);
		assert.deepEqual(emulator().requests.map((request) => request.url), ['/kling/v1/images/generations?pageNum=1&pageSize=500']);
		emulator().requests.length = 0;
		const limited = await run({ pages: 'all', maxTasks: 2 });
		assert.equal(limited.kling.length, 2);
	});

	test('an empty family lists nothing; a page Kling does not allow is refused before sending, naming the field', async () => {
		const empty = await run({ taskFamily: '/v1/videos/effects' });
		assert.equal(empty.error('Kling'), undefined);
		assert.equal(empty.kling.length, 0);
		emulator().reset();
		const invalid = await run({ pageNumber: 1001 });
		assert.match(String(invalid.error('Kling')?.message), /"Page Number" is 1001; it must be from 1 to 1000/);
		assert.equal(emulator().requests.length, 0);
	});
});
