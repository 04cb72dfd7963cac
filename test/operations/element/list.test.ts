/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { credentialsFor, fastWait, networkFor } from '../../support/fixtures';
import { runKling } from '../../support/harness/n8n';
import { fieldSummary, operationOption, useEmulator } from '../helpers';

const emulator = useEmulator();
const run = (parameters: object) =>
	runKling({ parameters: { resource: 'element', ...parameters }, credentials: credentialsFor('singapore', emulator()), network: networkFor(emulator()) });

describe('Element › List', () => {
	test('descriptor: one page (number and size) or all pages up to a maximum', () => {
		assert.equal(operationOption('element', 'list')?.name, 'List');
		assert.deepEqual(fieldSummary('element', 'list'), { pages: 'one', pageNumber: 1, pageSize: 30 });
		assert.deepEqual(fieldSummary('element', 'list', { pages: 'all' }), { pages: 'one', maxResults: 1000 });
	});

	test('one item per element, with its task id; all pages read 500 at a time', async () => {
		for (const name of ['A', 'B', 'C']) {
			await run({ operation: 'create', elementName: name, elementDescription: 'd', frontalImageSource: 'url', frontalImage: 'https://x.example/f.png', referImages: { images: [{ source: 'url', value: 'https://x.example/s.png' }] }, waitOptions: fastWait });
		}
		emulator().requests.length = 0;
		const page = await run({ operation: 'list', pageNumber: 1, pageSize: 2 });
		assert.deepEqual(page.kling.map((item) => item.json.element_name), ['C', 'B']);
		assert.ok(page.kling.every((item) => item.json.task_id && item.json.status === 'succeed'));
		const all = await run({ operation: 'list', pages: 'all', maxResults: 0 });
		assert.deepEqual(all.kling.map((item) => item.json.element_name), ['C', 'B', 'A']);
		assert.deepEqual(emulator().requests.map((request) => request.url), ['/v1/general/advanced-custom-elements?pageNum=1&pageSize=2', '/v1/general/advanced-custom-elements?pageNum=1&pageSize=500']);
	});
});
