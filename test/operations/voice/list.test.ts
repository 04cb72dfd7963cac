/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { credentialsFor, fastWait, networkFor } from '../../support/fixtures';
import { runKling } from '../../support/harness/n8n';
import { fieldSummary, operationOption, useEmulator } from '../helpers';

const emulator = useEmulator();
const run = (parameters: object) =>
	runKling({ parameters: { resource: 'voice', ...parameters }, credentials: credentialsFor('singapore', emulator()), network: networkFor(emulator()) });

describe('Voice › List', () => {
	test('descriptor: voice lists take pages of up to 1000', () => {
		assert.equal(operationOption('voice', 'list')?.name, 'List');
		assert.deepEqual(fieldSummary('voice', 'list'), { pages: 'one', pageNumber: 1, pageSize: 30 });
		assert.deepEqual(fieldSummary('voice', 'list', { pages: 'all' }), { pages: 'one', maxResults: 1000 });
	});

	test('one item per voice; a page of 1000 is accepted', async () => {
		await run({ operation: 'create', voiceName: 'N', voiceUrl: 'https://x.example/v.mp3', waitOptions: fastWait });
		emulator().requests.length = 0;
		const result = await run({ operation: 'list', pageSize: 1000 });
		assert.equal(result.error('Kling'), undefined);
		assert.deepEqual(result.kling.map((item) => item.json.voice_name), ['N']);
		assert.deepEqual(emulator().requests.map((request) => request.url), ['/v1/general/custom-voices?pageNum=1&pageSize=1000']);
	});
});
