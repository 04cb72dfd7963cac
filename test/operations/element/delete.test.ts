/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { credentialsFor, networkFor } from '../../support/fixtures';
import { runKling } from '../../support/harness/n8n';
import { fieldSummary, operationOption, useEmulator } from '../helpers';

const emulator = useEmulator();
const run = (parameters: object) =>
	runKling({ parameters: { resource: 'element', ...parameters }, credentials: credentialsFor('singapore', emulator()), network: networkFor(emulator()) });

describe('Element › Delete', () => {
	test('descriptor: the element from the list or by ID', () => {
		assert.equal(operationOption('element', 'delete')?.name, 'Delete');
		assert.deepEqual(fieldSummary('element', 'delete'), { element: { mode: 'list', value: '' } });
	});

	test('sends exactly { element_id } as text to the advanced route; presets cannot be deleted', async () => {
		const preset = await run({ operation: 'delete', element: { __rl: true, mode: 'list', value: '900000000001' } });
		assert.deepEqual(emulator().requests.map((request) => [request.method, request.klingPath, request.body]), [
			['POST', '/v1/general/delete-advanced-elements', { element_id: '900000000001' }],
		]);
		assert.match(String(preset.error('Kling')?.message), /Kling error 1201.*element_id 900000000001 is not a custom element of this account/);
	});
});
