/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { pngItem } from '../../support/fixtures';
import { fieldSummary, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'video', operation: 'omniVideo' };

describe('Video › Omni Video', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(fieldSummary('video', 'omniVideo'), {
			model: 'kling-v3-omni',
			prompt: '',
			referenceImages: ['images'],
			mode: 'pro',
			duration: '5',
			options: ['additionalBodyFields', 'apiStandard', 'aspectRatio', 'callbackUrl', 'checkInputUrls', 'elementIds', 'externalTaskId', 'frameRoles', 'multiShot', 'shotType', 'shots', 'referenceVideo', 'sound', 'watermark'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'],
			costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'],
		});
	});

	test('minimal: a prompt', async () => {
		const body = await sentBody(emulator(), { ...base, prompt: 'a paper boat', options: { aspectRatio: '16:9' } });
		assert.deepEqual(withoutDerivedId(body), { model_name: 'kling-v3-omni', mode: 'pro', duration: '5', prompt: 'a paper boat', aspect_ratio: '16:9', external_task_id: '<derived>' });
	});

	test('full: first and end frames, elements and a feature reference video', async () => {
		const item = pngItem({ first: { seed: 'f' }, last: { seed: 'l' } });
		const body = await sentBody(
			emulator(),
			{
				...base,
				model: 'kling-v3-omni',
				prompt: 'from <<<image_1>>> to <<<image_2>>> in the style of <<<video_1>>>',
				referenceImages: { images: [{ source: 'binary', value: 'first' }, { source: 'binary', value: 'last' }] },
				duration: '10',
				options: {
					frameRoles: 'firstAndEnd',
					elementIds: '77',
					referenceVideo: { video: { url: 'https://cdn.example.com/ref.mp4', referType: 'feature', keepOriginalSound: false } },
					sound: true,
					externalTaskId: 'omni-v-1',
				},
			},
			{ items: [item] },
		);
		assert.deepEqual(body, {
			model_name: 'kling-v3-omni',
			mode: 'pro',
			duration: '10',
			prompt: 'from <<<image_1>>> to <<<image_2>>> in the style of <<<video_1>>>',
			image_list: [{ image_url: item.binary.first.base64, type: 'first_frame' }, { image_url: item.binary.last.base64, type: 'end_frame' }],
			element_list: [{ element_id: 77 }],
			video_list: [{ video_url: 'https://cdn.example.com/ref.mp4', refer_type: 'feature', keep_original_sound: 'no' }],
			sound: 'on',
			external_task_id: 'omni-v-1',
		});
	});

	test('a base video to edit drops the duration (it follows the video)', async () => {
		const body = await sentBody(emulator(), { ...base, prompt: 'make it night', options: { referenceVideo: { video: { url: 'https://cdn.example.com/base.mp4', referType: 'base' } }, externalTaskId: 'omni-v-2' } });
		assert.equal(body?.duration, undefined);
		assert.deepEqual(body?.video_list, [{ video_url: 'https://cdn.example.com/base.mp4', refer_type: 'base', keep_original_sound: 'yes' }]);
	});

	test('rejected before paying: 5 images with a reference video, 15 s on O1', async () => {
		const images = { images: Array.from({ length: 5 }, () => ({ source: 'url', value: 'https://x.example/a.png' })) };
		await assert.rejects(
			sentBody(emulator(), { ...base, prompt: 'x', referenceImages: images, options: { referenceVideo: { video: { url: 'https://x.example/v.mp4' } } } }),
			/together have 5 entries; Kling allows at most 4 with a reference video/,
		);
		await assert.rejects(sentBody(emulator(), { ...base, model: 'kling-video-o1', prompt: 'x', duration: '15' }), /Duration 15 s is not available for Kling O1 omni video; allowed: 3, 4, 5, 6, 7, 8, 9, 10 s/);
		assert.equal(emulator().requests.length, 0);
	});

	test('new standard (API key): /omni-video/kling-3.0-omni with typed contents; <<<image_N>>> becomes @image_N', async () => {
		const body = await sentBody(
			emulator(),
			{
				...base,
				prompt: 'the boat from <<<image_1>>> sails into <<<video_1>>>',
				referenceImages: { images: [{ source: 'url', value: 'https://cdn.example.com/boat.png' }] },
				duration: '8',
				options: { referenceVideo: { video: { url: 'https://cdn.example.com/sea.mp4', referType: 'feature', keepOriginalSound: false } }, aspectRatio: '16:9', externalTaskId: 'omni-new' },
			},
			{ preset: 'beijing' },
		);
		assert.equal(emulator().submits()[0].klingPath, '/omni-video/kling-3.0-omni');
		assert.deepEqual(body, {
			contents: [
				{ type: 'prompt', text: 'the boat from @image_1 sails into @video_1' },
				{ type: 'refer_image', url: 'https://cdn.example.com/boat.png', id: 'image_1' },
				{ type: 'feature_video', url: 'https://cdn.example.com/sea.mp4', id: 'video_1' },
			],
			settings: { resolution: '1080p', duration: 8, aspect_ratio: '16:9' },
			options: { external_task_id: 'omni-new' },
		});
	});
});
