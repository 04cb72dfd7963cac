import type { IDataObject, INode } from 'n8n-workflow';

import { KLING_LIMITS } from '../kling/constants';
import { inputRefused } from '../transport/errors';
import { klingLong } from '../transport/klingJson';
import {
	capabilitiesOf,
	currentModels,
	findVideoModel,
	isRetired,
	modelLabel,
	RESOLUTION_LABEL,
	RESOLUTION_OF_MODE,
	resolutionLabel,
	type ApiStandard,
	type ProductCapabilities,
	type VideoProduct,
} from '../kling/models';

/**
 * Limits checked before a request is sent, so a bad input never costs credits. Operations declare
 * rules as data; an error always names the field and the limit.
 */
export interface FieldRule {
	/** Path in the request body, e.g. "prompt" or "input.duration". */
	field: string;
	required?: boolean;
	maxLength?: number;
	min?: number;
	max?: number;
	integer?: boolean;
	oneOf?: readonly string[];
	minItems?: number;
	maxItems?: number;
	/** The field must not be sent together with any of these. */
	excludes?: string[];
	/** The field may only be sent together with all of these. */
	requires?: string[];
	/** The rule applies only when another body field has one of these values (e.g. a model). */
	when?: { field: string; oneOf: readonly string[] };
	/** A limit across fields: returns the whole problem (naming the fields and the limit), or undefined. */
	check?: (body: IDataObject) => string | undefined;
	/** The field's label in the editor, when it differs from the usual one (FIELD_LABELS). */
	label?: string;
}

/**
 * The editor's label for a Kling request field, so an error speaks of what the user sees ("Start
 * Frame", "Negative Prompt") and never of the API's names. A rule's own `label` wins.
 */
export const FIELD_LABELS: Record<string, string> = {
	prompt: 'Prompt',
	negative_prompt: 'Negative Prompt',
	model_name: 'Model',
	mode: 'Resolution',
	resolution: 'Resolution',
	duration: 'Duration (Seconds)',
	aspect_ratio: 'Aspect Ratio',
	n: 'Number of Images',
	image: 'Image',
	image_tail: 'End Frame',
	image_url: 'Character Image',
	image_list: 'Images',
	subject_image_list: 'Subject Images',
	scene_image: 'Scene Image',
	style_image: 'Style Image',
	human_image: 'Person Image',
	cloth_image: 'Garment Image',
	image_reference: 'Image Reference',
	image_fidelity: 'Image Fidelity',
	human_fidelity: 'Human Fidelity',
	cfg_scale: 'CFG Scale',
	camera_control: 'Camera Control',
	sound: 'Sound',
	voice_list: 'Voice IDs',
	element_list: 'Element IDs',
	elementIds: 'Element IDs',
	multi_shot: 'Multi-Shot',
	shot_type: 'Shot Type',
	multi_prompt: 'Shots',
	video_url: 'Video URL',
	video_id: 'Video ID',
	video_list: 'Reference Video',
	session_id: 'Session ID',
	result_type: 'Result Type',
	series_amount: 'Series Amount',
	reference_type: 'Reference Type',
	effect_scene: 'Effect Scene',
	input: 'Input',
	'input.mode': 'Resolution',
	'input.text': 'Text',
	'input.voice_id': 'Voice ID',
	'input.voice_speed': 'Voice Speed',
	text: 'Text',
	voice_id: 'Voice ID',
	voice_name: 'Name',
	voice_url: 'Recording URL',
	voice_language: 'Voice Language',
	voice_speed: 'Voice Speed',
	sound_effect_prompt: 'Sound Effect Prompt',
	bgm_prompt: 'Background Music Prompt',
	element_name: 'Name',
	element_description: 'Description',
	element_frontal_image: 'Frontal Image',
	'element_image_list.frontal_image': 'Frontal Image',
	'element_image_list.refer_images': 'Other Views',
	element_video_list: 'Reference Video',
	face_choose: 'Face',
	audio_id: 'Audio ID',
	up_expansion_ratio: 'Top Expansion',
};

/** The label of a request field: the rule's own, the usual one, or the field quoted as a last resort. */
export function labelOf(field: string, rule?: Pick<FieldRule, 'label'>): string {
	return rule?.label ?? FIELD_LABELS[field] ?? `"${field}"`;
}

