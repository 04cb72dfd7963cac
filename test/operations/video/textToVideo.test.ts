/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { fieldSummary, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'video', operation: 'textToVideo' };

describe('Video › Text to Video', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(fieldSummary('video', 'textToVideo'), {
			model: 'kling-v2-6',
			prompt: '',
			mode: 'std',
			duration: '5',
			options: ['aspectRatio', 'callbackUrl', 'cameraControl', 'cfgScale', 'externalTaskId', 'multiShot', 'negativePrompt', 'shotType', 'shots', 'sound', 'voiceIds', 'watermark'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'pollIntervalSeconds', 'timeoutMinutes'],
		});
	});

	test('minimal: model, prompt, mode and duration', async () => {
		const body = await sentBody(emulator(), { ...base, prompt: 'waves at dusk' });
		assert.deepEqual(withoutDerivedId(body), { model_name: 'kling-v2-6', mode: 'std', duration: '5', prompt: 'waves at dusk', external_task_id: '<derived>' });
	});

	test('full: Kling V1 with camera control, negative prompt and CFG', async () => {
		const body = await sentBody(emulator(), {
			...base,
			model: 'kling-v1',
			prompt: 'a drone shot over a forest',
			options: {
				aspectRatio: '9:16',
				negativePrompt: 'people',
				cfgScale: 0.7,
				cameraControl: { camera: { type: 'simple', zoom: 5 } },
				externalTaskId: 't2v-1',
				callbackUrl: 'https://example.com/cb',
				watermark: true,
			},
		});
		assert.deepEqual(body, {
			model_name: 'kling-v1',
			mode: 'std',
			duration: '5',
			prompt: 'a drone shot over a forest',
			negative_prompt: 'people',
			cfg_scale: 0.7,
			aspect_ratio: '9:16',
			camera_control: { type: 'simple', config: { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 5 } },
			callback_url: 'https://example.com/cb',
			external_task_id: 't2v-1',
			watermark_info: { enabled: true },
		});
	});

	test('full: Kling V3 multi-shot with sound and voices', async () => {
		const body = await sentBody(emulator(), {
			...base,
			model: 'kling-v3',
			mode: 'pro',
			duration: '8',
			options: {
				multiShot: true,
				shotType: 'customize',
				shots: { shot: [{ prompt: 'wide shot, <<<voice_1>>> says hello', duration: 3 }, { prompt: 'close-up', duration: 5 }] },
				sound: true,
				voiceIds: 'voice_a, voice_b',
				externalTaskId: 't2v-2',
			},
		});
		assert.deepEqual(body, {
			model_name: 'kling-v3',
			mode: 'pro',
			duration: '8',
			sound: 'on',
			voice_list: [{ voice_id: 'voice_a' }, { voice_id: 'voice_b' }],
			multi_shot: true,
			shot_type: 'customize',
			multi_prompt: [
				{ index: 1, prompt: 'wide shot, <<<voice_1>>> says hello', duration: '3' },
				{ index: 2, prompt: 'close-up', duration: '5' },
			],
			external_task_id: 't2v-2',
		});
	});

	for (const [label, parameters, message] of [
		['camera control on a model without it', { model: 'kling-v2-master', options: { cameraControl: { camera: { type: 'simple', pan: 3 } } } }, /"camera_control" is not available for kling-v2-master text to video; it exists on kling-v1/],
		['camera control at 10 s where only 5 s exists', { model: 'kling-v1', duration: '10', options: { cameraControl: { camera: { type: 'down_back' } } } }, /"camera_control" \(camera control\) on kling-v1 needs mode "std" and duration "5"; got mode "std", duration "10"/],
		['a model without text to video', { model: 'kling-v2-1' }, /"model_name" kling-v2-1 has no text to video; models with text to video: kling-v1, kling-v1-6/],
		['7 s on a 5/10 s model', { duration: '7' }, /"duration" "7" is not available for kling-v2-6 text to video; allowed: "5", "10"/],
		['sound in standard mode on V2.6', { options: { sound: true } }, /"sound" on kling-v2-6 needs mode "pro"; got "std"/],
		['CFG on a V2 model', { options: { cfgScale: 0.5 } }, /"cfg_scale" is not supported by kling-v2-6; models with it: kling-v1, kling-v1-5, kling-v1-6/],
		['two camera axes', { model: 'kling-v1', options: { cameraControl: { camera: { type: 'simple', pan: 3, tilt: 2 } } } }, /needs exactly one non-zero axis; got 2 \(pan, tilt\)/],
		['shot durations that do not add up', { model: 'kling-v3', duration: '10', options: { multiShot: true, shots: { shot: [{ prompt: 'a', duration: 3 }] } } }, /add up to 3 s but "duration" is 10 s/],
	] as const) {
		test(`rejected before paying: ${label}`, async () => {
			await assert.rejects(sentBody(emulator(), { ...base, prompt: 'x', ...parameters }), message);
			assert.equal(emulator().requests.length, 0);
		});
	}
});
