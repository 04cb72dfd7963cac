/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { routeFacts } from '../../nodes/Kling/kling/catalogue';
import {
	findGeneration4Model,
	GENERATION4_DEFAULTS,
	GENERATION4_LIMITS,
	GENERATION4_MODELS,
	generation4Models,
	isGeneration4Model,
	type Generation4Product,
} from '../../nodes/Kling/kling/generation4';

describe('the Kling 4.0 model rows', () => {
	test('each row is consistent: a name, limits in order, resolutions and ratios without repeats', () => {
		const ids = GENERATION4_MODELS.map((model) => model.id);
		assert.equal(new Set(ids).size, ids.length, 'ids are unique');
		for (const model of GENERATION4_MODELS) {
			assert.ok(model.name && model.description, model.id);
			assert.ok(model.promptMaxNonEnglish > 0 && model.promptMaxNonEnglish < model.promptMax, `${model.id}: the non-English limit is the lower one`);
			assert.ok(model.resolutions.length > 0, `${model.id} offers a resolution`);
			const resolutions = [...model.resolutions, ...('optInResolutions' in model ? model.optInResolutions : [])];
			assert.equal(new Set(resolutions).size, resolutions.length, `${model.id}: no resolution twice`);
			assert.equal(new Set(model.aspectRatios).size, model.aspectRatios.length, `${model.id}: no ratio twice`);
			if (model.product === 'video') {
				assert.ok('durations' in model, `${model.id} has durations`);
				assert.ok(model.durations.min >= 1 && model.durations.min <= model.durations.max, model.id);
				assert.ok('inputs' in model && ['all', 'textOnly'].includes(model.inputs), model.id);
			} else {
				assert.ok(!('durations' in model), `${model.id}: an image has no duration`);
			}
		}
	});

	test('the defaults are within the limits: default video model, its duration and the timeout', () => {
		const video = findGeneration4Model(GENERATION4_DEFAULTS.videoModel);
		assert.equal(video?.product, 'video');
		assert.ok(video.durations!.min <= GENERATION4_DEFAULTS.duration && GENERATION4_DEFAULTS.duration <= video.durations!.max);
		for (const model of generation4Models('video')) {
			assert.ok(model.durations!.min <= GENERATION4_DEFAULTS.duration && GENERATION4_DEFAULTS.duration <= model.durations!.max, `the default duration suits ${model.id}`);
			assert.ok(model.durations!.max <= GENERATION4_LIMITS.videoSeconds.max);
		}
		assert.ok(GENERATION4_DEFAULTS.timeoutMinutes > 15, '4.0 videos take 5–15 minutes');
		assert.ok(GENERATION4_DEFAULTS.videoRoute.startsWith('/') && GENERATION4_DEFAULTS.videoRoute.includes('{model}') && GENERATION4_DEFAULTS.videoRoute.includes('{mode}'));
		assert.ok(GENERATION4_DEFAULTS.imageRoute.startsWith('/') && GENERATION4_DEFAULTS.imageRoute.includes('{model}'));
	});

	test('the limits hold together', () => {
		const limits = GENERATION4_LIMITS;
		assert.ok(limits.middleFrames + 2 <= limits.images, 'first, middles and last fit in the image count');
		assert.ok(limits.videoSeconds.min <= limits.videoSeconds.max && limits.videoSeconds.max <= limits.videoTotalSeconds);
		assert.ok(limits.images + limits.videos <= limits.contents, 'images and videos fit with the prompt');
		assert.ok(limits.imageCount.min <= limits.imageCount.max && limits.seriesAmount.min <= limits.seriesAmount.max);
		assert.equal(limits.imageBytes, 30 * 1024 * 1024);
		assert.ok(Object.isFrozen(limits) && Object.isFrozen(GENERATION4_DEFAULTS));
	});

	test('each product has a model, and each has a catalogue route', () => {
		const products: Generation4Product[] = ['video', 'image', 'longImage'];
		for (const product of products) assert.ok(generation4Models(product).length > 0, product);
		const routed = new Set(routeFacts().flatMap((facts) => (facts.generation4 ? [facts.generation4] : [])));
		assert.deepEqual([...routed].sort(), [...products].sort());
	});

	test('models are found by id only', () => {
		assert.equal(findGeneration4Model('kling-4.0')?.name, 'Kling 4.0');
		assert.equal(findGeneration4Model('Kling 4.0'), undefined);
		assert.equal(isGeneration4Model('kling-image-4.0'), true);
		assert.equal(isGeneration4Model('kling-v3'), false);
		assert.deepEqual(generation4Models('video').map((model) => model.id), ['kling-4.0', 'kling-4.0-flash']);
	});
});

describe('the Kling 4.0 poll schedules', () => {
	test('each model starts from its own curve: 4.0 video at 60 s, Flash at 10 s, images at 20 s, whatever its route', async () => {
		const { priorOf } = await import('../../nodes/Kling/task/statusPoller');
		const { POLL_SCHEDULE } = await import('../../nodes/Kling/kling/constants');
		for (const route of ['/omni-video/kling-4.0', '/video/kling-4.0', '/kling-4/video']) {
			assert.equal(priorOf(route, 'kling-4.0').firstPollMs, 60_000, route);
		}
		assert.equal(priorOf('/text-to-video/kling-4.0-flash', 'kling-4.0-flash').firstPollMs, POLL_SCHEDULE.fastVideo.firstPollMs);
		assert.equal(priorOf('/omni-image/kling-image-4.0', 'kling-image-4.0').firstPollMs, 20_000);
		assert.equal(priorOf('/text-to-image/kling-long-image-4.0', 'kling-long-image-4.0').firstPollMs, 20_000);
		// Other models keep theirs.
		assert.equal(priorOf('/text-to-video/kling-3.0', 'kling-3.0').firstPollMs, POLL_SCHEDULE.video.firstPollMs);
	});
});
