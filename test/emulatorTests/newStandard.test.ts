/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: node:test, node:http and fetch run outside n8n */
/**
 * The emulator's new-standard video API against https://kling.ai/document-api/api/get-started/authentication and §4, over plain HTTP (no n8n):
 * Kling's own example bodies are taken, everything the pages rule out is refused with the field named,
 * JWTs are refused, /tasks batches follow the live limits, retired legacy models answer "discontinued",
 * and concurrency is counted per account × model version × pack type.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';

import { KlingEmulator, TEST_KEYS } from '../support/emulator/kling-emulator';
import { shotsOf } from '../support/emulator/newStandard';

const SINGAPORE = 'https://api-singapore.klingai.com';
const BEIJING = 'https://api-beijing.klingai.com';
const COMET = 'https://api.cometapi.com';
const API_KEY = TEST_KEYS.singapore.apiKey;
const IMAGE = 'https://p2-kling.klingai.com/kcdn/cdn-kcdn112452/kling-tob-release_note/image_25.png';
const VIDEO = 'https://p2-kling.klingai.com/kcdn/cdn-kcdn112452/kling-tob-release_note/video_7.1.mp4';
const PROMPT = 'A girl sat on the train, looking out the window with a melancholic expression, her head swaying with the train.';
const OPTIONS = { callback_url: 'https://xxx/callback', external_task_id: '' };

/** An HS256 token signed here, apart from both the node's signer and the emulator's checker. */
function jwt(accessKey: string, secretKey: string): string {
	const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const now = Math.floor(Date.now() / 1000);
	const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ iss: accessKey, exp: now + 1800, nbf: now - 5 })}`;
	return `${unsigned}.${createHmac('sha256', secretKey).update(unsigned).digest('base64url')}`;
}
const SINGAPORE_JWT = () => jwt(TEST_KEYS.singapore.accessKey, TEST_KEYS.singapore.secretKey);

// Kling's JSON answers are read loosely: their shape is what the assertions check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Answer {
	status: number;
	body: { code: number | null; message: string; data?: Json };
}

describe('emulator: the new-standard video API', () => {
	let emulator: KlingEmulator;
	before(async () => (emulator = await new KlingEmulator({ submittedMs: 100, processingMs: 100 }).start()));
	after(async () => await emulator.stop());
	beforeEach(() => emulator.reset());

	async function call(
		method: string,
		path: string,
		body?: unknown,
		{ origin = SINGAPORE, token = API_KEY as string | null } = {},
	): Promise<Answer> {
		const headers: Record<string, string> = { 'content-type': 'application/json', 'x-emulated-origin': origin };
		if (token !== null) headers.authorization = `Bearer ${token}`;
		const response = await fetch(`${emulator.url}${path}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: response.status, body: (await response.json()) as Answer['body'] };
	}
	const create = (path: string, body: unknown, options?: Parameters<typeof call>[3]) => call('POST', path, body, options);
	const tasks = (query: string, options?: Parameters<typeof call>[3]) => call('GET', `/tasks?${query}`, undefined, options);
	const settle = (ms = 260) => new Promise((resolve) => setTimeout(resolve, ms));

	function assertRefused(answer: Answer, status: number, code: number, message: RegExp) {
		assert.equal(answer.status, status, JSON.stringify(answer.body));
		assert.equal(answer.body.code, code);
		assert.match(answer.body.message, message);
		assert.equal(answer.body.data, undefined);
	}

	// Kling's own request examples (kling.ai/document-api pages behind https://kling.ai/document-api/api/video/3-0-omni/text-to-video), plus the one body
	// per model that the pages describe without an example.
	const EXAMPLES: Array<[string, Record<string, unknown>]> = [
		['/text-to-video/kling-3.0-turbo', { prompt: PROMPT, options: { callback_url: 'https://xxx/callback', watermark_info: { enabled: false }, external_task_id: '' }, settings: { duration: 3, resolution: '720p', aspect_ratio: '9:16' } }],
		['/text-to-video/kling-3.0', { prompt: PROMPT, settings: { multi_shot: true, audio: 'native', resolution: '4k', aspect_ratio: '16:9', duration: 15 }, options: OPTIONS }],
		['/text-to-video/kling-2.6', { prompt: PROMPT, settings: { audio: 'native', resolution: '1080p', aspect_ratio: '1:1', duration: 10 }, options: OPTIONS }],
		['/text-to-video/kling-2.5-turbo', { prompt: PROMPT, settings: { resolution: '720p', aspect_ratio: '16:9', duration: 5 } }],
		['/image-to-video/kling-3.0-turbo', { contents: [{ type: 'prompt', text: PROMPT }, { type: 'first_frame', url: IMAGE }], settings: { resolution: '1080p', duration: 15 }, options: { ...OPTIONS, watermark_info: { enabled: false } } }],
		['/image-to-video/kling-3.0', { contents: [{ type: 'prompt', text: PROMPT }, { type: 'first_frame', url: IMAGE }], settings: { resolution: '4k', duration: 10, audio: 'off', multi_shot: false }, options: { ...OPTIONS, watermark_info: { enabled: false } } }],
		['/image-to-video/kling-3.0', { contents: [{ type: 'prompt', text: PROMPT }, { type: 'first_frame', url: IMAGE }, { type: 'last_frame', url: IMAGE }, { type: 'element', element_id: '163', id: 'element_1' }], settings: { resolution: '1080p', duration: 10, audio: 'native', multi_shot: false }, options: { ...OPTIONS, watermark_info: { enabled: true } } }],
		['/image-to-video/kling-2.6', { contents: [{ type: 'prompt', text: `${PROMPT} @1 whispers softly.` }, { type: 'first_frame', url: IMAGE }, { type: 'voice', voice_id: '891495440020668439', id: '1' }], settings: { audio: 'native', resolution: '1080p', duration: 5 }, options: { ...OPTIONS, watermark_info: { enabled: true } } }],
		['/image-to-video/kling-2.5-turbo', { contents: [{ type: 'first_frame', url: IMAGE }, { type: 'last_frame', url: IMAGE }], settings: { resolution: '1080p', duration: 10 } }],
		['/omni-video/kling-3.0-omni', { contents: [{ type: 'prompt', text: PROMPT }], settings: { resolution: '1080p', duration: 5, audio: 'native', multi_shot: false }, options: OPTIONS }],
		['/omni-video/kling-3.0-omni', { contents: [{ type: 'prompt', text: PROMPT }, { type: 'first_frame', url: IMAGE, id: 'image_1' }, { type: 'refer_image', url: IMAGE, id: 'image_2' }], settings: { resolution: '1080p', duration: 5, audio: 'native', multi_shot: false }, options: OPTIONS }],
		['/omni-video/kling-3.0-omni', { contents: [{ type: 'prompt', text: PROMPT }, { type: 'first_frame', url: IMAGE, id: 'image_1' }, { type: 'last_frame', url: IMAGE, id: 'image_2' }, { type: 'element', element_id: '162', id: 'element_1' }, { type: 'element', element_id: '163', id: 'element_2' }], settings: { resolution: '1080p', duration: 5, audio: 'native', multi_shot: true }, options: OPTIONS }],
		['/omni-video/kling-3.0-omni', { contents: [{ type: 'prompt', text: PROMPT }, { type: 'feature_video', url: VIDEO, id: 'video_1' }], settings: { resolution: '4k', audio: 'off', multi_shot: true }, options: OPTIONS }],
		['/omni-video/kling-3.0-omni', { contents: [{ type: 'prompt', text: PROMPT }, { type: 'base_video', url: VIDEO, id: 'video_1' }], settings: { resolution: '1080p', audio: 'original', multi_shot: false }, options: OPTIONS }],
		['/omni-video/kling-o1', { contents: [{ type: 'prompt', text: 'Make @image_1 wave' }, { type: 'refer_image', url: IMAGE, id: 'image_1' }], settings: { resolution: '1080p', aspect_ratio: '16:9', duration: 7, audio: 'off' } }],
		['/omni-video/kling-o1', { contents: [{ type: 'prompt', text: PROMPT }, { type: 'first_frame', url: IMAGE }], settings: { duration: 10 } }],
		['/motion-control/kling-3.0', { contents: [{ type: 'prompt', text: 'The girl is wearing a loose gray T-shirt and denim shorts' }, { type: 'image', url: IMAGE }, { type: 'video', url: VIDEO }], settings: { character_orientation: 'video', resolution: '1080p', audio: 'original' }, options: OPTIONS }],
		['/motion-control/kling-3.0', { contents: [{ type: 'image', url: IMAGE }, { type: 'video', url: VIDEO }, { type: 'element', element_id: '162', id: 'Zhang' }], settings: { character_orientation: 'image' } }],
		['/motion-control/kling-2.6', { contents: [{ type: 'image', url: 'iVBORw0KGgoAAAANSUhEUgAAAAE=' }, { type: 'video', url: VIDEO }], settings: { character_orientation: 'image', resolution: '720p', audio: 'off' } }],
	];

	test('every product and model takes the documented example bodies: 200, data {id, status submitted, times}', async () => {
		for (const [path, body] of EXAMPLES) {
			const answer = await create(path, body);
			assert.equal(answer.status, 200, `${path}: ${JSON.stringify(answer.body)}`);
			assert.equal(answer.body.code, 0);
			const data = answer.body.data as Record<string, unknown>;
			assert.deepEqual(Object.keys(data).sort(), ['create_time', 'id', 'status', 'update_time'], path);
			assert.equal(data.status, 'submitted');
			assert.equal(typeof data.create_time, 'number');
		}
		const created = emulator.createdTasks();
		assert.equal(created.length, EXAMPLES.length);
		assert.deepEqual(created.map((task) => task.route.path), EXAMPLES.map(([path]) => path));
		assert.deepEqual(created.map((task) => task.body), EXAMPLES.map(([, body]) => body));
		assert.ok(created.every((task) => emulator.standardOf(task) === 'new'));
	});

	const SIMPLE_I2V = (extra: unknown[] = [], settings: Record<string, unknown> = {}) => ({
		contents: [{ type: 'first_frame', url: IMAGE }, ...extra],
		settings,
	});
	const MOTION = (settings: Record<string, unknown> | undefined, extra: unknown[] = []) => ({
		contents: [{ type: 'image', url: IMAGE }, { type: 'video', url: VIDEO }, ...extra],
		...(settings ? { settings } : {}),
	});
	const OMNI = (contents: unknown[], settings: Record<string, unknown> = {}) => ({
		contents: [{ type: 'prompt', text: 'x' }, ...contents],
		settings,
	});
	const element = (id: string) => ({ type: 'element', element_id: id, id: `e${id}` });

	const REFUSED: Array<[string, string, Record<string, unknown>, RegExp]> = [
		['an unknown top-level field', '/text-to-video/kling-3.0', { prompt: 'x', negative_prompt: 'blur' }, /unknown parameter negative_prompt/],
		['a legacy field in settings', '/text-to-video/kling-3.0', { prompt: 'x', settings: { mode: 'pro' } }, /unknown parameter settings\.mode/],
		['duration as a string', '/text-to-video/kling-3.0', { prompt: 'x', settings: { duration: '5' } }, /settings\.duration must be a number/],
		['a fractional duration', '/text-to-video/kling-3.0-turbo', { prompt: 'x', settings: { duration: 5.5 } }, /settings\.duration must be an integer/],
		['16 s on 3.0', '/text-to-video/kling-3.0', { prompt: 'x', settings: { duration: 16 } }, /settings\.duration must be between 3 and 15/],
		['7 s on 2.6', '/text-to-video/kling-2.6', { prompt: 'x', settings: { duration: 7 } }, /settings\.duration must be one of 5, 10/],
		['3 s on 2.5 Turbo', '/text-to-video/kling-2.5-turbo', { prompt: 'x', settings: { duration: 3 } }, /settings\.duration must be one of 5, 10/],
		['4K on 2.6', '/text-to-video/kling-2.6', { prompt: 'x', settings: { resolution: '4k' } }, /settings\.resolution must be one of 720p, 1080p/],
		['4K on 3.0 Turbo', '/text-to-video/kling-3.0-turbo', { prompt: 'x', settings: { resolution: '4k' } }, /settings\.resolution must be one of 720p, 1080p/],
		['an audio setting on 3.0 Turbo (always on)', '/text-to-video/kling-3.0-turbo', { prompt: 'x', settings: { audio: 'native' } }, /unknown parameter settings\.audio/],
		['audio on 2.5 Turbo', '/text-to-video/kling-2.5-turbo', { prompt: 'x', settings: { audio: 'off' } }, /unknown parameter settings\.audio/],
		['multi-shot on 2.6', '/text-to-video/kling-2.6', { prompt: 'x', settings: { multi_shot: true } }, /unknown parameter settings\.multi_shot/],
		['audio "original" on 3.0 text to video', '/text-to-video/kling-3.0', { prompt: 'x', settings: { audio: 'original' } }, /settings\.audio must be one of native, off/],
		['native audio at 720p on 2.6', '/text-to-video/kling-2.6', { prompt: 'x', settings: { audio: 'native' } }, /audio native needs settings\.resolution 1080p/],
		['a 3:4 aspect ratio', '/text-to-video/kling-3.0', { prompt: 'x', settings: { aspect_ratio: '3:4' } }, /settings\.aspect_ratio must be one of 16:9, 9:16, 1:1/],
		['no prompt on text to video', '/text-to-video/kling-3.0', { settings: { duration: 5 } }, /^prompt is required/],
		['contents on text to video', '/text-to-video/kling-3.0', { prompt: 'x', contents: [{ type: 'prompt', text: 'x' }] }, /unknown parameter contents/],
		['a 3073-character prompt on 3.0', '/text-to-video/kling-3.0', { prompt: 'p'.repeat(3073) }, /prompt exceeds 3072 characters/],
		['a 2501-character prompt on 2.6', '/text-to-video/kling-2.6', { prompt: 'p'.repeat(2501) }, /prompt exceeds 2500 characters/],
		['a 2501-character prompt on Turbo image to video (Q8)', '/image-to-video/kling-3.0-turbo', SIMPLE_I2V([{ type: 'prompt', text: 'p'.repeat(2501) }]), /contents\[1\]\.text exceeds 2500 characters/],
		['an unknown option', '/text-to-video/kling-3.0', { prompt: 'x', options: { webhook: 'https://x' } }, /unknown parameter options\.webhook/],
		['watermark enabled as a string', '/text-to-video/kling-3.0', { prompt: 'x', options: { watermark_info: { enabled: 'true' } } }, /options\.watermark_info\.enabled must be a boolean/],
		['a custom watermark', '/text-to-video/kling-3.0', { prompt: 'x', options: { watermark_info: { enabled: true, text: 'mine' } } }, /unknown parameter options\.watermark_info\.text/],
		['an aspect ratio on image to video', '/image-to-video/kling-3.0', SIMPLE_I2V([], { aspect_ratio: '16:9' }), /unknown parameter settings\.aspect_ratio/],
		['image to video without a first frame', '/image-to-video/kling-3.0', { contents: [{ type: 'prompt', text: 'x' }] }, /contents needs a first_frame item/],
		['empty contents', '/image-to-video/kling-3.0', { contents: [] }, /contents needs at least 1 items/],
		['a last frame only', '/image-to-video/kling-2.5-turbo', { contents: [{ type: 'last_frame', url: IMAGE }], settings: { resolution: '1080p' } }, /contents needs a first_frame item/],
		['a last frame on 3.0 Turbo (first frame only)', '/image-to-video/kling-3.0-turbo', SIMPLE_I2V([{ type: 'last_frame', url: IMAGE }]), /contents\[1\]\.type must be one of prompt, first_frame/],
		['two first frames', '/image-to-video/kling-3.0', SIMPLE_I2V([{ type: 'first_frame', url: IMAGE }]), /at most 1 first_frame item in contents/],
		['an image_tail-style field in an item', '/image-to-video/kling-3.0', { contents: [{ type: 'first_frame', url: IMAGE, image_tail: IMAGE }] }, /unknown parameter contents\[0\]\.image_tail/],
		['an id on an image-to-video frame (omni only)', '/image-to-video/kling-3.0', { contents: [{ type: 'first_frame', url: IMAGE, id: 'image_1' }] }, /unknown parameter contents\[0\]\.id/],
		['a data: prefix on a frame', '/image-to-video/kling-3.0', { contents: [{ type: 'first_frame', url: 'data:image/png;base64,iVBORw0KGgo=' }] }, /contents\[0\]\.url must be raw Base64 without a data: prefix/],
		['four elements on 3.0', '/image-to-video/kling-3.0', SIMPLE_I2V(['1', '2', '3', '4'].map(element)), /at most 3 element items in contents/],
		['an element id as a number', '/image-to-video/kling-3.0', SIMPLE_I2V([{ type: 'element', element_id: 163, id: 'e1' }]), /contents\[1\]\.element_id must be a string/],
		['an element without its @id', '/image-to-video/kling-3.0', SIMPLE_I2V([{ type: 'element', element_id: '163' }]), /contents\[1\]\.id is required/],
		['an element on 2.6', '/image-to-video/kling-2.6', SIMPLE_I2V([element('1')]), /contents\[1\]\.type must be one of prompt, first_frame, last_frame, voice/],
		['a voice on 3.0', '/image-to-video/kling-3.0', SIMPLE_I2V([{ type: 'voice', voice_id: 'v', id: 'v1' }]), /contents\[1\]\.type must be one of/],
		['three voices on 2.6', '/image-to-video/kling-2.6', SIMPLE_I2V(['a', 'b', 'c'].map((id) => ({ type: 'voice', voice_id: id, id })), { audio: 'native', resolution: '1080p' }), /at most 2 voice items in contents/],
		['a voice with audio off', '/image-to-video/kling-2.6', SIMPLE_I2V([{ type: 'voice', voice_id: 'v', id: '1' }], { resolution: '1080p' }), /voice needs settings\.audio native/],
		['the same @id twice', '/image-to-video/kling-2.6', SIMPLE_I2V(['a', 'b'].map((voice) => ({ type: 'voice', voice_id: voice, id: '1' })), { audio: 'native', resolution: '1080p' }), /contents\[2\]\.id 1 is used twice/],
		['first + last frame at 720p on 2.6', '/image-to-video/kling-2.6', SIMPLE_I2V([{ type: 'last_frame', url: IMAGE }]), /first_frame with last_frame needs settings\.resolution 1080p/],
		['first + last frame at 720p on 2.5 Turbo', '/image-to-video/kling-2.5-turbo', SIMPLE_I2V([{ type: 'last_frame', url: IMAGE }], { resolution: '720p' }), /needs settings\.resolution 1080p/],
		['an unknown content type', '/omni-video/kling-3.0-omni', OMNI([{ type: 'end_frame', url: IMAGE }]), /contents\[1\]\.type must be one of prompt, first_frame, last_frame, refer_image, feature_video, base_video, element/],
		['a reference video as Base64', '/omni-video/kling-3.0-omni', OMNI([{ type: 'feature_video', url: 'AAAAIGZ0eXBpc29t' }]), /contents\[1\]\.url must be a URL/],
		['two reference videos', '/omni-video/kling-3.0-omni', OMNI([{ type: 'feature_video', url: VIDEO }, { type: 'base_video', url: VIDEO }]), /at most 1 reference video/],
		['a base video with a first frame', '/omni-video/kling-3.0-omni', OMNI([{ type: 'base_video', url: VIDEO }, { type: 'first_frame', url: IMAGE }], { multi_shot: false }), /base_video cannot be combined with first_frame or last_frame/],
		['a base video with native audio', '/omni-video/kling-3.0-omni', OMNI([{ type: 'base_video', url: VIDEO }], { audio: 'native', multi_shot: false }), /with base_video, settings\.audio cannot be native/],
		['a base video with multi-shot', '/omni-video/kling-3.0-omni', OMNI([{ type: 'base_video', url: VIDEO }], { multi_shot: true }), /base_video does not support multi-shot/],
		['a feature video with native audio', '/omni-video/kling-3.0-omni', OMNI([{ type: 'feature_video', url: VIDEO }], { audio: 'native' }), /with feature_video, settings\.audio must be off/],
		['a feature video without multi-shot', '/omni-video/kling-3.0-omni', OMNI([{ type: 'feature_video', url: VIDEO }], { multi_shot: false }), /settings\.multi_shot can only be true/],
		['a last frame without a first frame (omni)', '/omni-video/kling-3.0-omni', OMNI([{ type: 'last_frame', url: IMAGE }]), /last_frame needs a first_frame/],
		['eight refer images + elements', '/omni-video/kling-3.0-omni', OMNI([...Array.from({ length: 5 }, () => ({ type: 'refer_image', url: IMAGE })), element('1'), element('2'), element('3')]), /refer_image \+ multi-image elements must not exceed 7/],
		['four elements with a first frame', '/omni-video/kling-3.0-omni', OMNI([{ type: 'first_frame', url: IMAGE }, ...['1', '2', '3', '4'].map(element)]), /at most 3 elements with a first frame/],
		['five refs with a reference video', '/omni-video/kling-3.0-omni', OMNI([{ type: 'feature_video', url: VIDEO }, ...Array.from({ length: 5 }, () => ({ type: 'refer_image', url: IMAGE }))]), /with a reference video, refer_image \+ multi-image elements must not exceed 4/],
		['multi-shot on O1', '/omni-video/kling-o1', OMNI([], { multi_shot: true }), /unknown parameter settings\.multi_shot/],
		['native audio on O1', '/omni-video/kling-o1', OMNI([], { audio: 'native' }), /settings\.audio must be one of original, off/],
		['11 s on O1', '/omni-video/kling-o1', OMNI([{ type: 'refer_image', url: IMAGE }], { duration: 11 }), /settings\.duration must be between 3 and 10/],
		['7 s on O1 without references', '/omni-video/kling-o1', OMNI([{ type: 'first_frame', url: IMAGE }], { duration: 7 }), /settings\.duration must be 5 or 10/],
		['O1 first + last frame with a refer image', '/omni-video/kling-o1', OMNI([{ type: 'first_frame', url: IMAGE }, { type: 'last_frame', url: IMAGE }, { type: 'refer_image', url: IMAGE }]), /with first_frame and last_frame, no refer_image and no element/],
		['O1 feature video with a last frame', '/omni-video/kling-o1', OMNI([{ type: 'feature_video', url: VIDEO }, { type: 'first_frame', url: IMAGE }, { type: 'last_frame', url: IMAGE }]), /no refer_image|only a first frame/],
		['motion control without settings', '/motion-control/kling-3.0', MOTION(undefined), /settings\.character_orientation is required/],
		['motion control without an orientation', '/motion-control/kling-2.6', MOTION({ resolution: '720p' }), /settings\.character_orientation is required/],
		['motion control in 4K', '/motion-control/kling-3.0', MOTION({ character_orientation: 'video', resolution: '4k' }), /settings\.resolution must be one of 720p, 1080p/],
		['a duration on motion control', '/motion-control/kling-3.0', MOTION({ character_orientation: 'video', duration: 5 }), /unknown parameter settings\.duration/],
		['an element on 2.6 motion control', '/motion-control/kling-2.6', MOTION({ character_orientation: 'video' }, [element('1')]), /contents\[2\]\.type must be one of prompt, image, video/],
		['two elements on 3.0 motion control', '/motion-control/kling-3.0', MOTION({ character_orientation: 'video' }, [element('1'), element('2')]), /at most 1 element item in contents/],
		['motion control without a video', '/motion-control/kling-3.0', { contents: [{ type: 'image', url: IMAGE }], settings: { character_orientation: 'image' } }, /contents needs a video item/],
		['native audio on motion control', '/motion-control/kling-3.0', MOTION({ character_orientation: 'video', audio: 'native' }), /settings\.audio must be one of original, off/],
	];

	test('refuses what the pages rule out with 400/1201 naming the field, and creates nothing', async () => {
		for (const [what, path, body, message] of REFUSED) {
			const answer = await create(path, body);
			assert.equal(answer.status, 400, `${what}: ${JSON.stringify(answer.body)}`);
			assert.equal(answer.body.code, 1201, what);
			assert.match(answer.body.message, message, what);
		}
		assert.equal(emulator.tasks.size, 0);
	});

	test('O1 accepts only multi-image elements; 3.0 Omni counts video-character elements apart', async () => {
		emulator.newStandard.videoCharacterElements.add('900');
		assertRefused(await create('/omni-video/kling-o1', OMNI([element('900')])), 400, 1201, /kling-o1 supports multi-image elements only/);
		assertRefused(
			await create('/omni-video/kling-3.0-omni', OMNI([{ type: 'feature_video', url: VIDEO }, element('900'), { type: 'refer_image', url: IMAGE }])),
			400,
			1201,
			/video-character elements and refer_image cannot be combined/,
		);
		assertRefused(
			await create('/omni-video/kling-3.0-omni', OMNI([...['1', '2', '3', '4', '5'].map(element), element('900')])),
			400,
			1201,
			/with video-character elements, refer_image \+ multi-image elements must not exceed 4/,
		);
		assert.equal((await create('/omni-video/kling-3.0-omni', OMNI([{ type: 'base_video', url: VIDEO }, element('900')], { multi_shot: false }))).body.code, 0);
		assert.equal((await create('/omni-video/kling-3.0-omni', OMNI(['1', '2', '3', '4', '5', '6', '7'].map(element)))).body.code, 0);
	});

	test('Q9 switch: omni aspect_ratio optional by default (the example omits it), required when switched', async () => {
		const promptOnly = OMNI([]);
		assert.equal((await create('/omni-video/kling-3.0-omni', promptOnly)).body.code, 0);
		emulator.behaviour.omniAspectRatio = 'required';
		assertRefused(await create('/omni-video/kling-o1', promptOnly), 400, 1201, /settings\.aspect_ratio is required/);
		assert.equal((await create('/omni-video/kling-o1', OMNI([], { aspect_ratio: '9:16' }))).body.code, 0);
		assert.equal((await create('/omni-video/kling-3.0-omni', OMNI([{ type: 'first_frame', url: IMAGE }]))).body.code, 0);
	});

	test('a model the path does not know is 404/1203, a wrong method 404/1202, a bad body 400/1200', async () => {
		for (const path of ['/text-to-video/kling-9.9', '/text-to-video/kling-3.0-omni', '/motion-control/kling-3.0-turbo', '/omni-video/kling-3.0', '/image-to-video/kling-v3', '/text-to-video', '/text-to-video/kling-3.0/extra']) {
			assertRefused(await create(path, { prompt: 'x' }), 404, 1203, /not found/);
		}
		assertRefused(await call('GET', '/text-to-video/kling-3.0'), 404, 1202, /invalid method/);
		const raw = await fetch(`${emulator.url}/text-to-video/kling-3.0`, {
			method: 'POST',
			headers: { authorization: `Bearer ${API_KEY}`, 'x-emulated-origin': SINGAPORE, 'content-type': 'application/json' },
			body: '{"prompt":',
		});
		assert.equal(raw.status, 400);
		assert.equal(((await raw.json()) as Answer['body']).code, 1200);
		assert.equal(emulator.tasks.size, 0);
	});

	test('API keys only: a valid AK/SK JWT gets 401/1002 "does not support AK/SK" on creates and /tasks, but still works on legacy routes', async () => {
		const token = SINGAPORE_JWT();
		assertRefused(await create('/text-to-video/kling-3.0-turbo', { prompt: 'x' }, { token }), 401, 1002, /The current API does not support AK\/SK/);
		assertRefused(await tasks('task_ids=1', { token }), 401, 1002, /does not support AK\/SK/);
		assertRefused(await call('POST', '/tasks', { limit: 1 }, { token }), 401, 1002, /does not support AK\/SK/);
		assertRefused(await create('/text-to-video/kling-3.0', { prompt: 'x' }, { token: 'garbage-not-a-key' }), 401, 1002, /does not support AK\/SK/);
		assertRefused(await create('/text-to-video/kling-3.0', { prompt: 'x' }, { token: null }), 401, 1001, /Authorization is empty/);
		assertRefused(await create('/text-to-video/kling-3.0', { prompt: 'x' }, { token: TEST_KEYS.beijing.apiKey }), 401, 1002, /AK\/SK/);
		assert.equal(emulator.tasks.size, 0);
		const legacy = await create('/v1/videos/text2video', { model_name: 'kling-v3', prompt: 'x' }, { token });
		assert.equal(legacy.body.code, 0, JSON.stringify(legacy.body));
	});

	test('resellers do not serve the new standard (404 like an unregistered route); Beijing does unless switched off (Q21)', async () => {
		for (const [origin, token] of [
			[COMET, TEST_KEYS.cometapi.apiKey],
			['https://api.quickrouter.ai', TEST_KEYS.quickrouter.apiKey],
		]) {
			for (const answer of [await create('/kling/text-to-video/kling-3.0', { prompt: 'x' }, { origin, token }), await tasks('task_ids=1', { origin, token })]) {
				assert.equal(answer.status, 404);
				assert.deepEqual(answer.body, { code: null, message: '404' });
			}
		}
		const custom = await fetch(`${emulator.url}/custom/kling/tasks?task_ids=1`, { headers: { authorization: `Bearer ${TEST_KEYS.custom.apiKey}` } });
		assert.equal(custom.status, 404);
		assert.deepEqual(await custom.json(), { code: null, message: '404' });

		const beijing = { origin: BEIJING, token: TEST_KEYS.beijing.apiKey };
		assert.equal((await create('/text-to-video/kling-3.0', { prompt: 'x' }, beijing)).body.code, 0);
		emulator.behaviour.newStandardOnBeijing = false;
		assertRefused(await create('/text-to-video/kling-3.0', { prompt: 'x' }, beijing), 404, 1203, /no such endpoint/);
		assertRefused(await tasks('task_ids=1', beijing), 404, 1203, /no such endpoint/);
		assert.equal(emulator.tasks.size, 1);
	});

	test('a custom host serves the new standard on its prefix when configured to (Q21): API key only, /tasks reads, JWT refused', async () => {
		const custom = emulator.deployments.find((deployment) => deployment.name === 'custom')!;
		custom.newStandard = true;
		try {
			const at = async (method: string, path: string, token: string, body?: unknown) => {
				const response = await fetch(`${emulator.url}/custom/kling${path}`, {
					method,
					headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
					body: body === undefined ? undefined : JSON.stringify(body),
				});
				return { status: response.status, body: (await response.json()) as Answer['body'] };
			};
			const created = await at('POST', '/text-to-video/kling-3.0', TEST_KEYS.custom.apiKey, { prompt: 'x', settings: { duration: 5 } });
			assert.equal(created.body.code, 0, JSON.stringify(created.body));
			const read = await at('GET', `/tasks?task_ids=${created.body.data.id}`, TEST_KEYS.custom.apiKey);
			assert.equal((read.body.data as Json[])[0].id, created.body.data.id);
			assertRefused(await at('POST', '/text-to-video/kling-3.0', jwt(TEST_KEYS.custom.accessKey, TEST_KEYS.custom.secretKey), { prompt: 'x' }), 401, 1002, /AK\/SK/);
			assert.equal(emulator.createdTasks()[0].deployment, 'custom');
		} finally {
			delete custom.newStandard;
		}
		const unconfigured = await fetch(`${emulator.url}/custom/kling/text-to-video/kling-3.0`, { method: 'POST', headers: { authorization: `Bearer ${TEST_KEYS.custom.apiKey}` }, body: '{"prompt":"x"}' });
		assert.equal(unconfigured.status, 404, 'not served unless configured');
	});

	test('settings.multi_shot defaults to true (3.0, 3.0 Omni): "shot n, m, words;" in the prompt cuts the video into shots unless multi_shot is false', async () => {
		const prompt = 'shot 1, 2, a storm gathers; shot 2, 3, the sea calms;';
		const made = async (path: string, body: Record<string, unknown>) => {
			const answer = await create(path, body);
			assert.equal(answer.body.code, 0, JSON.stringify(answer.body));
			return emulator.createdTasks().find((task) => task.task_id === answer.body.data.id)!;
		};
		const asked = [
			['/text-to-video/kling-3.0', (settings: Json) => ({ prompt, settings: { duration: 5, ...settings } })],
			['/image-to-video/kling-3.0', (settings: Json) => ({ contents: [{ type: 'prompt', text: prompt }, { type: 'first_frame', url: IMAGE }], settings: { duration: 5, ...settings } })],
			['/omni-video/kling-3.0-omni', (settings: Json) => ({ contents: [{ type: 'prompt', text: prompt }], settings: { duration: 5, ...settings } })],
		] as const;
		for (const [path, body] of asked) {
			for (const settings of [{}, { multi_shot: true }]) {
				const task = await made(path, body(settings));
				assert.deepEqual(shotsOf(task), [
					{ shot: 1, seconds: 2, prompt: 'a storm gathers' },
					{ shot: 2, seconds: 3, prompt: 'the sea calms' },
				], `${path} ${JSON.stringify(settings)}`);
				assert.match(task.files[0].bytes.toString('latin1'), /kling shots: \[\{"shot":1/, 'the shots are in the video');
			}
			const single = await made(path, body({ multi_shot: false }));
			assert.deepEqual(shotsOf(single), [{ shot: 1, seconds: 5, prompt }], `${path} multi_shot false: the syntax is ignored`);
			assert.doesNotMatch(single.files[0].bytes.toString('latin1'), /kling shots/);
		}
		// Models without the switch never cut: the syntax is just words.
		assert.equal(shotsOf(await made('/text-to-video/kling-2.6', { prompt, settings: { duration: 5 } }))?.length, 1);
	});

	test('lifecycle through GET /tasks: submitted → processing → succeeded with outputs[] and billing[]; files served byte for byte', async () => {
		const answer = await create('/text-to-video/kling-3.0', {
			prompt: 'a lighthouse',
			settings: { duration: 8, resolution: '1080p', audio: 'native' },
			options: { external_task_id: 'ext-life', watermark_info: { enabled: true } },
		});
		const { id, external_id: externalId } = answer.body.data as { id: string; external_id: string };
		assert.equal(externalId, 'ext-life');
		const first = (await tasks(`task_ids=${id}`)).body.data as Array<Record<string, unknown>>;
		assert.equal(first.length, 1);
		assert.deepEqual(first[0], {
			id,
			status: 'submitted',
			message: '',
			create_time: first[0].create_time,
			update_time: first[0].create_time,
			external_id: 'ext-life',
			outputs: [],
			billing: [],
		});
		await settle(130);
		assert.equal(((await tasks(`task_ids=${id}`)).body.data as Array<{ status: string }>)[0].status, 'processing');
		await settle();
		const [done] = (await tasks(`task_ids=${id}`)).body.data as Array<Record<string, Json>>;
		assert.equal(done.status, 'succeeded');
		assert.equal(done.update_time, done.create_time + 200);
		assert.equal(done.outputs.length, 1);
		const [video] = done.outputs;
		assert.deepEqual(Object.keys(video).sort(), ['duration', 'id', 'type', 'url', 'watermark_url']);
		assert.equal(video.type, 'video');
		assert.equal(video.duration, '8');
		assert.deepEqual(done.billing, [{ charge_type: 'unit', amount: '9.6', package_type: 'video' }]);
		for (const url of [video.url, video.watermark_url]) {
			const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
			assert.ok(bytes.length > 0);
			assert.deepEqual(bytes, emulator.fileBytes(url));
		}
		const [task] = emulator.createdTasks();
		assert.equal(task.task_id, id);
		assert.equal(task.route.path, '/text-to-video/kling-3.0');
		assert.equal(emulator.standardOf(task), 'new');
	});

	test('a failed task carries its reason in message, no outputs and no billing; no watermark_url unless asked for', async () => {
		const failed = (await create('/text-to-video/kling-2.5-turbo', { prompt: 'x [fail]' })).body.data.id as string;
		const plain = (await create('/text-to-video/kling-2.5-turbo', { prompt: 'x' })).body.data.id as string;
		await settle();
		const [a, b] = (await tasks(`task_ids=${failed},${plain}`)).body.data as Array<Record<string, Json>>;
		assert.deepEqual([a.status, a.message, a.outputs, a.billing], ['failed', 'Failure to pass the risk control system', [], []]);
		assert.equal(b.status, 'succeeded');
		assert.equal(b.outputs[0].watermark_url, undefined);
		assert.equal(b.outputs[0].duration, '5');
		assert.deepEqual(b.billing, [{ charge_type: 'unit', amount: '1.5', package_type: 'video' }]);
	});

	test('GET /tasks: ≤ 20 ids, task_ids xor external_task_ids, unknown ids silently absent, other accounts invisible', async () => {
		const ids: string[] = [];
		for (let index = 0; index < 3; index++) {
			ids.push((await create('/text-to-video/kling-3.0-turbo', { prompt: `x${index}`, options: { external_task_id: `ext-${index}` } })).body.data.id);
		}
		assertRefused(await tasks(`task_ids=${ids[0]}&external_task_ids=ext-0`), 400, 1201, /cannot be used at the same time/);
		assertRefused(await tasks(''), 400, 1201, /task_ids or external_task_ids is required/);
		assertRefused(await tasks('task_ids='), 400, 1201, /empty id/);
		const twentyOne = Array.from({ length: 21 }, (_, index) => String(index));
		assertRefused(await tasks(`task_ids=${twentyOne.join(',')}`), 400, 1201, /at most 20 ids, got 21/);
		assertRefused(await tasks(`external_task_ids=${twentyOne.join(',')}`), 400, 1201, /at most 20 ids/);
		const twenty = [...ids, ...twentyOne.slice(0, 17)];
		const found = (await tasks(`task_ids=${twenty.join(',')}`)).body.data as Array<{ id: string }>;
		assert.deepEqual(found.map((task) => task.id), ids);
		const unknown = await tasks('task_ids=404404');
		assert.deepEqual([unknown.status, unknown.body.code, unknown.body.data], [200, 0, []]);
		const byExternal = (await tasks('external_task_ids=ext-2,nope,ext-0')).body.data as Array<{ id: string; external_id: string }>;
		assert.deepEqual(byExternal.map((task) => [task.id, task.external_id]), [[ids[2], 'ext-2'], [ids[0], 'ext-0']]);
		const beijing = await tasks(`task_ids=${ids.join(',')}`, { origin: BEIJING, token: TEST_KEYS.beijing.apiKey });
		assert.deepEqual(beijing.body.data, []);
		assert.equal((await tasks(`task_ids=${ids[0]}&pageSize=5`)).body.code, 0, 'unknown parameters ignored by default');
		emulator.behaviour.unknownQueryParameters = 'reject';
		assertRefused(await tasks(`task_ids=${ids[0]}&pageSize=5`), 400, 1201, /unknown query parameter: pageSize/);
	});

	test('GET /tasks also sees the account\'s legacy tasks, normalised (LIVE): succeeded, outputs[] typed, billing[]', async () => {
		const video = (await create('/v1/videos/text2video', { model_name: 'kling-v2-6', prompt: 'x', external_task_id: 'legacy-v' })).body.data.task_id as string;
		const image = (await create('/v1/images/generations', { model_name: 'kling-v3', prompt: 'x', n: 2 })).body.data.task_id as string;
		const audio = (await create('/v1/audio/text-to-audio', { prompt: 'rain', duration: 3 })).body.data.task_id as string;
		await settle();
		const found = (await tasks(`task_ids=${video},${image},${audio}`)).body.data as Array<Record<string, Json>>;
		assert.deepEqual(found.map((task) => task.status), ['succeeded', 'succeeded', 'succeeded']);
		assert.deepEqual(found[0].outputs, [{ type: 'video', id: `video-${video}`, url: emulator.createdTasks()[0].files[0].url, duration: '5.1' }]);
		assert.equal(found[0].external_id, 'legacy-v');
		assert.deepEqual(found[1].outputs.map((output: { type: string }) => output.type), ['image', 'image']);
		assert.deepEqual(found[1].billing, [{ charge_type: 'unit', amount: '16', package_type: 'image' }], 'Image 3.0: 8 units per image (§3.4)');
		assert.deepEqual(Object.keys(found[2].outputs[0]).sort(), ['id', 'mp3_duration', 'mp3_url', 'type', 'wav_duration', 'wav_url']);
		assert.deepEqual((await tasks('external_task_ids=legacy-v')).body.data.map((task: { id: string }) => task.id), [video]);
		assert.ok(emulator.createdTasks().every((task) => emulator.standardOf(task) === 'legacy'));
	});

	test('a taken options.external_task_id is refused 400/1201 "already exists" (no task); without uniqueness both exist and both are found', async () => {
		const body = { prompt: 'x', options: { external_task_id: 'dup-1' } };
		assert.equal((await create('/text-to-video/kling-3.0', body)).body.code, 0);
		assertRefused(await create('/image-to-video/kling-3.0', { contents: [{ type: 'first_frame', url: IMAGE }], options: { external_task_id: 'dup-1' } }), 400, 1201, /^External_task_id dup-1 already exists$/);
		await create('/v1/videos/text2video', { model_name: 'kling-v3', prompt: 'x', external_task_id: 'legacy-dup' });
		assertRefused(await create('/text-to-video/kling-3.0', { prompt: 'x', options: { external_task_id: 'legacy-dup' } }), 400, 1201, /already exists/);
		assert.equal(emulator.createdTasks().length, 2);
		emulator.behaviour.uniqueExternalIds = false;
		assert.equal((await create('/text-to-video/kling-3.0', body)).body.code, 0);
		const found = (await tasks('external_task_ids=dup-1')).body.data as Array<{ id: string }>;
		const [first, , second] = emulator.createdTasks();
		assert.deepEqual(found.map((task) => task.id), [second.task_id, first.task_id]);
	});

	test('POST /tasks: cursor pages newest first, filters by status and product type, limit ≤ 500, empty page is {count 0, has_more false}', async () => {
		const ids: string[] = [];
		for (let index = 0; index < 5; index++) ids.push((await create('/text-to-video/kling-2.5-turbo', { prompt: index === 4 ? 'x [fail]' : 'x' })).body.data.id);
		const image = (await create('/v1/images/generations', { model_name: 'kling-v3', prompt: 'x' })).body.data.task_id as string;
		await settle();
		const seen: string[] = [];
		let cursor = '';
		const pages: number[] = [];
		for (let page = 0; page < 5; page++) {
			const answer = await call('POST', '/tasks', { cursor, limit: 2, filters: [{ key: 'product_type', values: ['video'] }] });
			assert.equal(answer.body.code, 0, JSON.stringify(answer.body));
			const data = answer.body.data as { result: Array<{ id: string }>; count: number; has_more: boolean; next_cursor?: string };
			pages.push(data.count);
			seen.push(...data.result.map((task) => task.id));
			if (!data.has_more) {
				assert.equal(data.next_cursor, undefined);
				break;
			}
			cursor = data.next_cursor!;
		}
		assert.deepEqual(pages, [2, 2, 1]);
		assert.deepEqual(seen, [...ids].reverse());
		const images = await call('POST', '/tasks', { filters: [{ key: 'product_type', values: ['image', 'try_on'] }] });
		assert.deepEqual(images.body.data.result.map((task: { id: string }) => task.id), [image]);
		const failed = await call('POST', '/tasks', { start_time: Date.now() - 60_000, end_time: String(Date.now() + 1000), filters: [{ key: 'status', values: ['failed'] }, { key: 'product_type', values: ['video'] }] });
		assert.deepEqual(failed.body.data.result.map((task: { id: string }) => task.id), [ids[4]]);
		assert.deepEqual((await call('POST', '/tasks', { start_time: '1781193600000', end_time: 1781516352968 })).body.data, { count: 0, has_more: false });
		assert.deepEqual((await call('POST', '/tasks', { filters: [{ key: 'status', values: ['processing'] }] })).body.data, { count: 0, has_more: false });
		assertRefused(await call('POST', '/tasks', { limit: 501 }), 400, 1201, /limit must be between 1 and 500/);
		assertRefused(await call('POST', '/tasks', { start_time: 2000, end_time: 1000 }), 400, 1201, /start_time must be earlier than end_time/);
		assertRefused(await call('POST', '/tasks', { start_time: 'yesterday' }), 400, 1201, /start_time must be a Unix timestamp/);
		assertRefused(await call('POST', '/tasks', { filters: [{ key: 'model', values: ['x'] }] }), 400, 1201, /filters\[0\]\.key must be one of status, product_type/);
		assertRefused(await call('POST', '/tasks', { filters: [{ key: 'status', values: ['succeed'] }] }), 400, 1201, /succeed is not one of submitted, processing, succeeded, failed/);
		assertRefused(await call('POST', '/tasks', { pageSize: 10 }), 400, 1201, /unknown parameter pageSize/);
		assertRefused(await call('POST', '/tasks', { cursor: 'not-a-cursor' }), 400, 1201, /cursor is invalid/);
		assertRefused(await call('DELETE', '/tasks'), 404, 1202, /invalid method/);
		assert.equal((await call('POST', '/tasks')).body.code, 0, 'no body: the defaults');
	});

	test('retired legacy models answer "discontinued" (default 400/1201) and no task is made; 404/1203 under the switch (Q7)', async () => {
		const cases: Array<[string, Record<string, unknown>, string]> = [
			['/v1/videos/text2video', { model_name: 'kling-v1', prompt: 'x' }, 'kling-v1'],
			['/v1/videos/text2video', { prompt: 'x' }, 'kling-v1'],
			['/v1/videos/text2video', { model: 'kling-v3', prompt: 'x' }, 'kling-v1'],
			['/v1/videos/text2video', { model_name: 'kling-v2-1-master', prompt: 'x' }, 'kling-v2-1-master'],
			['/v1/videos/image2video', { model_name: 'kling-v1-6', image: IMAGE }, 'kling-v1-6'],
			['/v1/videos/image2video', { model_name: 'kling-v1-5', image: IMAGE }, 'kling-v1-5'],
			['/v1/videos/image2video', { model_name: 'kling-v2-1', image: IMAGE }, 'kling-v2-1'],
			['/v1/videos/image2video', { model_name: '', image: IMAGE }, 'kling-v1'],
			['/v1/videos/multi-image2video', { image_list: [{ image: IMAGE }], prompt: 'x' }, 'kling-v1-6'],
			['/v1/images/generations', { model_name: 'kling-v2', prompt: 'x' }, 'kling-v2'],
			['/v1/images/generations', { model_name: 'kling-v1-5', prompt: 'x' }, 'kling-v1-5'],
			['/v1/images/multi-image2image', { model_name: 'kling-v2', subject_image_list: [{ subject_image: IMAGE }] }, 'kling-v2'],
		];
		for (const [path, body, model] of cases) {
			assertRefused(await create(path, body), 400, 1201, new RegExp(`^The model '${model}' has been discontinued and is no longer available\\.$`));
		}
		emulator.behaviour.discontinuedAnswer = '1203';
		assertRefused(await create('/v1/videos/text2video', { model_name: 'kling-v1', prompt: 'x' }), 404, 1203, /The model 'kling-v1' has been discontinued/);
		assert.equal(emulator.tasks.size, 0);
		assert.equal(emulator.submits().filter((request) => request.createdTaskId).length, 0);
	});

	test('legacy video routes follow 2026: 4K and 3–15 s on kling-v3, reference video 3–15 s on kling-v3-omni, multi-shot with frames on kling-v3', async () => {
		const accepted: Array<[string, Record<string, unknown>]> = [
			['/v1/videos/text2video', { model_name: 'kling-v3', prompt: 'x', mode: '4k', duration: '15' }],
			['/v1/videos/text2video', { model_name: 'kling-v3', prompt: 'x', duration: '3' }],
			['/v1/videos/image2video', { model_name: 'kling-v3', image: IMAGE, image_tail: IMAGE, mode: '4k', duration: '12', multi_shot: true, shot_type: 'intelligence', prompt: 'x' }],
			['/v1/videos/image2video', { model_name: 'kling-v2-5-turbo', image: IMAGE, image_tail: IMAGE, mode: 'pro', duration: '10' }],
			['/v1/videos/omni-video', { model_name: 'kling-v3-omni', prompt: 'x', mode: '4k', duration: '15', video_list: [{ video_url: VIDEO, refer_type: 'feature' }] }],
			['/v1/videos/omni-video', { model_name: 'kling-video-o1', prompt: 'x', duration: '10' }],
			['/v1/videos/motion-control', { model_name: 'kling-v3', image_url: IMAGE, video_url: VIDEO, character_orientation: 'video', mode: 'pro' }],
		];
		for (const [path, body] of accepted) assert.equal((await create(path, body)).body.code, 0, `${path} ${JSON.stringify(body)}`);
		const refused: Array<[string, Record<string, unknown>, RegExp]> = [
			['/v1/videos/text2video', { model_name: 'kling-v2-6', prompt: 'x', mode: '4k' }, /mode 4k is not supported by kling-v2-6/],
			['/v1/videos/text2video', { model_name: 'kling-v2-6', prompt: 'x', duration: '15' }, /duration 15 is not supported by kling-v2-6; allowed: 5, 10/],
			['/v1/videos/image2video', { model_name: 'kling-v2-5-turbo', image: IMAGE, multi_shot: true }, /multi_shot is not supported by kling-v2-5-turbo/],
			['/v1/videos/omni-video', { model_name: 'kling-video-o1', prompt: 'x', duration: '15' }, /duration 15 is not supported by kling-video-o1/],
			['/v1/videos/omni-video', { prompt: 'x', mode: '4k' }, /mode 4k is not supported by kling-video-o1/],
			['/v1/videos/motion-control', { model_name: 'kling-v3', image_url: IMAGE, video_url: VIDEO, character_orientation: 'video', mode: '4k' }, /mode must be one of std, pro/],
			['/v1/videos/motion-control', { model_name: 'kling-v2-5-turbo', image_url: IMAGE, video_url: VIDEO, character_orientation: 'video', mode: 'std' }, /model_name must be one of kling-v2-6, kling-v3/],
		];
		for (const [path, body, message] of refused) assertRefused(await create(path, body), 400, 1201, message);
	});

	test('concurrency per account × model version × pack type: kling-3.0 path and kling-v3 model_name share a pool; other models and packs do not', async () => {
		emulator.concurrencyLimit = 1;
		emulator.submittedMs = 5000;
		assert.equal((await create('/text-to-video/kling-3.0', { prompt: 'x' })).body.code, 0);
		assertRefused(await create('/image-to-video/kling-3.0', SIMPLE_I2V()), 429, 1303, /parallel task over resource pack limit/);
		assertRefused(await create('/v1/videos/text2video', { model_name: 'kling-v3', prompt: 'x' }), 429, 1303, /parallel task/);
		assert.equal((await create('/text-to-video/kling-2.6', { prompt: 'x' })).body.code, 0, 'another model version');
		assert.equal((await create('/v1/images/generations', { model_name: 'kling-v3', prompt: 'x' })).body.code, 0, 'Image 3.0: the image pack');
		assert.equal((await create('/v1/videos/text2video', { model_name: 'kling-v2-5-turbo', prompt: 'x' })).body.code, 0);
		assert.equal((await create('/text-to-video/kling-3.0', { prompt: 'x' }, { origin: BEIJING, token: TEST_KEYS.beijing.apiKey })).body.code, 0, 'another account');
		const account = `singapore:${API_KEY}`;
		assert.equal(emulator.peakRunningSlots.get(`${account}|kling-3.0|video`), 1);
		assert.equal(emulator.peakRunningSlots.get(`${account}|kling-2.6|video`), 1);
		assert.equal(emulator.peakRunningSlots.get(`${account}|kling-v3|image`), 1);
		assert.equal(emulator.peakRunningSlots.get(account), 4);
		assert.equal(emulator.createdTasks().length, 5);
	});

	test('callbacks of new-standard tasks carry the new shape (id, status, outputs), bare, at each status change', async () => {
		const received: Array<Record<string, Json>> = [];
		const server = createServer((req: IncomingMessage, res) => {
			let raw = '';
			req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
			req.on('end', () => {
				received.push(JSON.parse(raw) as Record<string, Json>);
				res.end('ok');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const callback = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
			const id = (await create('/text-to-video/kling-3.0-turbo', { prompt: 'x', options: { callback_url: callback, external_task_id: 'cb-1' } })).body.data.id;
			await settle(300);
			assert.deepEqual(received.map((body) => body.status), ['submitted', 'processing', 'succeeded']);
			assert.ok(received.every((body) => body.id === id && body.external_id === 'cb-1' && body.task_id === undefined && body.code === undefined));
			assert.equal(received[2].outputs[0].type, 'video');
			assert.deepEqual(emulator.callbacks.sent.map((entry) => entry.body.status), ['submitted', 'processing', 'succeeded']);
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});

	test('faults apply to new-standard creates too: a connection reset after the create leaves a paid task behind', async () => {
		emulator.injectFault({ method: 'POST', path: '/text-to-video/*', reset: 'afterCreate' });
		await assert.rejects(create('/text-to-video/kling-3.0', { prompt: 'x', options: { external_task_id: 'lost-1' } }));
		assert.equal(emulator.createdTasks().length, 1);
		assert.deepEqual((await tasks('external_task_ids=lost-1')).body.data.map((task: { id: string }) => task.id), [emulator.createdTasks()[0].task_id]);
	});

	test('a foreign task seeded on a new-standard path shows on /tasks but is not one of createdTasks()', async () => {
		const foreign = emulator.seedForeignTask('singapore', API_KEY, '/text-to-video/kling-3.0', { prompt: 'theirs', options: { external_task_id: 'shared' } });
		assert.equal(emulator.standardOf(foreign), 'new');
		assert.deepEqual((await tasks('external_task_ids=shared')).body.data.map((task: { id: string }) => task.id), [foreign.task_id]);
		assertRefused(await create('/text-to-video/kling-3.0', { prompt: 'mine', options: { external_task_id: 'shared' } }), 400, 1201, /already exists/);
		assert.equal(emulator.createdTasks().length, 0);
		emulator.injectFault({ method: 'GET', path: '/tasks', foreignTask: true });
		const mixedUp = await tasks('task_ids=1');
		assert.deepEqual(mixedUp.body.data.map((task: { id: string; external_id: string }) => [task.id, task.external_id]), [[foreign.task_id, 'shared']]);
	});
});
