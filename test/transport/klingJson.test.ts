/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { klingLong, parseKlingJson, serializeKlingBody } from '../../nodes/Kling/transport/klingJson';
import { parseExactJson } from '../support/emulator/exactJson';

describe('Kling JSON with 64-bit ids', () => {
	test('an integer beyond 2^53 keeps its digits (as text); strings, fractions and small numbers are untouched', () => {
		const text =
			'{"code":0,"data":{"task_id":"867283741759111010","elements":[{"element_id":829836802793406551,"n":5,"f":1.12345678901234567,"ids":[1234567890123456789, 42],"s":"x\\" 829836802793406551"}]}}';
		assert.deepEqual(parseKlingJson(text), {
			code: 0,
			data: {
				task_id: '867283741759111010',
				elements: [{ element_id: '829836802793406551', n: 5, f: Number('1.12345678901234567'), ids: ['1234567890123456789', 42], s: 'x" 829836802793406551' }],
			},
		});
	});

	test('an id beyond 2^53 is sent as a JSON number with every digit; a body without one is left to n8n', () => {
		const small = { element_list: [{ element_id: klingLong('900000000001') }] };
		assert.equal(serializeKlingBody(small), small);
		assert.equal(small.element_list[0].element_id, 900000000001);
		const body = { prompt: 'a', element_list: [{ element_id: klingLong('829836802793406551') }] };
		assert.equal(serializeKlingBody(body), '{"prompt":"a","element_list":[{"element_id":829836802793406551}]}');
		assert.equal(String(body.element_list[0].element_id), '829836802793406551', 'the new API takes it as text');
		assert.equal(serializeKlingBody(undefined), undefined);
	});

	test('a long run of whitespace (a padded proxy page, a pretty-printed answer) is read in linear time', () => {
		const padding = ' '.repeat(50_000);
		const text = `{"code":0,"data":${padding}{"element_id":${padding}829836802793406551${padding}}}`;
		for (const parse of [parseKlingJson, parseExactJson]) {
			const startedAt = Date.now();
			const parsed = parse(text) as { data: { element_id: unknown } };
			assert.ok(Date.now() - startedAt < 500, `${parse.name}: ${Date.now() - startedAt} ms`);
			assert.equal(String(parsed.data.element_id), '829836802793406551');
		}
	});
});
