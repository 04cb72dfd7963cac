/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
/**
 * Paid synchronous calls (Text to Speech, Recognize, Identify Faces, multi-element steps) have no
 * task id to look a lost answer up by. n8n's Retry On Fail re-runs the whole node in the same
 * execution: a call that succeeded, or whose outcome is unknown, must not be paid for again.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { chargesOf } from '../support/emulator/billing';
import { credentialsFor, networkFor } from '../support/fixtures';
import { runKling } from '../support/harness/n8n';
import { useEmulator } from '../operations/helpers';

const emulator = useEmulator();
const TTS = { method: 'POST', path: '/v1/audio/tts' };

async function speak(texts: string[], node: { retryOnFail?: boolean; continueOnFail?: boolean } = {}) {
	return await runKling({
		parameters: { resource: 'audio', operation: 'textToSpeech', text: '={{ $json.text }}', voiceId: 'oversea_male1' },
		credentials: credentialsFor('singapore', emulator()),
		network: networkFor(emulator()),
		items: texts.map((text) => ({ json: { text } })),
		timing: { requestTimeoutMs: 400 },
		...node,
	});
}

const ttsPosts = () => emulator().requests.filter((request) => request.method === 'POST' && request.klingPath === TTS.path);

describe('paid synchronous calls under n8n’s Retry On Fail', () => {
	test('a refused item is tried again; the items that were paid for are not sent again', async () => {
		emulator().injectFault({ ...TTS, bodyIncludes: '"text":"two"', status: 400, code: 1301, message: 'risk control', times: 1 });
		const result = await speak(['one', 'two', 'three'], { retryOnFail: true });
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		assert.equal(chargesOf(emulator()).length, 3, 'three texts, three paid calls');
		assert.deepEqual(
			ttsPosts().map((request) => (request.body as { text: string }).text).sort(),
			['one', 'three', 'two', 'two'],
			'only the refused text was sent again',
		);
		assert.deepEqual(result.kling.map((item) => item.pairedItem), [{ item: 0 }, { item: 1 }, { item: 2 }]);
		assert.ok(result.kling.every((item) => item.binary?.data?.mimeType === 'audio/mpeg'));
	});

	test('an answer lost after Kling charged (502) is never sent again; the retry fails the item with advice', async () => {
		emulator().injectFault({ ...TTS, bodyIncludes: '"text":"two"', status: 502, afterCreate: true, times: 1 });
		const result = await speak(['one', 'two', 'three'], { retryOnFail: true });
		const error = result.error('Kling');
		assert.ok(error, 'the item whose outcome is unknown fails');
		assert.match(error.message + String(error.description), /may have (answered and )?charged/);
		assert.match(String(error.description), /not sent again/);
		assert.equal(ttsPosts().length, 3, 'each text was sent once');
		assert.equal(chargesOf(emulator()).length, 3);
	});

	test('with Continue On Fail too: an error row first makes n8n retry; nothing is paid twice and the rows say why', async () => {
		emulator().injectFault({ ...TTS, status: 502, afterCreate: true, times: 2 });
		const result = await speak(['one', 'two'], { retryOnFail: true, continueOnFail: true });
		assert.equal(ttsPosts().length, 2, 'both texts were sent once, not once per try');
		assert.equal(chargesOf(emulator()).length, 2);
		assert.equal(result.kling.length, 2);
		for (const [index, item] of result.kling.entries()) {
			assert.deepEqual(item.pairedItem, { item: index });
			assert.match(String(item.json.error), /.+/);
		}
	});

	test('a new execution of the same workflow pays again (it is a new run, not a retry)', async () => {
		await speak(['one']);
		await speak(['one']);
		assert.equal(chargesOf(emulator()).length, 2);
	});
});
