/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { credentialsFor, networkFor } from '../../support/fixtures';
import { runKling } from '../../support/harness/n8n';
import { fieldSummary, operationOption, useEmulator } from '../helpers';

const emulator = useEmulator();
const start = '2026-09-01T00:00:00.000Z';
const end = '2026-09-30T00:00:00.000Z';
const run = (parameters: object) =>
	runKling({ parameters: { resource: 'account', operation: 'getPackageLedger', startTime: start, endTime: end, ...parameters }, credentials: credentialsFor('singapore', emulator()), network: networkFor(emulator()) });

describe('Account › Get Package Ledger', () => {
	test('descriptor: time range, one page or all, filters', () => {
		assert.equal(operationOption('account', 'getPackageLedger')?.name, 'Get Package Ledger');
		const fields = fieldSummary('account', 'getPackageLedger');
		assert.deepEqual({ ...fields, startTime: typeof fields.startTime, endTime: typeof fields.endTime }, {
			startTime: 'string',
			endTime: 'string',
			pages: 'one',
			pageSize: 100,
			filters: ['keyNames', 'packageIds', 'packageNames', 'productTypes'],
		});
	});

	test('minimal and full: the exact body of one page, with every filter', async () => {
		await run({});
		await run({ pageSize: 20, filters: { keyNames: 'prod, staging', productTypes: ['video', 'try-on'], packageIds: 'p1' } });
		assert.deepEqual(emulator().requests.map((request) => [request.klingPath, request.body]), [
			['/account/billing/package', { start_time: Date.parse(start), end_time: Date.parse(end), limit: 100 }],
			[
				'/account/billing/package',
				{
					start_time: Date.parse(start),
					end_time: Date.parse(end),
					limit: 20,
					filters: [
						{ key: 'api_key_name', values: ['prod', 'staging'] },
						{ key: 'product_type', values: ['video', 'try-on'] },
						{ key: 'package_id', values: ['p1'] },
					],
				},
			],
		]);
	});

	test('rejected before sending: package names and ids together, an end before the start', async () => {
		const both = await run({ filters: { packageIds: 'p1', packageNames: 'Pack' } });
		assert.match(String(both.error('Kling')?.message), /filter by Package Names or by Package IDs, not both/);
		const backwards = await run({ startTime: end, endTime: start });
		assert.match(String(backwards.error('Kling')?.message), /the Start Time must be a date before the End Time/);
		assert.equal(emulator().requests.length, 0);
	});
});
