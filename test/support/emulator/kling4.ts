/**
 * Kling's 4.0 generation (docs/kling-4.md and the sources it names, "the addendum"): Kling 4.0 video (`kling-4.0`),
 * Kling 4.0 Flash (`kling-4.0-flash`), Kling Image 4.0 (`kling-image-4.0`) and Kling Long Image 4.0
 * (`kling-long-image-4.0`), in the new standard's `prompt`/`contents[]`, `settings{}`, `options{}` shape.
 * Written from the addendum, strict like the rest of the new standard: unknown fields, wrong types and
 * limits are refused with 400/1201 naming the field, before any task exists. Everything the addendum
 * leaves open (§7) is a `Behaviour` switch (`kling4*` in kling-emulator.ts); tasks are read through
 * `GET /tasks` and listed by `POST /tasks` like 3.0 new-standard tasks.
 */
import type { Behaviour, EmulatedTask, KlingEmulator } from './kling-emulator';
import { DEMO_VIDEO, imageSize, makeMp4, makePng } from './media';
import { type FieldSpec, objectProblem } from './routes';

export const KLING4_VIDEO_MODELS = ['kling-4.0', 'kling-4.0-flash'] as const;
export const KLING4_IMAGE_MODELS = ['kling-image-4.0', 'kling-long-image-4.0'] as const;
export type Kling4VideoModel = (typeof KLING4_VIDEO_MODELS)[number];
export type Kling4ImageModel = (typeof KLING4_IMAGE_MODELS)[number];
export type Kling4Model = Kling4VideoModel | Kling4ImageModel;

/** The three modes of one 4.0 video model (N2); also the product names of the per-mode paths (Q2 a). */
export const KLING4_MODES = ['text-to-video', 'image-to-video', 'omni-video'] as const;
export type Kling4Mode = (typeof KLING4_MODES)[number];

/** `contents[].type`s that keep a body in image-to-video (N2); any other type makes it omni video. */
export const KLING4_FRAME_TYPES = ['prompt', 'first_frame', 'middle_frame', 'last_frame'] as const;
export const KLING4_OMNI_TYPES = ['refer_image', 'feature_video', 'base_video', 'element', 'voice'] as const;

/** Prompt limits (N8, §8): the English figure is the hard limit. */
export const KLING4_PROMPT_MAX: Record<Kling4Model, number> = {
	'kling-4.0': 26_000,
	'kling-4.0-flash': 26_000,
	'kling-image-4.0': 50_000,
	'kling-long-image-4.0': 166_000,
};

const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);
const present = (value: unknown) => value !== undefined && value !== null && value !== '';

/**
 * The mode of a 4.0 video body by the Router's rule (N2): top-level `prompt` and no or empty `contents` ⇒
 * text-to-video; `contents` of prompt/frame items only ⇒ image-to-video; any refer_image, feature_video,
 * base_video, element or voice ⇒ omni video. Undefined when the body is none of these (both `prompt` and
 * non-empty `contents`, or neither).
 */
export function kling4Mode(body: Record<string, unknown>): Kling4Mode | undefined {
	const contents = Array.isArray(body.contents) ? (body.contents as unknown[]) : [];
	const hasPrompt = present(body.prompt);
	if (hasPrompt && contents.length) return undefined;
	if (hasPrompt) return 'text-to-video';
	if (!contents.length) return undefined;
	const types = contents.map((item) => (isObject(item) ? item.type : undefined));
	return types.some((type) => (KLING4_OMNI_TYPES as readonly unknown[]).includes(type)) ? 'omni-video' : 'image-to-video';
}

/**
 * The create path of a 4.0 model under the switches (Q2, Q5): video per mode `/<mode>/<model>` or one
 * `/video/<model>`; images `/omni-image/<model>` or `/text-to-image/<model>`. For a video model under
 * `perMode` the mode is needed (default text-to-video).
 */
export function kling4CreatePath(
	behaviour: Pick<Behaviour, 'kling4Paths' | 'kling4ImagePaths'>,
	model: Kling4Model,
	mode: Kling4Mode = 'text-to-video',
): string {
	if ((KLING4_IMAGE_MODELS as readonly string[]).includes(model)) {
		return `/${behaviour.kling4ImagePaths === 'textToImage' ? 'text-to-image' : 'omni-image'}/${model}`;
	}
	return behaviour.kling4Paths === 'unified' ? `/video/${model}` : `/${mode}/${model}`;
}

