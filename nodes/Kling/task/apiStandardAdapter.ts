import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { NEW_PRODUCT_PATH, routeFactsOf, type RouteFacts } from '../kling/catalogue';
import { findGeneration4Model, GENERATION4_DEFAULTS, type Generation4Product, type Video4Mode } from '../kling/generation4';
import { type Generation4Input, generation4Of, IMAGE_TYPES, renameReferences } from '../input/generation4Input';
import { capabilitiesOf, findVideoModel, RESOLUTION_OF_MODE, type ApiStandard, type VideoProduct } from '../kling/models';
import { authTypeOf, PROVIDER_PRESETS, providerOf, routeOverrideFor } from '../transport/provider';
import type { KlingTask, TaskStatus } from '../kling/taskShape';

/**
 * Kling's two API standards (https://kling.ai/document-api/updates/api). Video models live on the new path-per-model API
 * (API keys only, official hosts) and, for most of them, on the older `/v1/videos/*` routes that
 * resellers proxy and that take AK/SK JWTs. The node picks the standard from the credential and
 * the model; the rest of the node works on one task shape (the legacy one), so outputs match.
 */
/** Reads on the new standard go through `/tasks`, whatever route created the task. */
export const NEW_TASKS_PATH = '/tasks';

export const isNewStandardRoute = (route: string) => !route.startsWith('/v1/') && !route.startsWith('/account/');

export class StandardError extends Error {}

/** Whether Automatic picks the new standard: an API key on an official Kling host (the documented case). */
export function reachesNewStandard(credentials: ICredentialDataDecryptedObject): boolean {
	const provider = providerOf(credentials);
	return (provider === 'singapore' || provider === 'beijing') && authTypeOf(credentials) === 'apiKey';
}

/**
 * Why this credential cannot use the new standard, as a clause after "Kling's new API, ", or
 * undefined when it can: the new API takes API keys only (https://kling.ai/document-api/updates/api) and the reseller
 * presets do not serve it (§6.1). A custom host with an API key may serve it (Q21).
 */
function newStandardRefusal(credentials: ICredentialDataDecryptedObject): string | undefined {
	const provider = providerOf(credentials);
	if (provider === 'cometapi' || provider === 'quickrouter') {
		return `which ${PROVIDER_PRESETS[provider].displayName}, a reseller host, does not serve. Use an official Kling host with an API key`;
	}
	if (authTypeOf(credentials) === 'accessKey') {
		return 'which takes an API key; this credential uses an Access Key + Secret Key. Create a Kling API key and use it in the Kling API credential';
	}
	return undefined;
}

export interface StandardChoice {
	standard: ApiStandard;
	/** The submit route, e.g. /v1/videos/text2video or /text-to-video/kling-3.0. */
	route: string;
	/** What goes into the path (new) or `model_name` (legacy). */
	model: string;
}

const looksLegacy = (model: string) => /^kling-(v\d|video-)/.test(model);

export function chooseStandard(
	credentials: ICredentialDataDecryptedObject,
	product: VideoProduct,
	legacyRoute: string,
	modelId: string,
	override: 'auto' | ApiStandard = 'auto',
): StandardChoice {
	const model = findVideoModel(modelId);
	const label = model ? `${model.name} (${modelId})` : `Model "${modelId}"`;
	const legacy = (name: string): StandardChoice => ({ standard: 'legacy', route: legacyRoute, model: name });
	const fresh = (path: string): StandardChoice => ({ standard: 'new', route: `${NEW_PRODUCT_PATH[product]}/${path}`, model: path });
	const refusal = newStandardRefusal(credentials);

	if (override === 'new') {
		if (refusal) throw new StandardError(`API Standard is New, but this credential cannot use Kling's new API, ${refusal}, or set API Standard to Automatic or Legacy.`);
		if (model && !model.newPath) throw new StandardError(`${label} is not on Kling's new API; set API Standard to Legacy or Automatic`);
		return fresh(model?.newPath ?? modelId);
	}
	if (override === 'auto' && reachesNewStandard(credentials) && (model ? Boolean(model.newPath) : !looksLegacy(modelId))) {
		return fresh(model?.newPath ?? modelId);
	}
	if (model && !model.legacyName) {
		const onlyNew = `${label} is only on Kling's new API`;
		if (refusal) throw new StandardError(`${onlyNew}, ${refusal}.`);
		throw new StandardError(
			override === 'legacy'
				? `${onlyNew}; set API Standard to Automatic or New`
				: `${onlyNew}; with a custom host, Automatic uses the legacy routes: set API Standard to New if the host serves Kling's new API`,
		);
	}
	return legacy(model?.legacyName ?? modelId);
}

