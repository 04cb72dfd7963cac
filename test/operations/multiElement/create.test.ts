/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { pngItem } from '../../support/fixtures';
import { fieldSummary, operationOption, sentBody, useEmulator, withoutDerivedId } from '../helpers';
import { onSession, startSession } from './session';

const emulator = useEmulator();
const base = { resource: 'multiElement', operation: 'create' };

describe('Multi-Element Edit › Create Video', () => {
	test('descriptor', () => {
		assert.equal(operationOption('multiElement', 'create')?.name, 'Create Video');
		assert.deepEqual(fieldSummary('multiElement', 'create'), {
			sessionId: '={{ $json.session_id }}',
			editMode: 'swap',
			images: ['images'],
			prompt: '',
			mode: 'std',
			duration: '5',
			options: ['additionalBodyFields', 'callbackUrl', 'checkInputUrls', 'externalTaskId', 'negativePrompt', 'watermark'],
			waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'],
			costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'],
		});
		assert.ok(!('images' in fieldSummary('multiElement', 'create', { editMode: 'removal' })));
	});

	test('minimal: removal of the marked element', async () => {
		const { sessionId } = await onSession(emulator(), { operation: 'addSelection', points: { point: [{ x: 0.5, y: 0.5 }] } });
		const body = await sentBody(emulator(), { ...base, sessionId, editMode: 'removal', prompt: 'Delete the cat from <<<video_1>>>' });
		assert.deepEqual(withoutDerivedId(body), { session_id: sessionId, edit_mode: 'removal', prompt: 'Delete the cat from <<<video_1>>>', mode: 'std', duration: '5', external_task_id: '<derived>' });
	});

	test('full: addition of two cut-out images, pro, negative prompt and the common options', async () => {
		const sessionId = await startSession(emulator());
		const item = pngItem({ a: {}, b: { seed: 'b' } });
		const body = await sentBody(
			emulator(),
			{ ...base, sessionId, editMode: 'addition', images: { images: [{ source: 'binary', value: 'a' }, { source: 'binary', value: 'b' }] }, prompt: 'add <<<image_1>>> and <<<image_2>>> to <<<video_1>>>', mode: 'pro', options: { negativePrompt: 'blur', externalTaskId: 'me-1', watermark: true } },
			{ items: [item] },
		);
		assert.deepEqual(body, {
			session_id: sessionId,
			edit_mode: 'addition',
			prompt: 'add <<<image_1>>> and <<<image_2>>> to <<<video_1>>>',
			mode: 'pro',
			duration: '5',
			image_list: [{ image: item.binary.a.base64 }, { image: item.binary.b.base64 }],
			negative_prompt: 'blur',
			external_task_id: 'me-1',
			watermark_info: { enabled: true },
		});
	});

	test('rejected before paying: a swap without its image, images for a removal-free mode count', async () => {
		await assert.rejects(sentBody(emulator(), { ...base, sessionId: 's', prompt: 'swap' }), /Images has 0 images; Edit Mode "swap" takes 1/);
		const three = { images: [1, 2, 3].map(() => ({ source: 'url', value: 'https://x.example/a.png' })) };
		await assert.rejects(sentBody(emulator(), { ...base, sessionId: 's', editMode: 'addition', images: three, prompt: 'add' }), /Images has 3 images; Edit Mode "addition" takes 1 to 2/);
		assert.equal(emulator().requests.length, 0);
	});
});
