/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
/**
 * Kling 4.0 end to end in n8n's engine: the exact body, money safety under each answer Kling may give to
 * external_task_id and callback_url, references, limits checked before paying, park mode, waiting and files.
 * The full matrix of products × open questions is in generation4Alternatives.workflow.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import { type Behaviour, type KlingEmulator, TEST_KEYS } from '../support/emulator/kling-emulator';
import { networkFor, startEmulator } from '../support/fixtures';
import { runKling } from '../support/harness/n8n';
import { generation4Kit, ID_ALTERNATIVES, PRODUCTS, wait } from './generation4Kit';

let emulator: KlingEmulator;
before(async () => (emulator = await startEmulator({ submittedMs: 20, processingMs: 60 })));
after(async () => await emulator.stop());
beforeEach(() => emulator.reset());

const { setBehaviour, credentials, assertFilesByteEqual, run } = generation4Kit(() => emulator);

describe('Kling 4.0 keyframes: the exact body', () => {
	test('frames carry their ids in order; the ratio follows the first frame (not sent)', async () => {
		const product = PRODUCTS[2];
		const result = await run(product.parameters, { items: product.items?.() });
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		const body = emulator.submits()[0].body as { contents: IDataObject[]; settings: IDataObject };
		assert.deepEqual(
			body.contents.map((item) => [item.type, item.id]),
			[
				['prompt', undefined],
				['first_frame', 'first'],
				['middle_frame', 'middle1'],
				['last_frame', 'last'],
			],
		);
		assert.deepEqual(body.settings, { duration: 10, resolution: '720p' });
		assert.equal((body as IDataObject).options, undefined, 'no external_task_id or callback_url unless the credential says the host takes them');
		assert.ok(body.contents.slice(1).every((item) => typeof item.url === 'string' && String(item.url).length > 100), 'binary frames go as Base64');
	});
});

describe('Kling 4.0 with the credential sending external_task_id', () => {
	const on = { generation4ExternalTaskId: true };
	test('Kling accepts it: the body carries the derived id in options, the output names it', async () => {
		setBehaviour({ kling4ExternalTaskId: 'accept' } as Partial<Behaviour>);
		const result = await run(PRODUCTS[0].parameters, { credentials: on });
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		const sent = (emulator.submits()[0].body as { options: IDataObject }).options.external_task_id;
		assert.match(String(sent), /^n8n-/);
		assert.equal(result.kling[0].json.external_task_id, sent);
	});
	test('Kling refuses it (400): one refused request, no task, the error says which credential switch to turn off', async () => {
		setBehaviour({ kling4ExternalTaskId: 'refuse' } as Partial<Behaviour>);
		const result = await run(PRODUCTS[0].parameters, { credentials: on });
		const error = result.error('Kling');
		assert.ok(error, 'the item fails');
		assert.equal(emulator.submits().length, 1, 'not sent again');
		assert.equal(emulator.createdTasks().length, 0);
		assert.match(`${error.message} ${error.description ?? ''}`, /external_task_id/);
	});
	test("a user's External Task ID used by an earlier run is refused, never answered with that run's task", async () => {
		setBehaviour({ kling4ExternalTaskId: 'accept' } as Partial<Behaviour>);
		const id = `mine-reused-${Date.now()}`;
		const first = await run({ ...PRODUCTS[0].parameters, options: { externalTaskId: id } }, { credentials: on });
		assert.equal(first.error('Kling'), undefined, first.error('Kling')?.message);
		const firstTask = String(first.kling[0].json.task_id);
		const second = await run({ ...PRODUCTS[0].parameters, prompt: 'A different video: a whale in the desert', options: { externalTaskId: id } }, { credentials: on, continueOnFail: true });
		const json = second.kling[0].json as IDataObject;
		assert.ok(json.error, `the item fails instead of delivering task ${String(json.task_id)} of the earlier run`);
		assert.match(`${String(json.error)} ${String(json.description ?? '')}`, new RegExp(`${id}.*${firstTask}|${firstTask}.*${id}`));
		assert.equal(emulator.submits().length, 1, 'the second item was not sent');
	});
	test("a user's External Task ID that Kling already shows on a task (another mode's route) is refused before paying", async () => {
		setBehaviour({ kling4ExternalTaskId: 'accept' } as Partial<Behaviour>);
		const id = `mine-taken-${Date.now()}`;
		const first = await run({ ...PRODUCTS[3].parameters, options: { externalTaskId: id } }, { credentials: on });
		assert.equal(first.error('Kling'), undefined, first.error('Kling')?.message);
		const second = await run({ ...PRODUCTS[0].parameters, options: { externalTaskId: id } }, { credentials: on, continueOnFail: true });
		const json = second.kling[0].json as IDataObject;
		assert.ok(json.error, `the item fails instead of paying for task ${String(json.task_id)} with an id Kling already shows`);
		assert.match(`${String(json.error)} ${String(json.description ?? '')}`, new RegExp(String(first.kling[0].json.task_id)));
		assert.equal(emulator.submits().length, 1, 'the second item was not sent');
	});
	test('Kling ignores it: the task is delivered by its own id', async () => {
		setBehaviour({ kling4ExternalTaskId: 'ignore' } as Partial<Behaviour>);
		const result = await run(PRODUCTS[0].parameters, { credentials: on });
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		assert.equal(emulator.createdTasks().length, 1);
		assertFilesByteEqual(result);
	});
});

describe('Kling 4.0 money safety: a lost answer is never resent', () => {
	for (const externalIds of ID_ALTERNATIVES) {
		for (const sendId of [false, true]) {
			test(`reset after create (Kling ${externalIds}s the id, credential ${sendId ? 'sends' : 'does not send'} it) → 1 task, 0 resends, the error says how to find it`, async () => {
				setBehaviour({ kling4ExternalTaskId: externalIds } as Partial<Behaviour>);
				emulator.injectFault({ method: 'POST', path: '/text-to-video/*', reset: 'afterCreate' });
				const result = await run(PRODUCTS[0].parameters, { credentials: { generation4ExternalTaskId: sendId } });
				const creates = emulator.submits().length;
				const tasks = emulator.createdTasks().length;
				if (externalIds === 'refuse' && sendId) {
					// Kling refused the request before the reset could matter: nothing was created.
					assert.equal(tasks, 0);
					return;
				}
				assert.equal(tasks, 1, 'one task');
				assert.equal(creates, 1, 'no resend');
				if (externalIds === 'accept' && sendId) {
					// Where the host keeps the id, the lookup finds the task and the item is delivered.
					assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
					assert.equal(result.kling[0].json.task_id, emulator.createdTasks()[0].task_id);
					return;
				}
				const error = result.error('Kling');
				assert.ok(error, 'the item fails');
				const text = `${error.message} ${error.description ?? ''}`;
				assert.match(text, /Kling 4\.0|kling-4\.0/);
				assert.match(text, /Task › List/);
				assert.match(text, /not sent again/);
			});
		}
	}

	test("n8n's Retry On Fail after a lost answer does not pay again", async () => {
		emulator.injectFault({ method: 'POST', path: '/text-to-video/*', reset: 'afterCreate' });
		const result = await runKling({
			parameters: { waitOptions: wait, ...PRODUCTS[0].parameters },
			credentials: credentials(),
			network: networkFor(emulator),
			retryOnFail: true,
		});
		assert.ok(result.error('Kling'), 'the item fails');
		assert.equal(emulator.submits().length, 1, 'sent once over both tries');
		assert.equal(emulator.createdTasks().length, 1);
	});
});

describe("Kling 4.0 and n8n's Retry On Fail after the task was created", () => {
	test('the second try adopts the task by its id and downloads it; nothing is paid twice', async () => {
		emulator.injectFileFault({ kind: 'expired', times: 1 });
		const result = await runKling({
			parameters: { waitOptions: wait, ...PRODUCTS[0].parameters },
			credentials: credentials(),
			network: networkFor(emulator),
			retryOnFail: true,
		});
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		assert.equal(emulator.submits().length, 1, 'one create request over both tries');
		assert.equal(emulator.createdTasks().length, 1);
		assertFilesByteEqual(result);
	});
});

describe('Kling 4.0 prompt references', () => {
	test('ordinal names at the host: the prompt is rewritten, ids stay on elements and voices only', async () => {
		setBehaviour({ kling4References: 'ordinal' } as Partial<Behaviour>);
		const result = await run(PRODUCTS[3].parameters, { credentials: { generation4References: 'ordinal' } });
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		const body = emulator.submits()[0].body as { contents: IDataObject[] };
		assert.equal(body.contents[0].text, '@Element1 walks into @Image1 like in @Video1, speaking with @Audio1');
		assert.deepEqual(
			body.contents.slice(1).map((item) => item.id),
			[undefined, 'element1', 'voice1', undefined],
		);
	});
	test('a reference to an input the item does not have is refused before paying', async () => {
		const result = await run({ ...PRODUCTS[3].parameters, prompt: '@element1 meets @image02' }, { continueOnFail: true });
		assert.equal(emulator.submits().length, 0);
		const json = result.kling[0].json as IDataObject;
		assert.match(String(json.error), /@image02/);
		assert.match(String(json.error), /Prompt/);
	});
});

describe('Kling 4.0 limits are checked before paying', () => {
	const cases: Array<[string, IDataObject, RegExp]> = [
		['Flash with a keyframe', { ...PRODUCTS[2].parameters, model: 'kling-4.0-flash' }, /Kling 4\.0 Flash takes only a prompt/],
		['31 s', { ...PRODUCTS[0].parameters, duration: 31 }, /"Duration".*3 to 30.*Kling 4\.0/],
		['Flash 25 s', { ...PRODUCTS[1].parameters, duration: 25 }, /"Duration".*3 to 20.*Kling 4\.0 Flash/],
		['Flash 1080p', { ...PRODUCTS[1].parameters, resolution: '1080p' }, /"Resolution" 1080p.*Kling 4\.0 Flash/],
		[
			'11 images (a first frame and 10 reference images)',
			{
				...PRODUCTS[3].parameters,
				prompt: 'x',
				firstFrameSource: 'url',
				firstFrame: 'https://cdn.example.com/first.png',
				referenceImages: { images: Array.from({ length: 10 }, (_, n) => ({ source: 'url', value: `https://cdn.example.com/r${n}.png` })) },
			},
			/Keyframes and "Reference Images" together have 11 images.*at most 10/,
		],
		['9 middle frames', { ...PRODUCTS[2].parameters, middleFrames: { images: Array.from({ length: 9 }, () => ({ source: 'binary', value: 'middle' })) } }, /"Middle Frames" has 9 images.*at most 8/],
		['8 elements', { ...PRODUCTS[3].parameters, elementIds: '1,2,3,4,5,6,7,8', prompt: 'x' }, /"Element IDs" has 8 IDs.*at most 7/],
		['4 voices', { ...PRODUCTS[3].parameters, voiceIds: '1,2,3,4', prompt: 'x' }, /"Voice IDs" has 4 IDs.*at most 3/],
		['a blank prompt', { ...PRODUCTS[0].parameters, prompt: '   ' }, /"Prompt" is required/],
		['26,001 characters', { ...PRODUCTS[0].parameters, prompt: 'a'.repeat(26_001) }, /26001 characters.*at most 26000/],
		['series length 11', { ...PRODUCTS[5].parameters, seriesAmount: '11' }, /"Series Length"/],
		['e-commerce without photos', { ...PRODUCTS[7].parameters, productPhotos: {}, prompt: 'a page' }, /"Product Photos" has 0 photos/],
		['a user External Task ID the host is not said to keep', { ...PRODUCTS[0].parameters, options: { externalTaskId: 'mine-1' } }, /Send External Task ID/],
		['a Callback URL the host is not said to call', { ...PRODUCTS[0].parameters, options: { callbackUrl: 'https://hooks.example.com/k' } }, /Send Callback URL/],
		['external_task_id through Additional Body Fields', { ...PRODUCTS[0].parameters, options: { additionalBodyFields: '{"options": {"external_task_id": "x"}}' } }, /"options\.external_task_id" is managed by the node/],
		['callback_url through Additional Body Fields', { ...PRODUCTS[0].parameters, options: { additionalBodyFields: '{"callback_url": "https://hooks.example.com/k"}' } }, /"callback_url" is managed by the node/],
		['settings.duration through Additional Body Fields', { ...PRODUCTS[0].parameters, options: { additionalBodyFields: '{"settings": {"duration": 60}}' } }, /"settings\.duration" is set by the node/],
	];
	test('a Kling 4.0 Video Route on the legacy /v1/ routes (whose answers and reads take another shape) → refused naming the credential field, nothing sent', async () => {
		const result = await run(PRODUCTS[0].parameters, { continueOnFail: true, credentials: { generation4VideoRoute: '/v1/videos/{model}' } });
		assert.equal(emulator.submits().length, 0, 'nothing sent');
		const json = result.kling[0].json as IDataObject;
		assert.match(String(json.error), /Kling 4\.0 Video Route "\/v1\/videos\/\{model\}"/);
		assert.match(`${String(json.error)} ${String(json.description ?? '')}`, /Nothing was sent to Kling/);
	});
	for (const [name, parameters, message] of cases) {
		test(`${name} → refused naming the field, nothing sent`, async () => {
			const result = await run(parameters, { continueOnFail: true, items: PRODUCTS[2].items?.() });
			assert.equal(emulator.submits().length, 0, 'nothing sent');
			const json = result.kling[0].json as IDataObject;
			assert.match(String(json.error), message);
			assert.match(`${String(json.error)} ${String(json.description ?? '')}`, /Nothing was sent to Kling/);
		});
	}
});

describe('Kling 4.0 needs the new API', () => {
	for (const [name, overrides] of [
		['Access Key + Secret Key', { authType: 'accessKey', accessKey: TEST_KEYS.beijing.accessKey, secretKey: TEST_KEYS.beijing.secretKey }],
		['a reseller preset', { provider: 'cometapi', apiKey: TEST_KEYS.cometapi.apiKey }],
	] as const) {
		test(`${name}: refused before any request, saying why`, async () => {
			const result = await run(PRODUCTS[0].parameters, { credentials: overrides, continueOnFail: true });
			assert.equal(emulator.requests.length, 0, 'no request');
			const json = result.kling[0].json as IDataObject;
			assert.match(String(json.error), /Kling 4\.0 runs on Kling's new API/);
		});
	}
});

describe('Kling 4.0 HDR and 4K (opt-in values sent as they are)', () => {
	test('a host without HDR refuses "1080p HDR" with its own error; no task', async () => {
		setBehaviour({ kling4Hdr: 'refuse' } as Partial<Behaviour>);
		const result = await run({ ...PRODUCTS[0].parameters, resolution: '1080p HDR' });
		assert.ok(result.error('Kling'));
		assert.equal((emulator.submits()[0].body as { settings: IDataObject }).settings.resolution, '1080p HDR');
		assert.equal(emulator.createdTasks().length, 0);
		assert.match(String(result.error('Kling')?.message), /resolution/);
	});
	test('a host with HDR resolution values renders "4k HDR"', async () => {
		setBehaviour({ kling4Hdr: 'resolutionValues' } as Partial<Behaviour>);
		const result = await run({ ...PRODUCTS[0].parameters, resolution: '4k HDR' });
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		assertFilesByteEqual(result);
	});
});

describe('Kling 4.0 and park mode', () => {
	test('callbacks not confirmed for the host: the node polls instead of parking and says so', async () => {
		const result = await run({ ...PRODUCTS[0].parameters, waitMode: 'park' });
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		const json = result.kling[0].json;
		assert.equal(json.task_status, 'succeed');
		assert.match(String(json.notice), /Polled instead of parked.*Send Callback URL/);
		assert.equal(((emulator.submits()[0].body as IDataObject).options as IDataObject | undefined)?.callback_url, undefined);
	});
});

describe('Kling Image 4.0 at 8K', () => {
	test('an 80 MB PNG streams into the binary store whole', async () => {
		emulator.imageBytes = 80 * 1024 * 1024;
		try {
			const result = await run({ ...PRODUCTS[6].parameters, n: 1, resolution: '8k' });
			assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
			const [task] = emulator.createdTasks();
			assert.equal(task.files[0].bytes.length, 80 * 1024 * 1024);
			assertFilesByteEqual(result);
		} finally {
			emulator.imageBytes = 0;
		}
	});
});

describe('Kling 4.0 waits longer by default', () => {
	test('a 4.0 operation without a Timeout waits 30 minutes, the others 15', async () => {
		const { readWaitSettings } = await import('../../nodes/Kling/input/itemSettings');
		const context = (operation: string) =>
			({
				getNodeParameter: (name: string, _item: number, fallback?: unknown) => (name === 'operation' ? operation : name === 'waitOptions' ? {} : fallback),
				getNode: () => ({ name: 'Kling', type: 'kling', typeVersion: 1, position: [0, 0], parameters: {} }),
			}) as unknown as Parameters<typeof readWaitSettings>[0];
		assert.equal(readWaitSettings(context('kling4Video'), 0).timeoutMs, 30 * 60_000);
		assert.equal(readWaitSettings(context('image4'), 0).timeoutMs, 30 * 60_000);
		assert.equal(readWaitSettings(context('textToVideo'), 0).timeoutMs, 15 * 60_000);
	});
});

describe('Kling 4.0 video lengths are read before paying', () => {
	// The URL check reads each video's movie header; the emulator's /inputs/clip-<n>s.mp4 declares n seconds.
	const check = { inputUrlCheck: true, allowPrivateFileHosts: true };
	const clip = (seconds: number) => `${emulator.filesUrl}/inputs/clip-${seconds}s.mp4`;
	const reference = (...seconds: number[]) => ({
		...PRODUCTS[3].parameters,
		prompt: 'in the style of @video1',
		referenceImages: {},
		elementIds: '',
		voiceIds: '',
		referenceVideos: { videos: seconds.map((length) => ({ url: clip(length) })) },
	});
	test('two reference videos of 20 s (40 s together) → refused naming the field, nothing sent', async () => {
		const result = await run(reference(20, 20), { continueOnFail: true, timing: check });
		assert.equal(emulator.submits().length, 0);
		assert.match(String(result.kling[0].json.error), /"Reference Videos" and the video to edit last 40 s together.*at most 30 s/);
	});
	test('a reference video of 31 s → refused naming the video', async () => {
		const result = await run(reference(31), { continueOnFail: true, timing: check });
		assert.equal(emulator.submits().length, 0);
		assert.match(String(result.kling[0].json.error), /"Reference Videos" \(@video1\) lasts 31 s.*3 to 30 s/);
	});
	test('10 s + 20 s (30 s together) are sent, and Kling takes them', async () => {
		const result = await run(reference(10, 20), { timing: check });
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		assert.equal(emulator.createdTasks().length, 1);
		assertFilesByteEqual(result);
	});
	test('an edit of a 25-second video keeps its length', async () => {
		const result = await run({ ...PRODUCTS[4].parameters, videoUrl: clip(25) }, { timing: check });
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		assert.equal((emulator.submits()[0].body as { settings: IDataObject }).settings.duration, undefined, 'no duration: the input decides');
	});
});

describe('Kling 4.0 images up to 30 MB', () => {
	test('an 11 MB reference image (over the 10 MB of older models) is sent', async () => {
		const result = await run(
			{ ...PRODUCTS[3].parameters, prompt: 'like @image01', elementIds: '', voiceIds: '', referenceVideos: {}, referenceImages: { images: [{ source: 'url', value: `${emulator.filesUrl}/inputs/huge-11mb.png` }] } },
			{ timing: { inputUrlCheck: true, allowPrivateFileHosts: true } },
		);
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		assert.equal(emulator.createdTasks().length, 1);
	});
});

describe('Kling 4.0 tasks are found again', () => {
	for (const [family, product] of [
		['/kling-4/video', PRODUCTS[0]],
		['/kling-4/image', PRODUCTS[5]],
		['/tasks', PRODUCTS[6]],
	] as const) {
		test(`submit without waiting, then Task › Get (Task Type ${family}) waits and downloads, byte-equal`, async () => {
			const result = await runKling({
				parameters: { ...product.parameters, waitForCompletion: false },
				then: { resource: 'task', operation: 'get', taskFamily: family, taskId: '={{ $json.task_id }}', waitForCompletion: true, waitOptions: wait },
				credentials: credentials(),
				network: networkFor(emulator),
			});
			assert.equal(result.error('Kling 2'), undefined, result.error('Kling 2')?.message);
			assert.equal(emulator.submits().length, 1, 'collecting did not submit again');
			const [task] = emulator.createdTasks();
			const collected = result.output('Kling 2')[0];
			assert.equal(collected.json.task_id, task.task_id);
			assert.equal(Object.keys(collected.binary ?? {}).length, task.files.length);
			assertFilesByteEqual(result);
		});
	}
	test('Task › List with Task Type "Video: Kling 4.0" lists the task through /tasks', async () => {
		const result = await runKling({
			parameters: { ...PRODUCTS[0].parameters, waitForCompletion: false },
			then: { resource: 'task', operation: 'list', taskFamily: '/kling-4/video' },
			credentials: credentials(),
			network: networkFor(emulator),
		});
		assert.equal(result.error('Kling 2'), undefined, result.error('Kling 2')?.message);
		const [task] = emulator.createdTasks();
		const rows = result.output('Kling 2').map((item) => item.json.task_id);
		assert.ok(rows.includes(task.task_id), `listed: ${rows.join(', ')}`);
		assert.ok(emulator.requests.some((request) => request.method === 'POST' && request.klingPath === '/tasks'));
	});
});
