/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { describeKlingCode, KLING_CODES } from '../../nodes/Kling/transport/errorCodes';

/** Kling's service codes (https://kling.ai/document-api/guides/get-started/quick-start, "Error codes"): what each means, whether it is retried, and whether a task may exist. */
describe('Kling service codes', () => {
	test('authentication, account, parameter and policy codes are final: retrying cannot help', () => {
		for (const code of [1000, 1001, 1002, 1100, 1101, 1102, 1103, 1200, 1201, 1202, 1203, 1300, 1301, 1304]) {
			assert.equal(describeKlingCode(code)?.retry, 'final', `code ${code}`);
		}
	});

	test('a token not yet valid (1003) or expired (1004) is signed anew, not backed off', () => {
		assert.equal(describeKlingCode(1003)?.retry, 'resign');
		assert.equal(describeKlingCode(1004)?.retry, 'resign');
	});

	test('rate limit, concurrency limit and server errors back off', () => {
		for (const code of [1302, 1303, 5000, 5001, 5002]) assert.equal(describeKlingCode(code)?.retry, 'backoff', `code ${code}`);
	});

	test('only the internal error and timeout (5000, 5002) leave open whether a task was created', () => {
		const uncertain = Object.entries(KLING_CODES)
			.filter(([, info]) => !info.taskNotCreated)
			.map(([code]) => Number(code))
			.sort();
		assert.deepEqual(uncertain, [5000, 5002]);
	});

	test('every code has a meaning and an action the user can follow', () => {
		for (const [code, info] of Object.entries(KLING_CODES)) {
			assert.ok(info.meaning.length > 5, `meaning of ${code}`);
			assert.ok(info.action.length > 5, `action of ${code}`);
		}
		assert.match(describeKlingCode(1004)!.action, /NTP/);
		assert.match(describeKlingCode(1304)!.action, /IP whitelist/);
	});

	test('an unknown or missing code describes nothing', () => {
		assert.equal(describeKlingCode(undefined), undefined);
		assert.equal(describeKlingCode(9999), undefined);
		assert.equal(describeKlingCode(0), undefined);
	});
});
