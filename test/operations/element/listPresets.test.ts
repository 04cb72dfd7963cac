/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { credentialsFor, networkFor } from '../../support/fixtures';
import { runKling } from '../../support/harness/n8n';
import { fieldSummary, operationOption, useEmulator } from '../helpers';

const emulator = useEmulator();

describe('Element › List Presets', () => {
	test('descriptor', () => {
		assert.equal(operationOption('element', 'listPresets')?.name, 'List Presets');
		assert.deepEqual(fieldSummary('element', 'listPresets'), { pages: 'one', pageNumber: 1, pageSize: 30 });
	});

	test('Kling’s official elements, one item each', async () => {
		const result = await runKling({ parameters: { resource: 'element', operation: 'listPresets', pages: 'all' }, credentials: credentialsFor('singapore', emulator()), network: networkFor(emulator()) });
		assert.deepEqual(result.kling.map((item) => [item.json.element_name, item.json.owned_by]), [['Grace', 'kling'], ['Armored Youth', 'kling']]);
		assert.deepEqual(emulator().requests.map((request) => request.url), ['/v1/general/advanced-presets-elements?pageNum=1&pageSize=500']);
	});
});
