/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { slotsFor } from '../../../nodes/Kling/concurrency/taskSlots';
import { pngItem } from '../../support/fixtures';
import { fieldSummary, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'image', operation: 'omniImage' };
const element = (value: string, mode = 'list') => ({ element: { __rl: true, mode, value } });

describe('Image › Omni Image', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(fieldSummary('image', 'omniImage'), {
			model: 'kling-image-o1',
			prompt: '',
			referenceImages: ['images'],
			elements: ['element'],
			options: ['additionalBodyFields', 'aspectRatio', 'callbackUrl', 'checkInputUrls', 'externalTaskId', 'n', 'resolution', 'watermark'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'],
			costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'],
		});
		// Series exist on Kling V3 Omni only.
		assert.equal(fieldSummary('image', 'omniImage', { model: 'kling-v3-omni' }).resultType, 'single');
		assert.equal(fieldSummary('image', 'omniImage', { model: 'kling-v3-omni', resultType: 'series' }).seriesAmount, '4');
	});

	test('minimal: a prompt only', async () => {
		const body = await sentBody(emulator(), { ...base, prompt: 'a teapot' });
		assert.deepEqual(withoutDerivedId(body), { model_name: 'kling-image-o1', prompt: 'a teapot', external_task_id: '<derived>' });
	});

	test('full: referenced images, elements from the picker, resolution, count and auto aspect ratio', async () => {
		const item = pngItem({ person: {}, scene: { seed: 'scene' } });
		const body = await sentBody(
			emulator(),
			{
				...base,
				model: 'kling-v3-omni',
				prompt: 'the person of <<<image_1>>> in <<<image_2>>> holding <<<element_1>>>',
				referenceImages: { images: [{ source: 'binary', value: 'person' }, { source: 'binary', value: 'scene' }] },
				elements: { element: [element('900000000001'), element('900000000002', 'id')] },
				options: { resolution: '4k', n: 2, aspectRatio: 'auto', externalTaskId: 'omni-1', watermark: true },
			},
			{ items: [item] },
		);
		assert.deepEqual(body, {
			model_name: 'kling-v3-omni',
			prompt: 'the person of <<<image_1>>> in <<<image_2>>> holding <<<element_1>>>',
			image_list: [{ image: item.binary.person.base64 }, { image: item.binary.scene.base64 }],
			element_list: [{ element_id: 900000000001 }, { element_id: 900000000002 }],
			resolution: '4k',
			n: 2,
			aspect_ratio: 'auto',
			external_task_id: 'omni-1',
			watermark_info: { enabled: true },
		});
	});

	test('series: result_type and series_amount (a number, or "auto"); n is not sent', async () => {
		const four = await sentBody(emulator(), { ...base, model: 'kling-v3-omni', prompt: 'a comic', resultType: 'series', options: { n: 3 } });
		assert.deepEqual(withoutDerivedId(four), { model_name: 'kling-v3-omni', prompt: 'a comic', result_type: 'series', series_amount: 4, external_task_id: '<derived>' });
		const auto = await sentBody(emulator(), { ...base, model: 'kling-v3-omni', prompt: 'a comic', resultType: 'series', seriesAmount: 'auto' });
		assert.equal(auto?.series_amount, 'auto');
		// The node holds as many of the account's image slots as Kling can count: n, the amount, or 9 for auto.
		assert.equal(slotsFor('/v1/images/omni-image', four!), 4);
		assert.equal(slotsFor('/v1/images/omni-image', auto!), 9);
		assert.equal(slotsFor('/v1/images/omni-image', { n: 2 }), 2);
	});

	test('rejected before paying: a reference to a missing image or element, a bad element id, 4K on O1', async () => {
		await assert.rejects(
			sentBody(emulator(), { ...base, prompt: 'use <<<image_2>>>', referenceImages: { images: [{ source: 'url', value: 'https://x.example/a.png' }] } }),
			/Prompt refers to <<<image_2>>> but only 1 image is given/,
		);
		await assert.rejects(sentBody(emulator(), { ...base, prompt: 'hold <<<element_1>>>' }), /Prompt refers to <<<element_1>>> but only 0 elements are given/);
		await assert.rejects(sentBody(emulator(), { ...base, prompt: 'x', elements: { element: [element('12'), element('abc', 'id')] } }), /An element ID is a number/);
		await assert.rejects(sentBody(emulator(), { ...base, prompt: 'x', options: { resolution: '4k' } }), /Resolution is 4K when Model is Kling Image O1/);
		assert.equal(emulator().requests.length, 0);
	});
});
