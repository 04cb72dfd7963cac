/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';

import type { KlingEmulator } from '../support/emulator/kling-emulator';
import { credentialsFor, fastWait, networkFor, pngItem, startEmulator } from '../support/fixtures';
import { runKling } from '../support/harness/n8n';

let emulator: KlingEmulator;
before(async () => (emulator = await startEmulator()));
after(async () => await emulator.stop());
beforeEach(() => emulator.reset());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const subjects = (count: number) => Array.from({ length: count }, (_, index) => ({ source: 'binary', value: `subject${index}` }));
const fourSubjectsAndStyle = () =>
	pngItem({ subject0: { seed: 's0' }, subject1: { seed: 's1' }, subject2: { seed: 's2' }, subject3: { seed: 's3' }, style: { seed: 'style', width: 600, height: 400 } });
const multiImage = (extra: Record<string, unknown> = {}) => ({
	resource: 'image',
	operation: 'multiImageToImage',
	prompt: 'the four friends in a watercolour',
	subjectImages: { images: subjects(4) },
	styleImageSource: 'binary',
	styleImage: 'style',
	waitOptions: fastWait,
	...extra,
});

function probedHashes(result: Awaited<ReturnType<typeof runKling>>, nodeOutput = result.probed) {
	return Object.values(nodeOutput[0].json.probe as Record<string, { sha256: string }>).map((probe) => probe.sha256);
}