/** Every path any alternative serves (whatever the switches say now): for tasks made under another setting. */
const ANY_KLING4_PATH = /^\/(text-to-video|image-to-video|omni-video|video|omni-image|text-to-image)\/(kling-4\.0|kling-4\.0-flash|kling-image-4\.0|kling-long-image-4\.0)$/;

/** The path prefixes only 4.0 uses (the per-mode ones are the 3.0 products'). */
export const KLING4_PREFIXES = ['/video/', '/omni-image/', '/text-to-image/'] as const;

export interface Kling4Path {
	model: Kling4Model;
	kind: 'video' | 'image';
	/** The mode a per-mode path names; undefined on `/video/<model>` and image paths. */
	pathMode?: Kling4Mode;
}

/** What a 4.0 create path means under the current switches; undefined when the switches do not serve it. */
export function kling4Path(klingPath: string, behaviour: Behaviour): Kling4Path | undefined {
	const match = ANY_KLING4_PATH.exec(klingPath);
	if (!match) return undefined;
	const [, product, model] = match as unknown as [string, string, Kling4Model];
	if ((KLING4_IMAGE_MODELS as readonly string[]).includes(model)) {
		return product === (behaviour.kling4ImagePaths === 'textToImage' ? 'text-to-image' : 'omni-image') ? { model, kind: 'image' } : undefined;
	}
	if (behaviour.kling4Paths === 'unified') return product === 'video' ? { model, kind: 'video' } : undefined;
	return (KLING4_MODES as readonly string[]).includes(product) ? { model, kind: 'video', pathMode: product as Kling4Mode } : undefined;
}

/** The model and kind of a task's 4.0 path, whichever switch made it; undefined for any other task. */
export function kling4TaskModel(path: string): { model: Kling4Model; kind: 'video' | 'image' } | undefined {
	const match = ANY_KLING4_PATH.exec(path);
	if (!match) return undefined;
	const model = match[2] as Kling4Model;
	return { model, kind: (KLING4_IMAGE_MODELS as readonly string[]).includes(model) ? 'image' : 'video' };
}

/** The concurrency pool (`<model>|video` or `<model>|image`) of a 4.0 path; undefined for any other path. */
export function kling4PoolOf(path: string): string | undefined {
	const task = kling4TaskModel(path);
	return task && `${task.model}|${task.kind}`;
}

// ---- validation -------------------------------------------------------------------------------------------

const oneOf = (values: readonly string[], required = false): FieldSpec => ({ type: 'string', enum: values, required });

export const KLING4_ASPECT_RATIOS = ['16:9', '9:16', '1:1', '21:9', '4:3', '3:4'] as const;
export const KLING4_IMAGE_ASPECT_RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3', '21:9', 'auto'] as const;

/** `settings.resolution` of kling-4.0 under each `kling4Hdr` alternative (Q6); Flash is 720p only. */
export const KLING4_RESOLUTIONS: Record<Behaviour['kling4Hdr'], readonly string[]> = {
	refuse: ['720p', '1080p'],
	resolutionValues: ['720p', '1080p', '4k', '1080p HDR', '4k HDR'],
	dynamicRange: ['720p', '1080p', '4k'],
};

/** Item limits of one 4.0 video task (N3, N10, N11). */
export const KLING4_VIDEO_LIMITS = { contents: 16, images: 10, first_frame: 1, middle_frame: 8, last_frame: 1, videos: 5, base_video: 1, element: 7, voice: 3, prompt: 1 };

/** Messages the node's tests may match. */
export const kling4Messages = {
	notSupported: (field: 'external_task_id' | 'callback_url', model: string) => `options.${field} is not supported on ${model}`,
	promptAndContents: 'send either prompt or contents, not both (with contents, the prompt is a contents item of type prompt)',
	noInput: 'prompt or contents is required',
	modeMismatch: (bodyMode: Kling4Mode, pathMode: Kling4Mode, model: string) =>
		`the body asks for ${bodyMode}, but /${pathMode}/${model} takes ${pathMode}; send it to /${bodyMode}/${model}`,
	unknownReference: (token: string) => `prompt reference @${token} does not match any contents item`,
	flashTextOnly: 'kling-4.0-flash takes only a top-level prompt (text to video); contents are not supported',
};

/** A video's length in seconds when the emulator can tell it: its own input clip and its own results. */
export type VideoSeconds = (url: string) => number | undefined;

