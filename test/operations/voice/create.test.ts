/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { fieldSummary, operationOption, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'voice', operation: 'create', voiceName: 'Narrator' };

describe('Voice › Create', () => {
	test('descriptor: a recording URL by default, or a Kling video ID', () => {
		assert.equal(operationOption('voice', 'create')?.name, 'Create');
		assert.deepEqual(fieldSummary('voice', 'create'), {
			voiceName: '',
			voiceSource: 'url',
			voiceUrl: '',
			options: ['additionalBodyFields', 'callbackUrl', 'externalTaskId'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'],
			costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'],
		});
	});

	test('minimal: a name and a recording URL', async () => {
		const body = await sentBody(emulator(), { ...base, voiceUrl: ' https://cdn.example.com/voice.mp3 ' });
		assert.deepEqual(withoutDerivedId(body), { voice_name: 'Narrator', voice_url: 'https://cdn.example.com/voice.mp3', external_task_id: '<derived>' });
	});

	test('full: from a Kling video, with the common options', async () => {
		const body = await sentBody(emulator(), { ...base, voiceSource: 'videoId', videoId: 'video-1', options: { externalTaskId: 'voice-1', callbackUrl: 'https://example.com/cb' } });
		assert.deepEqual(body, { voice_name: 'Narrator', video_id: 'video-1', callback_url: 'https://example.com/cb', external_task_id: 'voice-1' });
	});

	test('rejected before paying: a long name, a recording that is not a URL', async () => {
		await assert.rejects(sentBody(emulator(), { ...base, voiceName: 'x'.repeat(21), voiceUrl: 'https://x.example/v.mp3' }), /Name is 21 characters long; Kling allows at most 20/);
		await assert.rejects(sentBody(emulator(), { ...base, voiceUrl: 'voice.mp3' }), /Recording URL must be an http\(s\) URL/);
		assert.equal(emulator().requests.length, 0);
	});
});
