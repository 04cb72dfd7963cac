// Runs every compiled *.test.js under .test-build/test with node's test runner, one file at a time
// (the files share 127.0.0.1 emulators and n8n's process-wide singletons). No test file is an error.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return find(path);
		return name.endsWith('.test.js') ? [path] : [];
	});
}

const only = process.argv.slice(2);
const files = find('.test-build/test')
	.filter((file) => only.length === 0 || only.some((part) => file.includes(part)))
	.sort();
if (files.length === 0) {
	console.error('No compiled test files found under .test-build/test');
	process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