interface Kling4Context {
	behaviour: Behaviour;
	/** Whether an element id names a video-character element. */
	isVideoCharacter: (elementId: string) => boolean;
	videoSeconds: VideoSeconds;
}

/** What a checked create leaves for the task: the body as Kling keeps it and facts for outputs and billing. */
export interface Kling4Accepted {
	/** The body without the fields an `ignore` switch drops. */
	body: Record<string, unknown>;
	mode?: Kling4Mode;
	/** Known seconds of all reference videos (feature_video + base_video); unknown ones count 0. */
	inputVideoSeconds: number;
	/** Known length of the base video (edit), when there is one and its length is known. */
	baseVideoSeconds?: number;
	/** Whether the request bills at the video-input rate (feature_video, base_video or a video-character element). */
	videoInput: boolean;
}

const TOKEN = /(?:^|[^\w])@([A-Za-z0-9_]+)/g;

/** The `@token`s of a prompt: an `@` at the start or after a non-word character, then [A-Za-z0-9_]+. */
export function kling4PromptTokens(text: string): string[] {
	return [...text.matchAll(TOKEN)].map((match) => match[1]);
}

/** Ordinal names (Q3 b) of each kind, by contents order: @ImageN (frames + refer images), @VideoN, @ElementN, @AudioN. */
export function kling4OrdinalNames(contents: Array<Record<string, unknown>>): string[] {
	const kinds: Record<string, string> = {
		first_frame: 'Image',
		middle_frame: 'Image',
		last_frame: 'Image',
		refer_image: 'Image',
		style_refer_image: 'Image',
		subject_refer_image: 'Image',
		feature_video: 'Video',
		base_video: 'Video',
		element: 'Element',
		voice: 'Audio',
	};
	const counts = new Map<string, number>();
	const names: string[] = [];
	for (const item of contents) {
		const kind = kinds[String(item.type)];
		if (!kind) continue;
		counts.set(kind, (counts.get(kind) ?? 0) + 1);
		names.push(`${kind}${counts.get(kind)}`);
	}
	return names;
}

function optionsProblem(model: Kling4Model, body: Record<string, unknown>, behaviour: Behaviour): string | undefined {
	if (body.options === undefined || body.options === null) return undefined;
	if (!isObject(body.options)) return 'options must be an object';
	const fields: Record<string, FieldSpec> = {
		watermark_info: { type: 'object' },
		external_task_id: { type: 'string' },
		callback_url: { type: 'url' },
	};
	const problem = objectProblem('options', fields, body.options);
	if (problem) return problem;
	for (const [field, mode] of [
		['external_task_id', behaviour.kling4ExternalTaskId],
		['callback_url', behaviour.kling4CallbackUrl],
	] as const) {
		const value = body.options[field];
		if (mode === 'refuse' && value !== undefined && value !== null) return kling4Messages.notSupported(field, model);
	}
	// "An explicit null is treated as absent" (§2.1).
	const watermark = body.options.watermark_info;
	return isObject(watermark) ? objectProblem('options.watermark_info', { enabled: { type: 'boolean' } }, watermark) : undefined;
}

/** The body Kling keeps: `options.external_task_id` / `options.callback_url` dropped under `ignore` (Q1 d). */
function stored(body: Record<string, unknown>, behaviour: Behaviour): Record<string, unknown> {
	if (!isObject(body.options)) return body;
	const options = { ...body.options };
	if (behaviour.kling4ExternalTaskId === 'ignore') delete options.external_task_id;
	if (behaviour.kling4CallbackUrl === 'ignore') delete options.callback_url;
	return { ...body, options };
}

/** The fields of one `contents[]` item (§2.2): `id` on every item (Q3 a) or only on element and voice (Q3 b). */
function itemFields(type: string, promptMax: number, behaviour: Behaviour): Record<string, FieldSpec> {
	const kind: FieldSpec = { type: 'string', required: true };
	const id: Record<string, FieldSpec> = behaviour.kling4References === 'id' ? { id: { type: 'string' } } : {};
	switch (type) {
		case 'prompt':
			return { type: kind, text: { type: 'string', maxLength: promptMax, required: true }, ...id };
		case 'feature_video':
		case 'base_video':
			// Videos: URL only is implied (§2.2).
			return { type: kind, url: { type: 'url', required: true }, ...id };
		case 'element':
			return { type: kind, element_id: { type: 'string', required: true }, id: { type: 'string', required: true } };
		case 'voice':
			return { type: kind, voice_id: { type: 'string', required: true }, id: { type: 'string', required: true } };
		default:
			// Frames and every kind of reference image: URL or Base64.
			return { type: kind, url: { type: 'image', required: true }, ...id };
	}
}