/** A create request in the shape of the standard it goes to. */
export interface SubmitRequest {
	standard: ApiStandard;
	route: string;
	payload: IDataObject;
}

/**
 * Where an operation's body goes and in which shape: a video product to the standard the credential
 * and model allow, the body converted for the new API; any other task to its legacy route, with a
 * reseller's route quirk applied (the catalogue's `resellerRoute`). Throws StandardError.
 */
export function submitRequestFor(
	credentials: ICredentialDataDecryptedObject,
	target: { taskPath: string; videoProduct?: VideoProduct },
	body: IDataObject,
	override: 'auto' | ApiStandard = 'auto',
): SubmitRequest {
	const product = target.videoProduct;
	const facts = routeFactsOf(target.taskPath);
	if (facts?.generation4) return generation4Request(credentials, facts, body);
	if (!product) {
		const quirk = routeOverrideFor(credentials, target.taskPath);
		const payload = { ...body };
		for (const [from, to] of Object.entries(quirk?.renameFields ?? {})) {
			if (from in payload) {
				payload[to] = payload[from];
				delete payload[from];
			}
		}
		return { standard: 'legacy', route: quirk?.path ?? target.taskPath, payload };
	}
	const choice = chooseStandard(credentials, product, target.taskPath, String(body.model_name ?? ''), override);
	const payload = choice.standard === 'new' ? toNewStandardBody(product, body) : { ...body, model_name: choice.model };
	return { standard: choice.standard, route: choice.route, payload };
}

/** A Kling 4.0 video's mode, from its inputs (Comfy Router's rule): none → text, frames only → keyframes, anything else → omni. */
export function video4ModeOf(inputs: readonly Generation4Input[]): Video4Mode {
	if (!inputs.length) return 'text-to-video';
	return inputs.every((input) => ['first_frame', 'middle_frame', 'last_frame'].includes(input.type)) ? 'image-to-video' : 'omni-video';
}

/** Ordinal names (@Image1, @Video1, @Element1, @Audio1) by kind, in the order the inputs are sent. */
function ordinalNames(inputs: readonly Generation4Input[]): Map<string, string> {
	const counters = new Map<string, number>();
	const names = new Map<string, string>();
	for (const input of inputs) {
		const kind = IMAGE_TYPES.includes(input.type) ? 'Image' : input.type === 'element' ? 'Element' : input.type === 'voice' ? 'Audio' : 'Video';
		const n = (counters.get(kind) ?? 0) + 1;
		counters.set(kind, n);
		names.set(input.id, `${kind}${n}`);
	}
	return names;
}

export interface Generation4Capabilities {
	externalTaskId: boolean;
	callbackUrl: boolean;
}

/** What the credential says its host takes on Kling 4.0 (off unless switched on: not confirmed by Kling). */
export function generation4Capabilities(credentials: ICredentialDataDecryptedObject): Generation4Capabilities {
	return { externalTaskId: credentials.generation4ExternalTaskId === true, callbackUrl: credentials.generation4CallbackUrl === true };
}

function routeTemplate(credentials: ICredentialDataDecryptedObject, product: Generation4Product): string {
	const configured = String((product === 'video' ? credentials.generation4VideoRoute : credentials.generation4ImageRoute) ?? '').trim();
	return configured || (product === 'video' ? GENERATION4_DEFAULTS.videoRoute : GENERATION4_DEFAULTS.imageRoute);
}

