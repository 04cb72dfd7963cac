/**
 * The task families the emulator serves, with the request fields Kling documents (https://kling.ai/document-api/api/video/3-0-omni/text-to-video).
 * Unknown fields are rejected with 1201, so a misspelt or misplaced field fails a test loudly.
 */
import { elementResult, voiceResult } from './assets';
import { effectsProblem } from './effects';
import { makeMp3, makePng } from './media';
import { advancedLipSyncProblem, multiElementsProblem } from './syncEndpoints';

export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'image' | 'media' | 'url' | 'any';

export interface FieldSpec {
	type: FieldType;
	required?: boolean;
	enum?: readonly string[];
	/** For numbers: the only values allowed (durations 5 | 10). */
	values?: readonly number[];
	min?: number;
	max?: number;
	maxLength?: number;
	minItems?: number;
	maxItems?: number;
	/** For arrays of objects: the fields of each entry. */
	items?: Record<string, FieldSpec>;
}

export type ResultKind = 'images' | 'video' | 'audio' | 'speech' | 'videoWithAudio' | 'custom';

/** A result file the emulator serves: its URL on the file host, its bytes and type. */
export interface ResultFile {
	url: string;
	bytes: Buffer;
	mimeType: string;
}

export interface RouteSpec {
	path: string;
	result: ResultKind;
	/** The model Kling uses when `model_name` is absent (video routes: V1, now discontinued — https://kling.ai/document-api/llms.txt C7). */
	defaultModel?: string;
	/** The images' aspect ratio when `aspect_ratio` is absent (https://kling.ai/document-api/llms.txt); without one, results are square. */
	defaultAspectRatio?: string;
	fields: Record<string, FieldSpec>;
	/** Cross-field rules: returns the message of a 1201 error, or undefined. */
	check?: (body: Record<string, unknown>) => string | undefined;
	/** Concurrency slots the task takes when Kling counts it differently (series images). */
	slots?: (body: Record<string, unknown>) => number;
	/** The files of a `custom` result: `url(index, extension)` names them, `seed(index)` varies them. */
	makeFiles?: (body: Record<string, unknown>, url: (index: number, extension: string) => string, seed: (index: number) => string) => ResultFile[];
	/** The task_result of a finished task when it is not one of the standard shapes. */
	taskResult?: (task: { task_id: string; body: Record<string, unknown> }, urls: string[]) => Record<string, unknown> | undefined;
	/** Largest pageSize of the route's list (voice lists: 1000). */
	maxPageSize?: number;
}

const text = (maxLength = 2500, required = false): FieldSpec => ({ type: 'string', maxLength, required });
const oneOf = (values: readonly string[], required = false): FieldSpec => ({ type: 'string', enum: values, required });
const image = (required = false): FieldSpec => ({ type: 'image', required });
const range = (min: number, max: number, type: FieldType = 'number', required = false): FieldSpec => ({
	type,
	min,
	max,
	required,
});

const common = {
	watermark_info: { type: 'object' } as FieldSpec,
	callback_url: { type: 'string' } as FieldSpec,
	external_task_id: { type: 'string' } as FieldSpec,
};
const callbackOnly = { callback_url: common.callback_url, external_task_id: common.external_task_id };

const IMAGE_RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3', '21:9'];
const VIDEO_RATIOS = ['16:9', '9:16', '1:1'];
const DURATIONS = ['3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15'];
const VIDEO_MODELS = [
	'kling-v1',
	'kling-v1-5',
	'kling-v1-6',
	'kling-v2-master',
	'kling-v2-1',
	'kling-v2-1-master',
	'kling-v2-5-turbo',
	'kling-v2-6',
	'kling-v3',
];
const multiShot = {
	multi_shot: { type: 'boolean' } as FieldSpec,
	shot_type: oneOf(['customize', 'intelligence']),
	multi_prompt: {
		type: 'array',
		minItems: 1,
		maxItems: 6,
		items: { index: { type: 'integer' }, prompt: text(512), duration: { type: 'string' } },
	} as FieldSpec,
};
const cameraControl: FieldSpec = { type: 'object' };
const voiceList: FieldSpec = { type: 'array', maxItems: 2, items: { voice_id: { type: 'string', required: true } } };
const elementList: FieldSpec = { type: 'array', items: { element_id: { type: 'integer', required: true } } };

const present = (value: unknown) => value !== undefined && value !== null && value !== '';

