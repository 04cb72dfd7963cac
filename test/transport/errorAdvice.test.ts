/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { INode } from 'n8n-workflow';

import { klingApiError } from '../../nodes/Kling/transport/errors';

const node: INode = { id: 'n', name: 'Kling', type: 'n8n-nodes-kling.kling', typeVersion: 1, position: [0, 0], parameters: {} };

/** Kling's own codes come with plain advice: what happened, and what the user does about it. */
describe('Kling error codes get plain advice', () => {
	test('1102: which resource pack to top up (video or image), and where to see what is left', () => {
		const error = klingApiError(node, { httpStatus: 429, klingCode: 1102, klingMessage: 'Account balance not enough', requestId: 'r1' });
		assert.match(error.message, /^Kling error 1102: The resource pack is used up or has expired/);
		assert.match(String(error.description), /video pack for videos.*image pack for images/);
		assert.match(String(error.description), /Get Package Ledger/);
		assert.match(String(error.description), /Kling request_id: r1/);
	});

	test('1301: content safety refused the input; change it, sending it again fails the same way', () => {
		const error = klingApiError(node, { httpStatus: 400, klingCode: 1301 });
		assert.match(String(error.description), /content safety refused the input: change the prompt or the input images/);
		assert.match(String(error.description), /Sending the same input again fails the same way/);
	});

	test('1303: the account’s task limit, with what to change', () => {
		const error = klingApiError(node, { httpStatus: 429, klingCode: 1303 });
		assert.match(String(error.description), /account’s task limit is reached/);
		assert.match(String(error.description), /lower Concurrency/);
	});

	test('1304: the IP whitelist, with where to fix it', () => {
		assert.match(String(klingApiError(node, { httpStatus: 429, klingCode: 1304 }).description), /IP whitelist in the Kling console/);
	});
});
