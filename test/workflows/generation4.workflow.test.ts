/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
/**
 * Kling 4.0 end to end in n8n's engine, under every alternative the emulator plays for what no Kling
 * page confirms (routes, external_task_id and callback_url accepted / refused / ignored, prompt
 * reference syntax, HDR): byte-equal binaries, the exact body Kling received, and nothing paid for a
 * request refused before paying.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import { type Behaviour, type KlingEmulator, TEST_KEYS } from '../support/emulator/kling-emulator';
import { credentialsFor, networkFor, pngItem, startEmulator } from '../support/fixtures';
import { runKling } from '../support/harness/n8n';

let emulator: KlingEmulator;
before(async () => (emulator = await startEmulator({ submittedMs: 20, processingMs: 60 })));
after(async () => await emulator.stop());
beforeEach(() => emulator.reset());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const wait = { pollIntervalSeconds: 0.05, timeoutMinutes: 0.5 };

function setBehaviour(behaviour: Partial<Behaviour>) {
	Object.assign(emulator.behaviour, behaviour);
}

function credentials(overrides: IDataObject = {}) {
	return credentialsFor('beijing', emulator, overrides);
}

/** Every binary of the item equals a file of the emulator's task, in order. */
function assertFilesByteEqual(result: Awaited<ReturnType<typeof runKling>>) {
	const [task] = emulator.createdTasks();
	const probe = result.probed[0].json.probe as Record<string, { sha256: string }>;
	const names = Object.keys(probe).sort((a, b) => (a === 'data' ? -1 : b === 'data' ? 1 : Number(a.split('_')[1]) - Number(b.split('_')[1])));
	assert.equal(names.length, task.files.length, 'one binary per result file');
	names.forEach((name, index) => assert.equal(probe[name].sha256, sha256(task.files[index].bytes), name));
}

const run = (parameters: IDataObject, options: { credentials?: IDataObject; items?: ReturnType<typeof pngItem>[]; continueOnFail?: boolean; timing?: IDataObject } = {}) =>
	runKling({
		parameters: { waitOptions: wait, ...parameters },
		credentials: credentials(options.credentials),
		network: networkFor(emulator),
		items: options.items,
		continueOnFail: options.continueOnFail,
		timing: options.timing,
	});

const PRODUCTS: Array<{ name: string; parameters: IDataObject; items?: () => ReturnType<typeof pngItem>[]; path: (alt: { video: string; image: string }) => string; body: IDataObject }> = [
	{
		name: 'Kling 4.0 text to video',
		parameters: { resource: 'video', operation: 'kling4Video', prompt: 'A fox runs through snow. Then the camera rises.', duration: 12, resolution: '1080p' },
		path: (alt) => alt.video.replace('{mode}', 'text-to-video').replace('{model}', 'kling-4.0'),
		body: { prompt: 'A fox runs through snow. Then the camera rises.', settings: { duration: 12, resolution: '1080p', aspect_ratio: '16:9' } },
	},
	{
		name: 'Kling 4.0 Flash text to video',
		parameters: { resource: 'video', operation: 'kling4Video', model: 'kling-4.0-flash', prompt: 'Neon alley in the rain', duration: 20, resolution: '720p', options: { aspectRatio: '21:9' } },
		path: (alt) => alt.video.replace('{mode}', 'text-to-video').replace('{model}', 'kling-4.0-flash'),
		body: { prompt: 'Neon alley in the rain', settings: { duration: 20, resolution: '720p', aspect_ratio: '21:9' } },
	},
	{
		name: 'Kling 4.0 keyframes to video (first, middle, last)',
		parameters: {
			resource: 'video',
			operation: 'kling4Video',
			prompt: 'From @first through @middle1 to @last',
			duration: 10,
			resolution: '720p',
			firstFrameSource: 'binary',
			firstFrame: 'first',
			middleFrames: { images: [{ source: 'binary', value: 'middle' }] },
			lastFrameSource: 'binary',
			lastFrame: 'last',
		},
		items: () => [pngItem({ first: { width: 640, height: 360 }, middle: { width: 640, height: 360 }, last: { width: 640, height: 360 } })],
		path: (alt) => alt.video.replace('{mode}', 'image-to-video').replace('{model}', 'kling-4.0'),
		body: {},
	},
	{
		name: 'Kling 4.0 reference to video (image, video, element, voice)',
		parameters: {
			resource: 'video',
			operation: 'kling4Reference',
			prompt: '@element1 walks into @image01 like in @video1, speaking with @voice1',
			referenceImages: { images: [{ source: 'url', value: 'https://cdn.example.com/room.png' }] },
			referenceVideos: { videos: [{ url: 'https://cdn.example.com/walk.mp4' }] },
			elementIds: '123456',
			voiceIds: '829376',
			duration: 8,
			resolution: '720p',
		},
		path: (alt) => alt.video.replace('{mode}', 'omni-video').replace('{model}', 'kling-4.0'),
		body: {
			contents: [
				{ type: 'prompt', text: '@element1 walks into @image01 like in @video1, speaking with @voice1' },
				{ type: 'refer_image', url: 'https://cdn.example.com/room.png', id: 'image01' },
				{ type: 'element', element_id: '123456', id: 'element1' },
				{ type: 'voice', voice_id: '829376', id: 'voice1' },
				{ type: 'feature_video', url: 'https://cdn.example.com/walk.mp4', id: 'video1' },
			],
			settings: { duration: 8, resolution: '720p' },
		},
	},
	{
		name: 'Kling 4.0 edit video',
		parameters: { resource: 'video', operation: 'kling4Edit', videoUrl: 'https://cdn.example.com/clip.mp4', prompt: 'Make @base look like winter', resolution: '720p' },
		path: (alt) => alt.video.replace('{mode}', 'omni-video').replace('{model}', 'kling-4.0'),
		body: {
			contents: [
				{ type: 'prompt', text: 'Make @base look like winter' },
				{ type: 'base_video', url: 'https://cdn.example.com/clip.mp4', id: 'base' },
			],
			settings: { resolution: '720p' },
		},
	},
	{
		name: 'Kling Image 4.0 series',
		parameters: { resource: 'image', operation: 'image4', prompt: 'A four-panel comic of a cat', resultType: 'series', seriesAmount: '4', resolution: '2k', aspectRatio: '1:1' },
		path: (alt) => alt.image.replace('{model}', 'kling-image-4.0'),
		body: {
			contents: [{ type: 'prompt', text: 'A four-panel comic of a cat' }],
			settings: { aspect_ratio: '1:1', resolution: '2k', result_type: 'series', series_amount: 4 },
		},
	},
	{
		name: 'Kling Image 4.0 single images',
		parameters: { resource: 'image', operation: 'image4', prompt: 'A knitted fox', resultType: 'single', n: 2, resolution: '4k', aspectRatio: 'auto' },
		path: (alt) => alt.image.replace('{model}', 'kling-image-4.0'),
		body: { contents: [{ type: 'prompt', text: 'A knitted fox' }], settings: { resolution: '4k', result_type: 'single', n: 2 } },
	},
	{
		name: 'Kling Long Image 4.0 e-commerce',
		parameters: {
			resource: 'image',
			operation: 'longImage4',
			skill: 'ecommerce',
			prompt: 'A detail page for @image01; all text in English',
			productPhotos: { images: [{ source: 'url', value: 'https://cdn.example.com/mug.png' }] },
			length: 'short',
			resolution: '1k',
		},
		path: (alt) => alt.image.replace('{model}', 'kling-long-image-4.0'),
		body: {
			contents: [
				{ type: 'prompt', text: 'A detail page for @image01; all text in English' },
				{ type: 'refer_image', url: 'https://cdn.example.com/mug.png', id: 'image01' },
			],
			settings: { skill: 'ecommerce', resolution: '1k', length: 'short' },
		},
	},
];

