/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { pngItem } from '../../support/fixtures';
import { fieldSummary, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();

describe('Image › Virtual Try-On', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(fieldSummary('image', 'virtualTryOn'), {
			model: 'kolors-virtual-try-on-v1-5',
			humanImageSource: 'binary',
			humanImage: 'data',
			clothImageSource: 'binary',
			clothImage: 'data',
			options: ['additionalBodyFields', 'callbackUrl', 'checkInputUrls', 'externalTaskId'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'],
			costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'],
		});
	});

	test('minimal: person and garment from binary properties', async () => {
		const item = pngItem({ person: { width: 400, height: 800 }, shirt: {} });
		const body = await sentBody(
			emulator(),
			{ resource: 'image', operation: 'virtualTryOn', humanImage: 'person', clothImage: 'shirt' },
			{ items: [item] },
		);
		assert.deepEqual(withoutDerivedId(body), {
			model_name: 'kolors-virtual-try-on-v1-5',
			human_image: item.binary.person.base64,
			cloth_image: item.binary.shirt.base64,
			external_task_id: '<derived>',
		});
	});

	test('full: URLs, model V1 and the common options', async () => {
		const body = await sentBody(emulator(), {
			resource: 'image',
			operation: 'virtualTryOn',
			model: 'kolors-virtual-try-on-v1',
			humanImageSource: 'url',
			humanImage: 'https://cdn.example.com/person.jpg',
			clothImageSource: 'url',
			clothImage: 'https://cdn.example.com/dress.jpg',
			options: { callbackUrl: 'https://example.com/cb', externalTaskId: 'tryon-7' },
		});
		assert.deepEqual(body, {
			model_name: 'kolors-virtual-try-on-v1',
			human_image: 'https://cdn.example.com/person.jpg',
			cloth_image: 'https://cdn.example.com/dress.jpg',
			callback_url: 'https://example.com/cb',
			external_task_id: 'tryon-7',
		});
	});

	test('rejected before paying: an empty garment URL', async () => {
		await assert.rejects(
			sentBody(emulator(), { resource: 'image', operation: 'virtualTryOn', humanImageSource: 'url', humanImage: 'https://x.example/p.png', clothImageSource: 'url', clothImage: ' ' }),
			/Garment Image URL is empty/,
		);
		assert.equal(emulator().requests.length, 0);
	});
});
