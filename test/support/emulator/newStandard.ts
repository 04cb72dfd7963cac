/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test infrastructure: a real HTTP server outside n8n */
/**
 * Kling's "new design standard" (https://kling.ai/document-api/api/get-started/authentication, §4): `POST /<product>/<model>` with
 * `prompt`/`contents[]`, `settings{}`, `options{}`; `GET /tasks` (batch by ids) and `POST /tasks` (cursor).
 * API keys only; official hosts only. Written from the contract, strict like Kling: unknown fields, wrong
 * types and per-model limits are refused with 400/1201 naming the field, before any task exists.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Deployment, EmulatedTask, Fault, KlingEmulator, RecordedRequest } from './kling-emulator';
import { makeMp4 } from './media';
import { type FieldSpec, objectProblem, type RouteSpec } from './routes';
import { legacyListPrice } from './billing';
import { kling4Billing, kling4Check, kling4Finish, kling4ImageCount, type Kling4ImageModel, kling4Outputs, kling4Path, kling4PoolOf, KLING4_PREFIXES, kling4TaskModel, kling4VideoSeconds } from './kling4';

export const PRODUCTS = ['text-to-video', 'image-to-video', 'omni-video', 'motion-control'] as const;
export type Product = (typeof PRODUCTS)[number];

type ContentType =
	| 'prompt'
	| 'first_frame'
	| 'last_frame'
	| 'refer_image'
	| 'feature_video'
	| 'base_video'
	| 'element'
	| 'voice'
	| 'image'
	| 'video';

/** What one model takes on one product (https://kling.ai/document-api/api/video/3-0-omni/text-to-video). */
interface ModelSpec {
	/** The prompt limit: top-level `prompt` on text-to-video, `contents[].text` elsewhere. */
	promptMax: number;
	/** The `contents[].type`s the model takes, with how many of each (text-to-video has no contents). */
	contents?: Partial<Record<ContentType, number>>;
	required?: ContentType[];
	settings: Record<string, FieldSpec>;
	/** Cross-field rules; the message of a 1201, or undefined. */
	rule?: (input: Input) => string | undefined;
}

/** A validated body, taken apart for the rules. */
interface Input {
	settings: Record<string, unknown>;
	count: (type: ContentType) => number;
	/** Element ids that name video-character elements (the rest are multi-image elements). */
	videoCharacters: number;
	multiImages: number;
	behaviour: KlingEmulator['behaviour'];
}

const text = (maxLength: number, required = false): FieldSpec => ({ type: 'string', maxLength, required });
const oneOf = (values: readonly string[], required = false): FieldSpec => ({ type: 'string', enum: values, required });
const seconds = (min: number, max: number): FieldSpec => ({ type: 'integer', min, max });
const fiveOrTen: FieldSpec = { type: 'integer', values: [5, 10] };
const RATIO = oneOf(['16:9', '9:16', '1:1']);
const HD = oneOf(['720p', '1080p']);
const HD_4K = oneOf(['720p', '1080p', '4k']);
const MULTI_SHOT: FieldSpec = { type: 'boolean' };
const NATIVE_OR_OFF = oneOf(['native', 'off']);

/** 2.6: native audio only at 1080p (resolution defaults to 720p, so it must be asked for). */
const audioNeeds1080p = (input: Input) =>
	input.settings.audio === 'native' && input.settings.resolution !== '1080p'
		? 'settings.audio native needs settings.resolution 1080p'
		: undefined;
/** 2.6 / 2.5 Turbo image to video: first + last frame only at 1080p. */
const framesNeed1080p = (input: Input) =>
	input.count('last_frame') && input.settings.resolution !== '1080p'
		? 'first_frame with last_frame needs settings.resolution 1080p'
		: undefined;

