/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { makeMp3 } from '../../support/emulator/media';
import { fieldSummary, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'video', operation: 'lipSync' };
const audioItem = () => ({ json: {}, binary: { voice: { base64: makeMp3('hello').toString('base64'), mimeType: 'audio/mpeg', fileName: 'voice.mp3' } } });

describe('Video › Lip Sync', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(fieldSummary('video', 'lipSync'), {
			videoSource: 'id',
			video: '',
			speechMode: 'text2video',
			text: '',
			voiceId: '',
			voiceLanguage: 'en',
			voiceSpeed: 1,
			options: ['additionalBodyFields', 'callbackUrl', 'checkInputUrls', 'externalTaskId'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'],
			costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'],
		});
		assert.deepEqual(Object.keys(fieldSummary('video', 'lipSync', { speechMode: 'audio2video' })).slice(0, 5), ['videoSource', 'video', 'speechMode', 'audioSource', 'audio']);
	});

	test('minimal: a Kling video spoken from text', async () => {
		const body = await sentBody(emulator(), { ...base, video: 'video-1', text: 'Hello there', voiceId: 'en_voice_1' });
		assert.deepEqual(withoutDerivedId(body), {
			input: { video_id: 'video-1', mode: 'text2video', text: 'Hello there', voice_id: 'en_voice_1', voice_language: 'en', voice_speed: 1 },
			external_task_id: '<derived>',
		});
	});

	test('full: a video URL with an audio binary sent as raw Base64', async () => {
		const item = audioItem();
		const body = await sentBody(
			emulator(),
			{ ...base, videoSource: 'url', video: 'https://cdn.example.com/talk.mp4', speechMode: 'audio2video', audio: 'voice', options: { externalTaskId: 'ls-1', callbackUrl: 'https://example.com/cb' } },
			{ items: [item] },
		);
		assert.deepEqual(body, {
			input: { video_url: 'https://cdn.example.com/talk.mp4', mode: 'audio2video', audio_type: 'file', audio_file: item.binary.voice.base64 },
			callback_url: 'https://example.com/cb',
			external_task_id: 'ls-1',
		});
	});

	test('an audio URL is sent as audio_url', async () => {
		const body = await sentBody(emulator(), { ...base, video: 'v', speechMode: 'audio2video', audioSource: 'url', audio: 'https://cdn.example.com/a.mp3', options: { externalTaskId: 'ls-2' } });
		assert.deepEqual(body?.input, { video_id: 'v', mode: 'audio2video', audio_type: 'url', audio_url: 'https://cdn.example.com/a.mp3' });
	});

	test('rejected before paying: text over 120 characters, a binary that is not audio', async () => {
		await assert.rejects(sentBody(emulator(), { ...base, video: 'v', text: 'x'.repeat(121), voiceId: 'a' }), /Text is 121 characters long; Kling allows at most 120/);
		await assert.rejects(
			sentBody(emulator(), { ...base, video: 'v', speechMode: 'audio2video', audio: 'voice' }, { items: [{ json: {}, binary: { voice: { base64: Buffer.from('plain text').toString('base64'), mimeType: 'text/plain', fileName: 'a.txt' } } }] }),
			/Audio is not mp3, wav, m4a or aac audio/,
		);
		assert.equal(emulator().requests.length, 0);
	});
});
