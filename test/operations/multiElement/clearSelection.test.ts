/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { fieldSummary, operationOption, useEmulator } from '../helpers';
import { onSession } from './session';

const emulator = useEmulator();

describe('Multi-Element Edit › Clear Selection (synchronous)', () => {
	test('descriptor', () => {
		assert.equal(operationOption('multiElement', 'clearSelection')?.name, 'Clear Selection');
		assert.deepEqual(fieldSummary('multiElement', 'clearSelection'), { sessionId: '={{ $json.session_id }}' });
	});

	test('sends exactly { session_id }; afterwards there is nothing to preview', async () => {
		const added = await onSession(emulator(), { operation: 'addSelection', points: { point: [{ x: 0.5, y: 0.5 }] } });
		const cleared = await onSession(emulator(), { operation: 'clearSelection' }, added.sessionId);
		assert.equal(cleared.result.error('Kling'), undefined);
		assert.deepEqual(cleared.request?.body, { session_id: added.sessionId });
		const preview = await onSession(emulator(), { operation: 'previewSelection' }, added.sessionId);
		assert.match(String(preview.result.error('Kling')?.message), /no selection has been added/);
	});
});
