/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { fieldSummary, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'video', operation: 'extend' };

describe('Video › Extend', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(fieldSummary('video', 'extend'), {
			videoId: '',
			prompt: '',
			options: ['additionalBodyFields', 'callbackUrl', 'cfgScale', 'externalTaskId', 'negativePrompt', 'watermark'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'],
			costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'],
		});
	});

	test('minimal: the video id', async () => {
		const body = await sentBody(emulator(), { ...base, videoId: ' video-42 ' });
		assert.deepEqual(withoutDerivedId(body), { video_id: 'video-42', external_task_id: '<derived>' });
	});

	test('full: prompt, negative prompt, CFG and the common options', async () => {
		const body = await sentBody(emulator(), {
			...base,
			videoId: 'video-42',
			prompt: 'the car drives on',
			options: { negativePrompt: 'crash', cfgScale: 0.3, externalTaskId: 'ext-1', callbackUrl: 'https://example.com/cb', watermark: true },
		});
		assert.deepEqual(body, {
			video_id: 'video-42',
			prompt: 'the car drives on',
			negative_prompt: 'crash',
			cfg_scale: 0.3,
			callback_url: 'https://example.com/cb',
			external_task_id: 'ext-1',
			watermark_info: { enabled: true },
		});
	});

	test('rejected before paying: no video id', async () => {
		await assert.rejects(sentBody(emulator(), { ...base, videoId: ' ' }), /Video ID is required/);
		assert.equal(emulator().requests.length, 0);
	});
});
