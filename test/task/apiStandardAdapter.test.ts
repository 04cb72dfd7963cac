/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { routeFactsOf } from '../../nodes/Kling/kling/catalogue';
import { generation4Body, inputOf, type Generation4Input } from '../../nodes/Kling/input/generation4Input';
import {
	chooseStandard,
	fromNewStandardTask,
	generation4Request,
	isNewStandardRoute,
	reachesNewStandard,
	StandardError,
	submitRequestFor,
	taskOfCreateAnswer,
	toNewStandardBody,
	video4ModeOf,
} from '../../nodes/Kling/task/apiStandardAdapter';

const apiKey: ICredentialDataDecryptedObject = { provider: 'singapore', authType: 'apiKey', apiKey: 'k' };
const akSk: ICredentialDataDecryptedObject = { provider: 'singapore', authType: 'accessKey', accessKey: 'a', secretKey: 's' };
const video4 = routeFactsOf('/kling-4/video')!;
const image4 = routeFactsOf('/kling-4/image')!;
const longImage4 = routeFactsOf('/kling-4/long-image')!;
const url = (name: string) => `https://files.example.com/${name}`;

describe('toNewStandardBody', () => {
	test('text to video: prompt, settings from the legacy fields, options; multi-shot off is sent as false on a model with the switch', () => {
		const body = toNewStandardBody('textToVideo', {
			model_name: 'kling-v3',
			prompt: 'a cat',
			mode: 'pro',
			duration: '10',
			aspect_ratio: '16:9',
			sound: 'on',
			external_task_id: 'run-1',
			callback_url: 'https://hooks.example.com/k',
			watermark_info: { enabled: true },
		});
		assert.deepEqual(body, {
			prompt: 'a cat',
			settings: { resolution: '1080p', duration: 10, aspect_ratio: '16:9', audio: 'native', multi_shot: false },
			options: { callback_url: 'https://hooks.example.com/k', external_task_id: 'run-1', watermark_info: { enabled: true } },
		});
		assert.deepEqual(toNewStandardBody('textToVideo', { model_name: 'kling-v2-6', prompt: 'p', sound: 'off' }), { prompt: 'p', settings: { audio: 'off' } }, 'no switch on 2.6');
	});

	test('custom shots become prompt syntax with multi_shot true', () => {
		const body = toNewStandardBody('textToVideo', {
			model_name: 'kling-v3',
			prompt: 'intro',
			multi_shot: true,
			shot_type: 'customize',
			multi_prompt: [
				{ index: 1, prompt: 'a door', duration: '2' },
				{ index: 2, prompt: 'a room', duration: '3' },
			],
		});
		assert.equal(body.prompt, 'intro shot 1, 2, a door; shot 2, 3, a room;');
		assert.equal((body.settings as IDataObject).multi_shot, true);
	});

	test('image to video: the prompt and frames as contents, without ids', () => {
		assert.deepEqual(toNewStandardBody('imageToVideo', { model_name: 'kling-v2-5-turbo', prompt: 'p', image: url('a'), image_tail: url('b'), mode: 'std' }), {
			contents: [
				{ type: 'prompt', text: 'p' },
				{ type: 'first_frame', url: url('a') },
				{ type: 'last_frame', url: url('b') },
			],
			settings: { resolution: '720p' },
		});
	});

	test('omni video: <<<image_1>>> becomes @image_1; images, videos and elements carry the ids the prompt names', () => {
		const body = toNewStandardBody('omniVideo', {
			model_name: 'kling-v3-omni',
			prompt: '<<<image_1>>> meets <<< element_1 >>> in <<<video_1>>>',
			image_list: [{ image_url: url('i1'), type: 'first_frame' }, { image_url: url('i2') }, { image_url: url('i3'), type: 'end_frame' }],
			video_list: [{ video_url: url('v1'), refer_type: 'feature', keep_original_sound: 'yes' }],
			element_list: [{ element_id: 829836802793406551n.toString() }],
		});
		assert.deepEqual(body.contents, [
			{ type: 'prompt', text: '@image_1 meets @element_1 in @video_1' },
			{ type: 'first_frame', url: url('i1'), id: 'image_1' },
			{ type: 'refer_image', url: url('i2'), id: 'image_2' },
			{ type: 'last_frame', url: url('i3'), id: 'image_3' },
			{ type: 'feature_video', url: url('v1'), id: 'video_1' },
			{ type: 'element', element_id: '829836802793406551', id: 'element_1' },
		]);
		assert.deepEqual(body.settings, { audio: 'original' }, 'with a feature video multi_shot is left to Kling');
		const edit = toNewStandardBody('omniVideo', { model_name: 'kling-v3-omni', prompt: 'p', video_list: [{ video_url: url('v'), refer_type: 'base' }] });
		assert.deepEqual((edit.contents as IDataObject[])[1], { type: 'base_video', url: url('v'), id: 'video_1' });
		assert.equal((edit.settings as IDataObject).multi_shot, false, 'a video to edit is no feature video');
	});

	test('motion control: image and video contents, orientation and sound; never a duration', () => {
		assert.deepEqual(
			toNewStandardBody('motionControl', { model_name: 'kling-v3', image_url: url('c'), video_url: url('m'), character_orientation: 'video', keep_original_sound: 'no', duration: 5, mode: 'std' }),
			{
				contents: [
					{ type: 'image', url: url('c') },
					{ type: 'video', url: url('m') },
				],
				settings: { resolution: '720p', character_orientation: 'video', audio: 'off' },
			},
		);
	});

	test('voices become voice contents with ids', () => {
		const body = toNewStandardBody('imageToVideo', { model_name: 'kling-v2-6', prompt: 'p', image: url('a'), sound: 'on', voice_list: [{ voice_id: 'v-1' }] });
		assert.deepEqual((body.contents as IDataObject[]).at(-1), { type: 'voice', voice_id: 'v-1', id: 'voice_1' });
	});

	test('a legacy field the new API has no place for is refused, an empty one is not', () => {
		assert.throws(() => toNewStandardBody('textToVideo', { prompt: 'p', negative_prompt: 'blur' }), (error) => error instanceof StandardError && /"negative_prompt" cannot be sent on Kling's new API/.test(error.message));
		assert.throws(() => toNewStandardBody('textToVideo', { prompt: 'p', cfg_scale: 0.5 }), StandardError);
		assert.throws(() => toNewStandardBody('imageToVideo', { prompt: 'p', dynamic_masks: [{}] }), /motion brush/);
		assert.doesNotThrow(() => toNewStandardBody('textToVideo', { prompt: 'p', negative_prompt: '', dynamic_masks: [], camera_control: null }));
	});
});

describe('fromNewStandardTask', () => {
	test('a succeeded task with outputs takes the legacy shape, billing kept', () => {
		const task = fromNewStandardTask({
			id: '900000000000000001',
			status: 'succeeded',
			message: '',
			external_id: 'run-1',
			create_time: 1,
			update_time: 2,
			outputs: [
				{ type: 'video', id: 'v', url: url('v.mp4'), watermark_url: url('w.mp4'), duration: '5' },
				{ type: 'image', url: url('i.png') },
				{ type: 'audio', id: 'a', mp3_url: url('a.mp3'), wav_url: url('a.wav'), mp3_duration: '3', wav_duration: '3' },
			],
			billing: [{ amount: 1 }],
		});
		assert.deepEqual(task, {
			task_id: '900000000000000001',
			task_status: 'succeed',
			task_status_msg: '',
			task_info: { external_task_id: 'run-1' },
			created_at: 1,
			updated_at: 2,
			api_standard: 'new',
			task_result: {
				videos: [{ id: 'v', url: url('v.mp4'), watermark_url: url('w.mp4'), duration: '5' }],
				images: [{ index: 0, url: url('i.png'), watermark_url: undefined }],
				audios: [{ id: 'a', url_mp3: url('a.mp3'), url_wav: url('a.wav'), duration_mp3: '3', duration_wav: '3' }],
			},
			billing: [{ amount: 1 }],
		});
	});

	test('statuses map to the legacy ones; a task without outputs has no result and no external id', () => {
		for (const [status, expected] of [['submitted', 'submitted'], ['processing', 'processing'], ['failed', 'failed'], ['succeed', 'succeed']]) {
			const task = fromNewStandardTask({ id: 1, status, message: 'm' });
			assert.equal(task.task_status, expected);
			assert.equal(task.task_id, '1');
			assert.deepEqual(task.task_info, {});
			assert.ok(!('task_result' in task) && !('billing' in task));
		}
		assert.equal(taskOfCreateAnswer('/v1/videos/text2video', { task_id: 'x', task_status: 'submitted' } as never).task_id, 'x', 'a legacy answer is kept');
		assert.equal(taskOfCreateAnswer('/text-to-video/kling-3.0', { id: 'y', status: 'submitted' } as never).task_id, 'y');
	});
});

describe('choosing the standard', () => {
	test('Automatic: an API key on an official host goes to the new API; AK/SK and resellers to the legacy routes', () => {
		assert.equal(reachesNewStandard(apiKey), true);
		assert.equal(reachesNewStandard({ provider: 'beijing', authType: 'apiKey' }), true);
		assert.equal(reachesNewStandard(akSk), false);
		assert.equal(reachesNewStandard({ provider: 'cometapi', authType: 'apiKey' }), false);
		assert.equal(reachesNewStandard({ provider: 'custom', baseUrl: 'https://x.example.com', authType: 'apiKey' }), false);
		assert.deepEqual(chooseStandard(apiKey, 'textToVideo', '/v1/videos/text2video', 'kling-v3'), { standard: 'new', route: '/text-to-video/kling-3.0', model: 'kling-3.0' });
		assert.deepEqual(chooseStandard(akSk, 'textToVideo', '/v1/videos/text2video', 'kling-v3'), { standard: 'legacy', route: '/v1/videos/text2video', model: 'kling-v3' });
		assert.equal(chooseStandard(apiKey, 'textToVideo', '/v1/videos/text2video', 'kling-v9-typed').standard, 'legacy', 'a typed legacy-looking id');
		assert.equal(chooseStandard(apiKey, 'textToVideo', '/v1/videos/text2video', 'kling-9.0').route, '/text-to-video/kling-9.0');
	});

	test('a new-only model or the New standard is refused where the new API cannot be reached', () => {
		assert.throws(() => chooseStandard(akSk, 'textToVideo', '/v1/videos/text2video', 'kling-3.0-turbo'), /Kling 3\.0 Turbo \(kling-3\.0-turbo\) is only on Kling's new API, which takes an API key/);
		assert.throws(() => chooseStandard(akSk, 'textToVideo', '/v1/videos/text2video', 'kling-v3', 'new'), /API Standard is New, but this credential cannot use Kling's new API/);
		assert.throws(() => chooseStandard(apiKey, 'textToVideo', '/v1/videos/text2video', 'kling-3.0-turbo', 'legacy'), /set API Standard to Automatic or New/);
		assert.equal(chooseStandard(apiKey, 'textToVideo', '/v1/videos/text2video', 'kling-v3', 'legacy').standard, 'legacy');
	});

	test('routes: /v1/ and /account/ are legacy, anything else new', () => {
		assert.equal(isNewStandardRoute('/v1/videos/text2video'), false);
		assert.equal(isNewStandardRoute('/account/costs'), false);
		assert.equal(isNewStandardRoute('/omni-video/kling-4.0'), true);
	});

	test('a non-video task goes to its route, with a reseller quirk renaming fields when the credential asks', () => {
		assert.deepEqual(submitRequestFor({ provider: 'cometapi', multiImageRoute: 'legacyGenerations' }, { taskPath: '/v1/images/multi-image2image' }, { scene_image: 's', prompt: 'p' }), {
			standard: 'legacy',
			route: '/v1/images/generations',
			payload: { prompt: 'p', scence_image: 's' },
		});
		assert.deepEqual(submitRequestFor(apiKey, { taskPath: '/v1/images/multi-image2image' }, { scene_image: 's' }).payload, { scene_image: 's' });
	});
});

describe('Kling 4.0 requests', () => {
	const frames = [inputOf('first_frame', 1, { url: url('f') }), inputOf('last_frame', 1, { url: url('l') })];

	test('the mode follows the inputs: none → text, frames only → keyframes, anything else → omni', () => {
		assert.equal(video4ModeOf([]), 'text-to-video');
		assert.equal(video4ModeOf(frames), 'image-to-video');
		assert.equal(video4ModeOf([...frames, inputOf('middle_frame', 1, { url: url('m') })]), 'image-to-video');
		assert.equal(video4ModeOf([...frames, inputOf('refer_image', 1, { url: url('r') })]), 'omni-video');
		assert.equal(video4ModeOf([inputOf('element', 1, { element_id: '1' })]), 'omni-video');
	});

	test('the default route templates: /{mode}/{model} for video, /omni-image/{model} for both image products', () => {
		const text = generation4Request(apiKey, video4, generation4Body('kling-4.0', 'a cat', [], { duration: 5, resolution: '', aspect_ratio: undefined }));
		assert.deepEqual(text, { standard: 'new', route: '/text-to-video/kling-4.0', payload: { prompt: 'a cat', settings: { duration: 5 } } });
		const keyframes = generation4Request(apiKey, video4, generation4Body('kling-4.0', '@first to @last', frames, {}));
		assert.equal(keyframes.route, '/image-to-video/kling-4.0');
		assert.deepEqual(keyframes.payload, {
			contents: [
				{ type: 'prompt', text: '@first to @last' },
				{ type: 'first_frame', url: url('f'), id: 'first' },
				{ type: 'last_frame', url: url('l'), id: 'last' },
			],
		});
		assert.equal(generation4Request(apiKey, image4, generation4Body('kling-image-4.0', 'p', [], {})).route, '/omni-image/kling-image-4.0');
		assert.equal(generation4Request(apiKey, longImage4, generation4Body('kling-long-image-4.0', 'p', [], {})).route, '/omni-image/kling-long-image-4.0');
		assert.equal(submitRequestFor(apiKey, { taskPath: '/kling-4/video' }, generation4Body('kling-4.0', 'p', [], {})).route, '/text-to-video/kling-4.0', 'submitRequestFor hands 4.0 to it');
	});

	test('a route template from the credential: {mode} and {model} filled, the model encoded', () => {
		const credentials = { ...apiKey, generation4VideoRoute: ' /v2/{mode}/{model}/create ', generation4ImageRoute: '/images/{model}' };
		assert.equal(generation4Request(credentials, video4, generation4Body('kling-4.0', 'p', [inputOf('feature_video', 1, { url: url('v') })], {})).route, '/v2/omni-video/kling-4.0/create');
		assert.equal(generation4Request(credentials, video4, generation4Body('my model/x', 'p', [], {})).route, '/v2/text-to-video/my%20model%2Fx/create');
		assert.equal(generation4Request(credentials, image4, generation4Body('kling-image-4.0', 'p', [], {})).route, '/images/kling-image-4.0');
	});

	test('a bad template is refused: no leading /, no {model}, or a legacy route', () => {
		const request = (template: string) => () => generation4Request({ ...apiKey, generation4VideoRoute: template }, video4, generation4Body('kling-4.0', 'p', [], {}));
		assert.throws(request('{mode}/{model}'), (error) => error instanceof StandardError && /Video Route "\{mode\}\/\{model\}" must start with \/ and contain \{model\}/.test(error.message));
		assert.throws(request('/video/kling-4.0'), /must start with \/ and contain \{model\}/);
		assert.throws(request('/v1/videos/{model}'), /is one of Kling's legacy routes \(\/v1\/…, \/account\/…\).*such as \/\{mode\}\/\{model\}/);
		assert.throws(() => generation4Request({ ...apiKey, generation4ImageRoute: '/account/{model}' }, image4, generation4Body('kling-image-4.0', 'p', [], {})), /Image Route "\/account\/\{model\}" is one of Kling's legacy routes.*\/omni-image\/\{model\}/);
	});

	test('ordinal references: the prompt rewritten to @Image1, @Video1, @Element1, @Audio1 by kind; only elements and voices keep an id', () => {
		const inputs: Generation4Input[] = [
			inputOf('first_frame', 1, { url: url('f') }),
			inputOf('refer_image', 1, { url: url('r') }),
			inputOf('feature_video', 1, { url: url('v') }),
			inputOf('element', 1, { element_id: '77' }),
			inputOf('voice', 1, { voice_id: 'vo' }),
		];
		const { payload } = generation4Request(
			{ ...apiKey, generation4References: 'ordinal' },
			video4,
			generation4Body('kling-4.0', '@first, @image01 (@video1) @element1 says @voice1 to @nobody, mail a@first.com', inputs, {}),
		);
		assert.deepEqual(payload.contents, [
			{ type: 'prompt', text: '@Image1, @Image2 (@Video1) @Element1 says @Audio1 to @nobody, mail a@first.com' },
			{ type: 'first_frame', url: url('f') },
			{ type: 'refer_image', url: url('r') },
			{ type: 'feature_video', url: url('v') },
			{ type: 'element', element_id: '77', id: 'element1' },
			{ type: 'voice', voice_id: 'vo', id: 'voice1' },
		]);
	});

	test('options: a watermark always; the external id and callback only with the credential switches on', () => {
		const body = { ...generation4Body('kling-4.0', 'p', [], {}), external_task_id: 'run-9', watermark_info: { enabled: true } };
		assert.deepEqual(generation4Request(apiKey, video4, body).payload.options, { watermark_info: { enabled: true } }, 'no external id unless switched on');
		assert.deepEqual(generation4Request({ ...apiKey, generation4ExternalTaskId: true }, video4, body).payload.options, { watermark_info: { enabled: true }, external_task_id: 'run-9' });
		assert.ok(!('options' in generation4Request(apiKey, video4, generation4Body('kling-4.0', 'p', [], {})).payload));
		const called = { ...generation4Body('kling-4.0', 'p', [], {}), callback_url: 'https://hooks.example.com/k' };
		assert.throws(() => generation4Request(apiKey, video4, called), /Kling 4\.0 tasks are not called back on this host: the credential's "Kling 4\.0: Send Callback URL" is off/);
		assert.deepEqual(generation4Request({ ...apiKey, generation4CallbackUrl: true }, video4, called).payload.options, { callback_url: 'https://hooks.example.com/k' });
	});

	test('AK/SK credentials, resellers and a body without 4.0 inputs are refused', () => {
		const body = generation4Body('kling-4.0', 'p', [], {});
		assert.throws(() => generation4Request(akSk, video4, body), (error) => error instanceof StandardError && /^Kling 4\.0 runs on Kling's new API, which takes an API key; this credential uses an Access Key \+ Secret Key/.test(error.message));
		assert.throws(() => generation4Request({ provider: 'cometapi', authType: 'apiKey' }, video4, body), /Kling 4\.0 runs on Kling's new API, which CometAPI, a reseller host, does not serve/);
		assert.throws(() => generation4Request({ provider: 'quickrouter' }, image4, body), /QuickRouter, a reseller host/);
		assert.throws(() => generation4Request(apiKey, video4, { model_name: 'kling-4.0', prompt: 'p' }), /the request has no Kling 4\.0 inputs/);
		assert.doesNotThrow(() => generation4Request({ provider: 'custom', baseUrl: 'https://x.example.com', authType: 'apiKey' }, video4, body), 'a custom host with an API key may serve it');
	});
});