/**
 * A Kling 4.0 create request from an item's neutral request: the route from the credential's template,
 * the body in the `contents/settings/options` shape with every input carrying its ID (or, where the host
 * numbers inputs itself, the prompt's references rewritten to its ordinal names), and the options the
 * host takes. Throws StandardError for what cannot be sent to this host.
 */
export function generation4Request(credentials: ICredentialDataDecryptedObject, facts: RouteFacts, body: IDataObject): SubmitRequest {
	const product = facts.generation4!;
	const refusal = newStandardRefusal(credentials);
	if (refusal) throw new StandardError(`Kling 4.0 runs on Kling's new API, ${refusal}`);
	const request = generation4Of(body);
	if (!request) throw new StandardError('the request has no Kling 4.0 inputs');
	const model = String(body.model_name ?? '');
	const capabilities = generation4Capabilities(credentials);
	const mode = product === 'video' ? video4ModeOf(request.inputs) : undefined;
	const template = routeTemplate(credentials, product);
	if (!template.startsWith('/') || !template.includes('{model}')) {
		throw new StandardError(`the credential's Kling 4.0 ${product === 'video' ? 'Video' : 'Image'} Route "${template}" must start with / and contain {model}`);
	}
	if (!isNewStandardRoute(template)) {
		// Answers and reads of /v1/ and /account/ routes take the legacy shape, not the 4.0 one sent here.
		throw new StandardError(
			`the credential's Kling 4.0 ${product === 'video' ? 'Video' : 'Image'} Route "${template}" is one of Kling's legacy routes (/v1/…, /account/…), which take another request and answer shape; use a new-API route such as ${product === 'video' ? GENERATION4_DEFAULTS.videoRoute : GENERATION4_DEFAULTS.imageRoute}`,
		);
	}
	const route = template.replace(/\{mode\}/g, mode ?? '').replace(/\{model\}/g, encodeURIComponent(model));

	const ordinal = credentials.generation4References === 'ordinal' ? ordinalNames(request.inputs) : undefined;
	const prompt = ordinal ? renameReferences(request.prompt, (name) => ordinal.get(name)) : request.prompt;
	const contents: IDataObject[] = request.inputs.map((input) => {
		const item: IDataObject = { type: input.type };
		if (input.url !== undefined) item.url = input.url;
		if (input.element_id !== undefined) item.element_id = input.element_id;
		if (input.voice_id !== undefined) item.voice_id = input.voice_id;
		// Elements and voices always carry an id; other inputs only where the prompt names inputs by id.
		if (!ordinal || input.type === 'element' || input.type === 'voice') item.id = input.id;
		return item;
	});
	const payload: IDataObject = mode === 'text-to-video' ? { prompt } : { contents: [{ type: 'prompt', text: prompt }, ...contents] };
	const settings = Object.fromEntries(Object.entries(request.settings).filter(([, value]) => value !== undefined && value !== ''));
	if (Object.keys(settings).length) payload.settings = settings;
	const options: IDataObject = {};
	if (body.watermark_info) options.watermark_info = body.watermark_info;
	if (body.external_task_id && capabilities.externalTaskId) options.external_task_id = body.external_task_id;
	if (body.callback_url) {
		if (!capabilities.callbackUrl) {
			throw new StandardError(
				`${findGeneration4Model(model)?.name ?? model} tasks are not called back on this host: the credential's "Kling 4.0: Send Callback URL" is off. Remove the Callback URL option (the node waits by polling), or switch it on where your host documents callbacks for Kling 4.0`,
			);
		}
		options.callback_url = body.callback_url;
	}
	if (Object.keys(options).length) payload.options = options;
	return { standard: 'new', route, payload };
}

