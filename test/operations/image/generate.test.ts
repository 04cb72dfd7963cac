/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { makePng } from '../../support/emulator/media';
import { pngItem } from '../../support/fixtures';
import { fieldSummary, operationOption, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();

describe('Image › Generate', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(operationOption('image', 'generate'), {
			name: 'Generate',
			value: 'generate',
			action: 'Generate images',
			description: 'Create images from a prompt, optionally guided by a reference image',
			routing: undefined,
		});
		assert.deepEqual(fieldSummary('image', 'generate'), {
			model: 'kling-v2-1',
			prompt: '',
			imageSource: 'none',
			options: ['additionalBodyFields', 'aspectRatio', 'callbackUrl', 'checkInputUrls', 'externalTaskId', 'humanFidelity', 'imageFidelity', 'negativePrompt', 'n', 'resolution', 'watermark'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'],
			costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'],
		});
		assert.deepEqual(Object.keys(fieldSummary('image', 'generate', { imageSource: 'binary' })).slice(0, 5), [
			'model',
			'prompt',
			'imageSource',
			'image',
			'imageReference',
		]);
		assert.equal(fieldSummary('image', 'generate', { imageSource: 'binary' }).image, 'data');
		assert.ok(!('downloadResults' in fieldSummary('image', 'generate', { waitForCompletion: false })));
	});

	test('minimal parameters send only the model, the prompt and the derived external id', async () => {
		const body = await sentBody(emulator(), { resource: 'image', operation: 'generate', prompt: 'a lighthouse' });
		assert.deepEqual(withoutDerivedId(body), { model_name: 'kling-v2-1', prompt: 'a lighthouse', external_task_id: '<derived>' });
	});

	test('full text-to-image parameters map onto Kling’s fields', async () => {
		const body = await sentBody(emulator(), {
			resource: 'image',
			operation: 'generate',
			model: 'kling-v3',
			prompt: 'a lighthouse',
			options: {
				aspectRatio: '21:9',
				callbackUrl: 'https://example.com/hook',
				externalTaskId: 'my-task-1',
				negativePrompt: 'fog',
				n: 4,
				resolution: '2k',
				watermark: true,
			},
		});
		assert.deepEqual(body, {
			model_name: 'kling-v3',
			prompt: 'a lighthouse',
			negative_prompt: 'fog',
			resolution: '2k',
			n: 4,
			aspect_ratio: '21:9',
			callback_url: 'https://example.com/hook',
			external_task_id: 'my-task-1',
			watermark_info: { enabled: true },
		});
	});

	test('full image-to-image parameters send the reference as raw Base64 and the fidelities', async () => {
		const item = pngItem({ face: { width: 512, height: 512, seed: 'face' } });
		const body = await sentBody(
			emulator(),
			{
				resource: 'image',
				operation: 'generate',
				model: 'kling-v2-1',
				prompt: 'same person as an astronaut',
				imageSource: 'binary',
				image: 'face',
				imageReference: 'subject',
				options: { imageFidelity: 0.8, humanFidelity: 0.9, n: 1, aspectRatio: '1:1', externalTaskId: 'i2i-1' },
			},
			{ items: [item] },
		);
		assert.deepEqual(body, {
			model_name: 'kling-v2-1',
			prompt: 'same person as an astronaut',
			image: item.binary.face.base64,
			image_reference: 'subject',
			image_fidelity: 0.8,
			human_fidelity: 0.9,
			n: 1,
			aspect_ratio: '1:1',
			external_task_id: 'i2i-1',
		});
	});

	test('a URL reference is sent as given; human fidelity is dropped unless the reference is Subject', async () => {
		const body = await sentBody(emulator(), {
			resource: 'image',
			operation: 'generate',
			prompt: 'x',
			imageSource: 'url',
			image: 'https://cdn.example.com/in.png',
			options: { humanFidelity: 0.9, externalTaskId: 'u-1' },
		});
		assert.deepEqual(body, { model_name: 'kling-v2-1', prompt: 'x', image: 'https://cdn.example.com/in.png', external_task_id: 'u-1' });
	});

	test('Kling V3: elements picked from the list or given by ID become element_list', async () => {
		assert.ok('elements' in fieldSummary('image', 'generate', { model: 'kling-v3' }));
		assert.ok(!('elements' in fieldSummary('image', 'generate')));
		const body = await sentBody(emulator(), {
			resource: 'image',
			operation: 'generate',
			model: 'kling-v3',
			prompt: 'the hero in a forest',
			elements: {
				element: [
					{ element: { __rl: true, mode: 'list', value: '900000000001', cachedResultName: 'Grace (Kling preset)' } },
					{ element: { __rl: true, mode: 'id', value: ' 1000000000042 ' } },
					// Kling's own ids are 18-digit longs, beyond 2^53: every digit must reach Kling.
					{ element: { __rl: true, mode: 'id', value: '829836802793406551' } },
				],
			},
		});
		assert.deepEqual(withoutDerivedId(body), {
			model_name: 'kling-v3',
			prompt: 'the hero in a forest',
			element_list: [{ element_id: 900000000001 }, { element_id: 1000000000042 }, { element_id: 829836802793406551n }],
			external_task_id: '<derived>',
		});
	});

	for (const [label, parameters, items, message] of [
		['image fidelity on a model without it (only Kling V2.1 takes it)', { model: 'kling-v3', imageSource: 'url', image: 'https://x.example/a.png', options: { imageFidelity: 0.5 } }, undefined, /Image Fidelity is only available on Kling Image 2\.1, not Kling Image 3\.0/],
		// n8n checks the By ID mode's pattern itself before the node runs.
		['an element ID that is not a number', { model: 'kling-v3', elements: { element: [{ element: { __rl: true, mode: 'id', value: 'grace' } }] } }, undefined, /An element ID is a number/],
		['n above 9', { options: { n: 10 } }, undefined, /Number of Images is 10; Kling allows 1 to 9/],
		['a tiny image', { imageSource: 'base64', image: makePng(100, 100).toString('base64') }, undefined, /Reference Image Base64 is 100×100 px; Kling needs at least 300 px/],
		['a panorama', { imageSource: 'base64', image: makePng(1000, 300).toString('base64') }, undefined, /aspect ratio of 3\.33:1; Kling allows between 1:2\.5 and 2\.5:1/],
		['malformed Base64', { imageSource: 'base64', image: 'not base64!!' }, undefined, /Reference Image Base64 is not valid Base64/],
		['a missing binary property', { imageSource: 'binary', image: 'photo' }, [{ json: {} }], /binary property "photo", which the input item does not have/],
		['a binary that is not an image', { imageSource: 'binary', image: 'doc' }, [{ json: {}, binary: { doc: { base64: Buffer.from('%PDF-1.4 hello').toString('base64'), mimeType: 'application/pdf', fileName: 'a.pdf' } } }], /Reference Image is not a JPEG or PNG image/],
	] as const) {
		test(`rejected before paying: ${label}`, async () => {
			await assert.rejects(
				sentBody(emulator(), { resource: 'image', operation: 'generate', prompt: 'x', ...parameters }, { items: items as never }),
				message,
			);
			assert.equal(emulator().requests.length, 0);
		});
	}
});
