/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { pngItem } from '../../support/fixtures';
import { fieldSummary, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'video', operation: 'multiImageToVideo', prompt: 'they dance together' };
const list = (count: number) => ({ images: Array.from({ length: count }, (_, index) => ({ source: 'binary', value: `p${index}` })) });
const item = (count: number) => pngItem(Object.fromEntries(Array.from({ length: count }, (_, index) => [`p${index}`, { seed: `p${index}` }])));

describe('Video › Multi-Image to Video', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(fieldSummary('video', 'multiImageToVideo'), {
			images: ['images'],
			prompt: '',
			mode: 'std',
			duration: '5',
			options: ['additionalBodyFields', 'aspectRatio', 'callbackUrl', 'checkInputUrls', 'externalTaskId', 'negativePrompt', 'watermark'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'],
			costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'],
		});
	});

	test('minimal: two images and a prompt (the model is always Kling V1.6, which official Kling answers as discontinued)', async () => {
		const input = item(2);
		const body = await sentBody(emulator(), { ...base, images: list(2) }, { items: [input], acceptError: /kling-v1-6.*discontinued/ });
		assert.deepEqual(withoutDerivedId(body), {
			model_name: 'kling-v1-6',
			image_list: [{ image: input.binary.p0.base64 }, { image: input.binary.p1.base64 }],
			prompt: 'they dance together',
			mode: 'std',
			duration: '5',
			external_task_id: '<derived>',
		});
	});

	test('full: four images, pro, 10 s, aspect ratio and negative prompt', async () => {
		const input = item(4);
		const body = await sentBody(
			emulator(),
			{ ...base, images: list(4), mode: 'pro', duration: '10', options: { aspectRatio: '1:1', negativePrompt: 'rain', externalTaskId: 'mi2v-1' } },
			{ items: [input], acceptError: /discontinued/ },
		);
		assert.deepEqual(body, {
			model_name: 'kling-v1-6',
			image_list: [0, 1, 2, 3].map((index) => ({ image: input.binary[`p${index}` as 'p0'].base64 })),
			prompt: 'they dance together',
			mode: 'pro',
			duration: '10',
			negative_prompt: 'rain',
			aspect_ratio: '1:1',
			external_task_id: 'mi2v-1',
		});
	});

	test('rejected before paying: 5 images, and a single image', async () => {
		await assert.rejects(sentBody(emulator(), { ...base, images: list(5) }, { items: [item(5)] }), /Images has 5 entries; Kling allows at most 4/);
		await assert.rejects(sentBody(emulator(), { ...base, images: list(1) }, { items: [item(1)] }), /Images has 1 entry; Kling needs at least 2/);
		assert.equal(emulator().requests.length, 0);
	});
});