/** A create answer in the node's one task shape, whichever standard made it. */
export function taskOfCreateAnswer(route: string, created: KlingTask): KlingTask {
	return isNewStandardRoute(route) ? fromNewStandardTask(created as unknown as IDataObject) : created;
}

const VIDEO_RATIO_FIELDS = ['aspect_ratio'];
/** Legacy fields the new standard has no place for (https://kling.ai/document-api/guides/get-started/quick-start): refused before paying, with the reason. */
const NOT_ON_NEW: Record<string, string> = {
	negative_prompt: 'the new API has no negative prompt; write what to avoid into the prompt',
	cfg_scale: 'the new API has no cfg_scale',
	camera_control: 'no current model has camera control',
	static_mask: 'no current model has a motion brush',
	dynamic_masks: 'no current model has a motion brush',
};

function shotSyntax(shots: IDataObject[]): string {
	return shots.map((shot, position) => `shot ${position + 1}, ${String(shot.duration)}, ${String(shot.prompt ?? '')};`).join(' ');
}

/**
 * The new-standard body for a legacy body built by an operation (https://kling.ai/document-api/api/video/3-0-omni/text-to-video): `prompt` or
 * `contents[]`, `settings{}`, `options{}`. Throws for fields the new API does not have.
 */
export function toNewStandardBody(product: VideoProduct, legacy: IDataObject): IDataObject {
	for (const [field, reason] of Object.entries(NOT_ON_NEW)) {
		const value = legacy[field];
		if (value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0)) {
			throw new StandardError(`"${field}" cannot be sent on Kling's new API: ${reason}`);
		}
	}
	const settings: IDataObject = {};
	const options: IDataObject = {};
	const contents: IDataObject[] = [];
	let prompt = typeof legacy.prompt === 'string' ? legacy.prompt : '';
	// The new API takes a shot list as prompt syntax: "shot n, seconds, words; …" (https://kling.ai/document-api/api/video/3-0-omni/text-to-video).
	if (legacy.multi_shot === true && legacy.shot_type === 'customize' && Array.isArray(legacy.multi_prompt)) {
		prompt = [prompt, shotSyntax(legacy.multi_prompt as IDataObject[])].filter(Boolean).join(' ');
	}
	if (legacy.mode !== undefined) settings.resolution = RESOLUTION_OF_MODE[String(legacy.mode)] ?? legacy.mode;
	if (legacy.duration !== undefined && product !== 'motionControl') settings.duration = Number(legacy.duration);
	for (const field of VIDEO_RATIO_FIELDS) if (legacy[field] !== undefined) settings[field] = legacy[field];
	if (legacy.sound !== undefined) settings.audio = legacy.sound === 'on' ? 'native' : 'off';
	// On the new API multi_shot defaults to true and cuts "shot n, …;" prompt text into shots (https://kling.ai/document-api/llms.txt
	// §4.2): on a model that has the switch, Multi-Shot off is sent as false. With a feature (reference)
	// video Kling takes only true (§4.4), so the switch is left to Kling there.
	const featureVideo = ((legacy.video_list as IDataObject[] | undefined) ?? []).some((video) => video.refer_type !== 'base');
	if (legacy.multi_shot === true) settings.multi_shot = true;
	else if (capabilitiesOf(String(legacy.model_name ?? ''), product)?.multiShot && !featureVideo) settings.multi_shot = false;
	if (legacy.callback_url) options.callback_url = legacy.callback_url;
	if (legacy.external_task_id) options.external_task_id = legacy.external_task_id;
	if (legacy.watermark_info) options.watermark_info = legacy.watermark_info;

	// Omni inputs carry ids the prompt refers to: legacy <<<image_1>>> is @image_1 on the new API (C22).
	const withId = (item: IDataObject, id: string) => (product === 'omniVideo' ? { ...item, id } : item);
	if (product === 'omniVideo') prompt = prompt.replace(/<<<\s*((?:image|video|element)_\d+)\s*>>>/g, '@$1');
	if (prompt && product !== 'textToVideo') contents.push({ type: 'prompt', text: prompt });
	if (legacy.image) contents.push({ type: 'first_frame', url: legacy.image });
	if (legacy.image_tail) contents.push({ type: 'last_frame', url: legacy.image_tail });
	((legacy.image_list as IDataObject[] | undefined) ?? []).forEach((image, position) => {
		const type = image.type === 'first_frame' ? 'first_frame' : image.type === 'end_frame' ? 'last_frame' : 'refer_image';
		contents.push(withId({ type, url: image.image_url ?? image.image }, `image_${position + 1}`));
	});
	((legacy.video_list as IDataObject[] | undefined) ?? []).forEach((video, position) => {
		contents.push(withId({ type: video.refer_type === 'base' ? 'base_video' : 'feature_video', url: video.video_url }, `video_${position + 1}`));
		if (video.keep_original_sound === 'yes') settings.audio = 'original';
	});
	if (legacy.image_url) contents.push({ type: 'image', url: legacy.image_url });
	if (legacy.video_url) contents.push({ type: 'video', url: legacy.video_url });
	((legacy.element_list as IDataObject[] | undefined) ?? []).forEach((element, position) =>
		contents.push({ type: 'element', element_id: String(element.element_id), id: `element_${position + 1}` }),
	);
	((legacy.voice_list as IDataObject[] | undefined) ?? []).forEach((voice, position) =>
		contents.push({ type: 'voice', voice_id: String(voice.voice_id), id: `voice_${position + 1}` }),
	);
	if (product === 'motionControl') {
		if (legacy.character_orientation !== undefined) settings.character_orientation = legacy.character_orientation;
		if (legacy.keep_original_sound !== undefined) settings.audio = legacy.keep_original_sound === 'no' ? 'off' : 'original';
		delete settings.duration;
	}
	const body: IDataObject = product === 'textToVideo' ? { prompt } : { contents };
	if (Object.keys(settings).length) body.settings = settings;
	if (Object.keys(options).length) body.options = options;
	return body;
}

