/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { fieldSummary, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'audio', operation: 'textToSpeech' };

describe('Audio › Text to Speech', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(fieldSummary('audio', 'textToSpeech'), { text: '', voiceId: '', voiceLanguage: 'en', voiceSpeed: 1, options: ['callbackUrl', 'externalTaskId'], waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'pollIntervalSeconds', 'timeoutMinutes'], });
	});

	test('minimal: text and voice', async () => {
		const body = await sentBody(emulator(), { ...base, text: 'Welcome!', voiceId: 'genshin_vindi2' });
		assert.deepEqual(withoutDerivedId(body), { text: 'Welcome!', voice_id: 'genshin_vindi2', voice_language: 'en', voice_speed: 1, external_task_id: '<derived>' });
	});

	test('full: Chinese at 1.5× with the common options', async () => {
		const body = await sentBody(emulator(), { ...base, text: '你好', voiceId: 'zh_voice', voiceLanguage: 'zh', voiceSpeed: 1.5, options: { externalTaskId: 'tts-1', callbackUrl: 'https://example.com/cb' } });
		assert.deepEqual(body, { text: '你好', voice_id: 'zh_voice', voice_language: 'zh', voice_speed: 1.5, callback_url: 'https://example.com/cb', external_task_id: 'tts-1' });
	});

	test('rejected before paying: text over 1000 characters, speed 3', async () => {
		await assert.rejects(sentBody(emulator(), { ...base, text: 'x'.repeat(1001), voiceId: 'v' }), /"text" is 1001 characters long; Kling allows at most 1000/);
		await assert.rejects(sentBody(emulator(), { ...base, text: 'x', voiceId: 'v', voiceSpeed: 3 }), /"voice_speed" is 3; Kling allows 0.8 to 2/);
		assert.equal(emulator().requests.length, 0);
	});
});
