/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { KlingApi, klingJwt, signKlingJwt } from '../../credentials/KlingApi.credentials';
import { authTypeOf, PROVIDER_PRESETS, resolveBaseUrl } from '../../nodes/Kling/transport/provider';
import { verifyKlingJwt } from '../support/emulator/jwt';
import { type KlingEmulator, TEST_KEYS } from '../support/emulator/kling-emulator';
import { credentialsFor, networkFor, PRESETS, startEmulator } from '../support/fixtures';
import { testCredential } from '../support/harness/n8n';

const { accessKey, secretKey } = TEST_KEYS.singapore;
const secrets = new Map([[accessKey, secretKey]]);
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, number | string>;

describe('JWT signing', () => {
	test('the token carries iss = access key, nbf = now − 5 s, exp = now + 1800 s, and the emulator’s own check accepts it', () => {
		const now = 1_800_000_000;
		const token = signKlingJwt(accessKey, secretKey, now);
		assert.deepEqual(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()), { alg: 'HS256', typ: 'JWT' });
		assert.deepEqual(claimsOf(token), { iss: accessKey, exp: now + 1800, nbf: now - 5 });
		assert.equal(verifyKlingJwt(token, secrets, now), 0);
	});

	test('the independent check rejects a wrong secret, a future nbf and an expired token with Kling’s codes', () => {
		const now = 1_800_000_000;
		assert.equal(verifyKlingJwt(signKlingJwt(accessKey, 'wrong-secret', now), secrets, now), 1002);
		assert.equal(verifyKlingJwt(signKlingJwt(accessKey, secretKey, now + 60), secrets, now), 1003);
		assert.equal(verifyKlingJwt(signKlingJwt(accessKey, secretKey, now), secrets, now + 1800), 1004);
		assert.equal(verifyKlingJwt(signKlingJwt('unknown-ak', secretKey, now), secrets, now), 1000);
	});

	test('a token is reused while fresh and a new one is signed once it nears expiry', () => {
		const start = 1_900_000_000;
		const first = klingJwt(accessKey, secretKey, start);
		assert.equal(klingJwt(accessKey, secretKey, start + 60), first, 'reused a minute later');
		assert.equal(klingJwt(accessKey, secretKey, start + 1400), first, 'reused until the margin before expiry');
		const renewed = klingJwt(accessKey, secretKey, start + 1600);
		assert.notEqual(renewed, first);
		assert.equal(claimsOf(renewed).exp, start + 1600 + 1800);
		assert.equal(verifyKlingJwt(renewed, secrets, start + 1900), 0, 'the new token is valid after the old one expired');
		assert.equal(verifyKlingJwt(first, secrets, start + 1900), 1004, 'the old one is not');
	});
});

describe('provider presets', () => {
	test('each preset resolves to its host and path prefix', () => {
		assert.equal(resolveBaseUrl({ provider: 'singapore' }), 'https://api-singapore.klingai.com');
		assert.equal(resolveBaseUrl({ provider: 'beijing' }), 'https://api-beijing.klingai.com');
		assert.equal(resolveBaseUrl({ provider: 'cometapi' }), 'https://api.cometapi.com/kling');
		assert.equal(resolveBaseUrl({ provider: 'quickrouter' }), 'https://api.quickrouter.ai/kling');
		assert.equal(resolveBaseUrl({ provider: 'custom', baseUrl: ' https://example.com/kling/v1/ ' }), 'https://example.com/kling');
		assert.throws(() => resolveBaseUrl({ provider: 'custom', baseUrl: 'example.com' }), /Base URL is not an http\(s\) URL/);
	});

	test('resellers always get their Bearer key, even with a stale Access Key choice', () => {
		assert.equal(authTypeOf({ provider: 'cometapi', authType: 'accessKey' }), 'apiKey');
		assert.equal(authTypeOf({ provider: 'singapore', authType: 'accessKey' }), 'accessKey');
		assert.equal(authTypeOf({ provider: 'custom', authType: 'accessKey' }), 'accessKey');
		assert.equal(authTypeOf({ provider: 'beijing' }), 'apiKey');
	});

	test('authenticate sets the provider’s base URL and a Bearer header', async () => {
		const credential = new KlingApi();
		const request = await credential.authenticate(
			{ provider: 'cometapi', apiKey: 'sk-1' },
			{ url: '/v1/images/generations', headers: { Accept: 'application/json' } },
		);
		assert.equal(request.baseURL, 'https://api.cometapi.com/kling');
		assert.deepEqual(request.headers, { Accept: 'application/json', Authorization: 'Bearer sk-1' });
	});

	test('the credential form offers every preset plus a custom host', () => {
		const provider = new KlingApi().properties.find((property) => property.name === 'provider');
		const values = (provider?.options as Array<{ value: string }>).map((option) => option.value);
		assert.deepEqual(values, [...Object.keys(PROVIDER_PRESETS), 'custom']);
		const secretFields = new KlingApi().properties.filter((property) => property.typeOptions?.password).map((p) => p.name);
		assert.deepEqual([...new Set(secretFields)].sort(), ['apiKey', 'secretKey', 'webhookSecret']);
	});
});

describe('credential test (free list call) through the engine', () => {
	let emulator: KlingEmulator;
	before(async () => (emulator = await startEmulator()));
	after(async () => await emulator.stop());
	beforeEach(() => emulator.reset());

	for (const preset of PRESETS) {
		test(`${preset}: a correct key passes with one free list request`, async () => {
			const result = await testCredential(credentialsFor(preset, emulator), networkFor(emulator));
			assert.deepEqual(result, { status: 'OK', message: 'Connection successful' });
			assert.equal(emulator.requests.length, 1);
			assert.equal(emulator.requests[0].deployment, preset);
			assert.equal(emulator.requests[0].url, `${preset === 'cometapi' || preset === 'quickrouter' ? '/kling' : preset === 'custom' ? '/custom/kling' : ''}/v1/images/generations?pageNum=1&pageSize=1`);
		});
	}

	test('a wrong secret key is explained', async () => {
		const result = await testCredential(credentialsFor('singapore', emulator, { secretKey: 'not-the-secret' }), networkFor(emulator));
		assert.equal(result.status, 'Error');
		assert.match(result.message, /The host rejected the key \(401\)\. Check the key/);
	});

	test('a key of the other region is explained', async () => {
		const wrongRegion = credentialsFor('beijing', emulator, { apiKey: TEST_KEYS.singapore.apiKey });
		const result = await testCredential(wrongRegion, networkFor(emulator));
		assert.equal(result.status, 'Error');
		assert.match(result.message, /a key from Kling’s console works only on the host of its own region/);
	});

	test('a custom base URL without the reseller prefix is explained', async () => {
		const noPrefix = credentialsFor('custom', emulator, { baseUrl: `${emulator.url}/wrong-prefix` });
		const result = await testCredential(noPrefix, networkFor(emulator));
		assert.equal(result.status, 'Error');
		assert.match(result.message, /no Kling API at the given path/);
	});
});
