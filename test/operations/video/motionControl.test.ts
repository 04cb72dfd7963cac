/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { pngItem } from '../../support/fixtures';
import { fieldSummary, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'video', operation: 'motionControl' };

describe('Video › Motion Control', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(fieldSummary('video', 'motionControl'), {
			model: 'kling-v3',
			imageSource: 'binary',
			image: 'data',
			videoUrl: '',
			characterOrientation: 'image',
			mode: 'std',
			prompt: '',
			options: ['additionalBodyFields', 'apiStandard', 'callbackUrl', 'checkInputUrls', 'externalTaskId', 'keepOriginalSound', 'watermark'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'],
			costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'],
		});
	});

	test('legacy: character image, motion video, orientation, mode and model_name', async () => {
		const item = pngItem({ data: { width: 400, height: 700 } });
		const body = await sentBody(emulator(), { ...base, videoUrl: 'https://cdn.example.com/dance.mp4' }, { items: [item] });
		assert.equal(emulator().submits()[0].klingPath, '/v1/videos/motion-control');
		assert.deepEqual(withoutDerivedId(body), {
			image_url: item.binary.data.base64,
			video_url: 'https://cdn.example.com/dance.mp4',
			character_orientation: 'image',
			mode: 'std',
			model_name: 'kling-v3',
			external_task_id: '<derived>',
		});
	});

	test('legacy full: prompt, sound off and the common options', async () => {
		const body = await sentBody(emulator(), {
			...base,
			model: 'kling-v2-6',
			imageSource: 'url',
			image: 'https://cdn.example.com/hero.png',
			videoUrl: 'https://cdn.example.com/dance.mp4',
			characterOrientation: 'video',
			mode: 'pro',
			prompt: 'on a stage',
			options: { keepOriginalSound: false, externalTaskId: 'mc-1', watermark: true },
		});
		assert.deepEqual(body, {
			image_url: 'https://cdn.example.com/hero.png',
			video_url: 'https://cdn.example.com/dance.mp4',
			character_orientation: 'video',
			mode: 'pro',
			model_name: 'kling-v2-6',
			prompt: 'on a stage',
			keep_original_sound: 'no',
			external_task_id: 'mc-1',
			watermark_info: { enabled: true },
		});
	});

	test('new standard: /motion-control/kling-3.0 with image and video contents', async () => {
		const body = await sentBody(
			emulator(),
			{ ...base, imageSource: 'url', image: 'https://cdn.example.com/hero.png', videoUrl: 'https://cdn.example.com/dance.mp4', mode: 'pro', prompt: 'on a stage', options: { externalTaskId: 'mc-new' } },
			{ preset: 'beijing' },
		);
		assert.equal(emulator().submits()[0].klingPath, '/motion-control/kling-3.0');
		assert.deepEqual(body, {
			contents: [
				{ type: 'prompt', text: 'on a stage' },
				{ type: 'image', url: 'https://cdn.example.com/hero.png' },
				{ type: 'video', url: 'https://cdn.example.com/dance.mp4' },
			],
			settings: { resolution: '1080p', character_orientation: 'image' },
			options: { external_task_id: 'mc-new' },
		});
	});

	test('rejected before paying: a motion video that is not a URL; 4K (no model has it here)', async () => {
		await assert.rejects(sentBody(emulator(), { ...base, imageSource: 'url', image: 'https://x.example/a.png', videoUrl: 'dance.mp4' }), /Motion Video URL must be an http\(s\) URL/);
		await assert.rejects(sentBody(emulator(), { ...base, imageSource: 'url', image: 'https://x.example/a.png', videoUrl: 'https://x.example/d.mp4', mode: '4k' }), /Resolution 4K is not available for Kling 3\.0 motion control/);
		assert.equal(emulator().requests.length, 0);
	});
});
