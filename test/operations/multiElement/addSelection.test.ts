/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { fieldSummary, operationOption, useEmulator } from '../helpers';
import { onSession } from './session';

const emulator = useEmulator();

describe('Multi-Element Edit › Add Selection (synchronous)', () => {
	test('descriptor: the session of the incoming item, a frame and its points', () => {
		assert.equal(operationOption('multiElement', 'addSelection')?.name, 'Add Selection');
		assert.deepEqual(fieldSummary('multiElement', 'addSelection'), { sessionId: '={{ $json.session_id }}', frameIndex: 0, points: ['point'] });
	});

	test('minimal and full: exactly session_id, frame_index and points; the mask comes back as a PNG binary', async () => {
		const { result, sessionId, request } = await onSession(emulator(), { operation: 'addSelection', frameIndex: 12, points: { point: [{ x: 0.1, y: 0.2 }, { x: 0.75, y: 0.5 }] } });
		assert.equal(result.error('Kling'), undefined);
		assert.deepEqual(request?.body, { session_id: sessionId, frame_index: 12, points: [{ x: 0.1, y: 0.2 }, { x: 0.75, y: 0.5 }] });
		const [item] = result.kling;
		assert.equal(item.json.session_id, sessionId);
		assert.equal(item.binary?.mask.mimeType, 'image/png');
		// The PNG moved to the binary; the JSON keeps the RLE mask.
		const mask = ((item.json.res as { rle_mask_list: Array<Record<string, { base64?: string; counts?: string }>> }).rle_mask_list)[0];
		assert.equal(mask.png_mask.base64, undefined);
		assert.equal(typeof mask.rle_mask.counts, 'string');
	});

	test('rejected before paying: no points, a point outside the frame', async () => {
		const none = await onSession(emulator(), { operation: 'addSelection' });
		assert.match(String(none.result.error('Kling')?.message), /"points" has 0 entries; Kling needs 1 to 10/);
		const outside = await onSession(emulator(), { operation: 'addSelection', points: { point: [{ x: 1.5, y: 0 }] } }, 'any');
		assert.match(String(outside.result.error('Kling')?.message), /point \(1.5, 0\) is outside 0–1/);
		assert.equal(outside.request, undefined);
	});
});
