import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { findGeneration4Model, GENERATION4_LIMITS, type Generation4Model } from '../kling/generation4';
import { inputRefused } from '../transport/errors';
import { type ImageSource, resolveImage, resolveImageList, resolveImageParameter } from './mediaInput';
import { checkInputUrl } from './urlCheck';
import type { FieldRule } from './validation';

/**
 * What a Kling 4.0 item asks for, in the node's own neutral shape: the prompt, the inputs in the order
 * the user gave them (each with the ID the prompt names it by), the settings. The API-standard adapter
 * turns it into the request body of the credential's host (route, reference syntax, options).
 */
export type Generation4InputType =
	| 'first_frame'
	| 'middle_frame'
	| 'last_frame'
	| 'refer_image'
	| 'feature_video'
	| 'base_video'
	| 'element'
	| 'voice'
	| 'style_refer_image'
	| 'subject_refer_image';

export interface Generation4Input extends IDataObject {
	type: Generation4InputType;
	/** The ID the prompt names it by (@id); prefix-free within a task. */
	id: string;
	url?: string;
	/** A video's length when its header was read before paying (not sent). */
	seconds?: number;
	element_id?: string;
	voice_id?: string;
}

/** The field that holds a 4.0 item's neutral request (the adapter reads it; validation rules name it). */
export const GENERATION4_BODY = 'generation4';

export const IMAGE_TYPES: readonly Generation4InputType[] = ['first_frame', 'middle_frame', 'last_frame', 'refer_image', 'style_refer_image', 'subject_refer_image'];
export const VIDEO_TYPES: readonly Generation4InputType[] = ['feature_video', 'base_video'];

/**
 * The IDs the prompt uses for each input, shown in the editor: prefix-free so that no ID is the start
 * of another (@image01 … @image10, never @image1 and @image10).
 */
export const REFERENCE_IDS = Object.freeze({
	first_frame: () => 'first',
	middle_frame: (n: number) => `middle${n}`,
	last_frame: () => 'last',
	refer_image: (n: number) => `image${String(n).padStart(2, '0')}`,
	feature_video: (n: number) => `video${n}`,
	base_video: () => 'base',
	element: (n: number) => `element${n}`,
	voice: (n: number) => `voice${n}`,
	style_refer_image: () => 'style',
	subject_refer_image: () => 'subject',
} satisfies Record<Generation4InputType, (n: number) => string>);

export const REFERENCE_HELP =
	'Name inputs in the prompt as @first, @middle1–@middle8, @last (keyframes), @image01–@image10 (reference images), @video1–@video5 (reference videos), @base (the video to edit), @element1–@element7, @voice1–@voice3';

/** A `@name` token of a prompt: a `@` at the start or after a non-word character. */
const REFERENCE_TOKEN = /(^|[^\w@])@([A-Za-z0-9_]+)/g;

/** The `@name` tokens of a prompt. */
export function promptReferences(prompt: string): string[] {
	return [...prompt.matchAll(REFERENCE_TOKEN)].map((match) => match[2]);
}

/** The prompt with each `@name` token that `rename` knows written as `@` + its new name; the others kept. */
export function renameReferences(prompt: string, rename: (name: string) => string | undefined): string {
	return prompt.replace(REFERENCE_TOKEN, (whole, before: string, name: string) => {
		const renamed = rename(name);
		return renamed === undefined ? whole : `${before}@${renamed}`;
	});
}

export function inputOf(type: Generation4InputType, position: number, value: Partial<Generation4Input>): Generation4Input {
	return { type, id: REFERENCE_IDS[type](position), ...value };
}

/** Element or voice IDs from a comma-separated field; each must be a plain ID. */
export function idList(context: IExecuteFunctions, itemIndex: number, raw: unknown, label: string): string[] {
	const ids = String(raw ?? '')
		.split(',')
		.map((id) => id.trim())
		.filter(Boolean);
	for (const id of ids) {
		if (!/^[A-Za-z0-9_-]+$/.test(id)) {
			throw inputRefused(context.getNode(), `Invalid input: ${label} must be comma-separated Kling IDs; "${id.slice(0, 40)}" is not one`, itemIndex);
		}
	}
	return ids;
}

/** Video URLs (reference videos or the video to edit): http(s), read before paying like every input URL. */
export async function videoUrlList(this: IExecuteFunctions, itemIndex: number, urls: string[], label: string): Promise<Array<{ url: string; seconds?: number }>> {
	const checked: Array<{ url: string; seconds?: number }> = [];
	for (const [position, raw] of urls.entries()) {
		const url = raw.trim();
		const shown = urls.length > 1 || label.endsWith('s') ? `${label.replace(/s$/, '')} ${position + 1} URL` : `${label} URL`;
		if (!/^https?:\/\/\S+$/i.test(url)) {
			throw inputRefused(this.getNode(), `Invalid input: ${shown} must be an http(s) URL Kling can reach, got "${url.slice(0, 80)}"`, itemIndex);
		}
		const { seconds } = await checkInputUrl.call(this, itemIndex, url, shown, { kind: 'video', maxBytes: GENERATION4_LIMITS.videoBytes });
		checked.push({ url, ...(seconds !== undefined ? { seconds: Math.round(seconds * 100) / 100 } : {}) });
	}
	return checked;
}