const MODELS: Record<Product, Record<string, ModelSpec>> = {
	'text-to-video': {
		'kling-3.0-turbo': { promptMax: 3072, settings: { resolution: HD, aspect_ratio: RATIO, duration: seconds(3, 15) } },
		'kling-3.0': {
			promptMax: 3072,
			settings: { multi_shot: MULTI_SHOT, audio: NATIVE_OR_OFF, resolution: HD_4K, aspect_ratio: RATIO, duration: seconds(3, 15) },
		},
		'kling-2.6': {
			promptMax: 2500,
			settings: { audio: NATIVE_OR_OFF, resolution: HD, aspect_ratio: RATIO, duration: fiveOrTen },
			rule: audioNeeds1080p,
		},
		'kling-2.5-turbo': { promptMax: 2500, settings: { resolution: HD, aspect_ratio: RATIO, duration: fiveOrTen } },
	},
	'image-to-video': {
		// Q8: the Turbo image-to-video page says 2500, its text-to-video page 3072.
		'kling-3.0-turbo': {
			promptMax: 2500,
			contents: { prompt: 1, first_frame: 1 },
			required: ['first_frame'],
			settings: { resolution: HD, duration: seconds(3, 15) },
		},
		'kling-3.0': {
			promptMax: 3072,
			contents: { prompt: 1, first_frame: 1, last_frame: 1, element: 3 },
			required: ['first_frame'],
			settings: { multi_shot: MULTI_SHOT, audio: NATIVE_OR_OFF, resolution: HD_4K, duration: seconds(3, 15) },
		},
		'kling-2.6': {
			promptMax: 2500,
			contents: { prompt: 1, first_frame: 1, last_frame: 1, voice: 2 },
			required: ['first_frame'],
			settings: { audio: NATIVE_OR_OFF, resolution: HD, duration: fiveOrTen },
			rule: (input) =>
				input.count('voice') && input.settings.audio !== 'native'
					? 'voice needs settings.audio native (a voice cannot be used with audio off)'
					: (audioNeeds1080p(input) ?? framesNeed1080p(input)),
		},
		'kling-2.5-turbo': {
			promptMax: 2500,
			contents: { prompt: 1, first_frame: 1, last_frame: 1 },
			required: ['first_frame'],
			settings: { resolution: HD, duration: fiveOrTen },
			rule: framesNeed1080p,
		},
	},
	'omni-video': {
		'kling-3.0-omni': {
			promptMax: 3072,
			contents: { prompt: 1, first_frame: 1, last_frame: 1, refer_image: 7, feature_video: 1, base_video: 1, element: 7 },
			settings: {
				multi_shot: MULTI_SHOT,
				audio: oneOf(['native', 'original', 'off']),
				resolution: HD_4K,
				aspect_ratio: RATIO,
				duration: seconds(3, 15),
			},
			rule: omni30Problem,
		},
		'kling-o1': {
			promptMax: 2500,
			contents: { prompt: 1, first_frame: 1, last_frame: 1, refer_image: 7, feature_video: 1, base_video: 1, element: 7 },
			settings: { audio: oneOf(['original', 'off']), resolution: HD, aspect_ratio: RATIO, duration: seconds(3, 10) },
			rule: omniO1Problem,
		},
	},
	'motion-control': {
		'kling-3.0': {
			promptMax: 2500,
			contents: { prompt: 1, image: 1, video: 1, element: 1 },
			required: ['image', 'video'],
			settings: { character_orientation: oneOf(['image', 'video'], true), audio: oneOf(['original', 'off']), resolution: HD },
		},
		'kling-2.6': {
			promptMax: 2500,
			contents: { prompt: 1, image: 1, video: 1 },
			required: ['image', 'video'],
			settings: { character_orientation: oneOf(['image', 'video'], true), audio: oneOf(['original', 'off']), resolution: HD },
		},
	},
};

/** Rules shared by both omni models (§4.4). */
function omniCommonProblem(input: Input): string | undefined {
	const videos = input.count('feature_video') + input.count('base_video');
	if (videos > 1) return 'at most 1 reference video (feature_video or base_video)';
	if (input.count('base_video') && (input.count('first_frame') || input.count('last_frame'))) {
		return 'base_video cannot be combined with first_frame or last_frame';
	}
	// Q9: the notes say required without a first frame or reference video, the table and examples say optional.
	if (input.behaviour.omniAspectRatio === 'required' && !videos && !input.count('first_frame') && input.settings.aspect_ratio === undefined) {
		return 'settings.aspect_ratio is required when there is no first frame or reference video';
	}
	return undefined;
}

/** Kling 3.0 Omni count matrix and mode rules (§4.4), as far as the page states them. */
function omni30Problem(input: Input): string | undefined {
	const common = omniCommonProblem(input);
	if (common) return common;
	const { videoCharacters: characters, multiImages } = input;
	const refers = input.count('refer_image');
	const hasVideo = input.count('feature_video') + input.count('base_video') > 0;
	if (input.count('first_frame') && characters + multiImages > 3) return 'at most 3 elements with a first frame';
	if (hasVideo) {
		if (characters && multiImages) return 'with a reference video, video-character and multi-image elements cannot be combined';
		if (characters && refers) return 'with a reference video, video-character elements and refer_image cannot be combined';
		if (characters > 1) return 'with a reference video, at most 1 video-character element';
		if (refers + multiImages > 4) return 'with a reference video, refer_image + multi-image elements must not exceed 4';
	} else if (characters) {
		if (characters > 3) return 'at most 3 video-character elements';
		if (multiImages && refers + multiImages > 4) {
			return 'with video-character elements, refer_image + multi-image elements must not exceed 4';
		}
	} else if (refers + multiImages > 7) return 'refer_image + multi-image elements must not exceed 7';
	if (input.count('feature_video')) {
		if (input.settings.audio !== undefined && input.settings.audio !== 'off') return 'with feature_video, settings.audio must be off';
		if (input.settings.multi_shot === false) return 'with feature_video, settings.multi_shot can only be true';
	}
	if (input.count('base_video')) {
		if (input.settings.audio === 'native') return 'with base_video, settings.audio cannot be native';
		// multi_shot defaults to true; Kling's own base_video example sets false. Only an explicit true is refused.
		if (input.settings.multi_shot === true) return 'base_video does not support multi-shot';
	}
	return undefined;
}