interface Counted {
	items: Array<Record<string, unknown>>;
	count: (type: string) => number;
	ids: Set<string>;
}

/** Each item against its type's fields, with per-type caps; ids unique within the task (N12). */
function contentsProblem(
	contents: unknown,
	allowed: readonly string[],
	caps: Record<string, number>,
	promptMax: number,
	behaviour: Behaviour,
): string | Counted {
	if (!Array.isArray(contents)) return 'contents must be an array';
	const items: Array<Record<string, unknown>> = [];
	const counts = new Map<string, number>();
	const ids = new Set<string>();
	for (const [index, item] of contents.entries()) {
		const name = `contents[${index}]`;
		if (!isObject(item)) return `${name} must be an object`;
		if (typeof item.type !== 'string' || !allowed.includes(item.type)) return `${name}.type must be one of ${allowed.join(', ')}`;
		const problem = objectProblem(name, itemFields(item.type, promptMax, behaviour), item);
		if (problem) return problem;
		counts.set(item.type, (counts.get(item.type) ?? 0) + 1);
		const cap = caps[item.type];
		if (cap !== undefined && counts.get(item.type)! > cap) return `at most ${cap} ${item.type} item${cap === 1 ? '' : 's'} in contents`;
		if (typeof item.id === 'string' && item.id !== '') {
			if (ids.has(item.id)) return `${name}.id ${item.id} is used twice; ids must be unique within a task`;
			ids.add(item.id);
		}
		items.push(item);
	}
	return { items, count: (type) => counts.get(type) ?? 0, ids };
}

/** Every `@token` of the prompt names an input (Q3): an item id, or an ordinal name within the counts. */
function referencesProblem(prompt: string, counted: Counted, behaviour: Behaviour): string | undefined {
	const names = behaviour.kling4References === 'id' ? counted.ids : new Set(kling4OrdinalNames(counted.items));
	const wrong = kling4PromptTokens(prompt).find((token) => !names.has(token));
	return wrong === undefined ? undefined : kling4Messages.unknownReference(wrong);
}

const promptOf = (counted: Counted) => String(counted.items.find((item) => item.type === 'prompt')?.text ?? '');

/** Checks a 4.0 create; the 1201 message, or what the task keeps. */
export function kling4Check(path: Kling4Path, body: Record<string, unknown>, context: Kling4Context): string | Kling4Accepted {
	return path.kind === 'image' ? imageCheck(path.model as Kling4ImageModel, body, context) : videoCheck(path, body, context);
}

