/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { fieldSummary, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const url = 'https://cdn.example.com/room.png';

describe('Image › Expand', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(fieldSummary('image', 'expand', { imageSource: 'url' }), {
			imageSource: 'binary',
			image: '',
			upExpansion: 0,
			downExpansion: 0,
			leftExpansion: 0,
			rightExpansion: 0,
			prompt: '',
			options: ['additionalBodyFields', 'callbackUrl', 'checkInputUrls', 'externalTaskId', 'n', 'watermark'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'],
			costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'],
		});
	});

	test('minimal: an image and the four ratios (Kling requires all four)', async () => {
		const body = await sentBody(emulator(), { resource: 'image', operation: 'expand', imageSource: 'url', image: url, leftExpansion: 0.5 });
		assert.deepEqual(withoutDerivedId(body), {
			image: url,
			up_expansion_ratio: 0,
			down_expansion_ratio: 0,
			left_expansion_ratio: 0.5,
			right_expansion_ratio: 0,
			external_task_id: '<derived>',
		});
	});

	test('full: every ratio, a prompt and the options', async () => {
		const body = await sentBody(emulator(), {
			resource: 'image',
			operation: 'expand',
			imageSource: 'url',
			image: url,
			upExpansion: 0.2,
			downExpansion: 0.3,
			leftExpansion: 0.25,
			rightExpansion: 0.25,
			prompt: 'more of the room',
			options: { n: 2, externalTaskId: 'exp-1', watermark: true, callbackUrl: 'https://example.com/cb' },
		});
		assert.deepEqual(body, {
			image: url,
			up_expansion_ratio: 0.2,
			down_expansion_ratio: 0.3,
			left_expansion_ratio: 0.25,
			right_expansion_ratio: 0.25,
			prompt: 'more of the room',
			n: 2,
			callback_url: 'https://example.com/cb',
			external_task_id: 'exp-1',
			watermark_info: { enabled: true },
		});
	});

	test('rejected before paying: more than 3× the original area', async () => {
		await assert.rejects(
			sentBody(emulator(), { resource: 'image', operation: 'expand', imageSource: 'url', image: url, leftExpansion: 0.5, rightExpansion: 0.5, upExpansion: 0.6 }),
			/make the image 3\.20× its original area; Kling allows at most 3×/,
		);
		await assert.rejects(
			sentBody(emulator(), { resource: 'image', operation: 'expand', imageSource: 'url', image: url, upExpansion: 2.5 }),
			/Top Expansion is 2\.5; Kling allows 0 to 2/,
		);
		assert.equal(emulator().requests.length, 0);
	});
});