/** Kling O1 (§4.4): multi-image elements only, no extras with first + last frame, 5|10 s without references. */
function omniO1Problem(input: Input): string | undefined {
	const common = omniCommonProblem(input);
	if (common) return common;
	const refers = input.count('refer_image');
	const elements = input.videoCharacters + input.multiImages;
	const hasVideo = input.count('feature_video') + input.count('base_video') > 0;
	if (input.videoCharacters) return 'kling-o1 supports multi-image elements only';
	if (input.count('last_frame') && (refers || elements)) return 'with first_frame and last_frame, no refer_image and no element';
	if (input.count('feature_video') && input.count('last_frame')) return 'with feature_video, only a first frame can be set';
	if (refers + elements > (hasVideo ? 4 : 7)) return `refer_image + elements must not exceed ${hasVideo ? 4 : 7}`;
	const duration = input.settings.duration;
	if (!refers && !hasVideo && duration !== undefined && duration !== 5 && duration !== 10) {
		return 'without refer_image or a reference video, settings.duration must be 5 or 10';
	}
	return undefined;
}

/** The fields of each `contents[]` item by type (§4.1); omni items may carry an `id` for `@id` references. */
function contentFields(type: ContentType, product: Product, promptMax: number): Record<string, FieldSpec> {
	const kind: FieldSpec = { type: 'string', required: true };
	const optionalId: Record<string, FieldSpec> = product === 'omni-video' ? { id: { type: 'string' } } : {};
	switch (type) {
		case 'prompt':
			return { type: kind, text: text(promptMax, true) };
		case 'first_frame':
		case 'last_frame':
		case 'refer_image':
		case 'image':
			return { type: kind, url: { type: 'image', required: true }, ...optionalId };
		case 'feature_video':
		case 'base_video':
		case 'video':
			// Reference videos are URL only (§2): no Base64.
			return { type: kind, url: { type: 'url', required: true }, ...optionalId };
		case 'element':
			return { type: kind, element_id: { type: 'string', required: true }, id: { type: 'string', required: true } };
		case 'voice':
			return { type: kind, voice_id: { type: 'string', required: true }, id: { type: 'string', required: true } };
	}
}

const OPTIONS: Record<string, FieldSpec> = {
	callback_url: { type: 'url' },
	external_task_id: { type: 'string' },
	watermark_info: { type: 'object' },
};

const isObject = (value: unknown): value is Record<string, unknown> =>
	!!value && typeof value === 'object' && !Array.isArray(value);

/** The 1201 message for a new-standard create body, or undefined when Kling would take it. */
export function newStandardProblem(
	product: Product,
	spec: ModelSpec,
	body: Record<string, unknown>,
	behaviour: KlingEmulator['behaviour'],
	isVideoCharacter: (elementId: string) => boolean,
): string | undefined {
	const top: Record<string, FieldSpec> =
		product === 'text-to-video'
			? { prompt: text(spec.promptMax, true), settings: { type: 'object' }, options: { type: 'object' } }
			: { contents: { type: 'array', required: true, minItems: 1 }, settings: { type: 'object' }, options: { type: 'object' } };
	const problem =
		objectProblem('', top, body) ??
		(isObject(body.settings) ? objectProblem('settings', spec.settings, body.settings) : undefined) ??
		(isObject(body.options) ? objectProblem('options', OPTIONS, body.options) : undefined) ??
		(isObject(body.options) && body.options.watermark_info !== undefined
			? objectProblem('options.watermark_info', { enabled: { type: 'boolean' } }, body.options.watermark_info as Record<string, unknown>)
			: undefined);
	if (problem) return problem;
	if (!isObject(body.settings) && spec.settings.character_orientation?.required) return 'settings.character_orientation is required';

	const contents = (Array.isArray(body.contents) ? body.contents : []) as unknown[];
	const allowed = spec.contents ?? {};
	const counts = new Map<ContentType, number>();
	const ids = new Set<string>();
	let videoCharacters = 0;
	for (const [index, item] of contents.entries()) {
		const name = `contents[${index}]`;
		if (!isObject(item)) return `${name} must be an object`;
		const type = item.type as ContentType;
		if (typeof type !== 'string' || !(type in allowed)) return `${name}.type must be one of ${Object.keys(allowed).join(', ')}`;
		const itemProblem = objectProblem(name, contentFields(type, product, spec.promptMax), item);
		if (itemProblem) return itemProblem;
		counts.set(type, (counts.get(type) ?? 0) + 1);
		if (counts.get(type)! > allowed[type]!) return `at most ${allowed[type]} ${type} item${allowed[type] === 1 ? '' : 's'} in contents`;
		if (typeof item.id === 'string' && item.id !== '') {
			if (ids.has(item.id)) return `${name}.id ${item.id} is used twice; ids must be unique within a task`;
			ids.add(item.id);
		}
		if (type === 'element' && isVideoCharacter(String(item.element_id))) videoCharacters++;
	}
	const count = (type: ContentType) => counts.get(type) ?? 0;
	for (const type of spec.required ?? []) if (!count(type)) return `contents needs a ${type} item`;
	if (count('last_frame') && !count('first_frame')) return 'last_frame needs a first_frame (last frame only is not supported)';
	const input: Input = {
		settings: isObject(body.settings) ? body.settings : {},
		count,
		videoCharacters,
		multiImages: count('element') - videoCharacters,
		behaviour,
	};
	return spec.rule?.(input);
}

