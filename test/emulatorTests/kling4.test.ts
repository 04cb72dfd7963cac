/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: node:test, node:http and fetch run outside n8n */
/**
 * The emulator's Kling 4.0 generation against docs/kling-4.md and its sources, over plain HTTP (no n8n):
 * a good body of each product is taken and read back through /tasks with its outputs and billing, every
 * limit of §3–§6 and §8 is refused with the field named and no task, and each §7 switch plays each of
 * its alternatives.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';

import { type Behaviour, DEFAULT_BEHAVIOUR, KlingEmulator, TEST_KEYS } from '../support/emulator/kling-emulator';
import { kling4CreatePath, kling4Mode, kling4OrdinalNames, kling4PromptTokens } from '../support/emulator/kling4';

const SINGAPORE = 'https://api-singapore.klingai.com';
const API_KEY = TEST_KEYS.singapore.apiKey;
const IMAGE = 'https://example.com/fox.png';
const VIDEO = 'https://example.com/clip.mp4';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
interface Answer {
	status: number;
	body: { code: number | null; message: string; data?: Json };
}
type Body = Record<string, unknown>;

const T2V = (settings: Body = {}, prompt = 'A neon-lit alley in the rain, slow dolly forward.'): Body => ({
	prompt,
	settings: { resolution: '720p', duration: 5, ...settings },
});
const PROMPT_ITEM = (text = 'The fox turns toward the camera.') => ({ type: 'prompt', text });
const FIRST = { type: 'first_frame', url: IMAGE };
const MIDDLE = { type: 'middle_frame', url: IMAGE };
const LAST = { type: 'last_frame', url: IMAGE };
const REFER = { type: 'refer_image', url: IMAGE };
const FEATURE = { type: 'feature_video', url: VIDEO };
const BASE = { type: 'base_video', url: VIDEO };
const element = (index: number) => ({ type: 'element', element_id: String(160 + index), id: `element_${index}` });
const voice = (index: number) => ({ type: 'voice', voice_id: String(890 + index), id: `voice_${index}` });
const times = <T>(count: number, make: (index: number) => T): T[] => Array.from({ length: count }, (_, index) => make(index + 1));
/** A contents body with default settings (720p, 3 s) unless given. */
const C = (items: unknown[], settings: Body = { resolution: '720p', duration: 3 }): Body => ({ contents: items, settings });
const IMG4 = (items: unknown[] = [], settings: Body = {}): Body => ({
	contents: [{ type: 'prompt', text: 'A knitted fox asleep on a pile of old books, soft window light.' }, ...items],
	settings: { aspect_ratio: '1:1', n: 1, resolution: '2k', result_type: 'single', ...settings },
});
const LONG = (items: unknown[] = [], settings: Body = { resolution: '1k', skill: 'webpage' }): Body => ({
	contents: [{ type: 'prompt', text: 'A landing page for a specialty coffee roaster.' }, ...items],
	settings,
});

const T2V_PATH = '/text-to-video/kling-4.0';
const I2V_PATH = '/image-to-video/kling-4.0';
const OMNI_PATH = '/omni-video/kling-4.0';
const FLASH_PATH = '/text-to-video/kling-4.0-flash';
const IMAGE_PATH = '/omni-image/kling-image-4.0';
const LONG_PATH = '/omni-image/kling-long-image-4.0';

