/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { fieldSummary, operationOption, useEmulator } from '../helpers';
import { onSession } from './session';

const emulator = useEmulator();

describe('Multi-Element Edit › Preview Selection (synchronous)', () => {
	test('descriptor', () => {
		assert.equal(operationOption('multiElement', 'previewSelection')?.name, 'Preview Selection');
		assert.deepEqual(fieldSummary('multiElement', 'previewSelection'), { sessionId: '={{ $json.session_id }}', downloadResults: true, binaryPropertyName: 'data' });
	});

	test('sends exactly { session_id }; the preview video, cover and tracking result become binaries', async () => {
		const added = await onSession(emulator(), { operation: 'addSelection', points: { point: [{ x: 0.5, y: 0.5 }] } });
		const preview = await onSession(emulator(), { operation: 'previewSelection' }, added.sessionId);
		assert.equal(preview.result.error('Kling'), undefined);
		assert.deepEqual(preview.request?.body, { session_id: added.sessionId });
		const [item] = preview.result.kling;
		assert.deepEqual(Object.values(item.binary ?? {}).map((binary) => binary.mimeType), ['image/png', 'image/png', 'video/mp4']);
		const res = item.json.res as Record<string, string>;
		assert.deepEqual((item.json.files as Array<{ url: string }>).map((file) => file.url), [res.video_cover, res.tracking_output, res.video]);
	});
});
