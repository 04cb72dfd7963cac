/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { fieldSummary, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'video', operation: 'textToVideo' };
const API_KEY = { preset: 'beijing' as const };

describe('Video › Text to Video', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(fieldSummary('video', 'textToVideo'), {
			model: 'kling-v3',
			prompt: '',
			mode: 'std',
			duration: '5',
			options: ['additionalBodyFields', 'apiStandard', 'aspectRatio', 'callbackUrl', 'externalTaskId', 'multiShot', 'shotType', 'shots', 'negativePrompt', 'sound', 'voiceIds', 'watermark'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'],
			costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'],
		});
	});

	test('legacy standard (Access Key + Secret Key): /v1/videos/text2video with model_name', async () => {
		const body = await sentBody(emulator(), { ...base, prompt: 'waves at dusk' });
		assert.equal(emulator().submits()[0].klingPath, '/v1/videos/text2video');
		assert.deepEqual(withoutDerivedId(body), { model_name: 'kling-v3', mode: 'std', duration: '5', prompt: 'waves at dusk', external_task_id: '<derived>' });
	});

	test('new standard (API key): /text-to-video/kling-3.0 with prompt, settings and options', async () => {
		const body = await sentBody(
			emulator(),
			{ ...base, prompt: 'waves at dusk', mode: '4k', duration: '12', options: { sound: true, aspectRatio: '9:16', externalTaskId: 't2v-new', watermark: true } },
			API_KEY,
		);
		const submit = emulator().submits()[0];
		assert.equal(submit.klingPath, '/text-to-video/kling-3.0');
		assert.equal(submit.headers.authorization?.split('.').length, 1, 'an API key, not a JWT');
		assert.deepEqual(body, {
			prompt: 'waves at dusk',
			settings: { resolution: '4k', duration: 12, aspect_ratio: '9:16', audio: 'native', multi_shot: false },
			options: { external_task_id: 't2v-new', watermark_info: { enabled: true } },
		});
	});

	test('new standard: a shot list becomes Kling’s shot prompt syntax', async () => {
		const body = await sentBody(
			emulator(),
			{ ...base, prompt: 'a day at sea', duration: '6', options: { multiShot: true, shotType: 'customize', shots: { shot: [{ prompt: 'dawn', duration: 2 }, { prompt: 'storm', duration: 4 }] } } },
			API_KEY,
		);
		assert.equal(body?.prompt, 'a day at sea shot 1, 2, dawn; shot 2, 4, storm;');
		assert.deepEqual((body?.settings as Record<string, unknown>).multi_shot, true);
	});

	test('legacy standard: Kling 3.0 multi-shot with sound', async () => {
		const body = await sentBody(emulator(), {
			...base,
			prompt: 'a day at sea',
			duration: '6',
			options: { multiShot: true, shotType: 'customize', sound: true, shots: { shot: [{ prompt: 'dawn', duration: 2 }, { prompt: 'storm', duration: 4 }] } },
		});
		assert.deepEqual(withoutDerivedId(body), {
			model_name: 'kling-v3',
			mode: 'std',
			duration: '6',
			prompt: 'a day at sea',
			sound: 'on',
			multi_shot: true,
			shot_type: 'customize',
			multi_prompt: [
				{ index: 1, prompt: 'dawn', duration: '2' },
				{ index: 2, prompt: 'storm', duration: '4' },
			],
			external_task_id: '<derived>',
		});
	});

	test('rejected before paying: 7 s on a 5/10 s model, sound at 720p on 2.6, 4K on 2.6, a negative prompt on the new API', async () => {
		await assert.rejects(sentBody(emulator(), { ...base, model: 'kling-v2-6', prompt: 'x', duration: '7' }), /Duration 7 s is not available for Kling 2\.6 text to video; allowed: 5, 10 s/);
		await assert.rejects(sentBody(emulator(), { ...base, model: 'kling-v2-6', prompt: 'x', options: { sound: true } }), /Sound on Kling 2\.6 needs Resolution 1080p \(Professional\)/);
		await assert.rejects(sentBody(emulator(), { ...base, model: 'kling-v2-6', prompt: 'x', mode: '4k' }), /Resolution 4K is not available for Kling 2\.6 text to video; allowed: 720p \(Standard\), 1080p \(Professional\)/);
		await assert.rejects(sentBody(emulator(), { ...base, prompt: 'x', options: { negativePrompt: 'rain' } }, API_KEY), /"negative_prompt" cannot be sent on Kling's new API/);
		await assert.rejects(sentBody(emulator(), { ...base, prompt: 'x'.repeat(3073) }), /Prompt is 3073 characters long; Kling 3\.0 text to video on the legacy routes allows at most 2500/);
		assert.equal(emulator().requests.length, 0);
	});

	test('Kling 3.0 Turbo with an Access Key + Secret Key: a clear error and zero requests', async () => {
		await assert.rejects(sentBody(emulator(), { ...base, model: 'kling-3.0-turbo', prompt: 'x' }), /Kling 3\.0 Turbo \(kling-3\.0-turbo\) is only on Kling's new API, which takes an API key.*Access Key \+ Secret Key/);
		await assert.rejects(sentBody(emulator(), { ...base, model: 'kling-3.0-turbo', prompt: 'x' }, { preset: 'cometapi' }), /only on Kling's new API.*a reseller host/);
		assert.equal(emulator().requests.length, 0);
	});
});