describe('emulator: the Kling 4.0 generation', () => {
	let emulator: KlingEmulator;
	before(async () => (emulator = await new KlingEmulator({ submittedMs: 40, processingMs: 40 }).start()));
	after(async () => await emulator.stop());
	beforeEach(() => emulator.reset());

	async function call(method: string, path: string, body?: unknown): Promise<Answer> {
		const response = await fetch(`${emulator.url}${path}`, {
			method,
			headers: { 'content-type': 'application/json', 'x-emulated-origin': SINGAPORE, authorization: `Bearer ${API_KEY}` },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: response.status, body: (await response.json()) as Answer['body'] };
	}
	const create = (path: string, body: unknown) => call('POST', path, body);
	const tasks = (query: string) => call('GET', `/tasks?${query}`);
	const settle = (ms = 120) => new Promise((resolve) => setTimeout(resolve, ms));
	const use = (behaviour: Partial<Behaviour>) => (emulator.behaviour = { ...DEFAULT_BEHAVIOUR, ...behaviour });

	function assertRefused(answer: Answer, message: RegExp, label = '') {
		assert.equal(answer.status, 400, `${label}: ${JSON.stringify(answer.body)}`);
		assert.equal(answer.body.code, 1201, label);
		assert.match(answer.body.message, message, label);
		assert.equal(answer.body.data, undefined, label);
	}
	function assertTaken(answer: Answer, label = '') {
		assert.equal(answer.status, 200, `${label}: ${JSON.stringify(answer.body)}`);
		assert.equal(answer.body.code, 0, label);
		assert.equal(answer.body.data.status, 'submitted', label);
	}
	async function finished(id: string): Promise<Json> {
		await settle();
		const [task] = (await tasks(`task_ids=${id}`)).body.data as Json[];
		assert.equal(task.status, 'succeeded');
		return task;
	}

	test('the mode rule and the paths are exported for node tests', () => {
		assert.equal(kling4Mode({ prompt: 'x' }), 'text-to-video');
		assert.equal(kling4Mode({ prompt: 'x', contents: [] }), 'text-to-video');
		assert.equal(kling4Mode({ contents: [PROMPT_ITEM(), FIRST, MIDDLE, LAST] }), 'image-to-video');
		for (const item of [REFER, FEATURE, BASE, element(1), voice(1)]) assert.equal(kling4Mode({ contents: [FIRST, item] }), 'omni-video');
		assert.equal(kling4Mode({ prompt: 'x', contents: [FIRST] }), undefined);
		assert.equal(kling4Mode({}), undefined);
		assert.equal(kling4CreatePath(DEFAULT_BEHAVIOUR, 'kling-4.0', 'omni-video'), '/omni-video/kling-4.0');
		assert.equal(kling4CreatePath({ ...DEFAULT_BEHAVIOUR, kling4Paths: 'unified' }, 'kling-4.0-flash'), '/video/kling-4.0-flash');
		assert.equal(kling4CreatePath(DEFAULT_BEHAVIOUR, 'kling-image-4.0'), '/omni-image/kling-image-4.0');
		assert.equal(kling4CreatePath({ ...DEFAULT_BEHAVIOUR, kling4ImagePaths: 'textToImage' }, 'kling-long-image-4.0'), '/text-to-image/kling-long-image-4.0');
		assert.deepEqual(kling4PromptTokens('@a, x@b (@c_1) @D-2 mail@x.com'), ['a', 'c_1', 'D']);
		assert.deepEqual(kling4OrdinalNames([PROMPT_ITEM(), FIRST, REFER, FEATURE, element(1), voice(1), LAST]), ['Image1', 'Image2', 'Video1', 'Element1', 'Audio1', 'Image3']);
	});

	test('each product takes a good body; /tasks reads it back with outputs[] and billing[]; POST /tasks lists it', async () => {
		const cases: Array<[string, Body, (task: Json) => void]> = [
			[T2V_PATH, T2V({ aspect_ratio: '21:9' }), (task) => {
				assert.deepEqual(task.outputs.map((o: Json) => [o.type, o.duration]), [['video', '5']]);
				assert.deepEqual(task.billing, [{ charge_type: 'unit', amount: '5', package_type: 'video' }]);
			}],
			// The Router's own example (§3.1).
			[I2V_PATH, { contents: [{ text: 'The fox turns toward the camera.', type: 'prompt' }, { type: 'first_frame', url: 'https://example.com/fox.png' }], settings: { duration: 3, resolution: '720p' } }, (task) => {
				assert.equal(task.outputs[0].duration, '3');
				assert.equal(task.billing[0].amount, '3');
			}],
			[I2V_PATH, C([PROMPT_ITEM(), FIRST, ...times(8, () => MIDDLE), LAST], { resolution: '1080p', duration: 10 }), (task) => assert.equal(task.billing[0].amount, '15')],
			[OMNI_PATH, C([PROMPT_ITEM('@hero walks to @fox and says hi in @narrator'), { ...REFER, id: 'fox' }, { ...element(1), id: 'hero' }, { ...voice(1), id: 'narrator' }], { resolution: '1080p', duration: 8, aspect_ratio: '4:3' }), (task) => {
				assert.equal(task.outputs[0].duration, '8');
				assert.equal(task.billing[0].amount, '12');
			}],
			// An edit without duration keeps the base video's length (the emulator's input clip lasts 3 s) and bills at the video-input rate.
			[OMNI_PATH, { contents: [PROMPT_ITEM('Make it snow'), { type: 'base_video', url: `${emulator.filesUrl}/inputs/clip.mp4` }], settings: { resolution: '720p' } }, (task) => {
				assert.equal(task.outputs[0].duration, '3');
				assert.equal(task.billing[0].amount, '3.6');
			}],
			// The Router's Flash example (§4).
			[FLASH_PATH, { prompt: 'A neon-lit alley in the rain, slow dolly forward.', settings: { aspect_ratio: '16:9', duration: 5, resolution: '720p' } }, (task) => {
				assert.equal(task.outputs[0].duration, '5');
				assert.equal(task.billing[0].amount, '3');
			}],
			// The Router's Image 4.0 example (§5).
			[IMAGE_PATH, { contents: [{ text: 'A knitted fox asleep on a pile of old books, soft window light.', type: 'prompt' }], settings: { aspect_ratio: '1:1', n: 1, resolution: '2k', result_type: 'single' } }, (task) => {
				assert.deepEqual(task.outputs.map((o: Json) => Object.keys(o).sort()), [['type', 'url']]);
				assert.deepEqual(task.billing, [{ charge_type: 'unit', amount: '1', package_type: 'image' }]);
			}],
			[IMAGE_PATH, IMG4([{ ...REFER, id: 'cat' }, element(1)], { n: 3, resolution: '4k', aspect_ratio: '16:9' }), (task) => {
				assert.equal(task.outputs.length, 3);
				assert.ok(task.outputs.every((o: Json) => o.type === 'image' && o.group_id === undefined));
				assert.equal(task.billing[0].amount, '4.5');
			}],
			[IMAGE_PATH, IMG4([], { result_type: 'series', series_amount: 'auto', resolution: '8k' }), (task) => {
				assert.equal(task.outputs.length, 4);
				assert.equal(new Set(task.outputs.map((o: Json) => o.group_id)).size, 1);
				assert.ok(task.outputs[0].group_id);
				assert.equal(task.billing[0].amount, '8');
			}],
			[IMAGE_PATH, IMG4([], { result_type: 'series', series_amount: 6 }), (task) => assert.equal(task.outputs.length, 6)],
			// The Router's Long Image example (§6).
			[LONG_PATH, { contents: [{ text: 'A landing page for a specialty coffee roaster: hero, product showcase, roasting story and footer.', type: 'prompt' }], settings: { resolution: '1k', skill: 'webpage' } }, (task) => {
				assert.equal(task.outputs.length, 1);
				assert.deepEqual(task.billing, [{ charge_type: 'unit', amount: '2', package_type: 'image' }]);
			}],
			[LONG_PATH, LONG([{ ...REFER, id: 'bag' }, REFER, REFER], { skill: 'ecommerce', resolution: '2k', length: 'long' }), (task) => assert.equal(task.outputs.length, 1)],
			[LONG_PATH, LONG([{ type: 'style_refer_image', url: IMAGE }, { type: 'subject_refer_image', url: IMAGE }]), (task) => assert.equal(task.outputs.length, 1)],
		];
		const ids: string[] = [];
		for (const [path, body] of cases) {
			const answer = await create(path, body);
			assertTaken(answer, path);
			ids.push(answer.body.data.id as string);
		}
		assert.deepEqual(emulator.createdTasks().map((task) => task.route.path), cases.map(([path]) => path));
		await settle();
		for (const [index, [path, , check]] of cases.entries()) {
			const task = await finished(ids[index]);
			assert.equal(task.external_id, '', path);
			check(task);
			for (const output of task.outputs) {
				const bytes = Buffer.from(await (await fetch(output.url)).arrayBuffer());
				assert.deepEqual(bytes, emulator.fileBytes(output.url), path);
			}
		}
		// The long image is one tall image (1:4).
		const long = await finished(ids[10]);
		const png = Buffer.from(await (await fetch(long.outputs[0].url)).arrayBuffer());
		assert.equal(png.readUInt32BE(20), png.readUInt32BE(16) * 4);
		const images = (await call('POST', '/tasks', { filters: [{ key: 'product_type', values: ['image'] }] })).body.data.result as Json[];
		assert.deepEqual(images.map((task) => task.id).sort(), ids.slice(6).sort());
		// Pools: <model>|video and <model>|image.
		assert.deepEqual([...new Set(emulator.createdTasks().map((task) => task.pool.split('|').slice(1).join('|')))], [
			'kling-4.0|video',
			'kling-4.0-flash|video',
			'kling-image-4.0|image',
			'kling-long-image-4.0|image',
		]);
	});

	test('watermark_info.enabled adds a watermarked copy to each output', async () => {
		const video = (await create(T2V_PATH, { ...T2V(), options: { watermark_info: { enabled: true } } })).body.data.id;
		const image = (await create(IMAGE_PATH, { ...IMG4([], { n: 2 }), options: { watermark_info: { enabled: true } } })).body.data.id;
		const plain = (await create(IMAGE_PATH, { ...IMG4(), options: { watermark_info: null } })).body.data.id;
		assert.ok((await finished(video)).outputs[0].watermark_url);
		const images = (await finished(image)).outputs as Json[];
		assert.equal(images.length, 2);
		assert.ok(images.every((o) => o.watermark_url && o.watermark_url !== o.url));
		assert.equal((await finished(plain)).outputs[0].watermark_url, undefined);
	});

	// Every limit of §3–§6 and §8 under the default switches: refused 400/1201 naming the field, no task.
	const LIMITS: Array<[string, string, Body, RegExp]> = [
		['prompt > 26,000', T2V_PATH, T2V({}, 'x'.repeat(26_001)), /^prompt exceeds 26000 characters$/],
		['prompt item > 26,000', I2V_PATH, C([PROMPT_ITEM('x'.repeat(26_001)), FIRST]), /contents\[0\]\.text exceeds 26000/],
		['prompt and contents', T2V_PATH, { ...T2V(), contents: [FIRST] }, /either prompt or contents, not both/],
		['neither prompt nor contents', T2V_PATH, { settings: { resolution: '720p', duration: 5 } }, /prompt or contents is required/],
		['unknown top-level field', T2V_PATH, { ...T2V(), model_name: 'kling-4.0' }, /^unknown parameter model_name$/],
		['settings missing', T2V_PATH, { prompt: 'x' }, /^settings is required$/],
		['resolution missing', T2V_PATH, { prompt: 'x', settings: { duration: 5 } }, /^settings\.resolution is required$/],
		['duration missing', T2V_PATH, { prompt: 'x', settings: { resolution: '720p' } }, /^settings\.duration is required$/],
		['duration missing with feature_video', OMNI_PATH, C([PROMPT_ITEM(), FEATURE], { resolution: '720p' }), /^settings\.duration is required$/],
		['duration 31', T2V_PATH, T2V({ duration: 31 }), /settings\.duration must be between 3 and 30/],
		['duration 2', T2V_PATH, T2V({ duration: 2 }), /settings\.duration must be between 3 and 30/],
		['duration 5.5', T2V_PATH, T2V({ duration: 5.5 }), /settings\.duration must be an integer/],
		['duration "5"', T2V_PATH, T2V({ duration: '5' }), /settings\.duration must be a number/],
		['aspect ratio 2:3', T2V_PATH, T2V({ aspect_ratio: '2:3' }), /settings\.aspect_ratio must be one of 16:9, 9:16, 1:1, 21:9, 4:3, 3:4/],
		['resolution 4k (HDR refused)', T2V_PATH, T2V({ resolution: '4k' }), /settings\.resolution must be one of 720p, 1080p$/],
		['settings.dynamic_range (HDR refused)', T2V_PATH, T2V({ resolution: '1080p', dynamic_range: 'hdr' }), /unknown parameter settings\.dynamic_range/],
		['settings.audio', T2V_PATH, T2V({ audio: 'native' }), /unknown parameter settings\.audio/],
		['17 contents items', OMNI_PATH, C([PROMPT_ITEM(), ...times(16, () => REFER)]), /contents allows at most 16 items/],
		['11 images', OMNI_PATH, C([FIRST, ...times(8, () => MIDDLE), LAST, REFER]), /at most 10 images in contents/],
		['2 first frames', I2V_PATH, C([FIRST, FIRST]), /at most 1 first_frame item/],
		['9 middle frames', I2V_PATH, C([FIRST, ...times(9, () => MIDDLE)]), /at most 8 middle_frame items/],
		['2 last frames', I2V_PATH, C([FIRST, LAST, LAST]), /at most 1 last_frame item/],
		['2 prompt items', I2V_PATH, C([PROMPT_ITEM(), PROMPT_ITEM(), FIRST]), /at most 1 prompt item/],
		['6 videos', OMNI_PATH, C([...times(5, () => FEATURE), BASE]), /at most 5 videos in contents/],
		['2 base videos', OMNI_PATH, C([BASE, BASE]), /at most 1 base_video item/],
		['8 elements', OMNI_PATH, C(times(8, element)), /at most 7 element items/],
		['4 voices', OMNI_PATH, C(times(4, voice)), /at most 3 voice items/],
		['element without id', OMNI_PATH, C([{ type: 'element', element_id: '162' }]), /^contents\[0\]\.id is required$/],
		['element_id a number', OMNI_PATH, C([{ type: 'element', element_id: 162, id: 'e' }]), /contents\[0\]\.element_id must be a string/],
		['voice without voice_id', OMNI_PATH, C([{ type: 'voice', id: 'v' }]), /contents\[0\]\.voice_id is required/],
		['voice without id', OMNI_PATH, C([{ type: 'voice', voice_id: '891' }]), /contents\[0\]\.id is required/],
		['ids twice', OMNI_PATH, C([{ ...REFER, id: 'a' }, { ...element(1), id: 'a' }]), /contents\[1\]\.id a is used twice/],
		['last frame without first', OMNI_PATH, C([REFER, LAST]), /last_frame needs a first_frame/],
		['image to video without a first frame', I2V_PATH, C([PROMPT_ITEM(), MIDDLE]), /contents needs a first_frame item/],
		['image to video with only a prompt item', I2V_PATH, C([PROMPT_ITEM()]), /contents needs a first_frame item/],
		['unknown item type', OMNI_PATH, C([{ type: 'image', url: IMAGE }]), /contents\[0\]\.type must be one of/],
		['unknown item field', OMNI_PATH, C([{ ...REFER, name: 'x' }]), /^unknown parameter contents\[0\]\.name$/],
		['video as Base64', OMNI_PATH, C([{ type: 'feature_video', url: 'AAAA' }]), /contents\[0\]\.url must be a URL/],
		['@token not an id', OMNI_PATH, C([PROMPT_ITEM('@hero waves'), { ...REFER, id: 'fox' }]), /^prompt reference @hero does not match any contents item$/],
		['@token in text to video', T2V_PATH, T2V({}, 'Make @Image1 dance'), /@Image1 does not match/],
		['watermark enabled not boolean', T2V_PATH, { ...T2V(), options: { watermark_info: { enabled: 'yes' } } }, /options\.watermark_info\.enabled must be a boolean/],
		['custom watermark', T2V_PATH, { ...T2V(), options: { watermark_info: { enabled: true, text: 'x' } } }, /unknown parameter options\.watermark_info\.text/],
		['unknown option', T2V_PATH, { ...T2V(), options: { priority: 1 } }, /unknown parameter options\.priority/],
		['callback_url not a URL', T2V_PATH, { ...T2V(), options: { callback_url: 'hook' } }, /options\.callback_url must be a URL/],
		['per-mode path with another mode', T2V_PATH, C([PROMPT_ITEM(), FIRST]), /^the body asks for image-to-video, but \/text-to-video\/kling-4\.0 takes text-to-video; send it to \/image-to-video\/kling-4\.0$/],
		['omni body on the image-to-video path', I2V_PATH, C([FIRST, REFER]), /the body asks for omni-video/],
		['Flash with contents', '/image-to-video/kling-4.0-flash', C([PROMPT_ITEM(), FIRST]), /kling-4\.0-flash takes only a top-level prompt/],
		['Flash 1080p', FLASH_PATH, T2V({ resolution: '1080p' }), /settings\.resolution must be one of 720p$/],
		['Flash 21 s', FLASH_PATH, T2V({ duration: 21 }), /settings\.duration must be between 3 and 20/],
		['Image: no prompt', IMAGE_PATH, { contents: [REFER] }, /exactly one prompt item/],
		['Image: 2 prompts', IMAGE_PATH, IMG4([PROMPT_ITEM()]), /at most 1 prompt item/],
		['Image: prompt > 50,000', IMAGE_PATH, { contents: [PROMPT_ITEM('x'.repeat(50_001))] }, /contents\[0\]\.text exceeds 50000/],
		['Image: 11 references', IMAGE_PATH, IMG4([...times(8, () => REFER), element(1), element(2), element(3)]), /at most 10 refer_image and element items/],
		['Image: a frame type', IMAGE_PATH, IMG4([FIRST]), /contents\[1\]\.type must be one of prompt, refer_image, element/],
		['Image: n 10', IMAGE_PATH, IMG4([], { n: 10 }), /settings\.n must be between 1 and 9/],
		['Image: resolution 1k', IMAGE_PATH, IMG4([], { resolution: '1k' }), /settings\.resolution must be one of 2k, 4k, 8k/],
		['Image: aspect 5:4', IMAGE_PATH, IMG4([], { aspect_ratio: '5:4' }), /settings\.aspect_ratio must be one of/],
		['Image: result_type grid', IMAGE_PATH, IMG4([], { result_type: 'grid' }), /settings\.result_type must be one of single, series/],
		['Image: series_amount with single', IMAGE_PATH, IMG4([], { series_amount: 3 }), /series_amount needs settings\.result_type series/],
		['Image: series_amount 11', IMAGE_PATH, IMG4([], { result_type: 'series', series_amount: 11 }), /series_amount must be an integer between 2 and 10 or "auto"/],
		['Image: series_amount 1', IMAGE_PATH, IMG4([], { result_type: 'series', series_amount: 1 }), /series_amount must be/],
		['Image: series_amount "many"', IMAGE_PATH, IMG4([], { result_type: 'series', series_amount: 'many' }), /series_amount must be/],
		['Image: unknown setting', IMAGE_PATH, IMG4([], { duration: 5 }), /unknown parameter settings\.duration/],
		['Long: settings missing', LONG_PATH, { contents: [PROMPT_ITEM()] }, /^settings is required$/],
		['Long: skill missing', LONG_PATH, LONG([], { resolution: '1k' }), /settings\.skill is required/],
		['Long: skill poster', LONG_PATH, LONG([], { skill: 'poster' }), /settings\.skill must be one of webpage, ecommerce/],
		['Long: resolution 4k', LONG_PATH, LONG([], { skill: 'webpage', resolution: '4k' }), /settings\.resolution must be one of 1k, 2k/],
		['Long: length with webpage', LONG_PATH, LONG([], { skill: 'webpage', length: 'short' }), /settings\.length is only for skill ecommerce/],
		['Long: length tall', LONG_PATH, LONG([REFER], { skill: 'ecommerce', length: 'tall' }), /settings\.length must be one of short, medium, long/],
		['Long: webpage with refer_image', LONG_PATH, LONG([REFER]), /skill webpage takes style_refer_image and subject_refer_image, not refer_image/],
		['Long: 2 style images', LONG_PATH, LONG([{ type: 'style_refer_image', url: IMAGE }, { type: 'style_refer_image', url: IMAGE }]), /at most 1 style_refer_image item/],
		['Long: 2 subject images', LONG_PATH, LONG([{ type: 'subject_refer_image', url: IMAGE }, { type: 'subject_refer_image', url: IMAGE }]), /at most 1 subject_refer_image item/],
		['Long: ecommerce without refer_image', LONG_PATH, LONG([], { skill: 'ecommerce' }), /skill ecommerce needs 1–3 refer_image/],
		['Long: ecommerce with a style image', LONG_PATH, LONG([REFER, { type: 'style_refer_image', url: IMAGE }], { skill: 'ecommerce' }), /skill ecommerce takes refer_image/],
		['Long: 4 refer images', LONG_PATH, LONG(times(4, () => REFER), { skill: 'ecommerce' }), /at most 3 refer_image items/],
		['Long: an element', LONG_PATH, LONG([element(1)]), /contents\[1\]\.type must be one of prompt, refer_image, style_refer_image, subject_refer_image/],
		['Long: prompt > 166,000', LONG_PATH, { contents: [PROMPT_ITEM('x'.repeat(166_001))], settings: { skill: 'webpage' } }, /contents\[0\]\.text exceeds 166000/],
	];

	test('every limit is refused 400/1201 naming the field, before any task exists', async () => {
		for (const [label, path, body, message] of LIMITS) assertRefused(await create(path, body), message, label);
		assert.equal(emulator.createdTasks().length, 0);
	});

	// The same limits, exactly at the edge: taken.
	const EDGES: Array<[string, string, Body]> = [
		['prompt of 26,000', T2V_PATH, T2V({}, 'x'.repeat(26_000))],
		['duration 3 and 30', T2V_PATH, T2V({ duration: 30 })],
		['duration 3', T2V_PATH, T2V({ duration: 3 })],
		['every 4.0 aspect ratio', T2V_PATH, T2V({ aspect_ratio: '3:4' })],
		['16 items: 10 images + 5 videos + prompt', OMNI_PATH, C([PROMPT_ITEM(), FIRST, ...times(8, () => MIDDLE), LAST, ...times(4, () => FEATURE), BASE])],
		['7 elements and 3 voices', OMNI_PATH, C([...times(7, element), ...times(3, voice)])],
		['an edit without duration', OMNI_PATH, C([BASE], { resolution: '1080p' })],
		['an edit with duration', OMNI_PATH, C([BASE], { resolution: '1080p', duration: 12 })],
		['ids on every item, @id for each', OMNI_PATH, C([{ ...PROMPT_ITEM('@f then @m then @l with @r, @v, @e and @s'), id: 'p' }, { ...FIRST, id: 'f' }, { ...MIDDLE, id: 'm' }, { ...LAST, id: 'l' }, { ...REFER, id: 'r' }, { ...FEATURE, id: 'v' }, { ...element(1), id: 'e' }, { ...voice(1), id: 's' }])],
		['an e-mail address is no reference', T2V_PATH, T2V({}, 'Write to me@example.com')],
		['Flash 20 s, 4:3', FLASH_PATH, T2V({ duration: 20, aspect_ratio: '4:3' })],
		['Image: 10 references', IMAGE_PATH, IMG4([...times(7, () => REFER), element(1), element(2), element(3)])],
		['Image: n 9, auto ratio', IMAGE_PATH, IMG4([], { n: 9, aspect_ratio: 'auto' })],
		['Image: series of 10', IMAGE_PATH, IMG4([], { result_type: 'series', series_amount: 10 })],
		['Image: no settings', IMAGE_PATH, { contents: [PROMPT_ITEM('x'.repeat(50_000))] }],
		['Long: prompt of 166,000', LONG_PATH, { contents: [PROMPT_ITEM('x'.repeat(166_000))], settings: { skill: 'webpage' } }],
		['Long: ecommerce, 1 image, medium', LONG_PATH, LONG([REFER], { skill: 'ecommerce', length: 'medium' })],
	];

	test('each limit exactly at its edge is taken', async () => {
		for (const [label, path, body] of EDGES) assertTaken(await create(path, body), label);
		assert.equal(emulator.createdTasks().length, EDGES.length);
	});

	// Each §7 switch, each alternative: [label, switches, path, body, undefined = taken | message of the refusal | 404].
	const SWITCHES: Array<[string, Partial<Behaviour>, string, Body, RegExp | undefined | 404]> = [
		['perMode: /video/<model> does not exist', {}, '/video/kling-4.0', T2V(), 404],
		['unified: text to video', { kling4Paths: 'unified' }, '/video/kling-4.0', T2V(), undefined],
		['unified: image to video', { kling4Paths: 'unified' }, '/video/kling-4.0', C([PROMPT_ITEM(), FIRST]), undefined],
		['unified: omni', { kling4Paths: 'unified' }, '/video/kling-4.0', C([REFER]), undefined],
		['unified: Flash', { kling4Paths: 'unified' }, '/video/kling-4.0-flash', T2V(), undefined],
		['unified: still one mode per body', { kling4Paths: 'unified' }, '/video/kling-4.0', { ...T2V(), contents: [FIRST] }, /either prompt or contents/],
		['unified: the per-mode paths do not exist', { kling4Paths: 'unified' }, T2V_PATH, T2V(), 404],
		['omniImage: /text-to-image does not exist', {}, '/text-to-image/kling-image-4.0', IMG4(), 404],
		['textToImage: Image 4.0', { kling4ImagePaths: 'textToImage' }, '/text-to-image/kling-image-4.0', IMG4(), undefined],
		['textToImage: Long Image 4.0', { kling4ImagePaths: 'textToImage' }, '/text-to-image/kling-long-image-4.0', LONG(), undefined],
		['textToImage: /omni-image does not exist', { kling4ImagePaths: 'textToImage' }, IMAGE_PATH, IMG4(), 404],
		['ordinal: id on a frame is unknown', { kling4References: 'ordinal' }, OMNI_PATH, C([{ ...REFER, id: 'fox' }]), /^unknown parameter contents\[0\]\.id$/],
		['ordinal: id on the prompt is unknown', { kling4References: 'ordinal' }, I2V_PATH, C([{ ...PROMPT_ITEM(), id: 'p' }, FIRST]), /^unknown parameter contents\[0\]\.id$/],
		['ordinal: element still needs its id', { kling4References: 'ordinal' }, OMNI_PATH, C([{ type: 'element', element_id: '1' }]), /contents\[0\]\.id is required/],
		['ordinal: names within the counts', { kling4References: 'ordinal' }, OMNI_PATH, C([PROMPT_ITEM('@Image1 and @Image2 meet @Element1 in @Video1, voiced by @Audio1'), FIRST, REFER, FEATURE, element(1), voice(1)]), undefined],
		['ordinal: @Image3 beyond two images', { kling4References: 'ordinal' }, OMNI_PATH, C([PROMPT_ITEM('@Image3 waves'), FIRST, REFER]), /@Image3 does not match/],
		['ordinal: an item id is no name', { kling4References: 'ordinal' }, OMNI_PATH, C([PROMPT_ITEM('@element_1 waves'), element(1)]), /@element_1 does not match/],
		['ordinal: Image 4.0 @Image1', { kling4References: 'ordinal' }, IMAGE_PATH, IMG4([REFER]), undefined],
		['id: an ordinal name is no id', {}, OMNI_PATH, C([PROMPT_ITEM('@Image1 waves'), REFER]), /@Image1 does not match/],
		['id: Image 4.0 @id', {}, IMAGE_PATH, { contents: [PROMPT_ITEM('@cat on a sofa'), { ...REFER, id: 'cat' }] }, undefined],
		['id: Long Image @id', {}, LONG_PATH, LONG([{ type: 'style_refer_image', url: IMAGE, id: 'look' }]), undefined],
		['resolutionValues: 4k', { kling4Hdr: 'resolutionValues' }, T2V_PATH, T2V({ resolution: '4k' }), undefined],
		['resolutionValues: 1080p HDR', { kling4Hdr: 'resolutionValues' }, T2V_PATH, T2V({ resolution: '1080p HDR' }), undefined],
		['resolutionValues: 4k HDR', { kling4Hdr: 'resolutionValues' }, T2V_PATH, T2V({ resolution: '4k HDR' }), undefined],
		['resolutionValues: no dynamic_range', { kling4Hdr: 'resolutionValues' }, T2V_PATH, T2V({ resolution: '4k', dynamic_range: 'hdr' }), /unknown parameter settings\.dynamic_range/],
		['resolutionValues: Flash stays 720p', { kling4Hdr: 'resolutionValues' }, FLASH_PATH, T2V({ resolution: '1080p HDR' }), /must be one of 720p$/],
		['dynamicRange: 4k', { kling4Hdr: 'dynamicRange' }, T2V_PATH, T2V({ resolution: '4k' }), undefined],
		['dynamicRange: hdr at 1080p', { kling4Hdr: 'dynamicRange' }, T2V_PATH, T2V({ resolution: '1080p', dynamic_range: 'hdr' }), undefined],
		['dynamicRange: sdr at 720p', { kling4Hdr: 'dynamicRange' }, T2V_PATH, T2V({ dynamic_range: 'sdr' }), undefined],
		['dynamicRange: hdr at 720p', { kling4Hdr: 'dynamicRange' }, T2V_PATH, T2V({ dynamic_range: 'hdr' }), /dynamic_range hdr needs settings\.resolution 1080p or 4k/],
		['dynamicRange: no combo labels', { kling4Hdr: 'dynamicRange' }, T2V_PATH, T2V({ resolution: '4k HDR' }), /must be one of 720p, 1080p, 4k$/],
		['dynamicRange: Flash has none', { kling4Hdr: 'dynamicRange' }, FLASH_PATH, T2V({ dynamic_range: 'sdr' }), /unknown parameter settings\.dynamic_range/],
		['wide: Flash first frame', { kling4FlashInputs: 'wide' }, '/image-to-video/kling-4.0-flash', C([PROMPT_ITEM(), FIRST]), undefined],
		['wide: Flash reference', { kling4FlashInputs: 'wide' }, '/omni-video/kling-4.0-flash', C([FIRST, REFER, FEATURE, element(1)]), undefined],
		['wide: Flash no middle frame', { kling4FlashInputs: 'wide' }, '/image-to-video/kling-4.0-flash', C([FIRST, MIDDLE]), /contents\[1\]\.type must be one of prompt, first_frame, refer_image, feature_video, element$/],
		['wide: Flash no last frame', { kling4FlashInputs: 'wide' }, '/image-to-video/kling-4.0-flash', C([FIRST, LAST]), /contents\[1\]\.type must be one of/],
		['wide: Flash no base video', { kling4FlashInputs: 'wide' }, '/omni-video/kling-4.0-flash', C([BASE]), /contents\[0\]\.type must be one of/],
		['wide: Flash no voice', { kling4FlashInputs: 'wide' }, '/omni-video/kling-4.0-flash', C([voice(1)]), /contents\[0\]\.type must be one of/],
		['wide: Flash still 720p', { kling4FlashInputs: 'wide' }, '/image-to-video/kling-4.0-flash', C([FIRST], { resolution: '1080p', duration: 5 }), /must be one of 720p$/],
		['textOnly: Flash reference refused', {}, '/omni-video/kling-4.0-flash', C([REFER]), /takes only a top-level prompt/],
		['optional first frame: middle only', { kling4FirstFrame: 'optional' }, I2V_PATH, C([PROMPT_ITEM(), MIDDLE]), undefined],
		['optional first frame: a frame is still needed', { kling4FirstFrame: 'optional' }, I2V_PATH, C([PROMPT_ITEM()]), /at least one frame item/],
		['optional first frame: last only still refused', { kling4FirstFrame: 'optional' }, I2V_PATH, C([LAST]), /last_frame needs a first_frame/],
	];

	test('each switch plays each alternative', async () => {
		for (const [label, behaviour, path, body, expected] of SWITCHES) {
			use(behaviour);
			const before = emulator.createdTasks().length;
			const answer = await create(path, body);
			if (expected === undefined) assertTaken(answer, label);
			else if (expected === 404) {
				assert.equal(answer.status, 404, `${label}: ${JSON.stringify(answer.body)}`);
				assert.equal(answer.body.code, 1203, label);
			} else assertRefused(answer, expected, label);
			assert.equal(emulator.createdTasks().length, before + (expected === undefined ? 1 : 0), label);
		}
	});

	/** A local receiver for callbacks; `received` fills as they arrive. */
	async function withReceiver(run: (url: string, received: Json[]) => Promise<void>) {
		const received: Json[] = [];
		const server = createServer((req: IncomingMessage, res) => {
			let raw = '';
			req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
			req.on('end', () => {
				received.push(JSON.parse(raw));
				res.end('ok');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received);
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	}

	test('external id and callback accepted (default): like 3.0 — unique, findable through /tasks, new-shape callbacks', async () => {
		await withReceiver(async (hook, received) => {
			const answer = await create(T2V_PATH, { ...T2V(), options: { external_task_id: 'k4-accept', callback_url: hook } });
			assertTaken(answer);
			assert.equal(answer.body.data.external_id, 'k4-accept');
			assertRefused(await create(IMAGE_PATH, { ...IMG4(), options: { external_task_id: 'k4-accept' } }), /^External_task_id k4-accept already exists$/);
			const found = (await tasks('external_task_ids=k4-accept')).body.data as Json[];
			assert.deepEqual(found.map((task) => [task.id, task.external_id]), [[answer.body.data.id, 'k4-accept']]);
			await settle(200);
			await emulator.callbacks.settled();
			assert.deepEqual(received.map((body) => body.status), ['submitted', 'processing', 'succeeded']);
			assert.ok(received.every((body) => body.id === answer.body.data.id && body.external_id === 'k4-accept' && body.task_id === undefined));
			assert.equal(received[2].outputs[0].duration, '5');
		});
	});

	test('external id and callback refused: 400/1201 "… is not supported on <model>", no task', async () => {
		use({ kling4ExternalTaskId: 'refuse', kling4CallbackUrl: 'refuse' });
		assertRefused(await create(T2V_PATH, { ...T2V(), options: { external_task_id: 'k4-r' } }), /^options\.external_task_id is not supported on kling-4\.0$/);
		assertRefused(await create(T2V_PATH, { ...T2V(), options: { callback_url: 'http://127.0.0.1:9/hook' } }), /^options\.callback_url is not supported on kling-4\.0$/);
		assertRefused(await create(FLASH_PATH, { ...T2V(), options: { external_task_id: '' } }), /^options\.external_task_id is not supported on kling-4\.0-flash$/);
		assertRefused(await create(IMAGE_PATH, { ...IMG4(), options: { external_task_id: 'k4-r' } }), /is not supported on kling-image-4\.0$/);
		assertRefused(await create(LONG_PATH, { ...LONG(), options: { callback_url: 'http://127.0.0.1:9/hook' } }), /^options\.callback_url is not supported on kling-long-image-4\.0$/);
		assert.equal(emulator.createdTasks().length, 0);
		assert.deepEqual((await tasks('external_task_ids=k4-r')).body.data, []);
		// One refused, the other taken (Q1 c).
		use({ kling4ExternalTaskId: 'refuse' });
		assertTaken(await create(T2V_PATH, { ...T2V(), options: { callback_url: 'http://127.0.0.1:9/hook', watermark_info: { enabled: false } } }));
		use({ kling4CallbackUrl: 'refuse' });
		assertTaken(await create(T2V_PATH, { ...T2V(), options: { external_task_id: 'k4-r2' } }));
	});

	test('external id and callback ignored: the task exists, the id finds nothing, no callback is posted', async () => {
		use({ kling4ExternalTaskId: 'ignore', kling4CallbackUrl: 'ignore' });
		await withReceiver(async (hook, received) => {
			const answer = await create(T2V_PATH, { ...T2V(), options: { external_task_id: 'k4-ign', callback_url: hook } });
			assertTaken(answer);
			assert.equal(answer.body.data.external_id, undefined);
			// A second create with the same id is not refused: Kling never kept it.
			assertTaken(await create(IMAGE_PATH, { ...IMG4(), options: { external_task_id: 'k4-ign', callback_url: hook } }));
			assert.equal(emulator.createdTasks().length, 2);
			assert.deepEqual((await tasks('external_task_ids=k4-ign')).body.data, []);
			await settle(200);
			await emulator.callbacks.settled();
			assert.deepEqual(received, []);
			assert.deepEqual(emulator.callbacks.sent, []);
			const task = await finished(answer.body.data.id);
			assert.equal(task.external_id, '');
			assert.equal(JSON.stringify(task).includes('k4-ign'), false);
		});
	});

	test('reference videos the emulator can measure: each 3–30 s (Flash 3–20 s), together ≤ 30 s; edits keep the base length', async () => {
		const made = async (seconds: number) => {
			const id = (await create(T2V_PATH, T2V({ duration: seconds }))).body.data.id as string;
			return emulator.tasks.get(id)!.files[0].url;
		};
		const twenty = await made(20);
		const twentyFive = await made(25);
		const clip = `${emulator.filesUrl}/inputs/clip.mp4`;
		assertRefused(await create(OMNI_PATH, C([FEATURE, { ...FEATURE, url: twenty }, { ...FEATURE, url: twenty }])), /reference videos must last at most 30 s together, these last 40 s/);
		assertTaken(await create(OMNI_PATH, C([{ ...FEATURE, url: clip }, { ...FEATURE, url: twentyFive }])));
		use({ kling4FlashInputs: 'wide' });
		assertRefused(await create('/omni-video/kling-4.0-flash', C([{ ...FEATURE, url: twentyFive }])), /contents\[0\]\.url: a reference video must last 3–20 s, this one lasts 25 s/);
		assertTaken(await create('/omni-video/kling-4.0-flash', C([{ ...FEATURE, url: twenty }])));
		// An edit of the 25 s video at 1080p: 25 s out, billed (max(25, 25) + 25) × 0.9.
		const edit = (await create(OMNI_PATH, C([PROMPT_ITEM('Make it night'), { ...BASE, url: twentyFive }], { resolution: '1080p' }))).body.data.id;
		const task = await finished(edit);
		assert.equal(task.outputs[0].duration, '25');
		assert.equal(task.billing[0].amount, '45');
		// A feature video of unknown length with a 10 s output: the input counts as no longer than the output.
		const reference = (await create(OMNI_PATH, C([FEATURE], { resolution: '720p', duration: 10 }))).body.data.id;
		assert.equal((await finished(reference)).billing[0].amount, '12');
	});
});

describe('emulator: Kling 4.0 image results padded to imageBytes', () => {
	let emulator: KlingEmulator;
	before(async () => (emulator = await new KlingEmulator({ submittedMs: 10, processingMs: 10, imageBytes: 2 * 1024 * 1024 }).start()));
	after(async () => await emulator.stop());

	test('each image is a PNG of exactly imageBytes', async () => {
		const response = await fetch(`${emulator.url}/omni-image/kling-image-4.0`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-emulated-origin': SINGAPORE, authorization: `Bearer ${API_KEY}` },
			body: JSON.stringify(IMG4([], { resolution: '8k', n: 2 })),
		});
		const { data } = (await response.json()) as { data: { id: string } };
		const task = emulator.tasks.get(data.id)!;
		assert.equal(task.files.length, 2);
		for (const file of task.files) {
			const bytes = Buffer.from(await (await fetch(file.url)).arrayBuffer());
			assert.equal(bytes.length, 2 * 1024 * 1024);
			assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
		}
	});
});
