/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { searchEffectScenes } from '../../../nodes/Kling/resources/video/effects';
import { EFFECT_SCENES } from '../../../nodes/Kling/resources/video/effectScenes';
import { RELEASED_AFTER_THE_LIST } from '../../support/emulator/effects';
import { pngItem } from '../../support/fixtures';
import { fieldSummary, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'video', operation: 'effects' };
const scene = (value: string, mode = 'list') => ({ __rl: true, mode, value });

describe('Video › Effects', () => {
	test('descriptor: a scene picked from the list or typed by name, one or two images, no duration or model', () => {
		assert.deepEqual(fieldSummary('video', 'effects'), {
			effectScene: { mode: 'list', value: '' },
			imageSource: 'binary',
			image: 'data',
			secondImageSource: 'none',
			options: ['additionalBodyFields', 'callbackUrl', 'checkInputUrls', 'externalTaskId'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'],
			costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'],
		});
	});

	test('the scene list: the 219 scenes of the reference, 15 of them with two images, searchable', async () => {
		assert.equal(EFFECT_SCENES.size, 219);
		assert.equal([...EFFECT_SCENES.values()].filter((images) => images === 2).length, 15);
		const { results } = await searchEffectScenes.call({} as never, 'kiss');
		assert.deepEqual(results.map((result) => result.value).sort(), ['eternal_kiss', 'kiss_pro', 'snow_night_kiss']);
		assert.equal(results.find((result) => result.value === 'kiss_pro')?.name, 'Kiss Pro (Two Images)');
	});

	test('minimal: a one-image scene sends exactly effect_scene and input.image', async () => {
		const item = pngItem({ data: {} });
		const body = await sentBody(emulator(), { ...base, effectScene: scene('bouncy_dance') }, { items: [item] });
		assert.deepEqual(withoutDerivedId(body), { effect_scene: 'bouncy_dance', input: { image: item.binary.data.base64 }, external_task_id: '<derived>' });
	});

	test('full: a two-image scene the old node refused (daily_ootd) sends input.images, left then right', async () => {
		const item = pngItem({ left: { seed: 'l' }, right: { seed: 'r' } });
		const body = await sentBody(
			emulator(),
			{ ...base, effectScene: scene('daily_ootd'), image: 'left', secondImageSource: 'binary', secondImage: 'right', options: { externalTaskId: 'fx-1', callbackUrl: 'https://example.com/cb' } },
			{ items: [item] },
		);
		assert.deepEqual(body, {
			effect_scene: 'daily_ootd',
			input: { images: [item.binary.left.base64, item.binary.right.base64] },
			callback_url: 'https://example.com/cb',
			external_task_id: 'fx-1',
		});
	});

	test('a scene the node does not know yet, typed by name, is sent unchanged and Kling takes it', async () => {
		assert.ok(!EFFECT_SCENES.has(RELEASED_AFTER_THE_LIST));
		const body = await sentBody(emulator(), { ...base, effectScene: scene(` ${RELEASED_AFTER_THE_LIST} `, 'name'), imageSource: 'url', image: 'https://x.example/a.png' });
		assert.deepEqual(withoutDerivedId(body), { effect_scene: RELEASED_AFTER_THE_LIST, input: { image: 'https://x.example/a.png' }, external_task_id: '<derived>' });
		assert.equal(emulator().createdTasks().length, 1);
	});

	test('rejected before paying: a two-image scene with one image, a one-image scene with two, a discontinued scene', async () => {
		const url = { imageSource: 'url', image: 'https://x.example/a.png' };
		const second = { secondImageSource: 'url', secondImage: 'https://x.example/b.png' };
		await assert.rejects(sentBody(emulator(), { ...base, effectScene: scene('kiss_pro'), ...url }), /Effect Scene "kiss_pro" takes two images; add a Second Image/);
		await assert.rejects(sentBody(emulator(), { ...base, effectScene: scene('bouncy_dance'), ...url, ...second }), /Effect Scene "bouncy_dance" takes one image/);
		await assert.rejects(sentBody(emulator(), { ...base, effectScene: scene('hug', 'name'), ...url, ...second }), /Effect Scene "hug" was discontinued by Kling; use "hug_pro"/);
		await assert.rejects(sentBody(emulator(), { ...base, effectScene: scene(''), ...url }), /Parameter "Effect Scene" is required/);
		assert.equal(emulator().requests.length, 0);
	});
});