describe('Image workflows', () => {
	test('multi-image to image: four subject images and a style image from binary properties give binary results', async () => {
		const item = fourSubjectsAndStyle();
		const result = await runKling({
			parameters: multiImage({ options: { n: 2 } }),
			credentials: credentialsFor('quickrouter', emulator),
			network: networkFor(emulator),
			items: [item],
		});
		assert.equal(result.error('Kling'), undefined);
		const [submit] = emulator.submits();
		assert.equal(submit.url, '/kling/v1/images/multi-image2image');
		assert.deepEqual(submit.body?.subject_image_list, [0, 1, 2, 3].map((index) => ({ subject_image: item.binary[`subject${index}` as 'subject0'].base64 })));
		assert.equal(submit.body?.style_image, item.binary.style.base64);
		const [task] = emulator.createdTasks();
		assert.deepEqual(probedHashes(result), task.files.map((file) => sha256(file.bytes)));
		assert.ok(emulator.requests.slice(1).every((request) => request.url.startsWith(`/kling/v1/images/multi-image2image/${task.task_id}`)));
	});

	test('multi-image to image on a credential set to the legacy reseller route: /images/generations with scence_image', async () => {
		const item = fourSubjectsAndStyle();
		const result = await runKling({
			parameters: multiImage({ sceneImageSource: 'url', sceneImage: 'https://cdn.example.com/beach.png' }),
			credentials: credentialsFor('cometapi', emulator, { multiImageRoute: 'legacyGenerations' }),
			network: networkFor(emulator),
			items: [item],
		});
		assert.equal(result.error('Kling'), undefined);
		const [submit] = emulator.submits();
		assert.equal(submit.url, '/kling/v1/images/generations');
		assert.equal(submit.body?.scence_image, 'https://cdn.example.com/beach.png');
		assert.ok(!('scene_image' in (submit.body ?? {})));
		assert.equal(emulator.requests[1].url, `/kling/v1/images/generations/${emulator.createdTasks()[0].task_id}`, 'polled where it was posted');
		assert.equal(probedHashes(result).length, 1);
	});

	test('the official route rejects the legacy spelling, so the default stays official', async () => {
		const result = await runKling({
			parameters: multiImage({ sceneImageSource: 'url', sceneImage: 'https://cdn.example.com/beach.png' }),
			credentials: credentialsFor('cometapi', emulator),
			network: networkFor(emulator),
			items: [fourSubjectsAndStyle()],
		});
		assert.equal(result.error('Kling'), undefined);
		assert.equal(emulator.submits()[0].url, '/kling/v1/images/multi-image2image');
		assert.equal(emulator.submits()[0].body?.scene_image, 'https://cdn.example.com/beach.png');
	});

	test('a fifth subject image is rejected before any request', async () => {
		const item = pngItem({ subject0: {}, subject1: {}, subject2: {}, subject3: {}, subject4: {} });
		const result = await runKling({
			parameters: multiImage({ subjectImages: { images: subjects(5) }, styleImageSource: 'none' }),
			credentials: credentialsFor('singapore', emulator),
			network: networkFor(emulator),
			items: [item],
		});
		assert.match(String(result.error('Kling')?.message), /Subject Images has 5 entries; Kling allows at most 4/);
		assert.equal(emulator.requests.length, 0);
	});

	test('submit with waiting off, then Task › Get with waiting on returns the binaries', async () => {
		const item = fourSubjectsAndStyle();
		const result = await runKling({
			parameters: multiImage({ waitForCompletion: false, options: { n: 3 } }),
			then: {
				resource: 'task',
				operation: 'get',
				taskFamily: '/v1/images/multi-image2image',
				taskId: '={{ $json.task_id }}',
				waitForCompletion: true,
				waitOptions: { ...fastWait, binaryPropertyName: 'image' },
			},
			credentials: credentialsFor('singapore', emulator),
			network: networkFor(emulator),
			items: [item],
		});
		assert.equal(result.error('Kling 2'), undefined);
		assert.equal(result.kling[0].json.task_status, 'submitted');
		assert.equal(result.kling[0].binary, undefined);
		const [task] = emulator.createdTasks();
		assert.equal(emulator.submits().length, 1, 'collecting did not submit again');
		const collected = result.output('Kling 2');
		assert.deepEqual(Object.keys(collected[0].binary ?? {}), ['image', 'image_1', 'image_2']);
		assert.deepEqual(probedHashes(result), task.files.map((file) => sha256(file.bytes)));
	});

	test('Task › Get by external task id finds the task and downloads its files', async () => {
		const result = await runKling({
			parameters: { resource: 'image', operation: 'generate', prompt: 'a kite', waitForCompletion: false, options: { externalTaskId: 'order-1234-kite' } },
			then: {
				resource: 'task',
				operation: 'get',
				lookupBy: 'externalTaskId',
				externalTaskId: '={{ $json.external_task_id }}',
				waitForCompletion: true,
				waitOptions: fastWait,
			},
			credentials: credentialsFor('beijing', emulator),
			network: networkFor(emulator),
		});
		assert.equal(result.error('Kling 2'), undefined);
		const [task] = emulator.createdTasks();
		const [collected] = result.output('Kling 2');
		assert.equal(collected.json.task_id, task.task_id);
		assert.equal(collected.json.external_task_id, 'order-1234-kite');
		// A user-set id is looked up before the submit (is it free?) and by Task › Get after it.
		assert.deepEqual(
			emulator.requests.map((request) => `${request.method} ${request.url}`).filter((line) => line.includes('order-1234-kite')),
			['GET /v1/images/generations/order-1234-kite', 'GET /v1/images/generations/order-1234-kite'],
		);
		assert.deepEqual(probedHashes(result), [sha256(task.files[0].bytes)]);
	});

	test('virtual try-on, expand and omni image run end to end with binary output', async () => {
		const item = pngItem({ person: { width: 400, height: 800 }, shirt: {}, room: { width: 800, height: 600 } });
		const cases = [
			{ resource: 'image', operation: 'virtualTryOn', humanImage: 'person', clothImage: 'shirt' },
			{ resource: 'image', operation: 'expand', image: 'room', leftExpansion: 0.5, rightExpansion: 0.5 },
			{ resource: 'image', operation: 'omniImage', prompt: 'a poster of <<<image_1>>>', referenceImages: { images: [{ source: 'binary', value: 'room' }] } },
		];
		for (const parameters of cases) {
			emulator.reset();
			const result = await runKling({
				parameters: { ...parameters, waitOptions: fastWait },
				credentials: credentialsFor('custom', emulator),
				network: networkFor(emulator),
				items: [item],
			});
			assert.equal(result.error('Kling'), undefined, String(parameters.operation));
			const [task] = emulator.createdTasks();
			assert.deepEqual(probedHashes(result), task.files.map((file) => sha256(file.bytes)), String(parameters.operation));
		}
	});
});