/**
 * Legacy video rules that depend on the model (https://kling.ai/document-api/guides/capability-map/video, §5.7–5.9): 4K (2026-04-23), 3–15 s and
 * multi-shot belong to the 3.0 family; the others take "5" or "10". Multi-shot with image/image_tail is
 * allowed on kling-v3 since 2026-05-07, so no rule forbids that combination.
 */
function legacyVideoProblem(body: Record<string, unknown>, threeZero: string, otherDurations: readonly string[]): string | undefined {
	const model = String(body.model_name);
	if (model === threeZero) return undefined;
	if (body.mode === '4k') return `mode 4k is not supported by ${model}`;
	if (present(body.duration) && !otherDurations.includes(String(body.duration))) {
		return `duration ${String(body.duration)} is not supported by ${model}; allowed: ${otherDurations.join(', ')}`;
	}
	if (body.multi_shot === true) return `multi_shot is not supported by ${model}`;
	return undefined;
}

/**
 * Models Kling has switched off (https://kling.ai/document-api/guides/capability-map/video, C6, C7): a create naming one is answered
 * "discontinued" and no task is made. The names stay valid for the field checks so that the answer is
 * the discontinued one, as live. kling-v1 was seen live on 2026-09-20; the others retired 2026-09-15
 * (Comfy's notices). kling-v2-master and kling-v2-new are only "absent from the docs" (Q6): still served.
 */
const RETIRED_VIDEO = ['kling-v1', 'kling-v1-5', 'kling-v1-6', 'kling-v2-1', 'kling-v2-1-master'];
const RETIRED: Record<string, readonly string[]> = {
	'/v1/videos/text2video': RETIRED_VIDEO,
	'/v1/videos/image2video': RETIRED_VIDEO,
	'/v1/videos/multi-image2video': RETIRED_VIDEO,
	'/v1/images/generations': ['kling-v1', 'kling-v1-5', 'kling-v2'],
	'/v1/images/multi-image2image': ['kling-v2'],
};

/**
 * The retired model a create asks for, or undefined. An absent or empty model_name (or the old `model`
 * key) means the route's default, which on the text/image-to-video routes is V1 (C7).
 */
export function discontinuedModel(route: RouteSpec, body: Record<string, unknown>): string | undefined {
	const retired = RETIRED[route.path];
	if (!retired) return undefined;
	const model = typeof body.model_name === 'string' && body.model_name !== '' ? body.model_name : route.defaultModel;
	return model !== undefined && retired.includes(model) ? model : undefined;
}

/** Omni Image series: the images Kling makes; with "auto" the emulator's Kling decides on 3. */
export const AUTO_SERIES_IMAGES = 3;
function seriesCount(body: Record<string, unknown>): number | undefined {
	if (body.result_type !== 'series') return undefined;
	return body.series_amount === 'auto' ? AUTO_SERIES_IMAGES : Number(body.series_amount ?? 4);
}

