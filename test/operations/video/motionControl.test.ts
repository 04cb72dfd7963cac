/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { pngItem } from '../../fixtures';
import { fieldSummary, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'video', operation: 'motionControl' };

describe('Video › Motion Control', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(fieldSummary('video', 'motionControl'), {
			imageSource: 'binary',
			image: 'data',
			videoUrl: '',
			characterOrientation: 'image',
			mode: 'std',
			prompt: '',
			options: ['callbackUrl', 'externalTaskId', 'keepOriginalSound', 'model', 'watermark'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'pollIntervalSeconds', 'timeoutMinutes'],
		});
	});

	test('minimal: character image, motion video, orientation and mode', async () => {
		const item = pngItem({ data: { width: 400, height: 700 } });
		const body = await sentBody(emulator(), { ...base, videoUrl: 'https://cdn.example.com/dance.mp4' }, { items: [item] });
		assert.deepEqual(withoutDerivedId(body), {
			image_url: item.binary.data.base64,
			video_url: 'https://cdn.example.com/dance.mp4',
			character_orientation: 'image',
			mode: 'std',
			external_task_id: '<derived>',
		});
	});

	test('full: prompt, sound, model and the common options', async () => {
		const body = await sentBody(emulator(), {
			...base,
			imageSource: 'url',
			image: 'https://cdn.example.com/hero.png',
			videoUrl: 'https://cdn.example.com/dance.mp4',
			characterOrientation: 'video',
			mode: 'pro',
			prompt: 'on a stage',
			options: { keepOriginalSound: false, model: 'kling-v3', externalTaskId: 'mc-1', watermark: true },
		});
		assert.deepEqual(body, {
			image_url: 'https://cdn.example.com/hero.png',
			video_url: 'https://cdn.example.com/dance.mp4',
			character_orientation: 'video',
			mode: 'pro',
			prompt: 'on a stage',
			keep_original_sound: 'no',
			model_name: 'kling-v3',
			external_task_id: 'mc-1',
			watermark_info: { enabled: true },
		});
	});

	test('rejected before paying: a motion video that is not a URL', async () => {
		await assert.rejects(sentBody(emulator(), { ...base, imageSource: 'url', image: 'https://x.example/a.png', videoUrl: 'dance.mp4' }), /"video_url" must be an http\(s\) URL/);
		assert.equal(emulator().requests.length, 0);
	});
});
