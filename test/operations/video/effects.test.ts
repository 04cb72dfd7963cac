/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { pngItem } from '../../fixtures';
import { fieldSummary, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'video', operation: 'effects' };

describe('Video › Effects', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(fieldSummary('video', 'effects'), {
			effectScene: 'bloombloom',
			imageSource: 'binary',
			image: 'data',
			secondImageSource: 'none',
			duration: '5',
			options: ['callbackUrl', 'externalTaskId', 'mode', 'model', 'watermark'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'pollIntervalSeconds', 'timeoutMinutes'],
		});
	});

	test('minimal: a single-image scene', async () => {
		const item = pngItem({ data: {} });
		const body = await sentBody(emulator(), base, { items: [item] });
		assert.deepEqual(withoutDerivedId(body), { effect_scene: 'bloombloom', input: { duration: '5', image: item.binary.data.base64 }, external_task_id: '<derived>' });
	});

	test('full: a legacy two-person scene with model, mode and both images', async () => {
		const item = pngItem({ left: { seed: 'l' }, right: { seed: 'r' } });
		const body = await sentBody(
			emulator(),
			{ ...base, effectScene: 'hug', image: 'left', secondImageSource: 'binary', secondImage: 'right', duration: '10', options: { model: 'kling-v1-5', mode: 'pro', externalTaskId: 'fx-1', watermark: true } },
			{ items: [item] },
		);
		assert.deepEqual(body, {
			effect_scene: 'hug',
			input: { duration: '10', images: [item.binary.left.base64, item.binary.right.base64], model_name: 'kling-v1-5', mode: 'pro' },
			external_task_id: 'fx-1',
			watermark_info: { enabled: true },
		});
	});

	test('rejected before paying: a two-person scene with one image, a pro scene at 10 s', async () => {
		await assert.rejects(sentBody(emulator(), { ...base, effectScene: 'kiss_pro', imageSource: 'url', image: 'https://x.example/a.png' }), /"effect_scene" "kiss_pro" is a two-person scene and needs a Second Image/);
		await assert.rejects(
			sentBody(emulator(), { ...base, effectScene: 'hug_pro', imageSource: 'url', image: 'https://x.example/a.png', secondImageSource: 'url', secondImage: 'https://x.example/b.png', duration: '10' }),
			/"input.duration" is "10" when "effect_scene" is "hug_pro"; Kling allows "5"/,
		);
		assert.equal(emulator().requests.length, 0);
	});
});
