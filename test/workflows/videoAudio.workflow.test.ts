/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import type { KlingEmulator } from '../support/emulator/kling-emulator';
import { makeMp3 } from '../support/emulator/media';
import { credentialsFor, fastWait, networkFor, pngItem, startEmulator } from '../support/fixtures';
import { runKling } from '../support/harness/n8n';

let emulator: KlingEmulator;
before(async () => (emulator = await startEmulator({ videoBytes: 256 * 1024 })));
after(async () => await emulator.stop());
beforeEach(() => emulator.reset());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
type Probe = Record<string, { sha256: string; bytes: number; mimeType: string; fileName: string }>;
const run = (parameters: IDataObject, items?: Parameters<typeof runKling>[0]['items']) =>
	runKling({ parameters: { waitOptions: fastWait, ...parameters }, credentials: credentialsFor('singapore', emulator), network: networkFor(emulator), items });

describe('Video and audio workflows', () => {
	test('image to video with a start and an end frame from binary properties returns the emulator’s MP4', async () => {
		const item = pngItem({ start: { seed: 'start', width: 1280, height: 720 }, end: { seed: 'end', width: 1280, height: 720 } });
		const result = await run(
			{ resource: 'video', operation: 'imageToVideo', model: 'kling-v2-5-turbo', mode: 'pro', image: 'start', imageTailSource: 'binary', imageTail: 'end', prompt: 'day turns to night' },
			[item],
		);
		assert.equal(result.error('Kling'), undefined);
		const [submit] = emulator.submits();
		assert.equal(submit.body?.image, item.binary.start.base64);
		assert.equal(submit.body?.image_tail, item.binary.end.base64);
		const [task] = emulator.createdTasks();
		const probe = result.probed[0].json.probe as Probe;
		assert.deepEqual(Object.keys(probe), ['data']);
		assert.equal(probe.data.sha256, sha256(task.files[0].bytes));
		assert.equal(probe.data.bytes, 256 * 1024);
		assert.equal(probe.data.mimeType, 'video/mp4');
		assert.equal(probe.data.fileName, `${task.task_id}_0.mp4`);
	});

	for (const [label, parameters, items, message] of [
		['an end frame at 720p on Kling 2.6', { resource: 'video', operation: 'imageToVideo', model: 'kling-v2-6', mode: 'std', imageSource: 'url', image: 'https://x.example/s.png', imageTailSource: 'url', imageTail: 'https://x.example/e.png' }, undefined, /An End Frame on Kling 2\.6 needs Resolution 1080p \(Professional\)/],
		['a 7 s duration where only 5 or 10 s exists', { resource: 'video', operation: 'textToVideo', model: 'kling-v2-5-turbo', duration: '7', prompt: 'x' }, undefined, /Duration 7 s is not available for Kling 2\.5 Turbo text to video; allowed: 5, 10 s/],
		['five images for multi-image to video', { resource: 'video', operation: 'multiImageToVideo', prompt: 'x', images: { images: Array.from({ length: 5 }, () => ({ source: 'url', value: 'https://x.example/a.png' })) } }, undefined, /Images has 5 entries; Kling allows at most 4/],
	] as const) {
		test(`${label} is rejected before any request, saying what is allowed`, async () => {
			const result = await run(parameters, items);
			assert.match(String(result.error('Kling')?.message), message);
			assert.equal(emulator.requests.length, 0);
		});
	}

	test('lip sync from an audio binary returns the synced video', async () => {
		const audio = makeMp3('narration').toString('base64');
		const result = await run(
			{ resource: 'video', operation: 'lipSync', videoSource: 'url', video: 'https://cdn.example.com/talk.mp4', speechMode: 'audio2video', audio: 'narration' },
			[{ json: {}, binary: { narration: { base64: audio, mimeType: 'audio/mpeg', fileName: 'narration.mp3' } } }],
		);
		assert.equal(result.error('Kling'), undefined);
		assert.deepEqual(emulator.submits()[0].body?.input, { video_url: 'https://cdn.example.com/talk.mp4', mode: 'audio2video', audio_type: 'file', audio_file: audio });
		const probe = result.probed[0].json.probe as Probe;
		assert.equal(probe.data.mimeType, 'video/mp4');
		assert.equal(probe.data.sha256, sha256(emulator.createdTasks()[0].files[0].bytes));
	});

	test('text to audio returns both the mp3 and the wav as binaries', async () => {
		const result = await run({ resource: 'audio', operation: 'textToAudio', prompt: 'a door creaks', duration: 4 });
		assert.equal(result.error('Kling'), undefined);
		const [task] = emulator.createdTasks();
		const probe = result.probed[0].json.probe as Probe;
		assert.deepEqual(
			Object.entries(probe).map(([property, file]) => [property, file.mimeType, file.fileName, file.sha256]),
			[
				['data', 'audio/mpeg', `${task.task_id}_0.mp3`, sha256(task.files[0].bytes)],
				['data_1', 'audio/wav', `${task.task_id}_1.wav`, sha256(task.files[1].bytes)],
			],
		);
	});

	test('video to audio returns the dubbed video and its audio; text to speech returns the speech', async () => {
		const dubbed = await run({ resource: 'audio', operation: 'videoToAudio', video: 'video-1', bgmPrompt: 'jazz' });
		assert.equal(dubbed.error('Kling'), undefined);
		assert.deepEqual(Object.values(dubbed.probed[0].json.probe as Probe).map((file) => file.mimeType), ['video/mp4', 'audio/mpeg', 'audio/wav']);
		emulator.reset();
		const speech = await run({ resource: 'audio', operation: 'textToSpeech', text: 'Hello', voiceId: 'v1' });
		assert.equal(speech.error('Kling'), undefined);
		assert.deepEqual(Object.values(speech.probed[0].json.probe as Probe).map((file) => file.mimeType), ['audio/mpeg']);
	});

	test('Multi-Image to Video on official Kling: its only model is retired, and Kling’s "discontinued" answer names it', async () => {
		const item = pngItem({ left: {}, right: { seed: 'r' } });
		const result = await run({ resource: 'video', operation: 'multiImageToVideo', prompt: 'x', images: { images: [{ source: 'binary', value: 'left' }, { source: 'binary', value: 'right' }] } }, [item]);
		assert.match(String(result.error('Kling')?.message), /kling-v1-6.*discontinued/);
		assert.equal(emulator.createdTasks().length, 0);
	});

	test('every other video operation runs end to end with an MP4 binary', async () => {
		const item = pngItem({ data: { width: 512, height: 768 }, left: {}, right: { seed: 'r' } });
		const voice = makeMp3('v').toString('base64');
		const cases: IDataObject[] = [
			{ resource: 'video', operation: 'textToVideo', prompt: 'waves' },
			{ resource: 'video', operation: 'extend', videoId: 'video-1' },
			{ resource: 'video', operation: 'effects', effectScene: 'hug_pro', image: 'left', secondImageSource: 'binary', secondImage: 'right' },
			{ resource: 'video', operation: 'avatar', soundFile: 'voice' },
			{ resource: 'video', operation: 'omniVideo', prompt: 'a boat', options: { aspectRatio: '1:1' } },
			{ resource: 'video', operation: 'motionControl', videoUrl: 'https://cdn.example.com/d.mp4' },
		];
		for (const parameters of cases) {
			emulator.reset();
			const result = await run(parameters, [{ ...item, binary: { ...item.binary, voice: { base64: voice, mimeType: 'audio/mpeg', fileName: 'v.mp3' } } }]);
			assert.equal(result.error('Kling'), undefined, String(parameters.operation));
			const probe = result.probed[0].json.probe as Probe;
			assert.equal(probe.data.mimeType, 'video/mp4', String(parameters.operation));
			assert.equal(probe.data.sha256, sha256(emulator.createdTasks()[0].files[0].bytes));
		}
	});
});
