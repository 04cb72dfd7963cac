/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { credentialsFor, networkFor } from '../../support/fixtures';
import { runKling } from '../../support/harness/n8n';
import { fieldSummary, operationOption, sentBody, useEmulator } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'multiElement', operation: 'startSession' };

describe('Multi-Element Edit › Start Session (synchronous)', () => {
	test('descriptor', () => {
		assert.equal(operationOption('multiElement', 'startSession')?.name, 'Start Session');
		assert.deepEqual(fieldSummary('multiElement', 'startSession'), { videoSource: 'id', video: '' });
	});

	test('minimal: exactly { video_url }; the item carries the session and the video facts', async () => {
		const result = await runKling({ parameters: { ...base, videoSource: 'url', video: 'https://cdn.example.com/5s.mp4' }, credentials: credentialsFor('singapore', emulator()), network: networkFor(emulator()) });
		assert.equal(result.error('Kling'), undefined);
		assert.deepEqual(emulator().requests.map((request) => [request.klingPath, request.body]), [['/v1/videos/multi-elements/init-selection', { video_url: 'https://cdn.example.com/5s.mp4' }]]);
		assert.deepEqual(Object.keys(result.kling[0].json).sort(), ['final_balance_deduction', 'final_unit_deduction', 'fps', 'height', 'normalized_video', 'original_duration', 'session_id', 'status', 'total_frame', 'width']);
	});

	test('full: a Kling video ID is sent as video_id', async () => {
		await assert.rejects(sentBody(emulator(), { ...base, video: '867' }), /video_id 867 is not a Kling video of this account/);
		assert.deepEqual(emulator().requests[0].body, { video_id: '867' });
	});

	test('rejected before paying: no video (n8n checks the required field; a blank expression is caught by the node)', async () => {
		await assert.rejects(sentBody(emulator(), { ...base }), /Parameter "Video ID" is required/);
		await assert.rejects(sentBody(emulator(), { ...base, video: '={{ "" }}' }), /a Video ID or a Video URL is required/);
		assert.equal(emulator().requests.length, 0);
	});
});