/** Values as the editor shows them: "1080p (Professional)" for pro, a model's name for its id. */
function valueLabel(field: string, value: unknown): string {
	const text = String(value);
	if (field === 'mode' || field === 'input.mode') return RESOLUTION_LABEL[text] ?? `"${text}"`;
	if (field === 'model_name') return modelLabel(text);
	if (field === 'resolution' && /^\d+k$/.test(text)) return text.toUpperCase();
	return `"${text}"`;
}

function valueAt(body: IDataObject, path: string): unknown {
	return path.split('.').reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], body);
}

const isSet = (value: unknown) =>
	value !== undefined &&
	value !== null &&
	!(typeof value === 'string' && value.trim() === '') &&
	!(Array.isArray(value) && value.length === 0);

function ruleViolation(rule: FieldRule, value: unknown, body: IDataObject, labels: Record<string, string>): string | undefined {
	const labelOf = (field: string, own?: Pick<FieldRule, 'label'>) => own?.label ?? labels[field] ?? FIELD_LABELS[field] ?? `"${field}"`;
	const name = labelOf(rule.field, rule);
	const condition = rule.when ? ` when ${labelOf(rule.when.field)} is ${valueLabel(rule.when.field, valueAt(body, rule.when.field))}` : '';
	if (!isSet(value)) return rule.required ? `${name} is required${condition}` : undefined;
	if (rule.maxLength !== undefined && typeof value === 'string' && [...value].length > rule.maxLength) {
		return `${name} is ${[...value].length} characters long; Kling allows at most ${rule.maxLength}`;
	}
	if (rule.min !== undefined || rule.max !== undefined || rule.integer) {
		const numeric = typeof value === 'number' ? value : Number(value);
		if (!Number.isFinite(numeric)) return `${name} must be a number, got "${String(value)}"`;
		if (rule.integer && !Number.isInteger(numeric)) return `${name} must be a whole number, got ${numeric}`;
		if ((rule.min !== undefined && numeric < rule.min) || (rule.max !== undefined && numeric > rule.max)) {
			return `${name} is ${numeric}; Kling allows ${rule.min ?? '-∞'} to ${rule.max ?? '∞'}`;
		}
	}
	if (rule.oneOf && !rule.oneOf.includes(String(value))) {
		return `${name} is ${valueLabel(rule.field, value)}${condition}; Kling allows ${rule.oneOf.map((v) => valueLabel(rule.field, v)).join(', ')}`;
	}
	if (Array.isArray(value)) {
		if (rule.minItems !== undefined && value.length < rule.minItems) {
			return `${name} has ${value.length} ${value.length === 1 ? 'entry' : 'entries'}; Kling needs at least ${rule.minItems}`;
		}
		if (rule.maxItems !== undefined && value.length > rule.maxItems) {
			return `${name} has ${value.length} ${value.length === 1 ? 'entry' : 'entries'}; Kling allows at most ${rule.maxItems}`;
		}
	}
	for (const other of rule.excludes ?? []) {
		if (isSet(valueAt(body, other))) return `${name} cannot be combined with ${labelOf(other)}${condition}`;
	}
	for (const other of rule.requires ?? []) {
		if (!isSet(valueAt(body, other))) return `${name} needs ${labelOf(other)} to be set as well${condition}`;
	}
	return undefined;
}

export function validateBody(node: INode, body: IDataObject, rules: readonly FieldRule[], itemIndex: number): void {
	// A label given on any rule of the operation names that field in every message of the operation.
	const labels = Object.fromEntries(rules.filter((rule) => rule.label).map((rule) => [rule.field, rule.label!]));
	for (const rule of rules) {
		if (rule.when && !rule.when.oneOf.includes(String(valueAt(body, rule.when.field)))) continue;
		const problem = rule.check ? rule.check(body) : ruleViolation(rule, valueAt(body, rule.field), body, labels);
		if (problem) throw inputRefused(node, `Invalid input: ${problem}`, itemIndex);
	}
}

export interface ImageFacts {
	format: 'png' | 'jpeg';
	width: number;
	height: number;
}

