/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import type { KlingEmulator } from '../support/emulator/kling-emulator';
import { makeMp3 } from '../support/emulator/media';
import { elementIdOf } from '../support/emulator/assets';
import { AUTO_SERIES_IMAGES } from '../support/emulator/routes';
import { fastWait, pngItem, startEmulator } from '../support/fixtures';
import { firstError, runChain } from './chain';

let emulator: KlingEmulator;
before(async () => (emulator = await startEmulator({ videoBytes: 64 * 1024 })));
after(async () => await emulator.stop());
beforeEach(() => emulator.reset());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
type Probe = Record<string, { sha256: string; bytes: number; mimeType: string; fileName: string }>;
const probeOf = (item: { json: IDataObject }) => item.json.probe as Probe;
/** Every probed binary equals the bytes the emulator's file host serves for the URL the node reported. */
function assertFilesAreKlings(item: { json: IDataObject }) {
	const files = (item.json.files as Array<{ binaryProperty: string; url: string }>) ?? [];
	assert.ok(files.length > 0, 'no files');
	for (const file of files) {
		const expected = emulator.fileBytes(file.url);
		assert.ok(expected, `the emulator does not know ${file.url}`);
		assert.equal(probeOf(item)[file.binaryProperty].sha256, sha256(expected), file.binaryProperty);
	}
}
const audioItem = (seconds: number) => ({ json: {}, binary: { speech: { base64: makeMp3('speech', seconds).toString('base64'), mimeType: 'audio/mpeg', fileName: 'speech.mp3' } } });

