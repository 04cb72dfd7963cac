/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { credentialsFor, networkFor } from '../../support/fixtures';
import { runKling } from '../../support/harness/n8n';
import { fieldSummary, operationOption, sentBody, useEmulator } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'video', operation: 'identifyFaces' };

describe('Video › Identify Faces (synchronous)', () => {
	test('descriptor: a Kling video ID or URL, the face images as binaries', () => {
		assert.equal(operationOption('video', 'identifyFaces')?.name, 'Identify Faces');
		assert.deepEqual(fieldSummary('video', 'identifyFaces'), { videoSource: 'id', video: '', downloadResults: true, binaryPropertyName: 'face' });
	});

	test('minimal: exactly { video_url }; the answer is the session and every face, one request', async () => {
		const result = await runKling({
			parameters: { ...base, videoSource: 'url', video: 'https://cdn.example.com/two-people.mp4' },
			credentials: credentialsFor('singapore', emulator()),
			network: networkFor(emulator()),
		});
		assert.equal(result.error('Kling'), undefined);
		assert.deepEqual(emulator().requests.map((request) => [request.klingPath, request.body]), [
			['/v1/videos/identify-face', { video_url: 'https://cdn.example.com/two-people.mp4' }],
		]);
		const [item] = result.kling;
		assert.equal(item.json.faces, 2);
		assert.deepEqual((item.json.face_data as Array<{ face_id: string }>).map((face) => face.face_id), ['0', '1']);
		assert.deepEqual(Object.keys(item.binary ?? {}), ['face', 'face_1']);
	});

	test('full: a Kling video ID; without downloads only the JSON', async () => {
		await assert.rejects(sentBody(emulator(), { ...base, video: 'video-404', downloadResults: false }), /Kling error 1201.*video_id video-404 is not a Kling video of this account/);
		assert.deepEqual(emulator().requests[0].body, { video_id: 'video-404' });
	});

	test('rejected before paying: no video, a video path that is not a URL', async () => {
		await assert.rejects(sentBody(emulator(), { ...base, video: ' ' }), /a Video ID or a Video URL is required/);
		await assert.rejects(sentBody(emulator(), { ...base, videoSource: 'url', video: 'clip.mp4' }), /Video URL must be an http\(s\) URL/);
		assert.equal(emulator().requests.length, 0);
	});
});
