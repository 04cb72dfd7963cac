import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { invalidInput } from '../transport/errors';

/**
 * Every number a user can set, typed in or by expression, is read here: an expression that gives
 * "15 min" or "ten" must stop the item with an error naming the field, never become NaN (a NaN
 * timeout polls without end, a NaN concurrency runs no item at all).
 */
export interface NumberSpec {
	/** The field's label in the editor (its displayName), e.g. "Timeout (Minutes)". */
	label: string;
	min?: number;
	max?: number;
	integer?: boolean;
	/** Whether no request has been made for this item yet (adds "Nothing was sent to Kling."). */
	nothingSent?: boolean;
}

const NOTHING_SENT = 'Nothing was sent to Kling.';

function describeValue(value: unknown): string {
	if (typeof value === 'string') return `"${value}"`;
	if (value === null || value === undefined) return 'nothing';
	if (typeof value === 'object') return 'an object';
	return String(value);
}

function rangeText(spec: NumberSpec): string {
	if (spec.min !== undefined && spec.max !== undefined) return `from ${spec.min} to ${spec.max}`;
	if (spec.min !== undefined) return `${spec.min} or more`;
	if (spec.max !== undefined) return `${spec.max} or less`;
	return 'any number';
}

/** The value as a number, or an error naming the field and what it allows. */
export function checkedNumber(node: INode, value: unknown, spec: NumberSpec, itemIndex: number): number {
	const description = spec.nothingSent === false ? undefined : NOTHING_SENT;
	const text = typeof value === 'string' ? value.trim() : value;
	const parsed = typeof text === 'number' ? text : typeof text === 'string' && text !== '' ? Number(text) : NaN;
	const kind = spec.integer ? 'a whole number' : 'a number';
	if (!Number.isFinite(parsed)) {
		throw invalidInput(node, `Invalid input: "${spec.label}" must be ${kind} (${rangeText(spec)}), got ${describeValue(value)}`, itemIndex, description);
	}
	if (spec.integer && !Number.isInteger(parsed)) {
		throw invalidInput(node, `Invalid input: "${spec.label}" must be a whole number, got ${parsed}`, itemIndex, description);
	}
	if ((spec.min !== undefined && parsed < spec.min) || (spec.max !== undefined && parsed > spec.max)) {
		throw invalidInput(node, `Invalid input: "${spec.label}" is ${parsed}; it must be ${rangeText(spec)}`, itemIndex, description);
	}
	return parsed;
}

/** A number parameter of the node (or `fallback` when it is not set), checked as `checkedNumber` does. */
export function numberParameter(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback: number,
	spec: NumberSpec,
): number {
	const value = context.getNodeParameter(name, itemIndex, fallback) as unknown;
	return checkedNumber(context.getNode(), value ?? fallback, spec, itemIndex);
}

/** A number from a collection (e.g. Wait Options); an option that is not set takes `fallback`. */
export function optionNumber(
	node: INode,
	options: Record<string, unknown>,
	name: string,
	fallback: number,
	spec: NumberSpec,
	itemIndex: number,
): number {
	const value = options[name];
	return checkedNumber(node, value === undefined || value === null ? fallback : value, spec, itemIndex);
}
