/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { pngItem } from '../../support/fixtures';
import { fieldSummary, operationOption, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'element', operation: 'generateViews' };

describe('Element › Generate Views (AI multi-shot)', () => {
	test('descriptor', () => {
		assert.equal(operationOption('element', 'generateViews')?.name, 'Generate Views');
		assert.deepEqual(fieldSummary('element', 'generateViews'), {
			frontalImageSource: 'binary',
			frontalImage: 'data',
			options: ['additionalBodyFields', 'callbackUrl', 'checkInputUrls', 'externalTaskId'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'],
			costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'],
		});
	});

	test('minimal and full: exactly element_frontal_image and the common options', async () => {
		const item = pngItem({ data: {} });
		assert.deepEqual(withoutDerivedId(await sentBody(emulator(), base, { items: [item] })), { element_frontal_image: item.binary.data.base64, external_task_id: '<derived>' });
		assert.deepEqual(await sentBody(emulator(), { ...base, frontalImageSource: 'url', frontalImage: 'https://x.example/f.png', options: { externalTaskId: 'v-1', callbackUrl: 'https://example.com/cb' } }), {
			element_frontal_image: 'https://x.example/f.png',
			callback_url: 'https://example.com/cb',
			external_task_id: 'v-1',
		});
	});

	test('rejected before paying: a tiny image', async () => {
		await assert.rejects(sentBody(emulator(), base, { items: [pngItem({ data: { width: 100, height: 100 } })] }), /is 100×100 px; Kling needs at least 300 px/);
		assert.equal(emulator().requests.length, 0);
	});
});