function videoCheck(path: Kling4Path, body: Record<string, unknown>, { behaviour, isVideoCharacter, videoSeconds }: Kling4Context): string | Kling4Accepted {
	const model = path.model as Kling4VideoModel;
	const flash = model === 'kling-4.0-flash';
	const promptMax = KLING4_PROMPT_MAX[model];
	const top = objectProblem(
		'',
		{
			prompt: { type: 'string', maxLength: promptMax },
			contents: { type: 'array', maxItems: KLING4_VIDEO_LIMITS.contents },
			settings: { type: 'object', required: true },
			options: { type: 'any' },
		},
		body,
	);
	if (top) return top;
	const hasContents = Array.isArray(body.contents) && body.contents.length > 0;
	if (present(body.prompt) && hasContents) return kling4Messages.promptAndContents;
	const mode = kling4Mode(body);
	if (!mode) return kling4Messages.noInput;
	if (flash && behaviour.kling4FlashInputs === 'textOnly' && mode !== 'text-to-video') return kling4Messages.flashTextOnly;

	const options = optionsProblem(model, body, behaviour);
	if (options) return options;

	// Which item types the model takes (Q10 for Flash).
	const allowed: readonly string[] = flash
		? ['prompt', 'first_frame', 'refer_image', 'feature_video', 'element']
		: [...KLING4_FRAME_TYPES, ...KLING4_OMNI_TYPES];
	const counted = contentsProblem(body.contents ?? [], allowed, KLING4_VIDEO_LIMITS, promptMax, behaviour);
	if (typeof counted === 'string') return counted;
	const { count } = counted;
	if (path.pathMode && path.pathMode !== mode) return kling4Messages.modeMismatch(mode, path.pathMode, model);
	const images = count('first_frame') + count('middle_frame') + count('last_frame') + count('refer_image');
	if (images > KLING4_VIDEO_LIMITS.images) return `at most ${KLING4_VIDEO_LIMITS.images} images in contents (frames and refer_image together), got ${images}`;
	const videos = count('feature_video') + count('base_video');
	if (videos > KLING4_VIDEO_LIMITS.videos) return `at most ${KLING4_VIDEO_LIMITS.videos} videos in contents (feature_video and base_video together), got ${videos}`;
	if (count('last_frame') && !count('first_frame')) return 'last_frame needs a first_frame (last frame only is not supported)';
	if (mode === 'image-to-video') {
		if (behaviour.kling4FirstFrame === 'required' && !count('first_frame')) return 'contents needs a first_frame item for image to video';
		if (!count('first_frame') && !count('middle_frame')) return 'contents needs at least one frame item for image to video';
	}

	// Settings (N4–N6, Q6, Q7).
	const resolutions = flash ? ['720p'] : KLING4_RESOLUTIONS[behaviour.kling4Hdr];
	const edit = count('base_video') > 0;
	const settingsFields: Record<string, FieldSpec> = {
		resolution: oneOf(resolutions, true),
		duration: { type: 'integer', min: 3, max: flash ? 20 : 30, required: !edit },
		aspect_ratio: oneOf(KLING4_ASPECT_RATIOS),
	};
	if (!flash && behaviour.kling4Hdr === 'dynamicRange') settingsFields.dynamic_range = oneOf(['sdr', 'hdr']);
	const settings = body.settings as Record<string, unknown>;
	const settingsProblem = objectProblem('settings', settingsFields, settings);
	if (settingsProblem) return settingsProblem;
	if (settings.dynamic_range === 'hdr' && settings.resolution === '720p') return 'settings.dynamic_range hdr needs settings.resolution 1080p or 4k';

	// Reference videos (N10): checked only where the emulator can tell a length.
	const clipMax = flash ? 20 : 30;
	let inputVideoSeconds = 0;
	let baseVideoSeconds: number | undefined;
	for (const [index, item] of counted.items.entries()) {
		if (item.type !== 'feature_video' && item.type !== 'base_video') continue;
		const seconds = videoSeconds(String(item.url));
		if (seconds === undefined) continue;
		if (seconds < 3 || seconds > clipMax) return `contents[${index}].url: a reference video must last 3–${clipMax} s, this one lasts ${seconds} s`;
		inputVideoSeconds += seconds;
		if (item.type === 'base_video') baseVideoSeconds = seconds;
	}
	if (inputVideoSeconds > 30) return `reference videos must last at most 30 s together, these last ${inputVideoSeconds} s`;

	const prompt = mode === 'text-to-video' ? String(body.prompt) : promptOf(counted);
	const references = referencesProblem(prompt, counted, behaviour);
	if (references) return references;
	const videoCharacter = counted.items.some((item) => item.type === 'element' && isVideoCharacter(String(item.element_id)));
	return { body: stored(body, behaviour), mode, inputVideoSeconds, baseVideoSeconds, videoInput: videos > 0 || videoCharacter };
}

