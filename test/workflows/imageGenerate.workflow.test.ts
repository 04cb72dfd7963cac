/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: node:test, node:assert and timers run outside n8n */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';

import { verifyKlingJwt } from '../support/emulator/jwt';
import { type KlingEmulator, TEST_KEYS } from '../support/emulator/kling-emulator';
import { makePng } from '../support/emulator/media';
import { credentialsFor, fastWait, networkFor, pngItem, PRESETS, type Preset, startEmulator } from '../support/fixtures';
import { runKling } from '../support/harness/n8n';

let emulator: KlingEmulator;
before(async () => (emulator = await startEmulator()));
after(async () => await emulator.stop());
beforeEach(() => emulator.reset());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const generate = (extra: Record<string, unknown> = {}) => ({
	resource: 'image',
	operation: 'generate',
	prompt: 'a red fox in the snow',
	waitOptions: fastWait,
	...extra,
});
const PREFIX: Record<Preset, string> = { singapore: '', beijing: '', cometapi: '/kling', quickrouter: '/kling', custom: '/custom/kling' };
const ORIGIN: Record<Preset, string | undefined> = {
	singapore: 'https://api-singapore.klingai.com',
	beijing: 'https://api-beijing.klingai.com',
	cometapi: 'https://api.cometapi.com',
	quickrouter: 'https://api.quickrouter.ai',
	custom: undefined,
};

describe('Image › Generate, text to image, for every provider preset', () => {
	for (const preset of PRESETS) {
		test(`${preset}: n = 2 yields two binary files with the emulator’s bytes, through the right host, prefix and auth`, async () => {
			const result = await runKling({
				parameters: generate({ options: { n: 2 } }),
				credentials: credentialsFor(preset, emulator),
				network: networkFor(emulator),
			});
			assert.equal(result.error('Kling'), undefined);
			const [item] = result.kling;
			assert.equal(item.json.task_status, 'succeed');
			assert.deepEqual(Object.keys(item.binary ?? {}), ['data', 'data_1']);

			const [submit] = emulator.submits();
			assert.equal(submit.deployment, preset);
			assert.equal(submit.url, `${PREFIX[preset]}/v1/images/generations`);
			assert.equal(submit.origin, ORIGIN[preset] ?? emulator.url);
			const bearer = String(submit.headers.authorization).replace('Bearer ', '');
			if (preset === 'singapore' || preset === 'custom') {
				const keys = TEST_KEYS[preset];
				assert.equal(verifyKlingJwt(bearer, new Map([[keys.accessKey, keys.secretKey]]), Math.floor(Date.now() / 1000)), 0);
			} else {
				assert.equal(bearer, TEST_KEYS[preset].apiKey);
			}
			assert.ok(emulator.requests.every((request) => request.deployment === preset), 'polling used the same provider');

			const [task] = emulator.createdTasks();
			assert.equal(item.json.task_id, task.task_id);
			const [probe] = result.probed;
			for (const [position, property] of ['data', 'data_1'].entries()) {
				const expected = task.files[position].bytes;
				const seen = (probe.json.probe as Record<string, { sha256: string; bytes: number; mimeType: string; fileName: string; storedAs: string }>)[property];
				assert.equal(seen.sha256, sha256(expected), `${property} has the emulator’s bytes`);
				assert.equal(seen.bytes, expected.length);
				assert.equal(seen.mimeType, 'image/png');
				assert.equal(seen.fileName, `${task.task_id}_${position}.png`);
				assert.equal(seen.storedAs, 'filesystem-v2', 'stored in n8n’s binary store, not inline');
			}
			assert.equal(emulator.fileRequests.length, 2);
			assert.ok(emulator.fileRequests.every((request) => request.headers.authorization === undefined), 'no Authorization to the file host');
			assert.deepEqual(
				(item.json.files as Array<{ binaryProperty: string }>).map((file) => file.binaryProperty),
				['data', 'data_1'],
			);
			assert.deepEqual(item.pairedItem, { item: 0 });
		});
	}
});