export const ROUTES: RouteSpec[] = [
	{
		path: '/v1/images/generations',
		result: 'images',
		defaultModel: 'kling-v3',
		defaultAspectRatio: '16:9',
		fields: {
			model_name: oneOf(['kling-v1', 'kling-v1-5', 'kling-v2', 'kling-v2-new', 'kling-v2-1', 'kling-v3']),
			prompt: text(2500, true),
			negative_prompt: text(),
			image: image(),
			image_reference: oneOf(['subject', 'face']),
			image_fidelity: range(0, 1),
			human_fidelity: range(0, 1),
			element_list: elementList,
			resolution: oneOf(['1k', '2k']),
			n: range(1, 9, 'integer'),
			aspect_ratio: oneOf(IMAGE_RATIOS),
			...common,
		},
		check: (body) =>
			present(body.negative_prompt) && present(body.image)
				? 'negative_prompt is not supported for image-to-image'
				: undefined,
	},
	{
		path: '/v1/images/multi-image2image',
		result: 'images',
		defaultModel: 'kling-v2-1',
		defaultAspectRatio: '16:9',
		fields: {
			model_name: oneOf(['kling-v2', 'kling-v2-1']),
			prompt: text(),
			negative_prompt: text(),
			subject_image_list: {
				type: 'array',
				required: true,
				minItems: 1,
				maxItems: 4,
				items: { subject_image: image(true) },
			},
			scene_image: image(),
			style_image: image(),
			n: range(1, 9, 'integer'),
			aspect_ratio: oneOf(IMAGE_RATIOS),
			...common,
		},
	},
	{
		path: '/v1/images/kolors-virtual-try-on',
		result: 'images',
		defaultModel: 'kolors-virtual-try-on-v1',
		fields: {
			model_name: oneOf(['kolors-virtual-try-on-v1', 'kolors-virtual-try-on-v1-5']),
			human_image: image(true),
			cloth_image: image(true),
			...callbackOnly,
		},
	},
	{
		path: '/v1/images/editing/expand',
		result: 'images',
		fields: {
			image: image(true),
			up_expansion_ratio: range(0, 2, 'number', true),
			down_expansion_ratio: range(0, 2, 'number', true),
			left_expansion_ratio: range(0, 2, 'number', true),
			right_expansion_ratio: range(0, 2, 'number', true),
			prompt: text(),
			n: range(1, 9, 'integer'),
			...common,
		},
		check: (body) => {
			const [up, down, left, right] = ['up', 'down', 'left', 'right'].map((side) =>
				Number(body[`${side}_expansion_ratio`] ?? 0),
			);
			return (1 + left + right) * (1 + up + down) > 3 ? 'the expanded area exceeds 3 times the original' : undefined;
		},
	},
	{
		path: '/v1/images/omni-image',
		result: 'images',
		defaultModel: 'kling-image-o1',
		fields: {
			model_name: oneOf(['kling-image-o1', 'kling-v3-omni']),
			prompt: text(2500, true),
			image_list: { type: 'array', items: { image: image(true) } },
			element_list: elementList,
			resolution: oneOf(['1k', '2k', '4k']),
			result_type: oneOf(['single', 'series']),
			// An integer 2–9 or "auto": checked below, FieldSpec has no unions.
			series_amount: { type: 'any' },
			n: range(1, 9, 'integer'),
			aspect_ratio: oneOf([...IMAGE_RATIOS, 'auto']),
			...common,
		},
		check: (body) => {
			if (((body.image_list as unknown[] | undefined)?.length ?? 0) + ((body.element_list as unknown[] | undefined)?.length ?? 0) > 10) {
				return 'images and elements together exceed 10';
			}
			const amount = body.series_amount;
			if (amount !== undefined && amount !== 'auto' && !(Number.isInteger(amount) && (amount as number) >= 2 && (amount as number) <= 9)) {
				return 'series_amount must be an integer from 2 to 9 or "auto"';
			}
			if (body.result_type === 'series' && body.model_name !== 'kling-v3-omni') return 'result_type series needs model_name kling-v3-omni';
			return undefined;
		},
		slots: (body) => seriesCount(body) ?? Number(body.n ?? 1),
		taskResult: (task, urls) =>
			seriesCount(task.body) === undefined
				? undefined
				: { result_type: 'series', series_images: urls.map((url, index) => ({ index, url })) },
	},
	{
		path: '/v1/videos/text2video',
		result: 'video',
		defaultModel: 'kling-v1',
		fields: {
			model_name: oneOf(VIDEO_MODELS),
			prompt: text(),
			negative_prompt: text(),
			...multiShot,
			sound: oneOf(['on', 'off']),
			voice_list: voiceList,
			cfg_scale: range(0, 1),
			mode: oneOf(['std', 'pro', '4k']),
			camera_control: cameraControl,
			aspect_ratio: oneOf(VIDEO_RATIOS),
			duration: oneOf(DURATIONS),
			...common,
		},
		check: (body) =>
			!body.multi_shot && !present(body.prompt) ? 'prompt is required' : legacyVideoProblem(body, 'kling-v3', ['5', '10']),
	},
	{
		path: '/v1/videos/image2video',
		result: 'video',
		defaultModel: 'kling-v1',
		fields: {
			model_name: oneOf(VIDEO_MODELS),
			image: image(),
			image_tail: image(),
			prompt: text(),
			negative_prompt: text(),
			...multiShot,
			element_list: { ...elementList, maxItems: 3 },
			voice_list: voiceList,
			sound: oneOf(['on', 'off']),
			cfg_scale: range(0, 1),
			mode: oneOf(['std', 'pro', '4k']),
			static_mask: image(),
			dynamic_masks: {
				type: 'array',
				maxItems: 6,
				items: { mask: image(true), trajectories: { type: 'array', required: true, minItems: 2, maxItems: 77 } },
			},
			camera_control: cameraControl,
			duration: oneOf(DURATIONS),
			...common,
		},
		check: (body) => {
			if (!present(body.image) && !present(body.image_tail)) return 'image or image_tail is required';
			const groups = [
				present(body.image_tail),
				present(body.static_mask) || present(body.dynamic_masks),
				present(body.camera_control),
			].filter(Boolean).length;
			if (groups > 1) return 'image_tail, motion brush and camera_control cannot be combined';
			return legacyVideoProblem(body, 'kling-v3', ['5', '10']);
		},
	},
	{
		path: '/v1/videos/multi-image2video',
		result: 'video',
		defaultModel: 'kling-v1-6',
		fields: {
			model_name: oneOf(['kling-v1-6']),
			image_list: { type: 'array', required: true, minItems: 1, maxItems: 4, items: { image: image(true) } },
			prompt: text(2500, true),
			negative_prompt: text(),
			mode: oneOf(['std', 'pro']),
			duration: oneOf(['5', '10']),
			aspect_ratio: oneOf(VIDEO_RATIOS),
			...common,
		},
	},
	{
		path: '/v1/videos/video-extend',
		result: 'video',
		fields: { video_id: { type: 'string', required: true }, prompt: text(), negative_prompt: text(), cfg_scale: range(0, 1), ...common },
	},
	{
		path: '/v1/videos/lip-sync',
		result: 'video',
		fields: { input: { type: 'object', required: true }, ...callbackOnly, watermark_info: common.watermark_info },
		check: (body) => {
			const input = (body.input ?? {}) as Record<string, unknown>;
			if (!present(input.video_id) && !present(input.video_url)) return 'input.video_id or input.video_url is required';
			if (input.mode === 'text2video') {
				if (!present(input.text) || !present(input.voice_id)) return 'input.text and input.voice_id are required';
				if (String(input.text).length > 120) return 'input.text exceeds 120 characters';
			} else if (input.mode === 'audio2video') {
				if (input.audio_type === 'file' && !present(input.audio_file)) return 'input.audio_file is required';
				if (input.audio_type === 'url' && !present(input.audio_url)) return 'input.audio_url is required';
				if (input.audio_type !== 'file' && input.audio_type !== 'url') return 'input.audio_type is invalid';
			} else return 'input.mode is invalid';
			return undefined;
		},
	},
	{
		path: '/v1/videos/effects',
		result: 'video',
		// §5.12: only the scene, its input, a callback and an external id (no duration, model, mode or watermark).
		fields: { effect_scene: { type: 'string', required: true }, input: { type: 'object', required: true }, ...callbackOnly },
		check: (body) => effectsProblem(body),
	},
	{
		path: '/v1/videos/avatar/image2video',
		result: 'video',
		fields: {
			image: image(true),
			audio_id: { type: 'string' },
			sound_file: { type: 'media' },
			prompt: text(),
			mode: oneOf(['std', 'pro']),
			...common,
		},
		check: (body) =>
			present(body.audio_id) === present(body.sound_file) ? 'exactly one of audio_id and sound_file is required' : undefined,
	},
	{
		path: '/v1/videos/omni-video',
		result: 'video',
		defaultModel: 'kling-video-o1',
		fields: {
			model_name: oneOf(['kling-video-o1', 'kling-v3-omni']),
			prompt: text(),
			...multiShot,
			image_list: { type: 'array', maxItems: 7, items: { image_url: image(true), type: oneOf(['first_frame', 'end_frame']) } },
			element_list: elementList,
			video_list: {
				type: 'array',
				maxItems: 1,
				items: {
					video_url: { type: 'string', required: true },
					refer_type: oneOf(['feature', 'base']),
					keep_original_sound: oneOf(['yes', 'no']),
				},
			},
			mode: oneOf(['std', 'pro', '4k']),
			aspect_ratio: oneOf(VIDEO_RATIOS),
			duration: oneOf(DURATIONS),
			sound: oneOf(['on', 'off']),
			...common,
		},
		// O1 takes 3–10 s; kling-v3-omni 3–15 s and 4K (reference video of 3–15 s: its length is not visible here).
		check: (body) =>
			legacyVideoProblem({ model_name: 'kling-video-o1', ...body }, 'kling-v3-omni', DURATIONS.filter((value) => Number(value) <= 10)),
	},
	{
		path: '/v1/videos/motion-control',
		result: 'video',
		defaultModel: 'kling-v2-6',
		fields: {
			model_name: oneOf(['kling-v2-6', 'kling-v3']),
			prompt: text(),
			image_url: image(true),
			video_url: { type: 'string', required: true },
			keep_original_sound: oneOf(['yes', 'no']),
			character_orientation: oneOf(['image', 'video'], true),
			mode: oneOf(['std', 'pro'], true),
			element_list: elementList,
			...common,
		},
	},
	{
		path: '/v1/audio/text-to-audio',
		result: 'audio',
		fields: { prompt: text(200, true), duration: range(3, 10, 'number', true), ...callbackOnly },
	},
	{
		path: '/v1/audio/video-to-audio',
		result: 'videoWithAudio',
		fields: {
			video_id: { type: 'string' },
			video_url: { type: 'string' },
			sound_effect_prompt: text(200),
			bgm_prompt: text(200),
			asmr_mode: { type: 'boolean' },
			...callbackOnly,
		},
		check: (body) => (present(body.video_id) === present(body.video_url) ? 'exactly one of video_id and video_url is required' : undefined),
	},
	// Issue 11: the task routes of lip sync, multi-element editing, AI multi-shot, elements and voices.
	{
		path: '/v1/videos/advanced-lip-sync',
		result: 'video',
		fields: {
			session_id: { type: 'string', required: true },
			face_choose: {
				type: 'array',
				required: true,
				minItems: 1,
				maxItems: 1,
				items: {
					face_id: { type: 'string', required: true },
					audio_id: { type: 'string' },
					sound_file: { type: 'media' },
					sound_start_time: { type: 'integer', required: true, min: 0 },
					sound_end_time: { type: 'integer', required: true, min: 0 },
					sound_insert_time: { type: 'integer', required: true, min: 0 },
					sound_volume: range(0, 2),
					original_audio_volume: range(0, 2),
				},
			},
			...common,
		},
		check: (body) => advancedLipSyncProblem(body),
	},
	{
		path: '/v1/videos/multi-elements',
		result: 'video',
		fields: {
			session_id: { type: 'string', required: true },
			edit_mode: oneOf(['addition', 'swap', 'removal'], true),
			image_list: { type: 'array', maxItems: 2, items: { image: image(true) } },
			prompt: text(2500, true),
			negative_prompt: text(),
			mode: oneOf(['std', 'pro']),
			duration: oneOf(['5', '10']),
			...common,
		},
		check: (body) => multiElementsProblem(body),
	},
	{
		path: '/v1/general/ai-multi-shot',
		result: 'custom',
		fields: { element_frontal_image: image(true), ...callbackOnly },
		// Three candidate sets of three views each.
		makeFiles: (_body, url, seed) =>
			Array.from({ length: 9 }, (_, index) => ({ url: url(index, 'png'), bytes: makePng(320, 320, seed(index)), mimeType: 'image/png' })),
		taskResult: (_task, urls) => ({
			images: [0, 1, 2].map((index) => ({ index, url_1: urls[index * 3], url_2: urls[index * 3 + 1], url_3: urls[index * 3 + 2] })),
		}),
	},
	{
		path: '/v1/general/advanced-custom-elements',
		result: 'custom',
		fields: {
			element_name: text(20, true),
			element_description: text(100, true),
			reference_type: oneOf(['image_refer', 'video_refer'], true),
			element_image_list: { type: 'object' },
			element_video_list: { type: 'object' },
			element_voice_id: { type: 'string' },
			tag_list: { type: 'array', items: { tag_id: oneOf(['o_101', 'o_102', 'o_103', 'o_104', 'o_105', 'o_106', 'o_107', 'o_108'], true) } },
			...callbackOnly,
		},
		check: (body) => {
			if (body.reference_type === 'image_refer') {
				if (!body.element_image_list) return 'element_image_list is required for image_refer';
				return validateRequest(
					{
						path: '',
						result: 'custom',
						fields: {
							frontal_image: image(true),
							refer_images: { type: 'array', required: true, minItems: 1, maxItems: 3, items: { image_url: image(true) } },
						},
					},
					body.element_image_list as Record<string, unknown>,
				);
			}
			if (!body.element_video_list) return 'element_video_list is required for video_refer';
			return validateRequest(
				{
					path: '',
					result: 'custom',
					fields: { refer_videos: { type: 'array', required: true, minItems: 1, maxItems: 1, items: { video_url: { type: 'string', required: true } } } },
				},
				body.element_video_list as Record<string, unknown>,
			);
		},
		taskResult: (task) => elementResult(task),
	},
	{
		path: '/v1/general/custom-voices',
		result: 'custom',
		maxPageSize: 1000,
		fields: { voice_name: text(20, true), voice_url: { type: 'string' }, video_id: { type: 'string' }, ...callbackOnly },
		check: (body) => {
			if (!present(body.voice_url) && !present(body.video_id)) return 'voice_url or video_id is required';
			return present(body.voice_url) && !/^https?:\/\/\S+$/.test(String(body.voice_url)) ? 'voice_url must be an http(s) URL' : undefined;
		},
		makeFiles: (_body, url, seed) => [{ url: url(0, 'mp3'), bytes: makeMp3(seed(0)), mimeType: 'audio/mpeg' }],
		taskResult: (task, urls) => voiceResult(task, urls),
	},
];

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;


