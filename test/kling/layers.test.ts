/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: reads the source tree with node:fs from __dirname, outside n8n */
/**
 * The design in the folder list holds: imports in nodes/ and credentials/ only run downwards through the
 * layers, no file imports itself back through others, no operation imports another operation's file, and
 * the runtime layers define no editor fields (CONTRIBUTING.md › Layout).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';

const ROOT = resolve(__dirname, '..', '..', '..');

/** Higher imports lower; one folder may import itself. input and concurrency share a floor and never meet. */
const RANK: Record<string, number> = {
	'nodes/Kling/Kling.node.ts': 9,
	'nodes/KlingTrigger': 8,
	'nodes/Kling/resources': 7,
	'nodes/Kling/park': 6,
	'nodes/Kling/task': 5,
	'nodes/Kling/fields': 4,
	'nodes/Kling/input': 3,
	'nodes/Kling/concurrency': 3,
	credentials: 3,
	'nodes/Kling/transport': 2,
	'nodes/Kling/kling': 1,
};

function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sources(path);
		return name.endsWith('.ts') ? [path] : [];
	});
}

const files = [...sources(join(ROOT, 'nodes')), ...sources(join(ROOT, 'credentials'))].map((path) => relative(ROOT, path));

function placeOf(file: string): string {
	const key = Object.keys(RANK)
		.filter((prefix) => file === prefix || file.startsWith(`${prefix}/`))
		.sort((a, b) => b.length - a.length)[0];
	assert.ok(key, `${file} is in no layer`);
	return key;
}

/** Every relative import of a file (type-only imports too), resolved to a file of the tree. */
function importsOf(file: string): string[] {
	const text = readFileSync(join(ROOT, file), 'utf8');
	return [...text.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'/g)].map((match) => {
		const target = relative(ROOT, resolve(ROOT, dirname(file), match[1]));
		const candidates = [`${target}.ts`, join(target, 'index.ts')];
		const found = candidates.find((candidate) => files.includes(candidate));
		assert.ok(found, `${file}: cannot resolve ${match[1]}`);
		return found;
	});
}

const graph = new Map(files.map((file) => [file, importsOf(file)]));

describe('the layers of nodes/Kling', () => {
	test('every import runs down a floor or stays in its folder', () => {
		const upward: string[] = [];
		for (const [file, targets] of graph) {
			const from = placeOf(file);
			for (const target of targets) {
				const to = placeOf(target);
				if (to === from) continue;
				if (RANK[to] >= RANK[from]) upward.push(`${file} → ${target}`);
			}
		}
		assert.deepEqual(upward, []);
	});

	test('no circles, type-only imports included', () => {
		const state = new Map<string, 'open' | 'done'>();
		const circles: string[] = [];
		const visit = (file: string, path: string[]) => {
			if (state.get(file) === 'done') return;
			if (state.get(file) === 'open') {
				circles.push([...path.slice(path.indexOf(file)), file].join(' → '));
				return;
			}
			state.set(file, 'open');
			for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
			state.set(file, 'done');
		};
		for (const file of files) visit(file, []);
		assert.deepEqual(circles, []);
	});

	test("no operation imports another operation's file", () => {
		// The operation files are the ones the registry imports; a resource may keep helpers of its own beside them.
		const operations = new Set((graph.get('nodes/Kling/resources/index.ts') ?? []).filter((file) => file.startsWith('nodes/Kling/resources/')));
		assert.ok(operations.size >= 40, `${operations.size} operation files`);
		const sideways: string[] = [];
		for (const [file, targets] of graph) {
			if (!file.startsWith('nodes/Kling/resources/') || file === 'nodes/Kling/resources/index.ts') continue;
			for (const target of targets) if (operations.has(target)) sideways.push(`${file} → ${target}`);
			// Helpers of one resource serve that resource only.
			for (const target of targets) {
				if (target.startsWith('nodes/Kling/resources/') && target.split('/')[3] !== file.split('/')[3]) sideways.push(`${file} → ${target}`);
			}
		}
		assert.deepEqual(sideways, []);
	});

	test('the runtime layers (transport, task, concurrency, park) define no editor fields', () => {
		const runtime = files.filter((file) => /^nodes\/Kling\/(transport|task|concurrency|park)\//.test(file));
		assert.ok(runtime.length > 20);
		const defining = runtime.filter((file) => {
			const text = readFileSync(join(ROOT, file), 'utf8');
			// An editor field: an object with displayName, name and an n8n parameter type.
			return /displayName:[^\n]*\n\s*name:[^\n]*\n\s*type:\s*'(string|number|boolean|options|multiOptions|collection|fixedCollection|json|notice|resourceLocator)'/.test(text);
		});
		assert.deepEqual(defining, []);
	});

	test('the credential imports transport only; the layers never import the credential', () => {
		for (const target of graph.get('credentials/KlingApi.credentials.ts') ?? []) assert.match(target, /^nodes\/Kling\/transport\//);
		for (const [file, targets] of graph) {
			if (file.startsWith('nodes/')) assert.ok(!targets.some((target) => target.startsWith('credentials/')), file);
		}
	});
});

