/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { fieldSummary, operationOption, useEmulator } from '../helpers';
import { onSession } from './session';

const emulator = useEmulator();
const point = { x: 0.4, y: 0.6 };

describe('Multi-Element Edit › Delete Selection (synchronous)', () => {
	test('descriptor: the same fields as Add Selection', () => {
		assert.equal(operationOption('multiElement', 'deleteSelection')?.name, 'Delete Selection');
		assert.deepEqual(fieldSummary('multiElement', 'deleteSelection'), { sessionId: '={{ $json.session_id }}', frameIndex: 0, points: ['point'] });
	});

	test('sends exactly the marked points; Kling refuses points that were never marked', async () => {
		const added = await onSession(emulator(), { operation: 'addSelection', frameIndex: 2, points: { point: [point] } });
		const removed = await onSession(emulator(), { operation: 'deleteSelection', frameIndex: 2, points: { point: [point] } }, added.sessionId);
		assert.equal(removed.result.error('Kling'), undefined);
		assert.deepEqual(removed.request?.body, { session_id: added.sessionId, frame_index: 2, points: [point] });
		const again = await onSession(emulator(), { operation: 'deleteSelection', frameIndex: 2, points: { point: [point] } }, added.sessionId);
		assert.match(String(again.result.error('Kling')?.message), /Kling error 1201.*point 0.4,0.6 was not marked on frame 2/);
	});
});
