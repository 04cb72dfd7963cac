import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';

import { ADDITIONAL_BODY_FIELDS_LABEL as OPTION } from '../fields/additionalBodyFields';
import { taskRequestOptions } from '../fields/commonFields';
import { FIELD_LABELS } from '../input/validation';
import { inputRefused } from '../transport/errors';
import type { TaskOperation } from './operation';

/**
 * Options › Additional Body Fields (JSON): request fields Kling released after this version of the
 * node, merged into the body as it is sent (after the new-API conversion), one level deep into the
 * objects the node built (`settings`, `options` on the new API). They never replace what the node
 * manages: a field it set, a field the operation offers in the editor, the external_task_id the
 * submit policy looks tasks up by, or the callback_url park mode relies on.
 */

const isObject = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const kindOf = (value: unknown) => (Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value === 'number' ? 'a number' : `a ${typeof value}`);

/** The extras of an item: undefined when the option is empty. Invalid JSON or a non-object is refused before anything is sent. */
export function readBodyExtras(node: INode, raw: unknown, itemIndex: number): IDataObject | undefined {
	if (raw === undefined || raw === null) return undefined;
	let value: unknown = raw;
	if (typeof raw === 'string') {
		if (raw.trim() === '') return undefined;
		try {
			value = JSON.parse(raw);
		} catch (error) {
			throw inputRefused(node, `${OPTION} is not valid JSON: ${(error as Error).message}`, itemIndex);
		}
	}
	if (!isObject(value)) throw inputRefused(node, `${OPTION} must be a JSON object { … }, got ${kindOf(value)}`, itemIndex);
	return Object.keys(value).length ? value : undefined;
}

/** Keys only the node sets, anywhere: the submit policy and park mode depend on them. */
const NODE_ONLY: Record<string, string> = {
	external_task_id: 'use Options › External Task ID (when it is empty the node derives one, so a retry never pays twice)',
	callback_url: 'use Options › Callback URL (Wait Mode "Park Until Kling Calls Back" sets its own)',
};

/** Editor labels of body paths the new-API conversion writes, where they differ from FIELD_LABELS. */
const PATH_LABELS: Record<string, string> = {
	watermark_info: taskRequestOptions.watermark.displayName,
	'options.watermark_info': taskRequestOptions.watermark.displayName,
	'settings.audio': 'Sound',
	'settings.character_orientation': 'Character Orientation',
	character_orientation: 'Character Orientation',
};

/** A record's own value for a key: never one every object inherits ("constructor", "__proto__", "toString"). */
function ownValue<T>(record: Record<string, T>, key: string): T | undefined {
	return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function labelOfPath(path: string): string | undefined {
	const [head, ...rest] = path.split('.');
	const inner = rest.join('.');
	return (
		ownValue(PATH_LABELS, path) ??
		ownValue(FIELD_LABELS, path) ??
		(inner && (head === 'settings' || head === 'options') ? ownValue(FIELD_LABELS, inner) : undefined)
	);
}

/** "Duration (Seconds)", "Duration Name or ID" and "Duration" name one field. */
const baseLabel = (label: string) => label.replace(/ Name or ID$/, '').replace(/ \([^)]*\)$/, '');

/**
 * The fields an operation shows (its own, its Options and the common ones): base label → the label
 * errors name ("Duration" for "Duration Name or ID"; "Shot Type" also finds "Multi-Shot: Shot Type").
 */
export function offeredLabels(operation: Pick<TaskOperation, 'fields' | 'optionalFields' | 'commonOptions'>): Map<string, string> {
	const labels = new Map<string, string>();
	const add = (fields: INodeProperties[]) =>
		fields.forEach((field) => {
			const label = field.displayName.replace(/ Name or ID$/, '');
			labels.set(baseLabel(label), label);
			const colon = label.indexOf(': ');
			if (colon > 0) labels.set(baseLabel(label.slice(colon + 2)), label);
		});
	add(operation.fields);
	add(operation.optionalFields);
	add(operation.commonOptions.map((name) => taskRequestOptions[name]));
	return labels;
}

function define(target: IDataObject, key: string, value: unknown): void {
	// Own data property even for "__proto__": JSON.parse made it one, and assignment would change the prototype.
	Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The payload with the extras merged in: a new copy, `payload` is left as it was. Throws, before
 * anything is sent, for a key the node manages.
 */
export function mergeBodyExtras(
	node: INode,
	payload: IDataObject,
	extras: IDataObject | undefined,
	offered: ReadonlyMap<string, string>,
	itemIndex: number,
): IDataObject {
	if (!extras) return payload;
	const refuse = (path: string, why: string) => inputRefused(node, `${OPTION}: "${path}" ${why}`, itemIndex);
	const managed = (path: string, isSet: boolean) => {
		const key = path.split('.').pop() as string;
		const nodeOnly = ownValue(NODE_ONLY, key);
		if (nodeOnly !== undefined) throw refuse(path, `is managed by the node — ${nodeOnly}`);
		const known = labelOfPath(path);
		const label = known === undefined ? undefined : offered.get(baseLabel(known));
		if (isSet || label) throw refuse(path, label ? `is set by the node — use the ${label} field` : 'is set by the node');
	};

	const merged: IDataObject = { ...payload };
	for (const [key, value] of Object.entries(extras)) {
		const own = ownValue(payload, key);
		const intoObject = isObject(value) && (own === undefined || isObject(own));
		managed(key, own !== undefined && !intoObject);
		if (!isObject(value)) {
			define(merged, key, value);
			continue;
		}
		const target: IDataObject = isObject(own) ? { ...own } : {};
		for (const [inner, innerValue] of Object.entries(value)) {
			managed(`${key}.${inner}`, isObject(own) && ownValue(own, inner) !== undefined);
			define(target, inner, innerValue);
		}
		define(merged, key, target);
	}
	return merged;
}
