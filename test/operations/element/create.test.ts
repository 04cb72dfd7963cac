/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { pngItem } from '../../support/fixtures';
import { fieldSummary, operationOption, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'element', operation: 'create', elementName: 'Mia', elementDescription: 'A girl with a red scarf' };

describe('Element › Create', () => {
	test('descriptor: images by default, a video URL for video characters; voice and tags optional', () => {
		assert.equal(operationOption('element', 'create')?.name, 'Create');
		assert.deepEqual(fieldSummary('element', 'create'), {
			elementName: '',
			elementDescription: '',
			referenceType: 'image_refer',
			frontalImageSource: 'binary',
			frontalImage: 'data',
			referImages: ['images'],
			options: ['additionalBodyFields', 'callbackUrl', 'checkInputUrls', 'externalTaskId', 'tags', 'voice'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'],
			costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'],
		});
		assert.deepEqual(Object.keys(fieldSummary('element', 'create', { referenceType: 'video_refer' })).slice(0, 4), ['elementName', 'elementDescription', 'referenceType', 'videoUrl']);
	});

	test('minimal: a frontal image and one more view, as raw Base64', async () => {
		const item = pngItem({ data: {}, side: { seed: 'side' } });
		const body = await sentBody(emulator(), { ...base, referImages: { images: [{ source: 'binary', value: 'side' }] } }, { items: [item] });
		assert.deepEqual(withoutDerivedId(body), {
			element_name: 'Mia',
			element_description: 'A girl with a red scarf',
			reference_type: 'image_refer',
			element_image_list: { frontal_image: item.binary.data.base64, refer_images: [{ image_url: item.binary.side.base64 }] },
			external_task_id: '<derived>',
		});
	});

	test('full: a video character with a voice from the list, tags and the common options', async () => {
		const body = await sentBody(emulator(), {
			...base,
			referenceType: 'video_refer',
			videoUrl: 'https://cdn.example.com/mia.mp4',
			options: { voice: { __rl: true, mode: 'list', value: '829824295735410756' }, tags: ['o_102', 'o_105'], externalTaskId: 'el-1', callbackUrl: 'https://example.com/cb' },
		});
		assert.deepEqual(body, {
			element_name: 'Mia',
			element_description: 'A girl with a red scarf',
			reference_type: 'video_refer',
			element_video_list: { refer_videos: [{ video_url: 'https://cdn.example.com/mia.mp4' }] },
			element_voice_id: '829824295735410756',
			tag_list: [{ tag_id: 'o_102' }, { tag_id: 'o_105' }],
			callback_url: 'https://example.com/cb',
			external_task_id: 'el-1',
		});
	});

	test('rejected before paying: a 21-character name, no other view, four other views, a video that is not a URL', async () => {
		const url = (n: number) => ({ images: Array.from({ length: n }, () => ({ source: 'url', value: 'https://x.example/a.png' })) });
		const front = { frontalImageSource: 'url', frontalImage: 'https://x.example/f.png' };
		await assert.rejects(sentBody(emulator(), { ...base, ...front, elementName: 'x'.repeat(21), referImages: url(1) }), /Name is 21 characters long; Kling allows at most 20/);
		await assert.rejects(sentBody(emulator(), { ...base, ...front }), /Other Views is required when Reference Type is "image_refer"/);
		await assert.rejects(sentBody(emulator(), { ...base, ...front, referImages: url(4) }), /Other Views has 4 entries; Kling allows at most 3/);
		await assert.rejects(sentBody(emulator(), { ...base, referenceType: 'video_refer', videoUrl: 'mia.mp4' }), /must be an http\(s\) URL/);
		assert.equal(emulator().requests.length, 0);
	});
});
