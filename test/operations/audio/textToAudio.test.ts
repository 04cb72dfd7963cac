/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { fieldSummary, sentBody, useEmulator, withoutDerivedId } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'audio', operation: 'textToAudio' };

describe('Audio › Text to Audio', () => {
	test('descriptor: fields, defaults and display rules', () => {
		assert.deepEqual(fieldSummary('audio', 'textToAudio'), { prompt: '', duration: 5, options: ['additionalBodyFields', 'callbackUrl', 'externalTaskId'], waitForCompletion: true,
			waitMode: 'poll',
			downloadResults: true,
			waitOptions: ['binaryPropertyName', 'concurrency', 'maxDownloadMb', 'pollIntervalSeconds', 'timeoutMinutes'], costControl: ['allowUnknownPrices', 'estimateOnly', 'runBudgetUnits'], });
	});

	test('minimal: prompt and the default duration', async () => {
		const body = await sentBody(emulator(), { ...base, prompt: 'rain on a tin roof' });
		assert.deepEqual(withoutDerivedId(body), { prompt: 'rain on a tin roof', duration: 5, external_task_id: '<derived>' });
	});

	test('full: a duration rounded to one decimal and the common options', async () => {
		const body = await sentBody(emulator(), { ...base, prompt: 'thunder', duration: 7.25, options: { externalTaskId: 'sfx-1', callbackUrl: 'https://example.com/cb' } });
		assert.deepEqual(body, { prompt: 'thunder', duration: 7.3, callback_url: 'https://example.com/cb', external_task_id: 'sfx-1' });
	});

	test('rejected before paying: a prompt over 200 characters, 12 s', async () => {
		await assert.rejects(sentBody(emulator(), { ...base, prompt: 'x'.repeat(201) }), /Prompt is 201 characters long; Kling allows at most 200\. Nothing was sent to Kling\./);
		await assert.rejects(sentBody(emulator(), { ...base, prompt: 'x', duration: 12 }), /Duration \(Seconds\) is 12; Kling allows 3 to 10/);
		assert.equal(emulator().requests.length, 0);
	});
});