describe('Issue 11 endpoints, run in n8n’s engine against the emulator', () => {
	test('lip sync: an item with a Kling video binary → Identify Faces → Lip Sync with an audio binary → the MP4', async () => {
		// Kling takes videos only as a Kling video ID or a URL (no upload): the item carries both the MP4 and its ID.
		const video = await runChain(emulator, [{ resource: 'video', operation: 'textToVideo', model: 'kling-v2-6', prompt: 'a presenter talks', waitOptions: fastWait }]);
		const made = video.step(1)[0];
		const mp4 = emulator.fileBytes((made.json.files as IDataObject[])[0].url as string)!;
		const item = { json: made.json, binary: { ...audioItem(3).binary, data: { base64: mp4.toString('base64'), mimeType: 'video/mp4', fileName: 'presenter.mp4' } } };
		emulator.requests.length = 0;
		const result = await runChain(
			emulator,
			[
				{ resource: 'video', operation: 'identifyFaces', videoSource: 'id', video: '={{ $json.task_result.videos[0].id }}' },
				{ resource: 'video', operation: 'advancedLipSync', audio: 'speech', waitOptions: fastWait },
			],
			[item],
		);
		assert.equal(firstError(result, 2), undefined);
		const faces = result.step(1)[0];
		assert.equal(faces.json.faces, 1);
		assert.deepEqual(Object.keys(faces.binary ?? {}).sort(), ['data', 'face', 'speech']);
		assertFilesAreKlings({ json: { ...faces.json, probe: await probeFromItem(faces) } });
		const lipSync = emulator.submits().find((request) => request.klingPath === '/v1/videos/advanced-lip-sync');
		const choice = (lipSync?.body?.face_choose as IDataObject[])[0];
		// The audio end defaults to the MP3's own length (115 frames of 26.1 ms).
		assert.deepEqual({ ...choice, sound_file: '<audio>' }, { face_id: '0', sound_file: '<audio>', sound_start_time: 0, sound_end_time: 3004, sound_insert_time: 0 });
		assert.equal(choice.sound_file, audioItem(3).binary.speech.base64);
		const [out] = result.probed;
		assert.equal(probeOf(out).data.mimeType, 'video/mp4');
		assertFilesAreKlings(out);
	});

	test('Identify Faces is one paid request; Lip Sync picks face 2 and a TTS audio by ID with explicit times', async () => {
		const result = await runChain(emulator, [
			{ resource: 'audio', operation: 'textToSpeech', text: 'Hello there, this is a longer sentence to speak.', voiceId: 'oversea_male1', downloadResults: false },
			{ resource: 'video', operation: 'identifyFaces', videoSource: 'url', video: 'https://cdn.example.com/two-people.mp4', downloadResults: false },
			{
				resource: 'video',
				operation: 'advancedLipSync',
				face: 'number',
				faceNumber: 2,
				audioSource: 'audioId',
				audioId: "={{ $('Kling 1').item.json.task_result.audios[0].id }}",
				audioEndMs: 3000,
				options: { soundVolume: 1.5 },
				waitOptions: fastWait,
			},
		]);
		assert.equal(firstError(result, 3), undefined);
		const paths = emulator.requests.filter((request) => request.method === 'POST').map((request) => request.klingPath);
		assert.deepEqual(paths, ['/v1/audio/tts', '/v1/videos/identify-face', '/v1/videos/advanced-lip-sync']);
		const body = emulator.submits()[2].body!;
		assert.deepEqual((body.face_choose as IDataObject[])[0], {
			face_id: '1',
			audio_id: (result.step(1)[0].json.task_result as { audios: IDataObject[] }).audios[0].id,
			sound_start_time: 0,
			sound_end_time: 3000,
			sound_insert_time: 1000,
			sound_volume: 1.5,
		});
	});

	test('Omni Image series of 4 gives 4 binaries; "auto" gives what Kling made and Kling counts those slots', async () => {
		const four = await runChain(emulator, [{ resource: 'image', operation: 'omniImage', model: 'kling-v3-omni', prompt: 'a four-panel comic', resultType: 'series', waitOptions: fastWait }]);
		assert.equal(firstError(four, 1), undefined);
		assert.deepEqual(Object.keys(probeOf(four.probed[0])), ['data', 'data_1', 'data_2', 'data_3']);
		assert.equal((four.step(1)[0].json.task_result as IDataObject).result_type, 'series');
		assertFilesAreKlings(four.probed[0]);
		emulator.reset();
		const auto = await runChain(emulator, [{ resource: 'image', operation: 'omniImage', model: 'kling-v3-omni', prompt: 'a comic', resultType: 'series', seriesAmount: 'auto', waitOptions: fastWait }]);
		assert.equal(firstError(auto, 1), undefined);
		assert.equal(Object.keys(probeOf(auto.probed[0])).length, AUTO_SERIES_IMAGES);
		assert.equal(emulator.createdTasks()[0].slots, AUTO_SERIES_IMAGES);
		assertFilesAreKlings(auto.probed[0]);
	});

	test('a two-image effect scene the old node refused succeeds with the effect video', async () => {
		const item = pngItem({ left: { seed: 'l' }, right: { seed: 'r' } });
		const result = await runChain(
			emulator,
			[{ resource: 'video', operation: 'effects', effectScene: { __rl: true, mode: 'list', value: 'snow_night_kiss' }, image: 'left', secondImageSource: 'binary', secondImage: 'right', waitOptions: fastWait }],
			[item],
		);
		assert.equal(firstError(result, 1), undefined);
		assert.equal(probeOf(result.probed[0]).data.mimeType, 'video/mp4');
		assertFilesAreKlings(result.probed[0]);
	});

	test('Text to Speech: one request, no task to poll, the MP3 as a binary equal to Kling’s file', async () => {
		const result = await runChain(emulator, [{ resource: 'audio', operation: 'textToSpeech', text: 'Hello from n8n', voiceId: 'oversea_male1' }]);
		assert.equal(firstError(result, 1), undefined);
		assert.deepEqual(emulator.requests.map((request) => `${request.method} ${request.klingPath}`), ['POST /v1/audio/tts']);
		assert.equal(emulator.requests[0].body?.callback_url, undefined);
		assert.equal(emulator.requests[0].body?.external_task_id, undefined);
		assert.equal(probeOf(result.probed[0]).data.mimeType, 'audio/mpeg');
		assertFilesAreKlings(result.probed[0]);
	});

	test('Image › Recognize: one request, the segmentation images Kling found as binaries', async () => {
		const result = await runChain(emulator, [{ resource: 'image', operation: 'recognize' }], [pngItem({ data: {} })]);
		assert.equal(firstError(result, 1), undefined);
		assert.equal(emulator.requests.length, 1);
		const [out] = result.probed;
		assert.deepEqual((out.json.files as IDataObject[]).map((file) => file.type), ['object_seg', 'head_seg', 'face_seg']);
		assertFilesAreKlings(out);
	});

	test('Multi-Element Edit: Start Session → Add Selection → Preview → Create Video, the session carried in the item', async () => {
		const result = await runChain(
			emulator,
			[
				{ resource: 'multiElement', operation: 'startSession', videoSource: 'url', video: 'https://cdn.example.com/5s.mp4' },
				{ resource: 'multiElement', operation: 'addSelection', frameIndex: 3, points: { point: [{ x: 0.25, y: 0.5 }] } },
				{ resource: 'multiElement', operation: 'deleteSelection', frameIndex: 3, points: { point: [{ x: 0.25, y: 0.5 }] } },
				{ resource: 'multiElement', operation: 'addSelection', frameIndex: 4, points: { point: [{ x: 0.3, y: 0.6 }, { x: 0.31, y: 0.6 }] } },
				{ resource: 'multiElement', operation: 'previewSelection' },
				{ resource: 'multiElement', operation: 'create', editMode: 'removal', prompt: 'Delete the cat from <<<video_1>>>', waitOptions: fastWait },
			],
		);
		assert.equal(firstError(result, 6), undefined);
		const session = result.step(1)[0].json.session_id;
		const posted = emulator.submits();
		assert.ok(posted.every((request) => request.body?.session_id === undefined || request.body.session_id === session));
		assert.equal(result.step(4)[0].binary?.mask.mimeType, 'image/png');
		assert.equal(((result.step(4)[0].json.res as IDataObject).rle_mask_list as IDataObject[])[0].png_mask !== undefined, true);
		assertFilesAreKlings({ json: { ...result.step(5)[0].json, probe: await probeFromItem(result.step(5)[0]) } });
		const [out] = result.probed;
		assert.equal(probeOf(out).data.mimeType, 'video/mp4');
		assertFilesAreKlings(out);
	});

	test('Element: Generate Views (AI multi-shot) → Create from the views → List shows it → Delete → List shows it deleted', async () => {
		const views = await runChain(emulator, [{ resource: 'element', operation: 'generateViews', waitOptions: fastWait }], [pngItem({ data: {} })]);
		assert.equal(firstError(views, 1), undefined);
		assert.equal(Object.keys(probeOf(views.probed[0])).length, 9);
		assertFilesAreKlings(views.probed[0]);
		const created = await runChain(
			emulator,
			[
				{
					resource: 'element',
					operation: 'create',
					elementName: 'Mia',
					elementDescription: 'A girl with a red scarf',
					frontalImageSource: 'url',
					frontalImage: 'https://cdn.example.com/mia.png',
					referImages: { images: [{ source: 'url', value: "={{ $json.task_result.images[0].url_1 }}" }] },
					options: { tags: ['o_102'], voice: { __rl: true, mode: 'list', value: '829824295735410756' } },
					waitOptions: fastWait,
				},
				{ resource: 'element', operation: 'list' },
			],
			[{ json: views.step(1)[0].json }],
		);
		assert.equal(firstError(created, 2), undefined);
		const element = (created.step(1)[0].json.task_result as { elements: IDataObject[] }).elements[0];
		assert.equal(element.element_name, 'Mia');
		// Kling's element ids are 18-digit longs: read with every digit, and sent back unchanged.
		assert.equal(element.element_id, String(elementIdOf(String(created.step(1)[0].json.task_id))));
		const used = await runChain(
			emulator,
			[
				{
					resource: 'image',
					operation: 'generate',
					model: 'kling-v3',
					prompt: 'Mia on a pier',
					elements: { element: [{ element: { __rl: true, mode: 'id', value: '={{ $json.element_id }}' } }] },
					waitOptions: fastWait,
				},
			],
			[{ json: created.step(2)[0].json }],
		);
		assert.equal(firstError(used, 1), undefined);
		const generation = emulator.requests.find((request) => request.klingPath === '/v1/images/generations' && request.method === 'POST');
		assert.deepEqual(generation?.body?.element_list, [{ element_id: BigInt(String(element.element_id)) }]);
		assert.deepEqual(created.step(2).map((item) => [item.json.element_id, item.json.status]), [[element.element_id, 'succeed']]);
		const deleted = await runChain(emulator, [
			{ resource: 'element', operation: 'delete', element: { __rl: true, mode: 'id', value: String(element.element_id) } },
			{ resource: 'element', operation: 'get', taskId: '={{ $json.task_id }}' },
		]);
		assert.equal(firstError(deleted, 2), undefined);
		assert.deepEqual(emulator.requests.find((request) => request.klingPath === '/v1/general/delete-advanced-elements')?.body, { element_id: String(element.element_id) });
		assert.equal((deleted.step(2)[0].json.task_result as { elements: IDataObject[] }).elements[0].status, 'deleted');
	});

	test('Voice: Create → its preview as a binary → Get → List and List Presets → Delete', async () => {
		const created = await runChain(emulator, [
			{ resource: 'voice', operation: 'create', voiceName: 'Narrator', voiceUrl: 'https://cdn.example.com/voice.mp3', waitOptions: fastWait },
			{ resource: 'voice', operation: 'get', taskId: '={{ $json.task_id }}' },
		]);
		assert.equal(firstError(created, 2), undefined);
		const voice = (created.step(1)[0].json.task_result as { voices: IDataObject[] }).voices[0];
		assert.equal(created.step(1)[0].binary?.data.mimeType, 'audio/mpeg');
		assertFilesAreKlings({ json: { ...created.step(1)[0].json, probe: await probeFromItem(created.step(1)[0]) } });
		assert.deepEqual((created.step(2)[0].json.task_result as { voices: IDataObject[] }).voices[0], voice);
		const listed = await runChain(emulator, [{ resource: 'voice', operation: 'list', pages: 'all', maxResults: 0 }]);
		assert.deepEqual(listed.step(1).map((item) => item.json.voice_id), [voice.voice_id]);
		assert.match(String(emulator.requests.at(-1)?.url), /pageSize=1000/);
		const presets = await runChain(emulator, [{ resource: 'voice', operation: 'listPresets' }]);
		assert.deepEqual(presets.step(1).map((item) => item.json.voice_name), ['Warm Narrator', 'Bright Host']);
		const deleted = await runChain(emulator, [{ resource: 'voice', operation: 'delete', voice: { __rl: true, mode: 'list', value: String(voice.voice_id) } }]);
		assert.equal(firstError(deleted, 1), undefined);
		assert.deepEqual(emulator.requests.at(-1)?.body, { voice_id: voice.voice_id });
	});

	test('Account ledgers: every row across cursor pages ("All Pages"), or one page', async () => {
		for (let index = 0; index < 3; index++) {
			await runChain(emulator, [{ resource: 'audio', operation: 'textToSpeech', text: `line ${index}`, voiceId: 'oversea_male1', downloadResults: false }]);
		}
		emulator.requests.length = 0;
		const all = await runChain(emulator, [{ resource: 'account', operation: 'getPackageLedger', pages: 'all', maxRows: 0 }]);
		assert.equal(firstError(all, 1), undefined);
		assert.equal(all.step(1).length, 3);
		const one = await runChain(emulator, [{ resource: 'account', operation: 'getBalanceLedger', pageSize: 2, filters: { keyNames: 'default' } }]);
		assert.equal(firstError(one, 1), undefined);
		assert.equal(one.step(1).length, 2);
		const last = emulator.requests.at(-1)!;
		assert.equal(last.klingPath, '/account/billing/balance');
		assert.deepEqual(last.body?.filters, [{ key: 'api_key_name', values: ['default'] }]);
		assert.equal(last.body?.limit, 2);
	});
});

/** Hashes a Kling node's binaries the way Binary Probe does, for steps in the middle of a chain. */
async function probeFromItem(item: { binary?: Record<string, { id?: string; data: string; mimeType: string }> }): Promise<Probe> {
	const { Container } = await import('@n8n/di');
	const { BinaryDataService } = await import('n8n-core');
	const service = Container.get(BinaryDataService);
	const probe: Probe = {};
	for (const [name, data] of Object.entries(item.binary ?? {})) {
		const bytes = data.id ? await service.getAsBuffer(data as never) : Buffer.from(data.data, 'base64');
		probe[name] = { sha256: sha256(bytes), bytes: bytes.length, mimeType: data.mimeType, fileName: '' };
	}
	return probe;
}