/** Units per second from the price list (§3.4), so that `billing[]` carries plausible numbers. */
function unitsPerSecond(product: Product, model: string, settings: Record<string, unknown>, contents: Array<Record<string, unknown>>): number {
	const p1080 = settings.resolution === '1080p';
	const pick = (p720: number, p1080Units: number) => (settings.resolution === '4k' ? 3 : p1080 ? p1080Units : p720);
	const has = (type: string) => contents.some((item) => item.type === type);
	const native = settings.audio === 'native';
	switch (model) {
		case 'kling-3.0-turbo':
			return pick(0.8, 1.0);
		case 'kling-3.0':
			return product === 'motion-control' || native ? pick(0.9, 1.2) : pick(0.6, 0.8);
		case 'kling-3.0-omni':
			return has('feature_video') || has('base_video') ? pick(0.9, 1.2) : native ? pick(0.8, 1.0) : pick(0.6, 0.8);
		case 'kling-o1':
			return has('feature_video') || has('base_video') ? pick(0.9, 1.2) : pick(0.6, 0.8);
		case 'kling-2.6':
			if (product === 'motion-control') return pick(0.5, 0.8);
			return has('voice') ? 1.2 : native ? 1.0 : pick(0.3, 0.5);
		default:
			return pick(0.3, 0.5);
	}
}

/**
 * "Model version" for concurrency (§1.12): the same model whichever standard created the task, so a
 * legacy `model_name: kling-v3` video and `/text-to-video/kling-3.0` share one pool.
 */
const LEGACY_TO_NEW: Record<string, string> = {
	'kling-v3': 'kling-3.0',
	'kling-v3-omni': 'kling-3.0-omni',
	'kling-video-o1': 'kling-o1',
	'kling-v2-6': 'kling-2.6',
	'kling-v2-5-turbo': 'kling-2.5-turbo',
};

const NEW_PATH = /^\/(text-to-video|image-to-video|omni-video|motion-control)\/([^/]+)$/;

/** The pack type of a task (video / image / try_on), as `POST /tasks` filters and concurrency count them. */
export function packOf(route: RouteSpec): 'video' | 'image' | 'try_on' {
	if (route.path === '/v1/images/kolors-virtual-try-on') return 'try_on';
	return route.result === 'images' ? 'image' : 'video';
}

/** `<model version>|<pack type>`: the concurrency pool of a create within its account (§1.12). */
export function poolOf(route: RouteSpec, body: Record<string, unknown>): string {
	const kling4 = kling4PoolOf(route.path);
	if (kling4) return kling4;
	const newPath = NEW_PATH.exec(route.path);
	if (newPath) return `${newPath[2]}|video`;
	const named = typeof body.model_name === 'string' && body.model_name !== '' ? body.model_name : route.defaultModel;
	// Only video names have a new-standard twin; image "kling-v3" is Image 3.0, a model of its own.
	const version = named === undefined ? route.path : packOf(route) === 'video' ? (LEGACY_TO_NEW[named] ?? named) : named;
	return `${version}|${packOf(route)}`;
}

export function isNewStandardPath(klingPath: string): boolean {
	return (
		klingPath === '/tasks' ||
		PRODUCTS.some((product) => klingPath === `/${product}` || klingPath.startsWith(`/${product}/`)) ||
		KLING4_PREFIXES.some((prefix) => klingPath.startsWith(prefix))
	);
}

/** A task's `external_task_id`, wherever its standard keeps it; undefined when none (or ""). */
export function externalIdOf(task: EmulatedTask): string | undefined {
	const holder = task.standard === 'new' ? task.body.options : task.body;
	const value = isObject(holder) ? holder.external_task_id : undefined;
	return typeof value === 'string' && value !== '' ? value : undefined;
}

export function callbackUrlOf(task: EmulatedTask): string | undefined {
	const holder = task.standard === 'new' ? task.body.options : task.body;
	const value = isObject(holder) ? holder.callback_url : undefined;
	return typeof value === 'string' && value !== '' ? value : undefined;
}

const AK_SK_REFUSED =
	'Authentication error. The current API does not support AK/SK; please go to the console (https://kling.ai/dev/api-key) to create API key.';