/** Reads a PNG or JPEG header without decoding the image. */
export function imageFacts(bytes: Buffer): ImageFacts | undefined {
	if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.toString('ascii', 12, 16) === 'IHDR') {
		return { format: 'png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
	}
	if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
		let offset = 2;
		while (offset + 9 < bytes.length) {
			if (bytes[offset] !== 0xff) return undefined;
			const marker = bytes[offset + 1];
			const length = bytes.readUInt16BE(offset + 2);
			const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
			if (isStartOfFrame) {
				return { format: 'jpeg', height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
			}
			offset += 2 + length;
		}
	}
	return undefined;
}

/** Audio Kling accepts (https://kling.ai/document-api/guides/capability-map/video): mp3, wav, m4a or aac, at most 5 MB. */
export function audioFormat(bytes: Buffer): 'mp3' | 'wav' | 'm4a' | 'aac' | undefined {
	if (bytes.length >= 12 && bytes.toString('ascii', 0, 4) === 'RIFF' && bytes.toString('ascii', 8, 12) === 'WAVE') return 'wav';
	if (bytes.length >= 3 && bytes.toString('ascii', 0, 3) === 'ID3') return 'mp3';
	if (bytes.length >= 8 && bytes.toString('ascii', 4, 8) === 'ftyp') return 'm4a';
	if (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1] & 0xf6) === 0xf0) return 'aac';
	if (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0) return 'mp3';
	return undefined;
}

export function validateAudioBytes(node: INode, label: string, bytes: Buffer, itemIndex: number): void {
	const fail = (problem: string) => inputRefused(node, `Invalid input: ${label} ${problem}`, itemIndex);
	if (bytes.length === 0) throw fail('is empty');
	if (bytes.length > KLING_LIMITS.audioBytes) {
		throw fail(`is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; Kling allows at most 5 MB`);
	}
	if (!audioFormat(bytes)) throw fail('is not mp3, wav, m4a or aac audio');
}

/** Kling's image rules (https://kling.ai/document-api/guides/capability-map/video): jpg/png, ≤ 10 MB, sides ≥ 300 px, aspect ratio within 1:2.5–2.5:1. */
export function validateImageBytes(node: INode, label: string, bytes: Buffer, itemIndex: number, maxBytes: number = KLING_LIMITS.imageBytes): void {
	const fail = (problem: string) => inputRefused(node, `Invalid input: ${label} ${problem}`, itemIndex);
	if (bytes.length === 0) throw fail('is empty');
	if (bytes.length > maxBytes) {
		throw fail(`is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; Kling allows at most ${Math.round(maxBytes / 1024 / 1024)} MB`);
	}
	const facts = imageFacts(bytes);
	if (!facts) throw fail('is not a JPEG or PNG image; Kling accepts only .jpg, .jpeg and .png');
	const shortSide = Math.min(facts.width, facts.height);
	if (shortSide < KLING_LIMITS.imageMinSidePx) {
		throw fail(`is ${facts.width}×${facts.height} px; Kling needs at least ${KLING_LIMITS.imageMinSidePx} px on each side`);
	}
	const ratio = Math.max(facts.width, facts.height) / shortSide;
	if (ratio > KLING_LIMITS.imageMaxAspectRatio) {
		throw fail(`has an aspect ratio of ${ratio.toFixed(2)}:1; Kling allows between 1:2.5 and 2.5:1`);
	}
}

/** "123, 456" → [{ element_id: 123 }, { element_id: 456 }]; element ids are Kling longs, kept exact beyond 2^53. */
export function parseElementIds(node: INode, text: string, field: string, itemIndex: number): IDataObject[] {
	const ids = text
		.split(/[\s,]+/)
		.map((id) => id.trim())
		.filter(Boolean);
	return elementListOf(node, ids, field, itemIndex);
}

/** Element ids, each one whole number, as Kling's element_list; ids stay exact beyond 2^53. */
export function elementListOf(node: INode, ids: string[], field: string, itemIndex: number): IDataObject[] {
	for (const id of ids) {
		if (!/^\d+$/.test(id)) {
			throw inputRefused(node, `Invalid input: ${labelOf(field)} has "${id}", which is not an element ID (a number)`, itemIndex);
		}
	}
	return ids.map((id) => ({ element_id: klingLong(id) }));
}

