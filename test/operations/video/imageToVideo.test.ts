/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { pngItem } from '../../support/fixtures';
import { fieldSummary, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'video', operation: 'imageToVideo' };

describe('Video › Image to Video', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(fieldSummary('video', 'imageToVideo'), {
			model: 'kling-v3',
			imageSource: 'binary',
			image: 'data',
			imageTailSource: 'none',
			prompt: '',
			mode: 'std',
			duration: '5',
			options: ['additionalBodyFields', 'apiStandard', 'callbackUrl', 'checkInputUrls', 'elementIds', 'externalTaskId', 'multiShot', 'shotType', 'shots', 'negativePrompt', 'sound', 'voiceIds', 'watermark'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'],
			costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'],
		});
	});

	test('legacy minimal: a start frame from the default binary property', async () => {
		const item = pngItem({ data: { width: 640, height: 360 } });
		const body = await sentBody(emulator(), base, { items: [item] });
		assert.equal(emulator().submits()[0].klingPath, '/v1/videos/image2video');
		assert.deepEqual(withoutDerivedId(body), { model_name: 'kling-v3', mode: 'std', duration: '5', image: item.binary.data.base64, external_task_id: '<derived>' });
	});

	test('legacy full: start and end frame at 1080p on 2.5 Turbo with a prompt and options', async () => {
		const item = pngItem({ start: { seed: 'start' }, end: { seed: 'end' } });
		const body = await sentBody(
			emulator(),
			{
				...base,
				model: 'kling-v2-5-turbo',
				image: 'start',
				imageTailSource: 'binary',
				imageTail: 'end',
				prompt: 'the flower blooms',
				mode: 'pro',
				duration: '10',
				options: { negativePrompt: 'blur', externalTaskId: 'i2v-1', watermark: true },
			},
			{ items: [item] },
		);
		assert.deepEqual(body, {
			model_name: 'kling-v2-5-turbo',
			mode: 'pro',
			duration: '10',
			image: item.binary.start.base64,
			image_tail: item.binary.end.base64,
			prompt: 'the flower blooms',
			negative_prompt: 'blur',
			external_task_id: 'i2v-1',
			watermark_info: { enabled: true },
		});
	});

	test('legacy: Kling 3.0 multi-shot together with first and last frame (allowed since 2026-05-07), elements', async () => {
		const item = pngItem({ start: { seed: 's' }, end: { seed: 'e' } });
		const body = await sentBody(
			emulator(),
			{ ...base, image: 'start', imageTailSource: 'binary', imageTail: 'end', prompt: 'x', options: { multiShot: true, shotType: 'intelligence', elementIds: '11, 12' } },
			{ items: [item] },
		);
		assert.equal(body?.multi_shot, true);
		assert.deepEqual(body?.element_list, [{ element_id: 11 }, { element_id: 12 }]);
	});

	test('new standard: /image-to-video/kling-2.6 with first and last frame and voices', async () => {
		const item = pngItem({ start: { seed: 's' }, end: { seed: 'e' } });
		const body = await sentBody(
			emulator(),
			{ ...base, model: 'kling-v2-6', image: 'start', imageTailSource: 'binary', imageTail: 'end', prompt: '@voice_1 says hello', mode: 'pro', options: { externalTaskId: 'i2v-new' } },
			{ items: [item], preset: 'beijing' },
		);
		assert.equal(emulator().submits()[0].klingPath, '/image-to-video/kling-2.6');
		assert.deepEqual(body, {
			contents: [
				{ type: 'prompt', text: '@voice_1 says hello' },
				{ type: 'first_frame', url: item.binary.start.base64 },
				{ type: 'last_frame', url: item.binary.end.base64 },
			],
			settings: { resolution: '1080p', duration: 5 },
			options: { external_task_id: 'i2v-new' },
		});
	});

	test('rejected before paying: an end frame at 720p on 2.6, an end frame on 3.0 Turbo, 4 elements on 3.0, no start frame', async () => {
		const item = pngItem({ start: { seed: 's' }, end: { seed: 'e' } });
		const frames = { image: 'start', imageTailSource: 'binary', imageTail: 'end', prompt: 'x' };
		await assert.rejects(sentBody(emulator(), { ...base, ...frames, model: 'kling-v2-6' }, { items: [item] }), /An End Frame on Kling 2\.6 needs Resolution 1080p \(Professional\); got 720p \(Standard\)/);
		await assert.rejects(sentBody(emulator(), { ...base, ...frames, model: 'kling-3.0-turbo' }, { items: [item], preset: 'beijing' }), /An End Frame is not available for Kling 3\.0 Turbo image to video/);
		await assert.rejects(sentBody(emulator(), { ...base, image: 'start', options: { elementIds: '1,2,3,4' } }, { items: [item] }), /Element IDs has 4 elements; Kling 3\.0 image to video allows at most 3/);
		await assert.rejects(sentBody(emulator(), { ...base, imageSource: 'none', prompt: 'x' }, { items: [item] }), /Start Frame is required/);
		assert.equal(emulator().requests.length, 0);
	});
});
