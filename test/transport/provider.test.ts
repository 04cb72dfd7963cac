/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
	authTypeOf,
	externalIdLookup,
	PROVIDER_PRESETS,
	ProviderConfigError,
	providerOf,
	resolveBaseUrl,
	routeOverrideFor,
} from '../../nodes/Kling/transport/provider';

describe('provider', () => {
	test('each preset has its https base URL without a trailing slash; no provider means Singapore', () => {
		for (const [id, preset] of Object.entries(PROVIDER_PRESETS)) {
			assert.equal(resolveBaseUrl({ provider: id }), preset.baseUrl);
			assert.match(preset.baseUrl, /^https:\/\/[^/]+(\/[a-z]+)?$/, id);
		}
		assert.equal(resolveBaseUrl({}), 'https://api-singapore.klingai.com');
		assert.equal(providerOf({}), 'singapore');
	});

	test('a custom host keeps its path prefix, without trailing slashes or a trailing /v1', () => {
		assert.equal(resolveBaseUrl({ provider: 'custom', baseUrl: 'https://proxy.example.com/kling' }), 'https://proxy.example.com/kling');
		assert.equal(resolveBaseUrl({ provider: 'custom', baseUrl: '  https://proxy.example.com/kling//  ' }), 'https://proxy.example.com/kling');
		assert.equal(resolveBaseUrl({ provider: 'custom', baseUrl: 'https://proxy.example.com/kling/v1' }), 'https://proxy.example.com/kling');
		assert.equal(resolveBaseUrl({ provider: 'custom', baseUrl: 'http://127.0.0.1:8080/' }), 'http://127.0.0.1:8080');
	});

	test('a custom host without an http(s) URL, and an unknown provider, are configuration errors', () => {
		for (const baseUrl of ['', '   ', 'example.com', 'ftp://example.com', 'https://']) {
			assert.throws(() => resolveBaseUrl({ provider: 'custom', baseUrl }), (error) => error instanceof ProviderConfigError && /Base URL is not an http\(s\) URL/.test(error.message), String(baseUrl));
		}
		assert.throws(() => resolveBaseUrl({ provider: 'custom' }), ProviderConfigError, 'no Base URL at all');
		assert.throws(() => providerOf({ provider: 'mars' }), (error) => error instanceof ProviderConfigError && /Unknown Kling provider "mars"/.test(error.message));
	});

	test('resellers take only their own key: a stale Access Key choice still means an API key', () => {
		assert.equal(authTypeOf({ provider: 'cometapi', authType: 'accessKey' }), 'apiKey');
		assert.equal(authTypeOf({ provider: 'quickrouter', authType: 'accessKey' }), 'apiKey');
		assert.equal(authTypeOf({ provider: 'singapore', authType: 'accessKey' }), 'accessKey');
		assert.equal(authTypeOf({ provider: 'beijing', authType: 'apiKey' }), 'apiKey');
		assert.equal(authTypeOf({ provider: 'custom', authType: 'accessKey' }), 'accessKey');
		assert.equal(authTypeOf({ provider: 'custom' }), 'apiKey');
	});

	test('the multi-image route quirk applies only when the credential asks for it, with its field renamed', () => {
		assert.deepEqual(routeOverrideFor({ multiImageRoute: 'legacyGenerations' }, '/v1/images/multi-image2image'), {
			path: '/v1/images/generations',
			renameFields: { scene_image: 'scence_image' },
		});
		assert.equal(routeOverrideFor({ multiImageRoute: 'official' }, '/v1/images/multi-image2image'), undefined);
		assert.equal(routeOverrideFor({}, '/v1/images/multi-image2image'), undefined);
		assert.equal(routeOverrideFor({ multiImageRoute: 'legacyGenerations' }, '/v1/images/generations'), undefined, 'a quirk belongs to its route');
		assert.equal(routeOverrideFor({}, '/no/such/route'), undefined);
	});

	test('a task is looked up by its external id on the task route, the id encoded as one path segment', () => {
		assert.deepEqual(externalIdLookup('/v1/videos/text2video', 'run-1'), { path: '/v1/videos/text2video/run-1' });
		assert.deepEqual(externalIdLookup('/v1/videos/text2video', 'a/b?c=d#e f'), { path: '/v1/videos/text2video/a%2Fb%3Fc%3Dd%23e%20f' });
	});
});
