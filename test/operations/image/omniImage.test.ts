/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { pngItem } from '../../fixtures';
import { fieldSummary, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();

describe('Image › Omni Image', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(fieldSummary('image', 'omniImage'), {
			model: 'kling-image-o1',
			prompt: '',
			referenceImages: ['images'],
			options: ['aspectRatio', 'callbackUrl', 'elementIds', 'externalTaskId', 'n', 'resolution', 'watermark'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'pollIntervalSeconds', 'timeoutMinutes'],
		});
	});

	test('minimal: a prompt only', async () => {
		const body = await sentBody(emulator(), { resource: 'image', operation: 'omniImage', prompt: 'a teapot' });
		assert.deepEqual(withoutDerivedId(body), { model_name: 'kling-image-o1', prompt: 'a teapot', external_task_id: '<derived>' });
	});

	test('full: referenced images, elements, resolution, count and auto aspect ratio', async () => {
		const item = pngItem({ person: {}, scene: { seed: 'scene' } });
		const body = await sentBody(
			emulator(),
			{
				resource: 'image',
				operation: 'omniImage',
				model: 'kling-v3-omni',
				prompt: 'the person of <<<image_1>>> in <<<image_2>>> holding <<<element_1>>>',
				referenceImages: { images: [{ source: 'binary', value: 'person' }, { source: 'binary', value: 'scene' }] },
				options: { elementIds: '9001, 9002', resolution: '4k', n: 2, aspectRatio: 'auto', externalTaskId: 'omni-1', watermark: true },
			},
			{ items: [item] },
		);
		assert.deepEqual(body, {
			model_name: 'kling-v3-omni',
			prompt: 'the person of <<<image_1>>> in <<<image_2>>> holding <<<element_1>>>',
			image_list: [{ image: item.binary.person.base64 }, { image: item.binary.scene.base64 }],
			element_list: [{ element_id: 9001 }, { element_id: 9002 }],
			resolution: '4k',
			n: 2,
			aspect_ratio: 'auto',
			external_task_id: 'omni-1',
			watermark_info: { enabled: true },
		});
	});

	test('rejected before paying: a reference to a missing image, a bad element id, 4K on O1', async () => {
		await assert.rejects(
			sentBody(emulator(), { resource: 'image', operation: 'omniImage', prompt: 'use <<<image_2>>>', referenceImages: { images: [{ source: 'url', value: 'https://x.example/a.png' }] } }),
			/"prompt" refers to <<<image_2>>> but only 1 image is given/,
		);
		await assert.rejects(
			sentBody(emulator(), { resource: 'image', operation: 'omniImage', prompt: 'x', options: { elementIds: '12, abc' } }),
			/element ID "abc" is not a number/,
		);
		await assert.rejects(
			sentBody(emulator(), { resource: 'image', operation: 'omniImage', prompt: 'x', options: { resolution: '4k' } }),
			/"resolution" is "4k" when "model_name" is "kling-image-o1"/,
		);
		assert.equal(emulator().requests.length, 0);
	});
});
