/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';

import { forgetKlingJwt, klingJwt, signKlingJwt } from '../../nodes/Kling/transport/jwtCache';

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

/** Kling's AK/SK tokens (https://kling.ai/document-api/api/get-started/authentication): HS256, iss = access key, exp = now + 1800, nbf = now − 5. */
describe('Kling JWT', () => {
	test('the token carries the documented header and claims and is signed with the secret key', () => {
		const now = 1_800_000_000;
		const token = signKlingJwt('ak-claims', 'sk-claims', now);
		const [header, payload, signature] = token.split('.');
		assert.deepEqual(decode(header), { alg: 'HS256', typ: 'JWT' });
		assert.deepEqual(decode(payload), { iss: 'ak-claims', exp: now + 1800, nbf: now - 5 });
		assert.equal(signature, createHmac('sha256', 'sk-claims').update(`${header}.${payload}`).digest('base64url'));
		assert.ok(!token.includes('sk-claims'), 'the secret never appears in the token');
	});

	test('a cached token is reused until 300 s before its expiry, then signed anew', () => {
		const start = 1_800_000_000;
		const first = klingJwt('ak-reuse', 'sk-reuse', start);
		assert.equal(klingJwt('ak-reuse', 'sk-reuse', start + 1), first);
		assert.equal(klingJwt('ak-reuse', 'sk-reuse', start + 1499), first, 'still 301 s to go');
		const renewed = klingJwt('ak-reuse', 'sk-reuse', start + 1500);
		assert.notEqual(renewed, first, 'within the margin');
		assert.equal(decode(renewed.split('.')[1]).exp, start + 1500 + 1800);
		assert.equal(klingJwt('ak-reuse', 'sk-reuse', start + 1501), renewed, 'the renewed token is cached in turn');
	});

	test('a clock that jumped back signs anew, so the token is never "not yet valid"', () => {
		const start = 1_800_000_000;
		const first = klingJwt('ak-back', 'sk-back', start);
		const earlier = klingJwt('ak-back', 'sk-back', start - 60);
		assert.notEqual(earlier, first);
		assert.equal(decode(earlier.split('.')[1]).nbf, start - 60 - 5);
	});

	test('each key pair has its own token: another secret with the same access key is not served the cached one', () => {
		const now = 1_800_000_000;
		const a = klingJwt('ak-pair', 'sk-one', now);
		const b = klingJwt('ak-pair', 'sk-two', now);
		assert.notEqual(a, b);
		assert.equal(b, signKlingJwt('ak-pair', 'sk-two', now));
		assert.equal(klingJwt('ak-pair', 'sk-one', now + 10), a);
	});

	test('forgetKlingJwt drops the cached token of that key pair only', () => {
		const now = 1_800_000_000;
		const kept = klingJwt('ak-kept', 'sk-kept', now);
		const dropped = klingJwt('ak-forget', 'sk-forget', now);
		forgetKlingJwt({ accessKey: 'ak-forget', secretKey: 'sk-forget' });
		assert.notEqual(klingJwt('ak-forget', 'sk-forget', now + 10), dropped, 'signed anew after being forgotten');
		assert.equal(klingJwt('ak-kept', 'sk-kept', now + 10), kept);
		assert.doesNotThrow(() => forgetKlingJwt({}));
	});
});
