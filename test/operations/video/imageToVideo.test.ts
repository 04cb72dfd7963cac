/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { pngItem } from '../../fixtures';
import { fieldSummary, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'video', operation: 'imageToVideo' };

describe('Video › Image to Video', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(fieldSummary('video', 'imageToVideo'), {
			model: 'kling-v2-6',
			imageSource: 'binary',
			image: 'data',
			imageTailSource: 'none',
			prompt: '',
			mode: 'std',
			duration: '5',
			options: ['callbackUrl', 'cameraControl', 'cfgScale', 'externalTaskId', 'dynamicMasks', 'multiShot', 'negativePrompt', 'shotType', 'shots', 'sound', 'staticMask', 'voiceIds', 'watermark'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'pollIntervalSeconds', 'timeoutMinutes'],
		});
	});

	test('minimal: a start frame from the default binary property', async () => {
		const item = pngItem({ data: { width: 640, height: 360 } });
		const body = await sentBody(emulator(), base, { items: [item] });
		assert.deepEqual(withoutDerivedId(body), { model_name: 'kling-v2-6', mode: 'std', duration: '5', image: item.binary.data.base64, external_task_id: '<derived>' });
	});

	test('full: start and end frame in pro mode with a prompt and options', async () => {
		const item = pngItem({ start: { seed: 'start' }, end: { seed: 'end' } });
		const body = await sentBody(
			emulator(),
			{
				...base,
				model: 'kling-v1-6',
				image: 'start',
				imageTailSource: 'binary',
				imageTail: 'end',
				prompt: 'the flower blooms',
				mode: 'pro',
				duration: '10',
				options: { negativePrompt: 'blur', cfgScale: 0.4, externalTaskId: 'i2v-1', watermark: true },
			},
			{ items: [item] },
		);
		assert.deepEqual(body, {
			model_name: 'kling-v1-6',
			mode: 'pro',
			duration: '10',
			image: item.binary.start.base64,
			image_tail: item.binary.end.base64,
			prompt: 'the flower blooms',
			negative_prompt: 'blur',
			cfg_scale: 0.4,
			external_task_id: 'i2v-1',
			watermark_info: { enabled: true },
		});
	});

	test('full: motion brush on Kling V1 with a static mask and two moving areas', async () => {
		const item = pngItem({ frame: {}, still: { seed: 'still' }, mask1: { seed: 'm1' } });
		const body = await sentBody(
			emulator(),
			{
				...base,
				model: 'kling-v1',
				image: 'frame',
				options: {
					staticMask: 'still',
					dynamicMasks: { mask: [{ source: 'binary', value: 'mask1', trajectory: '0,0; 10,20; 30,40' }, { source: 'url', value: 'https://cdn.example.com/m2.png', trajectory: '5,5;6,6' }] },
					externalTaskId: 'brush-1',
				},
			},
			{ items: [item] },
		);
		assert.deepEqual(body, {
			model_name: 'kling-v1',
			mode: 'std',
			duration: '5',
			image: item.binary.frame.base64,
			static_mask: item.binary.still.base64,
			dynamic_masks: [
				{ mask: item.binary.mask1.base64, trajectories: [{ x: 0, y: 0 }, { x: 10, y: 20 }, { x: 30, y: 40 }] },
				{ mask: 'https://cdn.example.com/m2.png', trajectories: [{ x: 5, y: 5 }, { x: 6, y: 6 }] },
			],
			external_task_id: 'brush-1',
		});
	});

	for (const [label, parameters, message] of [
		['an end frame in standard mode on V2.6', { imageTailSource: 'url', imageTail: 'https://x.example/e.png' }, /"image_tail" \(end frame\) on kling-v2-6 needs mode "pro" and duration "5", "10"; got mode "std", duration "5"/],
		['end frame with camera control', { model: 'kling-v1-5', mode: 'pro', imageTailSource: 'url', imageTail: 'https://x.example/e.png', options: { cameraControl: { camera: { type: 'simple', zoom: 1 } } } }, /"image_tail" \(end frame\) and "camera_control" cannot be combined/],
		['a camera type V1.5 does not have', { model: 'kling-v1-5', mode: 'pro', options: { cameraControl: { camera: { type: 'down_back' } } } }, /"camera_control.type" "down_back" is not available on kling-v1-5; allowed: "simple"/],
		['no frame at all', { imageSource: 'none' }, /a start frame \("image"\) or an end frame \("image_tail"\) is required/],
		['a one-point trajectory', { model: 'kling-v1', imageSource: 'url', image: 'https://x.example/s.png', options: { dynamicMasks: { mask: [{ source: 'url', value: 'https://x.example/m.png', trajectory: '1,1' }] } } }, /"dynamic_masks\[0\].trajectories" has 1 points; Kling needs 2 to 77/],
	] as const) {
		test(`rejected before paying: ${label}`, async () => {
			await assert.rejects(sentBody(emulator(), { ...base, imageSource: 'url', image: 'https://x.example/s.png', ...parameters }), message);
			assert.equal(emulator().requests.length, 0);
		});
	}
});
