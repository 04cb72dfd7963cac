import type { IDataObject, INode } from 'n8n-workflow';

import { KLING_LIMITS } from './constants';
import { invalidInput } from './errors';

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

/** "123, 456" → [{ element_id: 123 }, { element_id: 456 }]; element ids are Kling longs. */
export function parseElementIds(node: INode, text: string, field: string, itemIndex: number): IDataObject[] {
	const ids = text
		.split(/[\s,]+/)
		.map((id) => id.trim())
		.filter(Boolean);
	for (const id of ids) {
		if (!/^\d+$/.test(id)) {
			throw invalidInput(node, `Invalid input: "${field}" element ID "${id}" is not a number`, itemIndex);
		}
	}
	return ids.map((id) => ({ element_id: Number(id) }));
}

/**
 * What each video model allows (kling-api.md §3.2). A new model is a new row; the checks below
 * read only this table. Durations are Kling's strings; an absent feature means "not available".
 */
type Mode = 'std' | 'pro';
interface FeatureScope {
	modes: readonly Mode[];
	durations: readonly string[];
}
export interface VideoModelCapabilities {
	modes: readonly Mode[];
	textToVideo?: readonly string[];
	imageToVideo?: readonly string[];
	endFrame?: FeatureScope;
	motionBrush?: FeatureScope;
	cameraControl?: { textToVideo?: FeatureScope; imageToVideo?: FeatureScope; types?: readonly string[] };
	cfgScale: boolean;
	sound?: { modes: readonly Mode[] };
	voiceList?: boolean;
	multiShot?: boolean;
	elementList?: boolean;
}

const BOTH: readonly Mode[] = ['std', 'pro'];
const PRO: readonly Mode[] = ['pro'];
const FIVE_TEN = ['5', '10'];
const THREE_TO_FIFTEEN = ['3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15'];

export const VIDEO_MODELS: Record<string, VideoModelCapabilities> = {
	'kling-v1': {
		modes: BOTH,
		textToVideo: FIVE_TEN,
		imageToVideo: FIVE_TEN,
		endFrame: { modes: BOTH, durations: ['5'] },
		motionBrush: { modes: BOTH, durations: ['5'] },
		cameraControl: { textToVideo: { modes: ['std'], durations: ['5'] } },
		cfgScale: true,
	},
	'kling-v1-5': {
		modes: BOTH,
		imageToVideo: FIVE_TEN,
		endFrame: { modes: PRO, durations: FIVE_TEN },
		motionBrush: { modes: PRO, durations: ['5'] },
		cameraControl: { imageToVideo: { modes: PRO, durations: ['5'] }, types: ['simple'] },
		cfgScale: true,
	},
	'kling-v1-6': {
		modes: BOTH,
		textToVideo: FIVE_TEN,
		imageToVideo: FIVE_TEN,
		endFrame: { modes: PRO, durations: FIVE_TEN },
		cfgScale: true,
	},
	'kling-v2-master': { modes: BOTH, textToVideo: FIVE_TEN, imageToVideo: FIVE_TEN, cfgScale: false },
	'kling-v2-1': { modes: BOTH, imageToVideo: FIVE_TEN, endFrame: { modes: PRO, durations: FIVE_TEN }, cfgScale: false },
	'kling-v2-1-master': { modes: BOTH, textToVideo: FIVE_TEN, imageToVideo: FIVE_TEN, cfgScale: false },
	'kling-v2-5-turbo': {
		modes: BOTH,
		textToVideo: FIVE_TEN,
		imageToVideo: FIVE_TEN,
		endFrame: { modes: PRO, durations: FIVE_TEN },
		cfgScale: false,
	},
	'kling-v2-6': {
		modes: BOTH,
		textToVideo: FIVE_TEN,
		imageToVideo: FIVE_TEN,
		endFrame: { modes: PRO, durations: FIVE_TEN },
		cfgScale: false,
		sound: { modes: PRO },
		voiceList: true,
	},
	'kling-v3': {
		modes: BOTH,
		textToVideo: THREE_TO_FIFTEEN,
		imageToVideo: THREE_TO_FIFTEEN,
		endFrame: { modes: BOTH, durations: THREE_TO_FIFTEEN },
		cfgScale: false,
		sound: { modes: BOTH },
		voiceList: true,
		multiShot: true,
		elementList: true,
	},
};

const quoted = (values: readonly string[]) => values.map((value) => `"${value}"`).join(', ');

function modelsWith(predicate: (capabilities: VideoModelCapabilities) => boolean): string {
	const models = Object.entries(VIDEO_MODELS)
		.filter(([, capabilities]) => predicate(capabilities))
		.map(([model]) => model);
	return models.length ? models.join(', ') : 'no model';
}

