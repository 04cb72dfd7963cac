/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { credentialsFor, networkFor } from '../../support/fixtures';
import { runKling } from '../../support/harness/n8n';
import { fieldSummary, operationOption, useEmulator } from '../helpers';

const emulator = useEmulator();
const run = (parameters: object) =>
	runKling({ parameters: { resource: 'account', operation: 'getBalanceLedger', ...parameters }, credentials: credentialsFor('singapore', emulator()), network: networkFor(emulator()) });

describe('Account › Get Balance Ledger', () => {
	test('descriptor: only the API key filter exists for cash', () => {
		assert.equal(operationOption('account', 'getBalanceLedger')?.name, 'Get Balance Ledger');
		assert.deepEqual(fieldSummary('account', 'getBalanceLedger').filters, ['keyNames']);
	});

	test('all pages: follows next_cursor (and sends nothing else with it) until has_more is false', async () => {
		for (let index = 0; index < 5; index++) {
			await runKling({ parameters: { resource: 'audio', operation: 'textToSpeech', text: `t${index}`, voiceId: 'v', downloadResults: false }, credentials: credentialsFor('singapore', emulator()), network: networkFor(emulator()) });
		}
		emulator().requests.length = 0;
		// Pages of 500 hold them all; Max Rows 3 still reads only what it needs.
		const limited = await run({ pages: 'all', maxRows: 3 });
		assert.equal(limited.kling.length, 3);
		assert.equal(emulator().requests.length, 1);
		assert.equal(emulator().requests[0].body?.limit, 500);
		assert.deepEqual(Object.keys(limited.kling[0].json).filter((key) => key.includes('balance')).sort(), ['balance_after_deduction', 'balance_before_deduction']);
	});
});