describe('Image › Generate behaviour', () => {
	const credentials = () => credentialsFor('singapore', emulator);
	const network = () => networkFor(emulator);

	test('image-to-image from a binary property sends the raw Base64 of its bytes', async () => {
		const input = pngItem({ photo: { width: 640, height: 480, seed: 'portrait' } });
		const result = await runKling({
			parameters: generate({ imageSource: 'binary', image: 'photo', imageReference: 'subject', options: { imageFidelity: 0.7, humanFidelity: 0.6 } }),
			credentials: credentials(),
			network: network(),
			items: [input],
		});
		assert.equal(result.error('Kling'), undefined);
		const [submit] = emulator.submits();
		assert.equal(submit.body?.image, input.binary.photo.base64);
		assert.ok(!String(submit.body?.image).startsWith('data:'));
		assert.deepEqual(
			{ reference: submit.body?.image_reference, fidelity: submit.body?.image_fidelity, human: submit.body?.human_fidelity },
			{ reference: 'subject', fidelity: 0.7, human: 0.6 },
		);
		assert.equal(result.kling[0].json.task_status, 'succeed');
	});

	test('a Base64 image with a data: prefix is sent without it', async () => {
		const base64 = makePng(400, 300, 'b64').toString('base64');
		const result = await runKling({
			parameters: generate({ imageSource: 'base64', image: `data:image/png;base64,${base64}` }),
			credentials: credentials(),
			network: network(),
		});
		assert.equal(result.error('Kling'), undefined);
		assert.equal(emulator.submits()[0].body?.image, base64);
	});

	test('a failed task surfaces Kling’s message and the task id', async () => {
		const result = await runKling({ parameters: generate({ prompt: 'something [fail]' }), credentials: credentials(), network: network() });
		const error = result.error('Kling');
		const [task] = emulator.createdTasks();
		assert.ok(error);
		assert.match(error.message, /Kling task failed: Failure to pass the risk control system/);
		assert.ok(error.message.includes(`task_id ${task.task_id}`), error.message);
		assert.equal(emulator.fileRequests.length, 0);
	});

	test('a timeout names the task id and says how to collect the result later', async () => {
		emulator.processingMs = 60_000;
		const result = await runKling({
			parameters: generate({ waitOptions: { pollIntervalSeconds: 0.05, timeoutMinutes: 0.005 } }),
			credentials: credentials(),
			network: network(),
		});
		const error = result.error('Kling');
		const [task] = emulator.createdTasks();
		assert.ok(error);
		assert.match(error.message, /did not finish within 0\.3 s \(last status: processing\)/);
		assert.ok(error.message.includes(`task_id ${task.task_id}`), error.message);
		assert.match(String(error.description), new RegExp(`Task › Get operation and task ID ${task.task_id}`));
	});

	test('cancelling the execution stops the wait loop', async () => {
		emulator.processingMs = 60_000;
		const started = Date.now();
		await runKling({
			parameters: generate({ waitOptions: { pollIntervalSeconds: 0.05, timeoutMinutes: 5 } }),
			credentials: credentials(),
			network: network(),
			cancelAfterMs: 300,
		});
		assert.ok(Date.now() - started < 5_000, 'the run ended soon after the cancel');
		const pollsAtCancel = emulator.requests.length;
		await new Promise((resolve) => setTimeout(resolve, 300));
		assert.equal(emulator.requests.length, pollsAtCancel, 'no polling after the cancel');
		assert.ok(pollsAtCancel >= 2, 'it was polling before');
	});

	test('a prompt over 2500 characters is rejected before any request reaches Kling', async () => {
		const result = await runKling({ parameters: generate({ prompt: 'x'.repeat(2501) }), credentials: credentials(), network: network() });
		const error = result.error('Kling');
		assert.ok(error);
		assert.match(error.message, /Prompt is 2501 characters long; Kling allows at most 2500/);
		assert.equal(emulator.requests.length, 0);
	});

	test('with waiting off the submitted task is returned at once, without polling or downloads', async () => {
		const result = await runKling({ parameters: generate({ waitForCompletion: false }), credentials: credentials(), network: network() });
		assert.equal(result.error('Kling'), undefined);
		const [item] = result.kling;
		assert.equal(item.json.task_status, 'submitted');
		assert.equal(item.json.task_id, emulator.createdTasks()[0].task_id);
		assert.match(String(item.json.external_task_id), /^n8n-/);
		assert.equal(item.binary, undefined);
		assert.deepEqual(emulator.requests.map((request) => request.method), ['POST']);
	});

	test('with downloads off the task JSON keeps the result URLs and no file is fetched', async () => {
		const result = await runKling({ parameters: generate({ downloadResults: false }), credentials: credentials(), network: network() });
		const [item] = result.kling;
		assert.equal(item.binary, undefined);
		assert.match(String((item.json.task_result as { images: Array<{ url: string }> }).images[0].url), /\/results\//);
		assert.equal(emulator.fileRequests.length, 0);
	});

	test('several items keep their order and pairedItem; a custom binary property name is used', async () => {
		const items = [0, 1, 2, 3].map((index) => ({ json: { index } }));
		const result = await runKling({
			parameters: generate({ prompt: '={{ "fox number " + $json.index }}', waitOptions: { ...fastWait, binaryPropertyName: 'image', concurrency: 2 } }),
			credentials: credentials(),
			network: network(),
			items,
		});
		assert.equal(result.error('Kling'), undefined);
		assert.deepEqual(result.kling.map((item) => item.pairedItem), [0, 1, 2, 3].map((item) => ({ item })));
		const promptsByTask = new Map(emulator.createdTasks().map((task) => [task.task_id, task.body.prompt]));
		assert.deepEqual(result.kling.map((item) => promptsByTask.get(String(item.json.task_id))), [0, 1, 2, 3].map((index) => `fox number ${index}`));
		assert.ok(result.kling.every((item) => Object.keys(item.binary ?? {}).join() === 'image'));
	});

	test('continue on fail: a bad item becomes an error row with its pairedItem; the others succeed', async () => {
		const items = [{ json: { prompt: 'fine' } }, { json: { prompt: 'x'.repeat(3000) } }, { json: { prompt: 'also [fail]' } }];
		const result = await runKling({
			parameters: generate({ prompt: '={{ $json.prompt }}' }),
			credentials: credentials(),
			network: network(),
			items,
			continueOnFail: true,
		});
		assert.equal(result.error('Kling'), undefined);
		const [ok, invalid, failed] = result.kling;
		assert.equal(ok.json.task_status, 'succeed');
		assert.deepEqual(invalid.pairedItem, { item: 1 });
		assert.match(String(invalid.json.error), /Prompt is 3000 characters long/);
		assert.equal(invalid.json.taskId, undefined, 'nothing was submitted for the invalid item');
		assert.deepEqual(failed.pairedItem, { item: 2 });
		assert.match(String(failed.json.error), /Kling task failed/);
		const failedTask = emulator.createdTasks().find((task) => String(task.body.prompt).includes('[fail]'));
		assert.equal(failed.json.taskId, failedTask?.task_id);
		assert.equal(emulator.submits().length, 2);
	});

	test('Kling’s own validation errors are explained with the code and the field', async () => {
		const result = await runKling({
			parameters: generate({ imageSource: 'url', image: 'https://example.com/in.png', options: { negativePrompt: 'blur' } }),
			credentials: credentials(),
			network: network(),
		});
		const error = result.error('Kling');
		assert.ok(error);
		assert.match(error.message, /Negative Prompt cannot be combined with Reference Image/);
		assert.equal(emulator.requests.length, 0, 'caught before paying');
	});
});
