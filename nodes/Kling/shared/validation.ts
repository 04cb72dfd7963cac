import type { IDataObject, INode } from 'n8n-workflow';

import { KLING_LIMITS } from './constants';
import { invalidInput } from './errors';
import { klingLong } from './klingJson';
import {
	capabilitiesOf,
	currentModels,
	findVideoModel,
	isRetired,
	RESOLUTION_OF_MODE,
	type ProductCapabilities,
	type VideoProduct,
} from './models';

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
}

function valueAt(body: IDataObject, path: string): unknown {
	return path.split('.').reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], body);
}

const isSet = (value: unknown) =>
	value !== undefined &&
	value !== null &&
	!(typeof value === 'string' && value.trim() === '') &&
	!(Array.isArray(value) && value.length === 0);

function ruleViolation(rule: FieldRule, value: unknown, body: IDataObject): string | undefined {
	const name = `"${rule.field}"`;
	const condition = rule.when ? ` when "${rule.when.field}" is "${String(valueAt(body, rule.when.field))}"` : '';
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
		return `${name} is "${String(value)}"${condition}; Kling allows ${rule.oneOf.map((v) => `"${v}"`).join(', ')}`;
	}
	if (Array.isArray(value)) {
		if (rule.minItems !== undefined && value.length < rule.minItems) {
			return `${name} has ${value.length} entries; Kling needs at least ${rule.minItems}`;
		}
		if (rule.maxItems !== undefined && value.length > rule.maxItems) {
			return `${name} has ${value.length} entries; Kling allows at most ${rule.maxItems}`;
		}
	}
	for (const other of rule.excludes ?? []) {
		if (isSet(valueAt(body, other))) return `${name} cannot be combined with "${other}"${condition}`;
	}
	for (const other of rule.requires ?? []) {
		if (!isSet(valueAt(body, other))) return `${name} needs "${other}" to be set as well${condition}`;
	}
	return undefined;
}

export function validateBody(node: INode, body: IDataObject, rules: readonly FieldRule[], itemIndex: number): void {
	for (const rule of rules) {
		if (rule.when && !rule.when.oneOf.includes(String(valueAt(body, rule.when.field)))) continue;
		const problem = rule.check ? rule.check(body) : ruleViolation(rule, valueAt(body, rule.field), body);
		if (problem) throw invalidInput(node, `Invalid input: ${problem}`, itemIndex, 'Nothing was sent to Kling.');
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

/** Audio Kling accepts (kling-api.md §2): mp3, wav, m4a or aac, at most 5 MB. */
export function audioFormat(bytes: Buffer): 'mp3' | 'wav' | 'm4a' | 'aac' | undefined {
	if (bytes.length >= 12 && bytes.toString('ascii', 0, 4) === 'RIFF' && bytes.toString('ascii', 8, 12) === 'WAVE') return 'wav';
	if (bytes.length >= 3 && bytes.toString('ascii', 0, 3) === 'ID3') return 'mp3';
	if (bytes.length >= 8 && bytes.toString('ascii', 4, 8) === 'ftyp') return 'm4a';
	if (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1] & 0xf6) === 0xf0) return 'aac';
	if (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0) return 'mp3';
	return undefined;
}

export function validateAudioBytes(node: INode, field: string, bytes: Buffer, itemIndex: number): void {
	const fail = (problem: string) =>
		invalidInput(node, `Invalid input: audio "${field}" ${problem}`, itemIndex, 'Nothing was sent to Kling.');
	if (bytes.length === 0) throw fail('is empty');
	if (bytes.length > KLING_LIMITS.audioBytes) {
		throw fail(`is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; Kling allows at most 5 MB`);
	}
	if (!audioFormat(bytes)) throw fail('is not mp3, wav, m4a or aac audio');
}

/** Kling's image rules (kling-api.md §2): jpg/png, ≤ 10 MB, sides ≥ 300 px, aspect ratio within 1:2.5–2.5:1. */
export function validateImageBytes(node: INode, field: string, bytes: Buffer, itemIndex: number): void {
	const fail = (problem: string) =>
		invalidInput(node, `Invalid input: image "${field}" ${problem}`, itemIndex, 'Nothing was sent to Kling.');
	if (bytes.length === 0) throw fail('is empty');
	if (bytes.length > KLING_LIMITS.imageBytes) {
		throw fail(`is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; Kling allows at most 10 MB`);
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
			throw invalidInput(node, `Invalid input: "${field}" element ID "${id}" is not a number`, itemIndex);
		}
	}
	return ids.map((id) => ({ element_id: klingLong(id) }));
}

function modelsWith(product: VideoProduct, predicate: (capabilities: ProductCapabilities) => boolean): string {
	const models = currentModels(product)
		.filter((model) => predicate(model.products[product]!))
		.map((model) => model.id);
	return models.length ? models.join(', ') : 'no current model';
}

const PRODUCT_LABEL: Record<VideoProduct, string> = {
	textToVideo: 'text to video',
	imageToVideo: 'image to video',
	omniVideo: 'omni video',
	motionControl: 'motion control',
};

/**
 * Checks a video body (legacy field names) against the model's row of the model table
 * (shared/models.ts). A model the table does not know, or a retired one, is not checked here:
 * it is sent as it is, and Kling's own answer names what is wrong.
 */
