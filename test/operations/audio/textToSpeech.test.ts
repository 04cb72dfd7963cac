/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { credentialsFor, networkFor } from '../../support/fixtures';
import { runKling } from '../../support/harness/n8n';
import { fieldSummary, operationOption, sentBody, useEmulator } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'audio', operation: 'textToSpeech' };

describe('Audio › Text to Speech (synchronous)', () => {
	test('descriptor: no callback, external id or waiting — Kling answers with the audio', () => {
		assert.equal(operationOption('audio', 'textToSpeech')?.name, 'Text to Speech');
		assert.deepEqual(fieldSummary('audio', 'textToSpeech'), {
			text: '',
			voiceId: '',
			voiceLanguage: 'en',
			voiceSpeed: 1,
			options: ['additionalBodyFields'],
			downloadResults: true,
			binaryPropertyName: 'data',
		});
	});

	test('minimal: exactly text and voice, in one request', async () => {
		const body = await sentBody(emulator(), { ...base, text: 'Welcome!', voiceId: 'oversea_male1' });
		assert.deepEqual(body, { text: 'Welcome!', voice_id: 'oversea_male1', voice_language: 'en', voice_speed: 1 });
		assert.equal(emulator().requests.length, 1);
	});

	test('full: Chinese at 1.5×; the one request is the whole call, the audio comes as a binary', async () => {
		const result = await runKling({
			parameters: { ...base, text: '你好', voiceId: 'zh_voice', voiceLanguage: 'zh', voiceSpeed: 1.5, binaryPropertyName: 'speech' },
			credentials: credentialsFor('singapore', emulator()),
			network: networkFor(emulator()),
		});
		assert.equal(result.error('Kling'), undefined);
		const apiRequests = emulator().requests;
		assert.deepEqual(apiRequests.map((request) => `${request.method} ${request.klingPath}`), ['POST /v1/audio/tts']);
		assert.deepEqual(apiRequests[0].body, { text: '你好', voice_id: 'zh_voice', voice_language: 'zh', voice_speed: 1.5 });
		const [item] = result.kling;
		const audio = (item.json.task_result as { audios: Array<{ id: string; url: string }> }).audios[0];
		assert.match(audio.id, /^tts-audio-/);
		assert.equal(item.binary?.speech.mimeType, 'audio/mpeg');
		assert.deepEqual(emulator().fileRequests.map((request) => request.url), [audio.url]);
	});

	test('rejected before paying: text over 1000 characters, speed 3', async () => {
		await assert.rejects(sentBody(emulator(), { ...base, text: 'x'.repeat(1001), voiceId: 'v' }), /Text is 1001 characters long; Kling allows at most 1000/);
		await assert.rejects(sentBody(emulator(), { ...base, text: 'x', voiceId: 'v', voiceSpeed: 3 }), /Voice Speed is 3; Kling allows 0.8 to 2/);
		assert.equal(emulator().requests.length, 0);
	});
});