const MAX_IDS = 20;
const THIRTY_DAYS = 30 * 86_400_000;

export interface NewStandardRequest {
	req: IncomingMessage;
	res: ServerResponse;
	url: URL;
	klingPath: string;
	record: RecordedRequest;
	body?: Record<string, unknown>;
	rawBody: string;
	deployment: Deployment;
	fault?: Fault;
}

/** The new-standard routes of one emulator; `KlingEmulator.handleApi` hands them every request they own. */
export class NewStandardApi {
	/** Element ids that are video-character elements; any other id is taken for a multi-image element. */
	readonly videoCharacterElements = new Set<string>();
	private readonly routes = new Map<string, RouteSpec>();

	constructor(private readonly emulator: KlingEmulator) {}

	reset(): void {
		this.videoCharacterElements.clear();
	}

	/** Whether a deployment serves the new standard: official hosts only; Beijing is a switch (Q21). */
	serves(deployment: Deployment): boolean {
		if (deployment.newStandard !== undefined) return deployment.newStandard;
		if (deployment.prefix !== '') return false;
		return deployment.name !== 'beijing' || this.emulator.behaviour.newStandardOnBeijing;
	}

	/** The route object of a new-standard create path, one per path (`task.route.path` is the path). */
	route(product: Product, model: string): RouteSpec {
		return this.routeAt(`/${product}/${model}`);
	}

	/** The route object of any new-standard create path (Kling 4.0 images: result `images`). */
	routeAt(path: string, result: RouteSpec['result'] = 'video'): RouteSpec {
		let route = this.routes.get(path);
		if (!route) this.routes.set(path, (route = { path, result, fields: {} }));
		return route;
	}

	handle({ req, res, url, klingPath, record, body, rawBody, deployment, fault }: NewStandardRequest): void {
		const emulator = this.emulator;
		if (!this.serves(deployment)) {
			if (deployment.prefix === '') return emulator.send(res, 1203, undefined, `no such endpoint: ${klingPath}`);
			// What CometAPI answered for a route it does not register (https://kling.ai/document-api/llms.txt).
			res.writeHead(404, { 'content-type': 'application/json' });
			return void res.end(JSON.stringify({ code: null, message: '404' }));
		}
		const header = req.headers.authorization;
		if (!header) return emulator.send(res, 1001, undefined, 'Authorization is empty');
		const key = /^Bearer (\S+)$/.exec(header)?.[1];
		// A JWT, valid or not, and any unknown key get the same answer live (§1.2).
		if (!key || !deployment.apiKeys.includes(key)) return emulator.send(res, 1002, undefined, AK_SK_REFUSED);
		const account = `${deployment.name}:${key}`;
		if (rawBody && !body) return emulator.send(res, 1200, undefined, 'the request body is not JSON');

		if (klingPath === '/tasks') {
			if (record.method === 'GET') return this.queryTasks(url, account, res);
			if (record.method === 'POST') return this.listTasks(body ?? {}, account, res);
			return emulator.send(res, 1202, undefined, 'invalid method');
		}
		const match = NEW_PATH.exec(klingPath);
		const product = match?.[1] as Product | undefined;
		// Kling 4.0 (kling4.ts): the paths the switches serve now.
		const kling4 = kling4Path(klingPath, emulator.behaviour);
		const model = kling4?.model ?? match?.[2] ?? /^\/[^/]+\/([^/]+)$/.exec(klingPath)?.[1] ?? '';
		const spec = product ? MODELS[product][model] : undefined;
		if (!kling4 && (!product || !spec)) return emulator.send(res, 1203, undefined, `model ${model || '(none)'} not found for ${klingPath}`);
		if (record.method !== 'POST') return emulator.send(res, 1202, undefined, 'invalid method');
		if (!body) return emulator.send(res, 1200, undefined, 'the request body is not JSON');
		const isVideoCharacter = (id: string) => this.videoCharacterElements.has(id);
		const accepted = kling4
			? kling4Check(kling4, body, { behaviour: emulator.behaviour, isVideoCharacter, videoSeconds: (url) => kling4VideoSeconds(emulator, url) })
			: undefined;
		const problem = typeof accepted === 'string' ? accepted : kling4 ? undefined : newStandardProblem(product!, spec!, body, emulator.behaviour, isVideoCharacter);
		if (problem) return emulator.send(res, 1201, undefined, problem);
		// What Kling keeps of the body (a 4.0 switch may drop options it ignores).
		if (typeof accepted === 'object') body = accepted.body;

		const options = isObject(body.options) ? body.options : {};
		const externalId = typeof options.external_task_id === 'string' && options.external_task_id !== '' ? options.external_task_id : undefined;
		// "Unique within a single user account" (§1.9): any task of the account, whichever standard made it.
		if (emulator.behaviour.uniqueExternalIds && externalId && this.byExternalId(account, externalId).length) {
			return emulator.send(res, 1201, undefined, `External_task_id ${externalId} already exists`);
		}
		const route = kling4 ? this.routeAt(klingPath, kling4.kind === 'image' ? 'images' : 'video') : this.route(product!, model);
		const slots = kling4?.kind === 'image' ? kling4ImageCount(kling4.model as Kling4ImageModel, body) : 1;
		const pool = `${account}|${poolOf(route, body)}`;
		if (emulator.concurrencyLimit && emulator.runningSlots(pool) + slots > emulator.concurrencyLimit) {
			return emulator.send(res, 1303, undefined, 'parallel task over resource pack limit');
		}
		const task = emulator.createTask(route, deployment, account, body, slots, { standard: 'new' });
		if (typeof accepted === 'object') {
			kling4Finish(emulator, task, accepted);
			record.createdTaskId = task.task_id;
			emulator.notePeak(task);
			return emulator.respondCreated(req, res, fault, createdObject(task, externalId));
		}
		const shots = shotsOf(task) ?? [];
		const video = task.files[0];
		// The video is cut into the shots Kling made of the prompt: their list travels in the file.
		if (shots.length > 1 && video && video.generatedSize === undefined) {
			const list = Buffer.from(`kling shots: ${JSON.stringify(shots)}`);
			const free = Buffer.alloc(8);
			free.writeUInt32BE(8 + list.length, 0);
			free.write('free', 4, 'latin1');
			video.bytes = Buffer.concat([video.bytes, free, list]);
		}
		if (isObject(options.watermark_info) && options.watermark_info.enabled === true) {
			const url = `${emulator.filesUrl}/results/${task.task_id}/watermarked.mp4`;
			task.files.push({ url, bytes: makeMp4(`${task.task_id}-watermarked`), mimeType: 'video/mp4' });
		}
		record.createdTaskId = task.task_id;
		emulator.notePeak(task);
		return emulator.respondCreated(req, res, fault, createdObject(task, externalId));
	}