function imageCheck(model: Kling4ImageModel, body: Record<string, unknown>, { behaviour }: Kling4Context): string | Kling4Accepted {
	const long = model === 'kling-long-image-4.0';
	const top = objectProblem(
		'',
		{ contents: { type: 'array', required: true, minItems: 1 }, settings: { type: 'object', required: long }, options: { type: 'any' } },
		body,
	);
	if (top) return top;
	const options = optionsProblem(model, body, behaviour);
	if (options) return options;
	const allowed = long ? ['prompt', 'refer_image', 'style_refer_image', 'subject_refer_image'] : ['prompt', 'refer_image', 'element'];
	const caps: Record<string, number> = long ? { prompt: 1, refer_image: 3, style_refer_image: 1, subject_refer_image: 1 } : { prompt: 1 };
	const counted = contentsProblem(body.contents, allowed, caps, KLING4_PROMPT_MAX[model], behaviour);
	if (typeof counted === 'string') return counted;
	const { count } = counted;
	if (count('prompt') !== 1) return 'contents needs exactly one prompt item';
	const settings = isObject(body.settings) ? body.settings : {};
	if (long) {
		const problem = objectProblem('settings', { skill: oneOf(['webpage', 'ecommerce'], true), resolution: oneOf(['1k', '2k']), length: oneOf(['short', 'medium', 'long']) }, settings);
		if (problem) return problem;
		if (settings.skill === 'webpage') {
			if (count('refer_image')) return 'skill webpage takes style_refer_image and subject_refer_image, not refer_image';
			if (present(settings.length)) return 'settings.length is only for skill ecommerce';
		} else {
			if (count('style_refer_image') || count('subject_refer_image')) return 'skill ecommerce takes refer_image (product photos), not style_refer_image or subject_refer_image';
			if (!count('refer_image')) return 'skill ecommerce needs 1–3 refer_image items';
		}
	} else {
		const problem = objectProblem(
			'settings',
			{
				aspect_ratio: oneOf(KLING4_IMAGE_ASPECT_RATIOS),
				n: { type: 'integer', min: 1, max: 9 },
				resolution: oneOf(['2k', '4k', '8k']),
				result_type: oneOf(['single', 'series']),
				series_amount: { type: 'any' },
			},
			settings,
		);
		if (problem) return problem;
		if (count('refer_image') + count('element') > 10) return 'at most 10 refer_image and element items together in contents';
		const amount = settings.series_amount;
		if (present(amount)) {
			if (settings.result_type !== 'series') return 'settings.series_amount needs settings.result_type series';
			if (amount !== 'auto' && !(Number.isInteger(amount) && (amount as number) >= 2 && (amount as number) <= 10)) {
				return 'settings.series_amount must be an integer between 2 and 10 or "auto"';
			}
		}
	}
	const references = referencesProblem(promptOf(counted), counted, behaviour);
	if (references) return references;
	return { body: stored(body, behaviour), inputVideoSeconds: 0, videoInput: false };
}

// ---- tasks, outputs, billing -------------------------------------------------------------------------------

/** Images an Image 4.0 series makes for `series_amount: "auto"`. */
export const KLING4_AUTO_SERIES = 4;

const facts = new WeakMap<EmulatedTask, Kling4Accepted>();
const settingsOf = (task: { body: Record<string, unknown> }) => (isObject(task.body.settings) ? task.body.settings : {});

/** How many images an image task makes (and the concurrency slots it takes). */
export function kling4ImageCount(model: Kling4ImageModel, body: Record<string, unknown>): number {
	if (model === 'kling-long-image-4.0') return 1;
	const settings = settingsOf({ body });
	if (settings.result_type === 'series') return settings.series_amount === 'auto' || !present(settings.series_amount) ? KLING4_AUTO_SERIES : Number(settings.series_amount);
	return typeof settings.n === 'number' ? settings.n : 1;
}

/** Seconds of the result video: `settings.duration`, or for an edit the base video's length (5 when unknown). */
function outputSeconds(task: EmulatedTask): number {
	const duration = settingsOf(task).duration;
	return typeof duration === 'number' ? duration : (facts.get(task)?.baseVideoSeconds ?? 5);
}

/**
 * The length of a video the emulator serves: its input clip (/inputs/clip.mp4) and its own results
 * (4.0 and 3.0 new-standard videos); undefined for any other URL.
 */
export function kling4VideoSeconds(emulator: KlingEmulator, url: string): number | undefined {
	if (url === `${emulator.filesUrl}/inputs/clip.mp4`) return DEMO_VIDEO.seconds;
	const declared = new RegExp(`^${emulator.filesUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/inputs/clip-(\\d+)s\\.mp4$`).exec(url);
	if (declared) return Number(declared[1]);
	const result = new RegExp(`^${emulator.filesUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/results/(\\d+)/0\\.mp4$`).exec(url);
	const task = result ? emulator.tasks.get(result[1]) : undefined;
	if (!task || task.standard !== 'new' || task.route.result !== 'video') return undefined;
	if (kling4TaskModel(task.route.path)) return outputSeconds(task);
	const duration = settingsOf(task).duration;
	return typeof duration === 'number' ? duration : 5;
}

