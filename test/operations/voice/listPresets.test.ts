/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { credentialsFor, networkFor } from '../../support/fixtures';
import { runKling } from '../../support/harness/n8n';
import { fieldSummary, operationOption, useEmulator } from '../helpers';

const emulator = useEmulator();

describe('Voice › List Presets', () => {
	test('descriptor', () => {
		assert.equal(operationOption('voice', 'listPresets')?.name, 'List Presets');
		assert.deepEqual(fieldSummary('voice', 'listPresets'), { pages: 'one', pageNumber: 1, pageSize: 30 });
	});

	test('Kling’s official voices, one item each', async () => {
		const result = await runKling({ parameters: { resource: 'voice', operation: 'listPresets', pageSize: 5 }, credentials: credentialsFor('singapore', emulator()), network: networkFor(emulator()) });
		assert.deepEqual(result.kling.map((item) => item.json.voice_name), ['Warm Narrator', 'Bright Host']);
		assert.deepEqual(emulator().requests.map((request) => request.url), ['/v1/general/presets-voices?pageNum=1&pageSize=5']);
	});
});