function typeProblem(name: string, spec: FieldSpec, value: unknown): string | undefined {
	switch (spec.type) {
		case 'any':
			return undefined;
		case 'string':
			if (typeof value !== 'string') return `${name} must be a string`;
			if (spec.enum && !spec.enum.includes(value)) return `${name} must be one of ${spec.enum.join(', ')}`;
			if (spec.maxLength !== undefined && [...value].length > spec.maxLength) {
				return `${name} exceeds ${spec.maxLength} characters`;
			}
			return undefined;
		case 'number':
		case 'integer':
			// A long beyond 2^53 (element ids) arrives as a BigInt (exactJson.ts).
			if (spec.type === 'integer' && typeof value === 'bigint') return value < 2n ** 63n && value >= -(2n ** 63n) ? undefined : `${name} is out of range`;
			if (typeof value !== 'number' || !Number.isFinite(value)) return `${name} must be a number`;
			if (spec.type === 'integer' && !Number.isInteger(value)) return `${name} must be an integer`;
			if (spec.values && !spec.values.includes(value)) return `${name} must be one of ${spec.values.join(', ')}`;
			if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
				return `${name} must be between ${spec.min} and ${spec.max}`;
			}
			return undefined;
		case 'boolean':
			return typeof value === 'boolean' ? undefined : `${name} must be a boolean`;
		case 'object':
			return value && typeof value === 'object' && !Array.isArray(value) ? undefined : `${name} must be an object`;
		case 'url':
			return typeof value === 'string' && /^https?:\/\/\S+$/.test(value) ? undefined : `${name} must be a URL`;
		case 'image':
		case 'media':
			if (typeof value !== 'string') return `${name} must be a URL or Base64 string`;
			if (/^https?:\/\//.test(value)) return undefined;
			if (value.startsWith('data:')) return `${name} must be raw Base64 without a data: prefix`;
			return BASE64.test(value) ? undefined : `${name} is neither a URL nor valid Base64`;
		case 'array': {
			if (!Array.isArray(value)) return `${name} must be an array`;
			if (spec.minItems !== undefined && value.length < spec.minItems) return `${name} needs at least ${spec.minItems} items`;
			if (spec.maxItems !== undefined && value.length > spec.maxItems) return `${name} allows at most ${spec.maxItems} items`;
			if (!spec.items) return undefined;
			for (const [index, entry] of value.entries()) {
				const problem = objectProblem(`${name}[${index}]`, spec.items, entry as Record<string, unknown>);
				if (problem) return problem;
			}
			return undefined;
		}
	}
}

/** The first problem of an object against its field specs: unknown keys, missing required ones, types. */
export function objectProblem(prefix: string, fields: Record<string, FieldSpec>, body: Record<string, unknown>): string | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return `${prefix} must be an object`;
	for (const key of Object.keys(body)) {
		if (!(key in fields)) return `unknown parameter ${prefix ? `${prefix}.` : ''}${key}`;
	}
	for (const [key, spec] of Object.entries(fields)) {
		const name = prefix ? `${prefix}.${key}` : key;
		const value = body[key];
		if (value === undefined || value === null || value === '') {
			if (spec.required) return `${name} is required`;
			continue;
		}
		const problem = typeProblem(name, spec, value);
		if (problem) return problem;
	}
	return undefined;
}

/** The 1201 message for an invalid body, or undefined when Kling would accept it. */
export function validateRequest(route: RouteSpec, body: Record<string, unknown>): string | undefined {
	return objectProblem('', route.fields, body) ?? route.check?.(body);
}
