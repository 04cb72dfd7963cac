/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { makeWav } from '../../support/emulator/media';
import { pngItem } from '../../support/fixtures';
import { fieldSummary, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'video', operation: 'avatar' };

describe('Video › Avatar', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(fieldSummary('video', 'avatar'), {
			imageSource: 'binary',
			image: 'data',
			audioFrom: 'file',
			soundFileSource: 'binary',
			soundFile: 'data',
			prompt: '',
			mode: 'std',
			options: ['additionalBodyFields', 'callbackUrl', 'checkInputUrls', 'externalTaskId', 'watermark'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'],
			costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'],
		});
	});

	test('minimal: a portrait and an audio id', async () => {
		const body = await sentBody(emulator(), { ...base, imageSource: 'url', image: 'https://cdn.example.com/face.png', audioFrom: 'id', audioId: 'audio-9' });
		assert.deepEqual(withoutDerivedId(body), { image: 'https://cdn.example.com/face.png', mode: 'std', audio_id: 'audio-9', external_task_id: '<derived>' });
	});

	test('full: portrait and WAV from binary properties, prompt and pro mode', async () => {
		const item = pngItem({ face: {} });
		const wav = makeWav('speech').toString('base64');
		const body = await sentBody(
			emulator(),
			{ ...base, image: 'face', soundFile: 'speech', prompt: 'smiling, nodding', mode: 'pro', options: { externalTaskId: 'av-1' } },
			{ items: [{ ...item, binary: { ...item.binary, speech: { base64: wav, mimeType: 'audio/wav', fileName: 's.wav' } } }] },
		);
		assert.deepEqual(body, { image: item.binary.face.base64, mode: 'pro', sound_file: wav, prompt: 'smiling, nodding', external_task_id: 'av-1' });
	});

	test('rejected before paying: an empty audio id', async () => {
		await assert.rejects(sentBody(emulator(), { ...base, imageSource: 'url', image: 'https://x.example/f.png', audioFrom: 'id', audioId: ' ' }), /an Audio ID or an Audio file is required/);
		assert.equal(emulator().requests.length, 0);
	});
});