function scopeProblem(feature: string, field: string, model: string, scope: FeatureScope | undefined, mode: Mode, duration: string) {
	if (!scope) return `"${field}" (${feature}) is not available on ${model}`;
	if (!scope.modes.includes(mode) || !scope.durations.includes(duration)) {
		return `"${field}" (${feature}) on ${model} needs mode ${quoted(scope.modes)} and duration ${quoted(scope.durations)}; got mode "${mode}", duration "${duration}"`;
	}
	return undefined;
}

/** Checks a text-to-video or image-to-video body against the model's row; the message says what is allowed. */
export function videoCapabilityProblem(body: IDataObject, kind: 'textToVideo' | 'imageToVideo'): string | undefined {
	const model = String(body.model_name ?? 'kling-v1');
	const capabilities = VIDEO_MODELS[model];
	const label = kind === 'textToVideo' ? 'text to video' : 'image to video';
	if (!capabilities) return `"model_name" is "${model}"; known video models: ${Object.keys(VIDEO_MODELS).join(', ')}`;
	const durations = capabilities[kind];
	if (!durations) {
		return `"model_name" ${model} has no ${label}; models with ${label}: ${modelsWith((c) => Boolean(c[kind]))}`;
	}
	const mode = (body.mode ?? 'std') as Mode;
	const duration = String(body.duration ?? '5');
	if (!capabilities.modes.includes(mode)) return `"mode" "${mode}" is not available on ${model}; allowed: ${quoted(capabilities.modes)}`;
	if (!durations.includes(duration)) {
		return `"duration" "${duration}" is not available for ${model} ${label}; allowed: ${quoted(durations)}`;
	}
	if (isSet(body.cfg_scale) && !capabilities.cfgScale) {
		return `"cfg_scale" is not supported by ${model}; models with it: ${modelsWith((c) => c.cfgScale)}`;
	}
	if (isSet(body.camera_control)) {
		const scope = capabilities.cameraControl?.[kind];
		if (!scope) {
			return `"camera_control" is not available for ${model} ${label}; it exists on ${modelsWith((c) => Boolean(c.cameraControl?.[kind]))}`;
		}
		const problem = scopeProblem('camera control', 'camera_control', model, scope, mode, duration);
		if (problem) return problem;
		const type = String((body.camera_control as IDataObject).type ?? '');
		const types = capabilities.cameraControl?.types;
		if (types && !types.includes(type)) return `"camera_control.type" "${type}" is not available on ${model}; allowed: ${quoted(types)}`;
	}
	if (isSet(body.image_tail)) {
		const problem = scopeProblem('end frame', 'image_tail', model, capabilities.endFrame, mode, duration);
		if (problem) return problem;
	}
	if (isSet(body.static_mask) || isSet(body.dynamic_masks)) {
		const problem = scopeProblem('motion brush', 'dynamic_masks', model, capabilities.motionBrush, mode, duration);
		if (problem) return problem;
	}
	if (body.sound === 'on') {
		if (!capabilities.sound) return `"sound" is not available on ${model}; models with sound: ${modelsWith((c) => Boolean(c.sound))}`;
		if (!capabilities.sound.modes.includes(mode)) {
			return `"sound" on ${model} needs mode ${quoted(capabilities.sound.modes)}; got "${mode}"`;
		}
	}
	if (isSet(body.voice_list)) {
		if (!capabilities.voiceList) return `"voice_list" is not available on ${model}; models with voices: ${modelsWith((c) => Boolean(c.voiceList))}`;
		if (body.sound !== 'on') return '"voice_list" needs "sound" to be "on"';
	}
	if (body.multi_shot && !capabilities.multiShot) {
		return `"multi_shot" is not available on ${model}; models with multi-shot: ${modelsWith((c) => Boolean(c.multiShot))}`;
	}
	if (isSet(body.element_list) && !capabilities.elementList) {
		return `"element_list" is not available on ${model}; models with elements: ${modelsWith((c) => Boolean(c.elementList))}`;
	}
	return undefined;
}

/** Kling: one of three control groups per image-to-video request. */
export function videoControlGroupsProblem(body: IDataObject): string | undefined {
	const groups = [
		isSet(body.image_tail) ? '"image_tail" (end frame)' : undefined,
		isSet(body.static_mask) || isSet(body.dynamic_masks) ? '"static_mask"/"dynamic_masks" (motion brush)' : undefined,
		isSet(body.camera_control) ? '"camera_control"' : undefined,
	].filter(Boolean);
	return groups.length > 1 ? `${groups.join(' and ')} cannot be combined; Kling allows one of them per request` : undefined;
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