function modelsWith(product: VideoProduct, predicate: (capabilities: ProductCapabilities) => boolean): string {
	const models = currentModels(product)
		.filter((model) => predicate(model.products[product]!))
		.map((model) => model.name);
	return models.length ? models.join(', ') : 'no current model';
}

const PRODUCT_LABEL: Record<VideoProduct, string> = {
	textToVideo: 'text to video',
	imageToVideo: 'image to video',
	omniVideo: 'omni video',
	motionControl: 'motion control',
};

/** The legacy `/v1/videos/*` routes take at most 2500 prompt characters on every model (https://kling.ai/document-api/llms.txt). */
export const LEGACY_PROMPT_MAX_LENGTH = KLING_LIMITS.promptLength;

/** The prompt limit of the route a video goes to: the model's on the new API (https://kling.ai/document-api/api/video/3-0-omni/text-to-video), 2500 on the legacy routes. */
export function promptLimitOf(modelId: string, product: VideoProduct, standard: ApiStandard): number | undefined {
	if (standard === 'legacy') return LEGACY_PROMPT_MAX_LENGTH;
	return capabilitiesOf(modelId, product)?.promptMaxLength;
}

const ROUTE_LABEL: Record<ApiStandard, string> = { new: 'Kling’s new API', legacy: 'the legacy routes' };

/** The Prompt field's description for a video product: each current model's limit on each API it is on. */
export function promptLimitText(product: VideoProduct): string {
	const byLimit = new Map<number, string[]>();
	for (const model of currentModels(product)) {
		if (!model.newPath) continue;
		const limit = model.products[product]!.promptMaxLength;
		if (limit !== LEGACY_PROMPT_MAX_LENGTH) byLimit.set(limit, [...(byLimit.get(limit) ?? []), model.name]);
	}
	const higher = [...byLimit.entries()].map(([limit, names]) => `${limit} characters on ${names.join(' and ')} with ${ROUTE_LABEL.new} (API Standard Automatic with an API key on Kling’s own hosts, or New)`);
	return higher.length
		? `At most ${higher.join('; ')}; ${LEGACY_PROMPT_MAX_LENGTH} on the legacy routes and on the other models`
		: `At most ${LEGACY_PROMPT_MAX_LENGTH} characters`;
}

/**
 * The prompt as it will be sent (on the new API with a shot list folded in) against the limit of
 * the route actually used; `payload` is the body in that route's shape.
 */
export function promptProblemOnRoute(body: IDataObject, product: VideoProduct, standard: ApiStandard, payload: IDataObject): string | undefined {
	const model = String(body.model_name ?? '');
	const contentPrompt = ((payload.contents as IDataObject[] | undefined) ?? []).find((content) => content.type === 'prompt')?.text;
	const prompt = payload.prompt ?? contentPrompt;
	const limit = promptLimitOf(model, product, standard);
	if (limit === undefined || typeof prompt !== 'string' || [...prompt].length <= limit) return undefined;
	return `Prompt is ${[...prompt].length} characters long; ${modelLabel(model)} ${PRODUCT_LABEL[product]} on ${ROUTE_LABEL[standard]} allows at most ${limit}`;
}

const RESOLUTION_FIELD = 'Resolution';

/**
 * Checks a video body (legacy field names) against the model's row of the model table
 * (kling/models.ts). A model the table does not know, or a retired one, is not checked here:
 * it is sent as it is, and Kling's own answer names what is wrong. The prompt's length depends on
 * the route and is checked once the route is known (promptProblemOnRoute).
 */