/** Gives a new 4.0 task its files: the video (and a watermarked copy), or its images (padded to `imageBytes`). */
export function kling4Finish(emulator: KlingEmulator, task: EmulatedTask, accepted: Kling4Accepted): void {
	facts.set(task, accepted);
	const info = kling4TaskModel(task.route.path)!;
	const watermark = isObject(task.body.options) && isObject(task.body.options.watermark_info) && task.body.options.watermark_info.enabled === true;
	const url = (name: string) => `${emulator.filesUrl}/results/${task.task_id}/${name}`;
	if (info.kind === 'video') {
		if (watermark) task.files.push({ url: url('watermarked.mp4'), bytes: makeMp4(`${task.task_id}-watermarked`), mimeType: 'video/mp4' });
		return;
	}
	const settings = settingsOf(task);
	const long = info.model === 'kling-long-image-4.0';
	const ratio = long ? '1:4' : settings.aspect_ratio === undefined || settings.aspect_ratio === 'auto' ? '1:1' : settings.aspect_ratio;
	const { width, height } = imageSize(ratio, emulator.imageSidePx);
	const count = kling4ImageCount(info.model as Kling4ImageModel, task.body);
	const image = (seed: string) => {
		const png = makePng(width, height, seed);
		return emulator.imageBytes > png.length ? Buffer.concat([png, Buffer.alloc(emulator.imageBytes - png.length)]) : png;
	};
	task.files = [];
	for (let index = 0; index < count; index++) task.files.push({ url: url(`${index}.png`), bytes: image(`${task.task_id}-${index}`), mimeType: 'image/png' });
	if (watermark) {
		for (let index = 0; index < count; index++) task.files.push({ url: url(`${index}-watermarked.png`), bytes: image(`${task.task_id}-${index}-wm`), mimeType: 'image/png' });
	}
}

/** `outputs[]` of a finished 4.0 task; undefined for any other task. */
export function kling4Outputs(task: EmulatedTask): Array<Record<string, unknown>> | undefined {
	const info = kling4TaskModel(task.route.path);
	if (!info || task.standard !== 'new') return undefined;
	if (info.kind === 'video') {
		const mark = task.files.find((file) => file.url.endsWith('/watermarked.mp4'));
		return [
			{
				type: 'video',
				id: `video-${task.task_id}`,
				url: task.files[0].url,
				...(mark ? { watermark_url: mark.url } : {}),
				duration: String(outputSeconds(task)),
			},
		];
	}
	const watermarked = (url: string) => task.files.find((file) => file.url === url.replace(/\.png$/, '-watermarked.png'));
	const series = settingsOf(task).result_type === 'series';
	return task.files
		.filter((file) => !file.url.endsWith('-watermarked.png'))
		.map((file) => {
			const mark = watermarked(file.url);
			return { type: 'image', url: file.url, ...(mark ? { watermark_url: mark.url } : {}), ...(series ? { group_id: `group-${task.task_id}` } : {}) };
		});
}

/** Units of a 4.0 task (third-party prices, §9, Q14); undefined for any other task. */
export function kling4Units(task: EmulatedTask): number | undefined {
	const info = kling4TaskModel(task.route.path);
	if (!info || task.standard !== 'new') return undefined;
	const settings = settingsOf(task);
	if (info.kind === 'image') {
		const count = kling4ImageCount(info.model as Kling4ImageModel, task.body);
		if (info.model === 'kling-long-image-4.0') return 2 * count;
		return ({ '4k': 1.5, '8k': 2 }[String(settings.resolution)] ?? 1) * count;
	}
	const output = outputSeconds(task);
	if (info.model === 'kling-4.0-flash') return 0.6 * output;
	const resolution = String(settings.resolution);
	const hdr = resolution.endsWith('HDR') || settings.dynamic_range === 'hdr' ? 0.5 : 0;
	const accepted = facts.get(task);
	if (accepted?.videoInput) {
		const rate = (resolution.startsWith('4k') ? 1.8 : resolution.startsWith('1080p') ? 0.9 : 0.6) + hdr;
		return (Math.max(accepted.inputVideoSeconds, output) + output) * rate;
	}
	return output * ((resolution.startsWith('4k') ? 3 : resolution.startsWith('1080p') ? 1.5 : 1) + hdr);
}

/** `billing[]` of a finished 4.0 task, like 3.0 (`amount` with at most two decimals); undefined for any other task. */
export function kling4Billing(task: EmulatedTask): Array<Record<string, unknown>> | undefined {
	const units = kling4Units(task);
	if (units === undefined) return undefined;
	const kind = kling4TaskModel(task.route.path)!.kind;
	return [{ charge_type: 'unit', amount: String(Math.round(units * 100) / 100), package_type: kind }];
}
