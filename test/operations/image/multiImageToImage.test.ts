/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { pngItem } from '../../support/fixtures';
import { fieldSummary, operationOption, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const images = (count: number) => Array.from({ length: count }, (_, index) => ({ source: 'binary', value: `subject${index}` }));

describe('Image › Multi-Image to Image', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.equal(operationOption('image', 'multiImageToImage')?.name, 'Multi-Image to Image');
		assert.deepEqual(fieldSummary('image', 'multiImageToImage'), {
			model: 'kling-v2-1',
			prompt: '',
			subjectImages: ['images'],
			sceneImageSource: 'none',
			styleImageSource: 'none',
			options: ['additionalBodyFields', 'aspectRatio', 'callbackUrl', 'checkInputUrls', 'externalTaskId', 'negativePrompt', 'n', 'watermark'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'],
			costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'],
		});
		assert.equal(fieldSummary('image', 'multiImageToImage', { styleImageSource: 'url' }).styleImage, '');
	});

	test('minimal: one subject image from a binary property', async () => {
		const item = pngItem({ subject0: {} });
		const body = await sentBody(
			emulator(),
			{ resource: 'image', operation: 'multiImageToImage', subjectImages: { images: images(1) } },
			{ items: [item] },
		);
		assert.deepEqual(withoutDerivedId(body), {
			model_name: 'kling-v2-1',
			subject_image_list: [{ subject_image: item.binary.subject0.base64 }],
			external_task_id: '<derived>',
		});
	});

	test('full: four subjects from every source kind, scene and style, all options', async () => {
		const item = pngItem({ subject0: { seed: 'a' }, subject1: { seed: 'b' }, style: { seed: 'style' } });
		const inline = pngItem({ x: { seed: 'inline' } }).binary.x.base64;
		const body = await sentBody(
			emulator(),
			{
				resource: 'image',
				operation: 'multiImageToImage',
				model: 'kling-v2-1',
				prompt: 'the two friends on the beach',
				subjectImages: {
					images: [
						{ source: 'binary', value: 'subject0' },
						{ source: 'binary', value: 'subject1' },
						{ source: 'url', value: 'https://cdn.example.com/c.png' },
						{ source: 'base64', value: `data:image/png;base64,${inline}` },
					],
				},
				sceneImageSource: 'url',
				sceneImage: 'https://cdn.example.com/beach.png',
				styleImageSource: 'binary',
				styleImage: 'style',
				options: { negativePrompt: 'crowds', n: 3, aspectRatio: '3:2', externalTaskId: 'mi-1', callbackUrl: 'https://example.com/cb', watermark: true },
			},
			{ items: [item] },
		);
		assert.deepEqual(body, {
			model_name: 'kling-v2-1',
			subject_image_list: [
				{ subject_image: item.binary.subject0.base64 },
				{ subject_image: item.binary.subject1.base64 },
				{ subject_image: 'https://cdn.example.com/c.png' },
				{ subject_image: inline },
			],
			prompt: 'the two friends on the beach',
			scene_image: 'https://cdn.example.com/beach.png',
			style_image: item.binary.style.base64,
			negative_prompt: 'crowds',
			n: 3,
			aspect_ratio: '3:2',
			callback_url: 'https://example.com/cb',
			external_task_id: 'mi-1',
			watermark_info: { enabled: true },
		});
	});

	test('rejected before paying: no subject image, or five', async () => {
		await assert.rejects(
			sentBody(emulator(), { resource: 'image', operation: 'multiImageToImage', subjectImages: {} }),
			/Subject Images is required/,
		);
		const item = pngItem(Object.fromEntries(images(5).map((image) => [image.value, {}])));
		await assert.rejects(
			sentBody(emulator(), { resource: 'image', operation: 'multiImageToImage', subjectImages: { images: images(5) } }, { items: [item] }),
			/Subject Images has 5 entries; Kling allows at most 4/,
		);
		assert.equal(emulator().requests.length, 0);
	});
});
