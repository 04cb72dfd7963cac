/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
/**
 * Issue 10's must-shows: every video product on both API standards (submit → wait → binaries
 * byte-equal to the emulator's; route, body shape and auth as https://kling.ai/document-api/llms.txt documents them),
 * batched status reads, menus without retired models, open model IDs and Kling's "discontinued".
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';

import type { INodeProperties } from 'n8n-workflow';

import { Kling } from '../../nodes/Kling/Kling.node';
import { currentModels, isRetired, VIDEO_MODEL_TABLE, type VideoProduct } from '../../nodes/Kling/kling/models';
import { type KlingEmulator, TEST_KEYS } from '../support/emulator/kling-emulator';
import { shotsOf } from '../support/emulator/newStandard';
import { credentialsFor, networkFor, pngItem, startEmulator } from '../support/fixtures';
import { runKling } from '../support/harness/n8n';

let emulator: KlingEmulator;
before(async () => (emulator = await startEmulator({ submittedMs: 20, processingMs: 60 })));
after(async () => await emulator.stop());
beforeEach(() => emulator.reset());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const wait = { pollIntervalSeconds: 0.05, timeoutMinutes: 0.5 };

const PRODUCTS: Array<{ operation: VideoProduct; parameters: Record<string, unknown>; items?: () => ReturnType<typeof pngItem>[] }> = [
	{ operation: 'textToVideo', parameters: { prompt: 'waves at dusk', options: { aspectRatio: '16:9' } } },
	{ operation: 'imageToVideo', parameters: { prompt: 'the flower blooms' }, items: () => [pngItem({ data: { width: 640, height: 360 } })] },
	{
		operation: 'omniVideo',
		parameters: { prompt: 'a paper boat like <<<image_1>>>', referenceImages: { images: [{ source: 'url', value: 'https://cdn.example.com/boat.png' }] }, options: { aspectRatio: '16:9' } },
	},
	{
		operation: 'motionControl',
		parameters: { videoUrl: 'https://cdn.example.com/dance.mp4' },
		items: () => [pngItem({ data: { width: 400, height: 700 } })],
	},
];

const STANDARDS = [
	{ standard: 'new', credentials: () => credentialsFor('beijing', emulator), prefix: '/', auth: 'API key' },
	{ standard: 'legacy', credentials: () => credentialsFor('singapore', emulator), prefix: '/v1/videos/', auth: 'JWT' },
] as const;

for (const { standard, credentials, prefix, auth } of STANDARDS) {
	describe(`video on the ${standard} standard (${auth})`, () => {
		for (const product of PRODUCTS) {
			test(`${product.operation}: submit → wait → MP4 byte-equal, documented route, body shape and auth`, async () => {
				const result = await runKling({
					parameters: { resource: 'video', operation: product.operation, ...product.parameters, waitOptions: wait },
					credentials: credentials(),
					network: networkFor(emulator),
					items: product.items?.(),
				});
				assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
				const [task] = emulator.createdTasks();
				const submit = emulator.submits()[0];
				assert.ok(submit.klingPath.startsWith(prefix), submit.klingPath);
				const token = String(submit.headers.authorization).replace(/^Bearer /, '');
				assert.equal(token.split('.').length === 3, auth === 'JWT', `${auth} expected`);
				if (standard === 'new') {
					assert.ok(!('model_name' in (submit.body ?? {})), 'the model is in the path');
					assert.ok('options' in (submit.body ?? {}), 'external_task_id travels in options');
					assert.ok(emulator.requests.some((request) => request.klingPath === '/tasks'), 'status read through /tasks');
				} else {
					assert.equal(typeof submit.body?.model_name, 'string');
					assert.ok(emulator.requests.every((request) => request.klingPath !== '/tasks'));
				}
				const json = result.kling[0].json;
				assert.equal(json.api_standard, standard);
				assert.equal(json.task_status, 'succeed', 'one output shape for both standards');
				assert.equal(json.task_id, task.task_id);
				const probe = result.probed[0].json.probe as Record<string, { sha256: string }>;
				assert.equal(probe.data.sha256, sha256(task.files[0].bytes));
			});
		}
	});
}

describe('batched status reads on the new standard', () => {
	test('50 items of one model: every polling round reads at most ceil(50 / 20) = 3 times', async () => {
		emulator.processingMs = 400;
		const result = await runKling({
			parameters: {
				resource: 'video',
				operation: 'textToVideo',
				prompt: '={{ "clip " + $json.index }}',
				downloadResults: false,
				waitOptions: { pollIntervalSeconds: 0.15, timeoutMinutes: 1, concurrency: 50 },
			},
			credentials: credentialsFor('beijing', emulator),
			network: networkFor(emulator),
			items: Array.from({ length: 50 }, (_, index) => ({ json: { index } })),
		});
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		assert.equal(result.kling.length, 50);
		const reads = emulator.requests.filter((request) => request.klingPath === '/tasks' && request.method === 'GET');
		for (const read of reads) {
			const ids = new URL(read.url, 'http://x').searchParams.get('task_ids')?.split(',') ?? [];
			assert.ok(ids.length <= 20, `${ids.length} ids in one read`);
		}
		// Rounds are separated by the 150 ms poll interval; requests of one round follow each other closely.
		const rounds: number[] = [];
		let last = -Infinity;
		for (const read of reads) {
			if (read.at - last > 60) rounds.push(0);
			rounds[rounds.length - 1]++;
			last = read.at;
		}
		assert.ok(rounds.length >= 2, `${rounds.length} rounds`);
		assert.ok(Math.max(...rounds) <= 3, `requests per round: ${rounds.join(', ')}`);
		assert.ok(reads.length < 50, `${reads.length} status requests for 50 items`);
	});
});

describe('the model table and the menus', () => {
	const properties = new Kling().description.properties;
	const modelMenu = (operation: string) =>
		properties.find((property) => property.name === 'model' && property.displayOptions?.show?.operation?.includes(operation)) as INodeProperties;

	test('no menu offers a model whose end of life has passed; every default is a current model', () => {
		const retired = new Set(VIDEO_MODEL_TABLE.filter((model) => isRetired(model)).map((model) => model.id));
		assert.ok(retired.size >= 5, 'the table knows the retired models');
		for (const operation of ['textToVideo', 'imageToVideo', 'omniVideo', 'motionControl'] as const) {
			const menu = modelMenu(operation);
			const values = (menu.options as Array<{ value: string }>).map((option) => option.value);
			for (const value of values) assert.ok(!retired.has(value), `${operation} offers retired ${value}`);
			assert.ok(!retired.has(String(menu.default)), `${operation} defaults to a retired model`);
			assert.deepEqual(
				values.filter((value) => value !== '__custom__'),
				currentModels(operation).map((model) => model.id),
			);
		}
	});
});

describe('open model IDs', () => {
	test('an unknown model set by an expression reaches Kling unchanged, on either standard', async () => {
		await runKling({
			parameters: { resource: 'video', operation: 'textToVideo', model: '={{ "kling-9.9-future" }}', prompt: 'x', waitForCompletion: false },
			credentials: credentialsFor('beijing', emulator),
			network: networkFor(emulator),
		});
		assert.equal(emulator.submits()[0]?.klingPath, '/text-to-video/kling-9.9-future');
		emulator.reset();
		const legacy = await runKling({
			parameters: { resource: 'video', operation: 'textToVideo', model: '__custom__', modelId: 'kling-v9', prompt: 'x', waitForCompletion: false },
			credentials: credentialsFor('singapore', emulator),
			network: networkFor(emulator),
		});
		assert.equal(emulator.submits()[0]?.body?.model_name, 'kling-v9');
		if (!legacy.error('Kling')) assert.equal(legacy.kling[0].json.model_checked, false);
	});

	test('a retired model: Kling’s "discontinued" answer is an error naming the model; no task was created', async () => {
		const result = await runKling({
			parameters: { resource: 'video', operation: 'textToVideo', model: '={{ "kling-v1-6" }}', prompt: 'x', waitOptions: wait },
			credentials: credentialsFor('singapore', emulator),
			network: networkFor(emulator),
		});
		assert.match(String(result.error('Kling')?.message), /kling-v1-6.*discontinued/i);
		assert.equal(emulator.createdTasks().length, 0);
		assert.equal(emulator.submits().length, 1, 'a final answer: not sent again');
	});
});

describe('API Standard "New" on a custom host (https://kling.ai/document-api/llms.txt Q21: hosts that serve the new API exist)', () => {
	const customDeployment = () => emulator.deployments.find((deployment) => deployment.name === 'custom')!;
	const customWithApiKey = () => credentialsFor('custom', emulator, { authType: 'apiKey', apiKey: TEST_KEYS.custom.apiKey });

	test('New: the new route on the host’s prefix, status read through its /tasks, MP4 byte-equal; Automatic stays on the legacy routes', async () => {
		customDeployment().newStandard = true;
		try {
			const result = await runKling({
				parameters: { resource: 'video', operation: 'textToVideo', prompt: 'waves at dusk', options: { apiStandard: 'new' }, waitOptions: wait },
				credentials: customWithApiKey(),
				network: networkFor(emulator),
			});
			assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
			const submit = emulator.submits()[0];
			assert.equal(submit.url, '/custom/kling/text-to-video/kling-3.0');
			assert.equal(submit.deployment, 'custom');
			assert.ok(emulator.requests.some((request) => request.url.startsWith('/custom/kling/tasks?')), 'read through the host’s /tasks');
			const [task] = emulator.createdTasks();
			assert.equal(result.kling[0].json.api_standard, 'new');
			assert.equal(result.kling[0].json.task_id, task.task_id);
			const probe = result.probed[0].json.probe as Record<string, { sha256: string }>;
			assert.equal(probe.data.sha256, sha256(task.files[0].bytes));

			emulator.reset();
			const automatic = await runKling({
				parameters: { resource: 'video', operation: 'textToVideo', prompt: 'waves at dusk', waitForCompletion: false },
				credentials: customWithApiKey(),
				network: networkFor(emulator),
			});
			assert.equal(automatic.error('Kling'), undefined, automatic.error('Kling')?.message);
			assert.equal(emulator.submits()[0].url, '/custom/kling/v1/videos/text2video');
		} finally {
			delete customDeployment().newStandard;
		}
	});

	test('New with an Access Key + Secret Key on a custom host: refused before any request; the message names the API key, not a reseller, and does not call Kling 3.0 new-only', async () => {
		const result = await runKling({
			parameters: { resource: 'video', operation: 'textToVideo', prompt: 'x', options: { apiStandard: 'new' }, waitOptions: wait },
			credentials: credentialsFor('custom', emulator),
			network: networkFor(emulator),
		});
		const message = String(result.error('Kling')?.message);
		assert.match(message, /API Standard.*New.*API key.*Access Key \+ Secret Key/);
		assert.doesNotMatch(message, /reseller/i);
		assert.doesNotMatch(message, /only on Kling's new API/);
		assert.equal(emulator.requests.length, 0);
	});

	test('Kling 3.0 Turbo (new API only) on a custom host with Automatic: refused with the way out (API Standard New), nothing sent', async () => {
		const result = await runKling({
			parameters: { resource: 'video', operation: 'textToVideo', model: 'kling-3.0-turbo', prompt: 'x', waitOptions: wait },
			credentials: customWithApiKey(),
			network: networkFor(emulator),
		});
		const message = String(result.error('Kling')?.message);
		assert.match(message, /Kling 3\.0 Turbo.*only on Kling's new API.*API Standard.*New/);
		assert.doesNotMatch(message, /reseller/i);
		assert.equal(emulator.requests.length, 0);
	});
});

describe('Multi-Shot on the new API: settings.multi_shot carries the choice (its default there is true, https://kling.ai/document-api/api/video/3-0-omni/text-to-video)', () => {
	const prompt = 'shot 1, 2, a storm gathers; shot 2, 3, the sea calms;';
	const runs: Array<{ operation: VideoProduct; parameters: Record<string, unknown>; items?: () => ReturnType<typeof pngItem>[] }> = [
		{ operation: 'textToVideo', parameters: {} },
		{ operation: 'imageToVideo', parameters: {}, items: () => [pngItem({ data: { width: 640, height: 360 } })] },
		{ operation: 'omniVideo', parameters: { model: 'kling-v3-omni' } },
	];
	for (const run of runs) {
		test(`${run.operation} on Kling 3.0: Multi-Shot off → multi_shot false, one shot; on → true, the prompt’s shots`, async () => {
			for (const multiShot of [false, true]) {
				emulator.reset();
				const options: Record<string, unknown> = { aspectRatio: '16:9' };
				if (run.operation === 'imageToVideo') delete options.aspectRatio;
				if (multiShot) Object.assign(options, { multiShot: true, shotType: 'intelligence' });
				const result = await runKling({
					parameters: { resource: 'video', operation: run.operation, ...run.parameters, prompt, options, waitOptions: wait },
					credentials: credentialsFor('beijing', emulator),
					network: networkFor(emulator),
					items: run.items?.(),
				});
				assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
				const settings = emulator.submits()[0].body?.settings as Record<string, unknown>;
				assert.equal(settings.multi_shot, multiShot, `Multi-Shot ${multiShot ? 'on' : 'off'}`);
				const [task] = emulator.createdTasks();
				assert.equal(shotsOf(task)?.length, multiShot ? 2 : 1, 'the shots in the video the user gets');
				const probe = result.probed[0].json.probe as Record<string, { sha256: string }>;
				assert.equal(probe.data.sha256, sha256(task.files[0].bytes));
			}
		});
	}
});
