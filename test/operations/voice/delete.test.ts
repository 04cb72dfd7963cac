/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { credentialsFor, fastWait, networkFor } from '../../support/fixtures';
import { runKling } from '../../support/harness/n8n';
import { fieldSummary, operationOption, useEmulator } from '../helpers';

const emulator = useEmulator();
const run = (parameters: object) =>
	runKling({ parameters: { resource: 'voice', ...parameters }, credentials: credentialsFor('singapore', emulator()), network: networkFor(emulator()) });

describe('Voice › Delete', () => {
	test('descriptor: the voice from the list or by ID', () => {
		assert.equal(operationOption('voice', 'delete')?.name, 'Delete');
		assert.deepEqual(fieldSummary('voice', 'delete'), { voice: { mode: 'list', value: '' } });
	});

	test('sends exactly { voice_id }; the voice then leaves the list', async () => {
		const created = await run({ operation: 'create', voiceName: 'N', voiceUrl: 'https://x.example/v.mp3', waitOptions: fastWait });
		const voiceId = (created.kling[0].json.task_result as { voices: Array<{ voice_id: string }> }).voices[0].voice_id;
		emulator().requests.length = 0;
		const deleted = await run({ operation: 'delete', voice: { __rl: true, mode: 'id', value: voiceId } });
		assert.equal(deleted.error('Kling'), undefined);
		assert.deepEqual(emulator().requests.map((request) => [request.klingPath, request.body]), [['/v1/general/delete-voices', { voice_id: voiceId }]]);
		const listed = await run({ operation: 'list' });
		assert.equal(listed.kling.filter((item) => item.json.voice_id).length, 0);
	});
});