/** The keyframes of an item (First Frame, Middle Frames, Last Frame fields), in order. */
export async function keyframeInputs(this: IExecuteFunctions, itemIndex: number): Promise<Generation4Input[]> {
	const inputs: Generation4Input[] = [];
	const first = await resolveImageParameter.call(this, itemIndex, 'firstFrame', 'First Frame');
	if (first) inputs.push(inputOf('first_frame', 1, { url: first }));
	const middles = await resolveImageList.call(this, itemIndex, 'middleFrames', 'Middle Frame');
	middles.forEach((url, position) => inputs.push(inputOf('middle_frame', position + 1, { url })));
	const last = await resolveImageParameter.call(this, itemIndex, 'lastFrame', 'Last Frame');
	if (last) inputs.push(inputOf('last_frame', 1, { url: last }));
	return inputs;
}

/** One image of a single-image field with its own source (style and subject references). */
export async function singleImage(
	this: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	type: Generation4InputType,
): Promise<Generation4Input[]> {
	const source = this.getNodeParameter(`${name}Source`, itemIndex, 'none') as ImageSource;
	if (source === 'none') return [];
	const url = await resolveImage.call(this, itemIndex, source, String(this.getNodeParameter(name, itemIndex, '')), label);
	return url ? [inputOf(type, 1, { url })] : [];
}

const count = (inputs: Generation4Input[], ...types: Generation4InputType[]) => inputs.filter((input) => types.includes(input.type)).length;

/** The neutral request of an item; undefined when the body is not a 4.0 one. */
export const generation4Of = (body: IDataObject) => body[GENERATION4_BODY] as (IDataObject & { prompt: string; inputs: Generation4Input[]; settings: IDataObject }) | undefined;

function modelOf(body: IDataObject): Generation4Model | undefined {
	return findGeneration4Model(String(body.model_name ?? ''));
}

/**
 * The checks of every 4.0 request before paying, with the editor's labels and the model's name. A model
 * the table does not know (typed in) is checked only for what the request itself must hold.
 */
export const generation4Rules: readonly FieldRule[] = [
	{
		field: 'prompt',
		check: (body) => {
			const request = generation4Of(body);
			if (!request) return undefined;
			const model = modelOf(body);
			if (!request.prompt.trim()) return '"Prompt" is required';
			if (model && request.prompt.length > model.promptMax) {
				return `"Prompt" has ${request.prompt.length} characters; ${model.name} takes at most ${model.promptMax}`;
			}
			const ids = new Set(request.inputs.map((input) => input.id));
			const unknown = promptReferences(request.prompt).filter((name) => !ids.has(name));
			if (unknown.length) {
				const known = [...ids].map((id) => `@${id}`).join(', ') || 'none';
				return `"Prompt" names @${unknown[0]}, which is not one of this item's inputs (${known}). ${REFERENCE_HELP}`;
			}
			return undefined;
		},
	},
	{
		field: 'inputs',
		check: (body) => {
			const request = generation4Of(body);
			if (!request) return undefined;
			const { inputs } = request;
			const model = modelOf(body);
			const name = model?.name ?? String(body.model_name);
			const limits = GENERATION4_LIMITS;
			if (model?.product === 'video' && model.inputs === 'textOnly' && inputs.length) {
				return `${name} takes only a prompt: no keyframes, references or video to edit (pick Kling 4.0 for those)`;
			}
			if (count(inputs, 'last_frame') && !count(inputs, 'first_frame')) return '"Last Frame" needs a "First Frame" (a last frame alone is not supported)';
			if (count(inputs, 'middle_frame') && !count(inputs, 'first_frame')) return '"Middle Frames" need a "First Frame"';
			if (count(inputs, 'middle_frame') > limits.middleFrames) return `"Middle Frames" has ${count(inputs, 'middle_frame')} images; ${name} takes at most ${limits.middleFrames}`;
			const images = count(inputs, 'first_frame', 'middle_frame', 'last_frame', 'refer_image');
			if (model?.product === 'video' && images > limits.images) {
				return `Keyframes and "Reference Images" together have ${images} images; ${name} takes at most ${limits.images}`;
			}
			const videos = count(inputs, ...VIDEO_TYPES);
			if (videos > limits.videos) return `"Reference Videos" and the video to edit together are ${videos}; ${name} takes at most ${limits.videos}`;
			const timed = inputs.filter((input) => VIDEO_TYPES.includes(input.type) && input.seconds !== undefined);
			const maxSeconds = model?.durations ? Math.min(model.durations.max, limits.videoSeconds.max) : limits.videoSeconds.max;
			for (const video of timed) {
				if (video.seconds! < limits.videoSeconds.min || video.seconds! > maxSeconds) {
					return `${video.type === 'base_video' ? '"Video URL"' : `"Reference Videos" (@${video.id})`} lasts ${video.seconds} s; ${name} takes videos of ${limits.videoSeconds.min} to ${maxSeconds} s`;
				}
			}
			const total = Math.round(timed.reduce((sum, video) => sum + video.seconds!, 0) * 100) / 100;
			if (total > limits.videoTotalSeconds) {
				return `"Reference Videos" and the video to edit last ${total} s together; ${name} takes at most ${limits.videoTotalSeconds} s in all`;
			}
			if (count(inputs, 'element') > limits.elements) return `"Element IDs" has ${count(inputs, 'element')} IDs; ${name} takes at most ${limits.elements}`;
			if (count(inputs, 'voice') > limits.voices) return `"Voice IDs" has ${count(inputs, 'voice')} IDs; ${name} takes at most ${limits.voices}`;
			if (inputs.length + 1 > limits.contents) return `This item has ${inputs.length} inputs; ${name} takes at most ${limits.contents - 1} besides the prompt`;
			if (model?.product === 'image' && count(inputs, 'refer_image', 'element') > limits.imageReferences) {
				return `"Reference Images" and "Element IDs" together have ${count(inputs, 'refer_image', 'element')} entries; ${name} takes at most ${limits.imageReferences}`;
			}
			return undefined;
		},
	},
	{
		field: 'settings',
		check: (body) => {
			const request = generation4Of(body);
			const model = modelOf(body);
			if (!request || !model) return undefined;
			const { settings } = request;
			if (model.durations && settings.duration !== undefined) {
				const duration = Number(settings.duration);
				if (!Number.isInteger(duration) || duration < model.durations.min || duration > model.durations.max) {
					return `"Duration" must be a whole number of seconds from ${model.durations.min} to ${model.durations.max} for ${model.name}, got ${String(settings.duration)}`;
				}
			}
			const resolutions = [...model.resolutions, ...(model.optInResolutions ?? [])];
			if (settings.resolution !== undefined && !resolutions.includes(String(settings.resolution))) {
				return `"Resolution" ${String(settings.resolution)} is not offered by ${model.name} (${resolutions.join(', ')})`;
			}
			if (settings.aspect_ratio !== undefined && model.aspectRatios.length && !model.aspectRatios.includes(String(settings.aspect_ratio))) {
				return `"Aspect Ratio" ${String(settings.aspect_ratio)} is not offered by ${model.name} (${model.aspectRatios.join(', ')})`;
			}
			return undefined;
		},
	},
];

