/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import { makeMp3, makeWav } from '../../support/emulator/media';
import { fieldSummary, operationOption, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'video', operation: 'advancedLipSync' };
const faces = { session_id: 'session-1', face_data: [{ face_id: '0', start_time: 0, end_time: 5000 }, { face_id: '1', start_time: 2000, end_time: 9000 }] };
const withAudio = (bytes: Buffer, json: IDataObject = faces) => ({ json, binary: { data: { base64: bytes.toString('base64'), mimeType: 'audio/mpeg', fileName: 'a.mp3' } } });

describe('Video › Lip Sync (face detection + advanced lip sync)', () => {
	test('descriptor: the session and face of the incoming item, the audio, the timing', () => {
		assert.equal(operationOption('video', 'advancedLipSync')?.name, 'Lip Sync');
		assert.equal(operationOption('video', 'lipSync')?.name, 'Lip Sync (Legacy)');
		assert.deepEqual(fieldSummary('video', 'advancedLipSync'), {
			sessionId: '={{ $json.session_id }}',
			face: 'first',
			audioSource: 'binary',
			audio: 'data',
			audioStartMs: 0,
			audioEndMs: 0,
			insertAt: 'faceStart',
			options: ['additionalBodyFields', 'soundVolume', 'callbackUrl', 'checkInputUrls', 'externalTaskId', 'originalAudioVolume', 'watermark'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'],
			costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'],
		});
	});

	// The emulator's Kling knows only its own sessions: these tests pin the body, which Kling then refuses.
	const sent = async (parameters: object, item: object = withAudio(makeMp3('a', 3))) => {
		await assert.rejects(sentBody(emulator(), { ...base, ...parameters }, { items: [item] }), /session_id session-1 is invalid or expired/);
		return withoutDerivedId(emulator().submits().at(-1)?.body) as IDataObject;
	};

	test('minimal: the first face, the whole MP3 inserted when the face appears', async () => {
		const audio = makeMp3('a', 3);
		assert.deepEqual(await sent({}, withAudio(audio)), {
			session_id: 'session-1',
			face_choose: [{ face_id: '0', sound_file: audio.toString('base64'), sound_start_time: 0, sound_end_time: 3004, sound_insert_time: 0 }],
			external_task_id: '<derived>',
		});
	});

	test('full: face 2, a WAV cropped 500–2600 ms, inserted at 2.5 s, volumes and the common options', async () => {
		const body = await sent(
			{ face: 'number', faceNumber: 2, audioStartMs: 500, audioEndMs: 2600, insertAt: 'custom', insertAtMs: 2500, options: { soundVolume: 2, originalAudioVolume: 0, watermark: true, externalTaskId: 'ls-1' } },
			{ json: faces, binary: { data: { base64: makeWav('w', 4).toString('base64'), mimeType: 'audio/wav', fileName: 'a.wav' } } },
		);
		assert.deepEqual({ ...body, face_choose: (body.face_choose as object[]).map((choice) => ({ ...choice, sound_file: '<wav>' })) }, {
			session_id: 'session-1',
			face_choose: [{ face_id: '1', sound_file: '<wav>', sound_start_time: 500, sound_end_time: 2600, sound_insert_time: 2500, sound_volume: 2, original_audio_volume: 0 }],
			watermark_info: { enabled: true },
			external_task_id: 'ls-1',
		});
	});

	test('a Kling audio ID and a face ID with an explicit end', async () => {
		const body = await sent({ face: 'id', faceId: '0', audioSource: 'audioId', audioId: 'tts-1', audioEndMs: 2500 }, { json: { session_id: 'session-1' } } as never);
		assert.deepEqual(body.face_choose, [{ face_id: '0', audio_id: 'tts-1', sound_start_time: 0, sound_end_time: 2500, sound_insert_time: 0 }]);
	});

	test('rejected before paying: no faces on the item, a 1 s clip, a URL without an end, too little overlap, a crop past the end', async () => {
		const reject = (parameters: object, item: object, message: RegExp) => assert.rejects(sentBody(emulator(), { ...base, ...parameters }, { items: [item as never] }), message);
		await reject({}, withAudio(makeMp3('a', 3), { session_id: 's' }), /the incoming item has no face_data; put Video › Identify Faces before this node/);
		await reject({ face: 'number', faceNumber: 3 }, withAudio(makeMp3('a', 3)), /face 3 was asked for, but Identify Faces found 2/);
		await reject({}, withAudio(makeMp3('a', 1)), /the spoken part \(Audio End − Audio Start\) is 1019 ms; Kling allows 2000 to 60000 ms/);
		await reject({ audioSource: 'url', audio: 'https://x.example/a.mp3' }, { json: faces }, /"sound_end_time" is needed: the length of this audio is unknown/);
		await reject({ face: 'number', faceNumber: 2, insertAt: 'custom', insertAtMs: 0 }, withAudio(makeMp3('a', 3)), /overlaps face 1 \(2000–9000 ms\) by 1004 ms; Kling needs at least 2000 ms/);
		await reject({ audioEndMs: 4000 }, withAudio(makeMp3('a', 3)), /"sound_end_time" is 4000 ms but the audio is 3004 ms long/);
		assert.equal(emulator().requests.length, 0);
	});
});
