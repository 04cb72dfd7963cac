/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { fieldSummary, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'audio', operation: 'videoToAudio' };

describe('Audio › Video to Audio', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(fieldSummary('audio', 'videoToAudio'), {
			videoSource: 'id',
			video: '',
			soundEffectPrompt: '',
			bgmPrompt: '',
			asmrMode: false,
			options: ['additionalBodyFields', 'callbackUrl', 'checkInputUrls', 'externalTaskId'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'],
			costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'],
		});
	});

	test('minimal: a Kling video id', async () => {
		const body = await sentBody(emulator(), { ...base, video: 'video-3' });
		assert.deepEqual(withoutDerivedId(body), { video_id: 'video-3', external_task_id: '<derived>' });
	});

	test('full: a video URL with both prompts and ASMR mode', async () => {
		const body = await sentBody(emulator(), {
			...base,
			videoSource: 'url',
			video: 'https://cdn.example.com/clip.mp4',
			soundEffectPrompt: 'footsteps',
			bgmPrompt: 'calm piano',
			asmrMode: true,
			options: { externalTaskId: 'v2a-1' },
		});
		assert.deepEqual(body, { video_url: 'https://cdn.example.com/clip.mp4', sound_effect_prompt: 'footsteps', bgm_prompt: 'calm piano', asmr_mode: true, external_task_id: 'v2a-1' });
	});

	test('rejected before paying: no video', async () => {
		await assert.rejects(sentBody(emulator(), { ...base, video: ' ' }), /a Video ID or a Video URL is required/);
		assert.equal(emulator().requests.length, 0);
	});
});
