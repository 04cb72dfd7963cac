/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';

import { mergeBodyExtras, offeredLabels, readBodyExtras } from '../../nodes/Kling/task/bodyExtras';

const node: INode = { id: 'n', name: 'Kling', type: 'n8n-nodes-kling.kling', typeVersion: 1, position: [0, 0], parameters: {} };
const field = (displayName: string): INodeProperties => ({ displayName, name: displayName.replace(/\W/g, ''), type: 'string', default: '' });
const offered = offeredLabels({
	fields: [field('Prompt'), field('Duration (Seconds)'), field('Model Name or ID')],
	optionalFields: [field('Multi-Shot: Shot Type'), field('Aspect Ratio')],
	commonOptions: ['watermark', 'externalTaskId'],
});
const merge = (payload: IDataObject, extras: IDataObject) => mergeBodyExtras(node, payload, extras, offered, 0);

describe('readBodyExtras', () => {
	test('empty means none: undefined, null, blank text or an empty object', () => {
		for (const raw of [undefined, null, '', '  \n', '{}', {}]) assert.equal(readBodyExtras(node, raw, 0), undefined, JSON.stringify(raw));
	});

	test('a JSON object, as text or as an object', () => {
		assert.deepEqual(readBodyExtras(node, '{"seed": 7, "settings": {"hdr": true}}', 0), { seed: 7, settings: { hdr: true } });
		assert.deepEqual(readBodyExtras(node, { seed: 7 }, 0), { seed: 7 });
	});

	test('invalid JSON or anything but an object is refused before sending, naming the option', () => {
		assert.throws(() => readBodyExtras(node, '{seed: 7}', 0), (error: Error) => /^Additional Body Fields \(JSON\) is not valid JSON: .+ Nothing was sent to Kling\.$/.test(error.message));
		assert.throws(() => readBodyExtras(node, '[1, 2]', 0), /must be a JSON object \{ … \}, got an array/);
		assert.throws(() => readBodyExtras(node, 'null', 0), /got null/);
		assert.throws(() => readBodyExtras(node, '42', 0), /got a number/);
		assert.throws(() => readBodyExtras(node, '"text"', 0), /got a string/);
		assert.throws(() => readBodyExtras(node, true, 0), /got a boolean/);
	});
});

describe('offeredLabels', () => {
	test('base labels map to the label errors name: units, "Name or ID" and a prefix before ": " are dropped', () => {
		assert.equal(offered.get('Duration'), 'Duration (Seconds)');
		assert.equal(offered.get('Model'), 'Model');
		assert.equal(offered.get('Shot Type'), 'Multi-Shot: Shot Type');
		assert.equal(offered.get('Watermarked Copy'), 'Watermarked Copy');
		assert.equal(offered.get('External Task ID'), 'External Task ID');
	});
});

describe('mergeBodyExtras', () => {
	test('new fields are merged into a copy; the payload is left as it was; no extras returns the payload itself', () => {
		const payload = { prompt: 'p', settings: { resolution: '1080p' } };
		const merged = merge(payload, { seed: 7, settings: { hdr: true }, options: { priority: 'high' } });
		assert.deepEqual(merged, { prompt: 'p', settings: { resolution: '1080p', hdr: true }, options: { priority: 'high' }, seed: 7 });
		assert.deepEqual(payload, { prompt: 'p', settings: { resolution: '1080p' } });
		assert.equal(mergeBodyExtras(node, payload, undefined, offered, 0), payload);
	});

	test('a field the node set is refused, naming the editor field where there is one', () => {
		assert.throws(() => merge({ prompt: 'p' }, { prompt: 'other' }), (error: Error) => /^Additional Body Fields \(JSON\): "prompt" is set by the node — use the Prompt field\. Nothing was sent to Kling\.$/.test(error.message));
		assert.throws(() => merge({ settings: { resolution: '720p' } }, { settings: { resolution: '4k' } }), /"settings\.resolution" is set by the node/);
		assert.throws(() => merge({ settings: { duration: 5 } }, { settings: { duration: 10 } }), /"settings\.duration" is set by the node — use the Duration \(Seconds\) field/);
		assert.throws(() => merge({ prompt: 'p' }, { settings: 'x' as never, prompt: 'x' }), /"prompt"/);
	});

	test('a field the operation offers is refused even when it was left empty', () => {
		assert.throws(() => merge({ prompt: 'p' }, { aspect_ratio: '1:1' }), /"aspect_ratio" is set by the node — use the Aspect Ratio field/);
		assert.throws(() => merge({ prompt: 'p' }, { shot_type: 'x' }), /use the Multi-Shot: Shot Type field/);
		assert.throws(() => merge({ prompt: 'p' }, { options: { watermark_info: { enabled: true } } }), /"options\.watermark_info" is set by the node — use the Watermarked Copy field/);
		assert.deepEqual(merge({ prompt: 'p' }, { cfg_scale: 0.5 }), { prompt: 'p', cfg_scale: 0.5 }, 'a known field this operation does not offer may be sent');
	});

	test('external_task_id and callback_url are the node’s alone, at any depth', () => {
		assert.throws(() => merge({}, { external_task_id: 'x' }), /"external_task_id" is managed by the node — use Options › External Task ID/);
		assert.throws(() => merge({}, { options: { external_task_id: 'x' } }), /"options\.external_task_id" is managed by the node/);
		assert.throws(() => merge({}, { callback_url: 'https://x.example.com' }), /"callback_url" is managed by the node — use Options › Callback URL/);
		assert.throws(() => merge({ options: {} }, { options: { callback_url: 'https://x.example.com' } }), /"options\.callback_url" is managed by the node/);
	});

	test('an object over a value the node set that is not an object is refused', () => {
		assert.throws(() => merge({ mystery: 'a' }, { mystery: { b: 1 } }), /"mystery" is set by the node\./);
	});

	test('"__proto__" from JSON never changes a prototype', () => {
		const extras = readBodyExtras(node, '{"__proto__": {"polluted": true}}', 0)!;
		let merged: IDataObject | undefined;
		try {
			merged = merge({ settings: { resolution: '720p' } }, extras);
		} catch (error) {
			assert.match((error as Error).message, /Nothing was sent to Kling\.$/, 'or refused before sending');
		}
		if (merged) assert.equal(Object.getPrototypeOf(merged), Object.prototype);
		assert.equal(({} as IDataObject).polluted, undefined);
		assert.equal(Object.getPrototypeOf(extras), Object.prototype);
	});

	// Fails on the current code: `key in NODE_ONLY` also finds Object.prototype's members, so these keys are
	// refused as "managed by the node — [object Object]" (or "— function Object() { [native code] }").
	test('keys named like Object.prototype members are ordinary extra fields: merged as own fields, never refused with an inherited value as the reason', () => {
		for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
			const extras = readBodyExtras(node, `{"${key}": {"kept": true}}`, 0)!;
			let merged: IDataObject | undefined;
			try {
				merged = merge({ prompt: 'p' }, extras);
			} catch (error) {
				assert.doesNotMatch((error as Error).message, /\[object Object\]|native code/, `the refusal of "${key}" gives no reason`);
				assert.fail(`"${key}" was refused: ${(error as Error).message}`);
			}
			assert.deepEqual(Object.getOwnPropertyDescriptor(merged, key)?.value, { kept: true }, key);
			assert.equal(Object.getPrototypeOf(merged), Object.prototype, key);
		}
	});
});
