/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import type { KlingEmulator } from '../support/emulator/kling-emulator';
import { makeMp3, makeWav } from '../support/emulator/media';
import { audioDurationMs } from '../../nodes/Kling/input/audioDuration';
import { credentialsFor, fastWait, networkFor, startEmulator } from '../support/fixtures';
import { runKling } from '../support/harness/n8n';
import { listSearch } from '../support/harness/loadOptions';

let emulator: KlingEmulator;
before(async () => (emulator = await startEmulator()));
after(async () => await emulator.stop());
beforeEach(() => emulator.reset());

describe('Live lists of the editor (resource locator "From List"), in n8n-core’s load-options context', () => {
	test('elements: the account’s own (not deleted) and Kling’s presets, filtered by the search text', async () => {
		const create = (name: string) =>
			runKling({
				parameters: { resource: 'element', operation: 'create', elementName: name, elementDescription: 'd', frontalImageSource: 'url', frontalImage: 'https://x.example/f.png', referImages: { images: [{ source: 'url', value: 'https://x.example/s.png' }] }, waitOptions: fastWait },
				credentials: credentialsFor('singapore', emulator),
				network: networkFor(emulator),
			});
		await create('Mia');
		await create('Leo');
		emulator.requests.length = 0;
		const all = await listSearch('searchElements', credentialsFor('singapore', emulator), networkFor(emulator));
		assert.deepEqual(all.results.map((result) => result.name), ['Leo (yours)', 'Mia (yours)', 'Grace (Kling preset)', 'Armored Youth (Kling preset)']);
		assert.ok(all.results.every((result) => /^\d+$/.test(String(result.value))));
		assert.deepEqual(emulator.requests.map((request) => request.url).sort(), ['/v1/general/advanced-custom-elements?pageNum=1&pageSize=500', '/v1/general/advanced-presets-elements?pageNum=1&pageSize=500']);
		const filtered = await listSearch('searchElements', credentialsFor('singapore', emulator), networkFor(emulator), 'gra');
		assert.deepEqual(filtered.results.map((result) => result.name), ['Grace (Kling preset)']);
	});

	test('voices: the account’s own and the presets, with the preview as the link; a wrong key is Kling’s error', async () => {
		await runKling({ parameters: { resource: 'voice', operation: 'create', voiceName: 'Narrator', voiceUrl: 'https://x.example/v.mp3', waitOptions: fastWait }, credentials: credentialsFor('cometapi', emulator), network: networkFor(emulator) });
		const voices = await listSearch('searchVoices', credentialsFor('cometapi', emulator), networkFor(emulator));
		assert.deepEqual(voices.results.map((result) => result.name), ['Narrator (yours)', 'Warm Narrator (Kling preset)', 'Bright Host (Kling preset)']);
		assert.match(String(voices.results[0].url), /^http:\/\/127\.0\.0\.1:\d+\/results\//);
		await assert.rejects(listSearch('searchVoices', credentialsFor('cometapi', emulator, { apiKey: 'wrong' }), networkFor(emulator)), /Kling error 1000/);
	});
});

describe('Audio length from the file (Lip Sync’s default audio end)', () => {
	test('MP3 frames and WAV headers; unknown formats give undefined', () => {
		assert.equal(audioDurationMs(makeMp3('x', 3)), 3004);
		assert.equal(audioDurationMs(makeMp3('x')), 52);
		assert.equal(audioDurationMs(makeWav('x', 2.5)), 2500);
		assert.equal(audioDurationMs(Buffer.from('....ftypM4A ')), undefined);
		assert.equal(audioDurationMs(Buffer.from([0xff, 0xf1, 0x50, 0x80])), undefined);
	});
});
