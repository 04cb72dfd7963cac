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
	value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);

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