	/** The account's tasks `/tasks` can see: every async task, whichever standard made it (LIVE, §1.7). */
	private visible(account: string): EmulatedTask[] {
		return [...this.emulator.tasks.values()].filter((task) => task.credentialKey === account && task.route.result !== 'speech');
	}

	/** Newest first; without uniqueness several tasks may share an external id, and all of them match. */
	private byExternalId(account: string, externalId: string): EmulatedTask[] {
		return this.visible(account)
			.filter((task) => externalIdOf(task) === externalId)
			.reverse();
	}

	private queryTasks(url: URL, account: string, res: ServerResponse): void {
		const emulator = this.emulator;
		const params = url.searchParams;
		const unknown = [...params.keys()].filter((name) => name !== 'task_ids' && name !== 'external_task_ids');
		if (unknown.length && emulator.behaviour.unknownQueryParameters === 'reject') {
			return emulator.send(res, 1201, undefined, `unknown query parameter: ${unknown.join(', ')}`);
		}
		const taskIds = params.get('task_ids');
		const externalIds = params.get('external_task_ids');
		if (taskIds !== null && externalIds !== null) {
			return emulator.send(res, 1201, undefined, 'task_ids and external_task_ids cannot be used at the same time');
		}
		const given = taskIds ?? externalIds;
		const name = taskIds !== null ? 'task_ids' : 'external_task_ids';
		if (given === null) return emulator.send(res, 1201, undefined, 'task_ids or external_task_ids is required');
		const ids = given.split(',').map((id) => id.trim());
		if (ids.some((id) => id === '')) return emulator.send(res, 1201, undefined, `${name} contains an empty id`);
		if (ids.length > MAX_IDS) return emulator.send(res, 1201, undefined, `${name} supports at most ${MAX_IDS} ids, got ${ids.length}`);
		const tasks = this.visible(account);
		const found =
			taskIds !== null
				? ids.flatMap((id) => tasks.filter((task) => task.task_id === id))
				: ids.flatMap((id) => this.byExternalId(account, id));
		// Unknown ids are not an error: they are simply absent (LIVE, §1.8).
		const unique = [...new Set(found)];
		const now = Date.now();
		return emulator.send(res, 0, unique.map((task) => emulator.readAnswer(task, newTaskObject(emulator, task, now))));
	}

