/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { credentialsFor, networkFor } from '../../support/fixtures';
import { runKling } from '../../support/harness/n8n';
import { fieldSummary, operationOption, useEmulator } from '../helpers';

const emulator = useEmulator();
const run = (parameters: object) =>
	runKling({ parameters: { resource: 'voice', ...parameters }, credentials: credentialsFor('singapore', emulator()), network: networkFor(emulator()) });

describe('Voice › Get', () => {
	test('descriptor', () => {
		assert.equal(operationOption('voice', 'get')?.name, 'Get');
		assert.deepEqual(fieldSummary('voice', 'get'), { taskId: '' });
	});

	test('reads the creation task on its own route', async () => {
		await run({ operation: 'create', voiceName: 'N', voiceUrl: 'https://x.example/v.mp3', waitForCompletion: false });
		const [task] = emulator().createdTasks();
		emulator().requests.length = 0;
		const result = await run({ operation: 'get', taskId: task.task_id });
		assert.deepEqual(emulator().requests.map((request) => request.url), [`/v1/general/custom-voices/${task.task_id}`]);
		assert.equal(result.kling[0].json.task_id, task.task_id);
	});
});