export function videoCapabilityProblem(body: IDataObject, product: VideoProduct): string | undefined {
	const model = String(body.model_name ?? '');
	if (!model) return '"model_name" is required: Kling treats a missing model as the discontinued V1';
	const capabilities = capabilitiesOf(model, product);
	if (!capabilities) {
		const known = findVideoModel(model);
		if (known && !isRetired(known)) {
			return `"model_name" ${model} has no ${PRODUCT_LABEL[product]}; models with it: ${modelsWith(product, () => true)}`;
		}
		return undefined;
	}
	const label = PRODUCT_LABEL[product];
	if (typeof body.prompt === 'string' && [...body.prompt].length > capabilities.promptMaxLength) {
		return `"prompt" is ${[...body.prompt].length} characters long; ${model} ${label} allows at most ${capabilities.promptMaxLength}`;
	}
	const mode = String(body.mode ?? 'std');
	const resolution = RESOLUTION_OF_MODE[mode];
	if (!resolution || !capabilities.resolutions.includes(resolution)) {
		const allowed = Object.entries(RESOLUTION_OF_MODE).filter(([, value]) => capabilities.resolutions.includes(value));
		return `resolution "${mode}" is not available for ${model} ${label}; allowed: ${allowed.map(([key, value]) => `"${key}" (${value})`).join(', ')}`;
	}
	if (capabilities.durations.length && body.duration !== undefined && !capabilities.durations.includes(Number(body.duration))) {
		return `"duration" ${String(body.duration)} s is not available for ${model} ${label}; allowed: ${capabilities.durations.join(', ')} s`;
	}
	for (const [field, feature] of [
		['cfg_scale', 'CFG scale'],
		['camera_control', 'camera control'],
		['static_mask', 'motion brush'],
		['dynamic_masks', 'motion brush'],
	] as const) {
		if (isSet(body[field])) return `"${field}" (${feature}) is not available on ${model}: no current Kling model has it`;
	}
	if (isSet(body.image_tail) || (body.image_list as IDataObject[] | undefined)?.some((image) => image.type === 'end_frame')) {
		if (!capabilities.endFrame) return `an end frame is not available for ${model} ${label}; models with it: ${modelsWith(product, (c) => Boolean(c.endFrame))}`;
		if (capabilities.endFrame.needs1080p && mode !== 'pro') return `an end frame on ${model} needs resolution "pro" (1080p); got "${mode}"`;
		if (capabilities.endFrame.silent && body.sound === 'on') return `an end frame on ${model} gives a silent video: switch Sound off`;
	}
	if (body.sound === 'on') {
		if (!capabilities.sound && !capabilities.soundAlwaysOn) {
			return `"sound" is not available for ${model} ${label}; models with it: ${modelsWith(product, (c) => Boolean(c.sound || c.soundAlwaysOn))}`;
		}
		if (capabilities.sound?.needs1080p && mode !== 'pro') return `"sound" on ${model} needs resolution "pro" (1080p); got "${mode}"`;
	}
	if (isSet(body.voice_list)) {
		if (!capabilities.maxVoices) return `"voice_list" is not available for ${model} ${label}; models with voices: ${modelsWith(product, (c) => Boolean(c.maxVoices))}`;
		if ((body.voice_list as unknown[]).length > capabilities.maxVoices) return `"voice_list" has ${(body.voice_list as unknown[]).length} voices; ${model} allows at most ${capabilities.maxVoices}`;
		if (body.sound !== 'on') return '"voice_list" needs "sound" to be "on"';
	}
	if (body.multi_shot && !capabilities.multiShot) {
		return `"multi_shot" is not available for ${model} ${label}; models with multi-shot: ${modelsWith(product, (c) => Boolean(c.multiShot))}`;
	}
	const elements = (body.element_list as unknown[] | undefined)?.length ?? 0;
	if (elements > (capabilities.maxElements ?? 0)) {
		return capabilities.maxElements
			? `"element_list" has ${elements} elements; ${model} ${label} allows at most ${capabilities.maxElements}`
			: `"element_list" is not available for ${model} ${label}; models with elements: ${modelsWith(product, (c) => Boolean(c.maxElements))}`;
	}
	return undefined;
}

/** Multi-shot: 1–6 shots whose durations add up to the video's duration. */
export function multiShotProblem(body: IDataObject): string | undefined {
	if (!body.multi_shot) return undefined;
	if (!isSet(body.shot_type)) return '"shot_type" is required when "multi_shot" is on';
	if (body.shot_type !== 'customize') return undefined;
	const shots = (body.multi_prompt as IDataObject[] | undefined) ?? [];
	if (shots.length < 1 || shots.length > 6) return `"multi_prompt" has ${shots.length} shots; Kling allows 1 to 6`;
	const total = shots.reduce((sum, shot) => sum + Number(shot.duration), 0);
	if (total !== Number(body.duration ?? 5)) {
		return `the "multi_prompt" shot durations add up to ${total} s but "duration" is ${String(body.duration ?? 5)} s; they must be equal`;
	}
	const long = shots.find((shot) => String(shot.prompt ?? '').length > 512);
	return long ? `"multi_prompt" shot ${String(long.index)} is longer than 512 characters` : undefined;
}