	/** `POST /tasks`: the account's tasks, newest first, filtered, `limit` per page, keyset cursor (§4.6). */
	private listTasks(body: Record<string, unknown>, account: string, res: ServerResponse): void {
		const emulator = this.emulator;
		const problem = objectProblem(
			'',
			{
				start_time: { type: 'object' },
				end_time: { type: 'object' },
				cursor: { type: 'string' },
				limit: { type: 'integer', min: 1, max: 500 },
				filters: { type: 'array', items: { key: oneOf(['status', 'product_type'], true), values: { type: 'array', required: true } } },
			},
			// Times are checked below: a number or a numeric string are both accepted (Q16).
			{ ...body, start_time: undefined, end_time: undefined },
		);
		if (problem) return emulator.send(res, 1201, undefined, problem);
		const time = (name: 'start_time' | 'end_time'): number | undefined | string => {
			const value = body[name];
			if (value === undefined || value === null || value === '') return undefined;
			const parsed = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
			return Number.isInteger(parsed) && parsed >= 0 ? parsed : `${name} must be a Unix timestamp in milliseconds`;
		};
		const filters = (body.filters ?? []) as Array<{ key: 'status' | 'product_type'; values: unknown[] }>;
		const allowedValues = { status: ['submitted', 'processing', 'succeeded', 'failed'], product_type: ['video', 'image', 'try_on'] };
		for (const [index, filter] of filters.entries()) {
			const wrong = filter.values.find((value) => !allowedValues[filter.key].includes(value as string));
			if (wrong !== undefined) {
				return emulator.send(res, 1201, undefined, `filters[${index}].values: ${String(wrong)} is not one of ${allowedValues[filter.key].join(', ')}`);
			}
		}
		let window: { start: number; end: number; before?: string };
		const cursor = typeof body.cursor === 'string' && body.cursor !== '' ? body.cursor : undefined;
		if (cursor) {
			try {
				window = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof window;
				if (typeof window.start !== 'number' || typeof window.end !== 'number') throw new Error('cursor');
			} catch {
				return emulator.send(res, 1201, undefined, 'cursor is invalid');
			}
		} else {
			const end = time('end_time') ?? Date.now();
			const start = time('start_time') ?? (typeof end === 'number' ? end - THIRTY_DAYS : 0);
			if (typeof end === 'string') return emulator.send(res, 1201, undefined, end);
			if (typeof start === 'string') return emulator.send(res, 1201, undefined, start);
			if (start >= end) return emulator.send(res, 1201, undefined, 'start_time must be earlier than end_time');
			window = { start, end };
		}
		const now = Date.now();
		const limit = typeof body.limit === 'number' ? body.limit : 100;
		const matches = this.visible(account)
			.filter((task) => task.createdAt >= window.start && task.createdAt <= window.end)
			.filter((task) => window.before === undefined || BigInt(task.task_id) < BigInt(window.before))
			.filter((task) =>
				filters.every((filter) =>
					filter.values.includes(filter.key === 'status' ? newStatus(emulator, task, now) : packOf(task.route)),
				),
			)
			.sort((a, b) => (BigInt(b.task_id) > BigInt(a.task_id) ? 1 : -1));
		const page = matches.slice(0, limit);
		const hasMore = matches.length > limit;
		// LIVE (§1.2 probe): an empty page is `{count: 0, has_more: false}`, without `result` or a cursor.
		if (!page.length) return emulator.send(res, 0, { count: 0, has_more: false });
		const data: Record<string, unknown> = { result: page.map((task) => newTaskObject(emulator, task, now)), count: page.length, has_more: hasMore };
		if (hasMore) {
			const next = { start: window.start, end: window.end, before: page[page.length - 1].task_id };
			data.next_cursor = Buffer.from(JSON.stringify(next)).toString('base64url');
		}
		return emulator.send(res, 0, data);
	}
}

/** The `data` of a create's answer (§1.5). */
function createdObject(task: EmulatedTask, externalId: string | undefined): Record<string, unknown> {
	const created: Record<string, unknown> = { id: task.task_id, status: 'submitted', create_time: task.createdAt, update_time: task.createdAt };
	if (externalId) created.external_id = externalId;
	return created;
}

function newStatus(emulator: KlingEmulator, task: EmulatedTask, now: number): 'submitted' | 'processing' | 'succeeded' | 'failed' {
	const status = emulator.statusOf(task, now);
	return status === 'succeed' ? 'succeeded' : status;
}

/** `outputs[]` of a finished task: its own for new-standard tasks, the legacy `task_result` renamed otherwise. */
function outputsOf(emulator: KlingEmulator, task: EmulatedTask): Array<Record<string, unknown>> {
	if (task.standard === 'new') {
		const kling4 = kling4Outputs(task);
		if (kling4) return kling4;
		const settings = isObject(task.body.settings) ? task.body.settings : {};
		const watermarked = task.files.find((file) => file.url.endsWith('/watermarked.mp4'));
		return [
			{
				type: 'video',
				id: `video-${task.task_id}`,
				url: task.files[0].url,
				...(watermarked ? { watermark_url: watermarked.url } : {}),
				// Motion control follows its reference video; the emulator's reference videos last 5 s.
				duration: String(typeof settings.duration === 'number' ? settings.duration : 5),
			},
		];
	}
	const result = emulator.taskResult(task) as {
		videos?: Array<Record<string, unknown>>;
		images?: Array<{ url: string }>;
		audios?: Array<Record<string, unknown>>;
	};
	return [
		...(result.videos ?? []).map((video) => ({ type: 'video', ...video })),
		...(result.images ?? []).map((image) => ({ type: 'image', url: image.url })),
		...(result.audios ?? []).map((audio) => ({
			type: 'audio',
			id: audio.id,
			mp3_url: audio.url_mp3,
			wav_url: audio.url_wav,
			mp3_duration: audio.duration_mp3,
			wav_duration: audio.duration_wav,
		})),
	];
}