/** A warning (not an error) for a prompt above the lower limit Kling is said to apply to non-English text. */
export function nonEnglishPromptNotice(body: IDataObject): string | undefined {
	const request = generation4Of(body);
	const model = modelOf(body);
	if (!request || !model) return undefined;
	// eslint-disable-next-line no-control-regex
	if (request.prompt.length > model.promptMaxNonEnglish && /[^\u0000-\u007f]/.test(request.prompt)) {
		return `The prompt has ${request.prompt.length} characters and text that is not English; ${model.name} is reported to take at most ${model.promptMaxNonEnglish} characters of non-English text. It was sent; if Kling refuses it, shorten the prompt.`;
	}
	return undefined;
}

/** An item's 4.0 request body: the model, and the neutral request the adapter turns into Kling's shape. */
export function generation4Body(model: string, prompt: string, inputs: Generation4Input[], settings: IDataObject): IDataObject {
	return { model_name: model, [GENERATION4_BODY]: { prompt, inputs, settings } };
}

/** Reference videos from a fixedCollection of URLs, checked before paying. */
export async function referenceVideoInputs(this: IExecuteFunctions, itemIndex: number, name = 'referenceVideos'): Promise<Generation4Input[]> {
	const entries = (this.getNodeParameter(`${name}.videos`, itemIndex, []) as IDataObject[]) ?? [];
	const urls = await videoUrlList.call(this, itemIndex, entries.map((entry) => String(entry.url ?? '')), 'Reference Videos');
	return urls.map((video, position) => inputOf('feature_video', position + 1, video));
}

/** Reference images, element IDs and voice IDs of an item, in that order. */
export async function referenceInputs(
	this: IExecuteFunctions,
	itemIndex: number,
	options: { voices?: boolean; elements?: boolean; imagesFrom?: string; elementIdsFrom?: string } = {},
): Promise<Generation4Input[]> {
	const images = await resolveImageList.call(this, itemIndex, options.imagesFrom ?? 'referenceImages', 'Reference Image');
	const inputs = images.map((url, position) => inputOf('refer_image', position + 1, { url }));
	if (options.elements !== false) {
		const elements = idList(this, itemIndex, this.getNodeParameter(options.elementIdsFrom ?? 'elementIds', itemIndex, ''), '"Element IDs"');
		elements.forEach((id, position) => inputs.push(inputOf('element', position + 1, { element_id: id })));
	}
	if (options.voices) {
		const voices = idList(this, itemIndex, this.getNodeParameter('voiceIds', itemIndex, ''), '"Voice IDs"');
		voices.forEach((id, position) => inputs.push(inputOf('voice', position + 1, { voice_id: id })));
	}
	return inputs;
}
