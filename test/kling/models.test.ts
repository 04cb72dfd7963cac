/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
	capabilitiesOf,
	currentImageModels,
	currentModels,
	defaultImageModel,
	defaultModel,
	findVideoModel,
	IMAGE_MODEL_TABLE,
	isRetired,
	modelLabel,
	RESOLUTION_OF_MODE,
	resolutionLabel,
	VIDEO_MODEL_TABLE,
	type VideoProduct,
} from '../../nodes/Kling/kling/models';

const PRODUCTS: VideoProduct[] = ['textToVideo', 'imageToVideo', 'omniVideo', 'motionControl'];

describe('the video model table', () => {
	test('findVideoModel matches by id, legacy name or new path, and nothing else', () => {
		assert.equal(findVideoModel('kling-v3')?.name, 'Kling 3.0');
		assert.equal(findVideoModel('kling-3.0')?.id, 'kling-v3');
		assert.equal(findVideoModel('kling-3.0-omni')?.id, 'kling-v3-omni');
		assert.equal(findVideoModel('kling-3.0-turbo')?.id, 'kling-3.0-turbo');
		assert.equal(findVideoModel('Kling 3.0'), undefined);
		assert.equal(findVideoModel(''), undefined);
	});

	test('currentModels excludes retired models, by the date given', () => {
		for (const product of PRODUCTS) {
			for (const model of currentModels(product)) {
				assert.ok(!isRetired(model), `${model.id} is current`);
				assert.ok(model.products[product], `${model.id} has ${product}`);
			}
		}
		const retired = VIDEO_MODEL_TABLE.find((model) => model.id === 'kling-v1')!;
		assert.equal(isRetired(retired, '2026-09-14'), false);
		assert.equal(isRetired(retired, '2026-09-15'), true, 'retired on its end-of-life day');
		assert.ok(!currentModels('textToVideo').some((model) => model.endOfLife !== undefined));
	});

	test('every row reaches Kling on some standard, and a current model has a product', () => {
		for (const model of VIDEO_MODEL_TABLE) {
			assert.ok(model.newPath || model.legacyName, model.id);
			if (!isRetired(model)) assert.ok(Object.keys(model.products).length > 0, model.id);
			for (const capabilities of Object.values(model.products)) {
				assert.ok(capabilities.resolutions.length > 0, model.id);
				assert.ok(capabilities.promptMaxLength >= 2500, model.id);
			}
		}
	});

	test('the default model of each product is current and has it', () => {
		for (const product of PRODUCTS) {
			const model = findVideoModel(defaultModel(product))!;
			assert.ok(model.products[product] && !isRetired(model), product);
		}
		assert.equal(defaultModel('omniVideo'), 'kling-v3-omni');
	});

	test('capabilitiesOf: a product of a current model; none for a retired, unknown or missing product', () => {
		assert.deepEqual(capabilitiesOf('kling-v2-6', 'textToVideo')?.durations, [5, 10]);
		assert.equal(capabilitiesOf('kling-2.6', 'textToVideo')?.promptMaxLength, 2500, 'found by its new path');
		assert.equal(capabilitiesOf('kling-v3', 'omniVideo'), undefined);
		assert.equal(capabilitiesOf('kling-v1', 'textToVideo'), undefined);
		assert.equal(capabilitiesOf('typed-in', 'textToVideo'), undefined);
	});

	test('labels: model names, resolutions', () => {
		assert.equal(modelLabel('kling-v2-6'), 'Kling 2.6');
		assert.equal(modelLabel('kling-v3'), 'Kling 3.0');
		assert.equal(modelLabel('kling-v3', 'image'), 'Kling Image 3.0', 'the same id names an image model too');
		assert.equal(modelLabel('mystery'), '"mystery"');
		assert.deepEqual(RESOLUTION_OF_MODE, { std: '720p', pro: '1080p', '4k': '4k' });
		assert.equal(resolutionLabel('pro'), '1080p (Professional)');
		assert.equal(resolutionLabel('8k'), '"8k"');
	});
});

describe('the image model table', () => {
	test('current image models leave out retired and undocumented ones; each default is current', () => {
		for (const endpoint of ['generations', 'multiImageToImage', 'omniImage'] as const) {
			const current = currentImageModels(endpoint);
			assert.ok(current.length > 0, endpoint);
			for (const model of current) assert.ok(!model.undocumented && !model.endOfLife, model.id);
			assert.ok(current.some((model) => model.id === defaultImageModel(endpoint)), endpoint);
		}
		assert.ok(!currentImageModels('generations').some((model) => model.id === 'kling-v2-new'));
		assert.equal(new Set(IMAGE_MODEL_TABLE.map((model) => model.id)).size, IMAGE_MODEL_TABLE.length);
	});
});