const STATUS: Record<string, TaskStatus> = {
	submitted: 'submitted',
	processing: 'processing',
	succeeded: 'succeed',
	succeed: 'succeed',
	failed: 'failed',
};

/**
 * A new-standard task (`id`, `status: succeeded`, `outputs[]`) in the node's one task shape: the
 * legacy one (`task_id`, `task_status: succeed`, `task_result{videos,images,audios}`), with
 * `billing` kept and `api_standard: "new"`.
 */
export function fromNewStandardTask(data: IDataObject): KlingTask {
	const outputs = (data.outputs as IDataObject[] | undefined) ?? [];
	const videos = outputs.filter((output) => output.type === 'video').map((output) => ({ id: output.id, url: output.url, watermark_url: output.watermark_url, duration: output.duration }));
	const images = outputs.filter((output) => output.type === 'image').map((output, index) => ({ index, url: output.url, watermark_url: output.watermark_url }));
	const audios = outputs
		.filter((output) => output.type === 'audio')
		.map((output) => ({ id: output.id, url_mp3: output.mp3_url, url_wav: output.wav_url, duration_mp3: output.mp3_duration, duration_wav: output.wav_duration }));
	const task: KlingTask = {
		task_id: String(data.id),
		task_status: STATUS[String(data.status)] ?? (String(data.status) as TaskStatus),
		task_status_msg: (data.message as string | undefined) ?? '',
		task_info: data.external_id ? { external_task_id: String(data.external_id) } : {},
		created_at: data.create_time as number | undefined,
		updated_at: data.update_time as number | undefined,
		api_standard: 'new',
	};
	if (videos.length || images.length || audios.length) {
		task.task_result = {} as NonNullable<KlingTask['task_result']>;
		if (videos.length) task.task_result.videos = videos as never;
		if (images.length) task.task_result.images = images as never;
		if (audios.length) task.task_result.audios = audios as never;
	}
	if (data.billing !== undefined) task.billing = data.billing as IDataObject[];
	return task;
}
