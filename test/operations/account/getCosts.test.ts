/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { credentialsFor, networkFor } from '../../support/fixtures';
import { runKling } from '../../support/harness/n8n';
import { fieldSummary, operationOption, useEmulator } from '../helpers';

const emulator = useEmulator();

describe('Account › Get Costs', () => {
	test('descriptor: a time range and an optional pack name; a read through the request policy (no routing)', () => {
		const option = operationOption('account', 'getCosts');
		assert.equal(option?.routing, undefined);
		assert.deepEqual(Object.keys(fieldSummary('account', 'getCosts')), ['startTime', 'endTime', 'resourcePackName']);
	});

	test('the times are sent as milliseconds and returns one item per resource pack', async () => {
		const result = await runKling({
			parameters: {
				resource: 'account',
				operation: 'getCosts',
				startTime: '2026-10-01T00:00:00.000Z',
				endTime: '2026-11-01T00:00:00.000Z',
			},
			credentials: credentialsFor('beijing', emulator()),
			network: networkFor(emulator()),
		});
		assert.equal(result.error('Kling'), undefined);
		const [request] = emulator().requests;
		assert.equal(request.url, `/account/costs?start_time=${Date.parse('2026-10-01T00:00:00Z')}&end_time=${Date.parse('2026-11-01T00:00:00Z')}`);
		assert.equal(request.deployment, 'beijing');
		assert.equal(result.kling.length, 1);
		const packs = result.kling[0].json.resource_pack_subscribe_infos as Array<{ resource_pack_name: string }>;
		assert.deepEqual(packs.map((pack) => pack.resource_pack_name), ['Video Trial Pack', 'Image Pack']);
	});

	test('the pack name filter is sent only when set, and Kling errors are explained', async () => {
		const result = await runKling({
			parameters: {
				resource: 'account',
				operation: 'getCosts',
				startTime: '2026-11-01T00:00:00.000Z',
				endTime: '2026-10-01T00:00:00.000Z',
				resourcePackName: 'Image Pack',
			},
			credentials: credentialsFor('singapore', emulator()),
			network: networkFor(emulator()),
		});
		assert.match(emulator().requests[0].url, /resource_pack_name=Image%20Pack|resource_pack_name=Image\+Pack/);
		const error = result.error('Kling');
		assert.ok(error);
		assert.match(error.message, /Kling error 1201: Invalid parameter value — end_time is before start_time/);
	});
});