const ROUTES = [
	{ name: 'routes per mode (default)', behaviour: { kling4Paths: 'perMode', kling4ImagePaths: 'omniImage' }, credentials: {}, video: '/{mode}/{model}', image: '/omni-image/{model}' },
	{
		name: 'one video route and text-to-image (credential templates)',
		behaviour: { kling4Paths: 'unified', kling4ImagePaths: 'textToImage' },
		credentials: { generation4VideoRoute: '/video/{model}', generation4ImageRoute: '/text-to-image/{model}' },
		video: '/video/{model}',
		image: '/text-to-image/{model}',
	},
] as const;

const ID_ALTERNATIVES = ['accept', 'refuse', 'ignore'] as const;

for (const route of ROUTES) {
	for (const externalIds of ID_ALTERNATIVES) {
		describe(`Kling 4.0 — ${route.name}; Kling ${externalIds}s external_task_id; credential default (not sent)`, () => {
			beforeEach(() => setBehaviour({ ...route.behaviour, kling4ExternalTaskId: externalIds, kling4CallbackUrl: externalIds } as Partial<Behaviour>));
			for (const product of PRODUCTS) {
				test(`${product.name}: one task, the route and body Kling received, binaries byte-equal`, async () => {
					const result = await run(product.parameters, { credentials: route.credentials, items: product.items?.() });
					assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
					const submits = emulator.submits();
					assert.equal(submits.length, 1, 'one create request');
					assert.equal(submits[0].klingPath, product.path(route));
					const body = submits[0].body as IDataObject;
					assert.equal((body.options as IDataObject | undefined)?.external_task_id, undefined, 'no external_task_id unless the credential says the host keeps it');
					assert.ok(!('model_name' in body), 'the model is in the route');
					if (Object.keys(product.body).length) assert.deepEqual(body, product.body);
					const json = result.kling[0].json;
					assert.equal(json.task_status, 'succeed');
					assert.equal(json.api_standard, 'new');
					assert.equal(json.external_task_id, undefined, 'no id claimed that Kling was not given');
					assert.ok(emulator.requests.some((request) => request.klingPath === '/tasks'), 'read through /tasks');
					assertFilesByteEqual(result);
				});
			}
		});
	}
}

// The other open questions: each alternative Kling may play changes nothing the node sends by default.
const OTHER_ALTERNATIVES: Array<Partial<Behaviour>> = [
	{ kling4Hdr: 'resolutionValues' },
	{ kling4Hdr: 'dynamicRange' },
	{ kling4FlashInputs: 'wide' },
	{ kling4FirstFrame: 'optional' },
	{ kling4CallbackUrl: 'refuse', kling4ExternalTaskId: 'refuse' },
];
for (const alternative of OTHER_ALTERNATIVES) {
	describe(`Kling 4.0 where Kling plays ${JSON.stringify(alternative)}`, () => {
		beforeEach(() => setBehaviour(alternative));
		for (const product of PRODUCTS) {
			test(`${product.name}: delivered, byte-equal, the same body`, async () => {
				const result = await run(product.parameters, { items: product.items?.() });
				assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
				assert.equal(emulator.submits().length, 1);
				if (Object.keys(product.body).length) assert.deepEqual(emulator.submits()[0].body, product.body);
				assertFilesByteEqual(result);
			});
		}
	});
}

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