export function videoCapabilityProblem(body: IDataObject, product: VideoProduct): string | undefined {
	const model = String(body.model_name ?? '');
	if (!model) return 'Model is required: Kling treats a missing model as the discontinued Kling 1.0';
	const capabilities = capabilitiesOf(model, product);
	const name = modelLabel(model);
	const label = PRODUCT_LABEL[product];
	if (!capabilities) {
		const known = findVideoModel(model);
		if (known && !isRetired(known)) {
			return `Model ${name} has no ${label}; models with it: ${modelsWith(product, () => true)}`;
		}
		return undefined;
	}
	const mode = String(body.mode ?? 'std');
	const resolution = RESOLUTION_OF_MODE[mode];
	if (!resolution || !capabilities.resolutions.includes(resolution)) {
		const allowed = Object.entries(RESOLUTION_OF_MODE).filter(([, value]) => capabilities.resolutions.includes(value));
		return `${RESOLUTION_FIELD} ${resolutionLabel(mode)} is not available for ${name} ${label}; allowed: ${allowed.map(([key]) => resolutionLabel(key)).join(', ')}`;
	}
	if (capabilities.durations.length && body.duration !== undefined && !capabilities.durations.includes(Number(body.duration))) {
		return `Duration ${String(body.duration)} s is not available for ${name} ${label}; allowed: ${capabilities.durations.join(', ')} s`;
	}
	for (const [field, feature] of [
		['cfg_scale', 'CFG Scale'],
		['camera_control', 'Camera Control'],
		['static_mask', 'Motion Brush'],
		['dynamic_masks', 'Motion Brush'],
	] as const) {
		if (isSet(body[field])) return `${feature} is not available on ${name}: no current Kling model has it`;
	}
	const pro = resolutionLabel('pro');
	if (isSet(body.image_tail) || (body.image_list as IDataObject[] | undefined)?.some((image) => image.type === 'end_frame')) {
		if (!capabilities.endFrame) return `An End Frame is not available for ${name} ${label}; models with it: ${modelsWith(product, (c) => Boolean(c.endFrame))}`;
		if (capabilities.endFrame.needs1080p && mode !== 'pro') return `An End Frame on ${name} needs ${RESOLUTION_FIELD} ${pro}; got ${resolutionLabel(mode)}`;
		if (capabilities.endFrame.silent && body.sound === 'on') return `An End Frame on ${name} gives a silent video: switch Sound off`;
	}
	if (body.sound === 'on') {
		if (!capabilities.sound && !capabilities.soundAlwaysOn) {
			return `Sound is not available for ${name} ${label}; models with it: ${modelsWith(product, (c) => Boolean(c.sound || c.soundAlwaysOn))}`;
		}
		if (capabilities.sound?.needs1080p && mode !== 'pro') return `Sound on ${name} needs ${RESOLUTION_FIELD} ${pro}; got ${resolutionLabel(mode)}`;
	}
	if (isSet(body.voice_list)) {
		if (!capabilities.maxVoices) return `Voice IDs are not available for ${name} ${label}; models with voices: ${modelsWith(product, (c) => Boolean(c.maxVoices))}`;
		if ((body.voice_list as unknown[]).length > capabilities.maxVoices) return `Voice IDs has ${(body.voice_list as unknown[]).length} voices; ${name} allows at most ${capabilities.maxVoices}`;
		if (body.sound !== 'on') return 'Voice IDs need Sound to be on';
	}
	if (body.multi_shot && !capabilities.multiShot) {
		return `Multi-Shot is not available for ${name} ${label}; models with multi-shot: ${modelsWith(product, (c) => Boolean(c.multiShot))}`;
	}
	const elements = (body.element_list as unknown[] | undefined)?.length ?? 0;
	if (elements > (capabilities.maxElements ?? 0)) {
		return capabilities.maxElements
			? `Element IDs has ${elements} elements; ${name} ${label} allows at most ${capabilities.maxElements}`
			: `Element IDs are not available for ${name} ${label}; models with elements: ${modelsWith(product, (c) => Boolean(c.maxElements))}`;
	}
	return undefined;
}

/** Multi-shot: 1–6 shots whose durations add up to the video's duration. */
export function multiShotProblem(body: IDataObject): string | undefined {
	if (!body.multi_shot) return undefined;
	if (!isSet(body.shot_type)) return 'Shot Type is required when Multi-Shot is on';
	if (body.shot_type !== 'customize') return undefined;
	const shots = (body.multi_prompt as IDataObject[] | undefined) ?? [];
	if (shots.length < 1 || shots.length > 6) return `Shots has ${shots.length} shots; Kling allows 1 to 6`;
	const total = shots.reduce((sum, shot) => sum + Number(shot.duration), 0);
	if (total !== Number(body.duration ?? 5)) {
		return `the Shots' durations add up to ${total} s but Duration is ${String(body.duration ?? 5)} s; they must be equal`;
	}
	const long = shots.find((shot) => String(shot.prompt ?? '').length > 512);
	return long ? `Shots: shot ${String(long.index)} is longer than 512 characters` : undefined;
}