function billingOf(task: EmulatedTask): Array<Record<string, unknown>> {
	const kling4 = kling4Billing(task);
	if (kling4) return kling4;
	let amount = legacyListPrice(task.route.path, task.body) ?? task.slots;
	const match = NEW_PATH.exec(task.route.path);
	if (task.standard === 'new' && match) {
		const settings = isObject(task.body.settings) ? task.body.settings : {};
		const contents = (Array.isArray(task.body.contents) ? task.body.contents : []) as Array<Record<string, unknown>>;
		const duration = typeof settings.duration === 'number' ? settings.duration : 5;
		amount = Math.round(unitsPerSecond(match[1] as Product, match[2], settings, contents) * duration * 10) / 10;
	}
	return [{ charge_type: 'unit', amount: String(amount), package_type: packOf(task.route) === 'image' ? 'image' : 'video' }];
}

/**
 * A task in the new shape (§1.5–1.7): what `GET /tasks`, `POST /tasks` and new-standard callbacks carry.
 * `update_time` is when the task last changed status, not the time of the query.
 */
export function newTaskObject(emulator: KlingEmulator, task: EmulatedTask, now = Date.now()): Record<string, unknown> {
	const status = newStatus(emulator, task, now);
	const changedAt =
		status === 'submitted'
			? task.createdAt
			: status === 'processing'
				? task.createdAt + emulator.submittedMs
				: task.createdAt + emulator.submittedMs + emulator.processingMs;
	const done = status === 'succeeded';
	return {
		id: task.task_id,
		status,
		message: status === 'failed' ? task.outcome.message : '',
		create_time: task.createdAt,
		update_time: changedAt,
		external_id: externalIdOf(task) ?? '',
		outputs: done ? outputsOf(emulator, task) : [],
		billing: done ? billingOf(task) : [],
	};
}

/** One shot of a video: its number, seconds and words (https://kling.ai/document-api/api/video/3-0-omni/text-to-video). */
export interface Shot {
	shot: number;
	seconds: number;
	prompt: string;
}

const SHOT_SYNTAX = /shot\s+(\d+)\s*,\s*(\d+)\s*,\s*([^;]*);/gi;

/**
 * The shots Kling makes of a new-standard task (§4.1, §4.2, §4.4). On a model with `settings.multi_shot`
 * (3.0, 3.0 Omni) the switch defaults to **true**, and then "shot n, m, words;" in the prompt cuts the video
 * into those shots; with `multi_shot: false` the syntax is ignored and the whole prompt is one shot.
 * Undefined for a task that is not a new-standard one.
 */
export function shotsOf(task: EmulatedTask): Shot[] | undefined {
	const match = NEW_PATH.exec(task.route.path);
	if (task.standard !== 'new' || !match) return undefined;
	const spec = MODELS[match[1] as Product][match[2]];
	const settings = isObject(task.body.settings) ? task.body.settings : {};
	const contents = (Array.isArray(task.body.contents) ? task.body.contents : []) as Array<Record<string, unknown>>;
	const prompt = String(match[1] === 'text-to-video' ? (task.body.prompt ?? '') : (contents.find((item) => item.type === 'prompt')?.text ?? ''));
	const whole: Shot[] = [{ shot: 1, seconds: typeof settings.duration === 'number' ? settings.duration : 5, prompt }];
	if (!spec?.settings.multi_shot || settings.multi_shot === false) return whole;
	const shots = [...prompt.matchAll(SHOT_SYNTAX)].map(([, shot, seconds, words]) => ({ shot: Number(shot), seconds: Number(seconds), prompt: words.trim() }));
	return shots.length ? shots : whole;
}

/** The route object for a new-standard path, for seeding tasks (`seedForeignTask`). */
export function newStandardRoute(api: NewStandardApi, path: string): RouteSpec | undefined {
	const kling4 = kling4TaskModel(path);
	if (kling4) return api.routeAt(path, kling4.kind === 'image' ? 'images' : 'video');
	const match = NEW_PATH.exec(path);
	return match && MODELS[match[1] as Product][match[2]] ? api.route(match[1] as Product, match[2]) : undefined;
}

/** The `foreignTask` fault on a new-standard path: the foreign task in the shape that route answers with. */
export function foreignAnswer(emulator: KlingEmulator, klingPath: string, method: string, task: EmulatedTask): unknown {
	if (!isNewStandardPath(klingPath)) return undefined;
	const object = newTaskObject(emulator, task);
	if (klingPath !== '/tasks') return object;
	return method === 'GET' ? [object] : { result: [object], count: 1, has_more: false };
}
