/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test, node:assert and node:http run outside n8n */
/**
 * Every Kling request stays on the credential's host: a path that is absolute, protocol-relative
 * or otherwise leaves the base URL is refused before anything is sent or signed, so no other host
 * ever sees the API key or a JWT (Task › List took its route from an expression).
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';

import type { IExecuteFunctions } from 'n8n-workflow';

import { klingRequest } from '../../nodes/Kling/transport/request';
import { credentialsFor, networkFor } from '../support/fixtures';
import { runKling } from '../support/harness/n8n';
import { useEmulator } from '../operations/helpers';

const emulator = useEmulator();

/** A second host on 127.0.0.1 that records whatever reaches it. */
let other: Server;
const otherRequests: IncomingMessage[] = [];
let otherUrl = '';
before(async () => {
	other = createServer((req, res) => {
		otherRequests.push(req);
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end('{"code":0,"message":"ok","data":[]}');
	});
	await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
	otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});
after(async () => await new Promise<void>((resolve) => other.close(() => resolve())));

function stubContext() {
	const sent: unknown[] = [];
	const fake = {
		getNode: () => ({ id: 'n', name: 'Kling', type: 'kling', typeVersion: 1, position: [0, 0], parameters: {} }),
		getExecutionCancelSignal: () => undefined,
		getInputData: () => [{ json: {} }],
		getNodeParameter: () => ({ backoffBaseMs: 1, backoffMaxMs: 2 }),
		getCredentials: async () => ({ provider: 'custom', baseUrl: 'https://kling.example/prefix', authType: 'apiKey', apiKey: 'k' }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: unknown) => {
				sent.push(options);
				return { statusCode: 200, headers: {}, body: '{"code":0,"data":{}}' };
			},
		},
	};
	return { fake: fake as unknown as IExecuteFunctions, sent };
}

describe('request host rule', () => {
	const refused = [
		'http://127.0.0.2:1234/x',
		'https://evil.example/v1/images/generations',
		'//evil.example/v1/images/generations',
		'/\\evil.example/x',
		'\\\\evil.example/x',
		'HTTP://evil.example',
		' http://evil.example/x',
		'javascript:alert(1)',
		'v1/images/generations',
		'',
	];
	for (const path of refused) {
		test(`refused before sending: ${JSON.stringify(path)}`, async () => {
			const { fake, sent } = stubContext();
			await assert.rejects(klingRequest.call(fake, { method: 'GET', path, itemIndex: 0 }), (error: Error & { description?: string }) => {
				assert.match(error.message, /credential’s host/);
				assert.match(String(error.description), /Nothing was sent to Kling\./);
				return true;
			});
			assert.equal(sent.length, 0, 'nothing sent, no auth attached');
		});
	}

	for (const path of ['/v1/images/generations', '/v1/images/generations/123?x=http://a.example', '/tasks', '/account/costs']) {
		test(`a path on the credential’s host is sent: ${path}`, async () => {
			const { fake, sent } = stubContext();
			await klingRequest.call(fake, { method: 'GET', path, itemIndex: 0 });
			assert.equal(sent.length, 1);
		});
	}
});

describe('Task › List: the Task Type must be a Kling task family', () => {
	test('an expression giving another host is refused, naming the field; that host receives nothing', async () => {
		otherRequests.length = 0;
		const result = await runKling({
			parameters: { resource: 'task', operation: 'list', taskFamily: `={{ "${otherUrl}/x" }}` },
			credentials: credentialsFor('singapore', emulator()),
			network: networkFor(emulator()),
		});
		const error = result.error('Kling');
		assert.ok(error, 'the node failed');
		assert.match(error.message, /"Task Type"/);
		assert.match(String(error.description), /Nothing was sent to Kling\./);
		assert.equal(otherRequests.length, 0, 'the other host received no request');
		assert.equal(emulator().requests.length, 0, 'Kling received nothing either');
	});

	test('an unknown route on Kling’s own host is refused too', async () => {
		const result = await runKling({
			parameters: { resource: 'task', operation: 'list', taskFamily: '={{ "/v1/account/costs" }}' },
			credentials: credentialsFor('singapore', emulator()),
			network: networkFor(emulator()),
		});
		assert.match(String(result.error('Kling')?.message), /"Task Type" is "\/v1\/account\/costs"/);
		assert.equal(emulator().requests.length, 0);
	});

	test('the custom credential: an absolute URL to the emulator’s own origin is refused as well', async () => {
		const result = await runKling({
			parameters: { resource: 'task', operation: 'list', taskFamily: `={{ "${emulator().url}/custom/kling/v1/images/generations" }}` },
			credentials: credentialsFor('custom', emulator()),
		});
		assert.match(String(result.error('Kling')?.message), /"Task Type"/);
		assert.equal(emulator().requests.length, 0);
	});
});
