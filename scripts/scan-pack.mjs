// The checks n8n's community package scanner makes, run locally: its own rule sets over the compiled
// JavaScript of the `npm pack` tarball (what users install), and over the source the way it lints a
// provenance-attested checkout. (The scanner itself fetches a published package from npm.)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = process.cwd();
const work = mkdtempSync(join(tmpdir(), 'kling-scan-'));
try {
	const [{ filename, files }] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' }),
	);
	execFileSync('tar', ['xzf', join(work, filename), '-C', work]);
	const tarball = await analyzePackage(join(work, 'package'));
	const source = await analyzePackage(root, SOURCE_FILE_PATTERNS);
	const shipped = files.map((file) => file.path);
	console.log(`npm pack: ${filename}, ${shipped.length} files (${shipped.filter((p) => p.endsWith('.js')).length} .js)`);
	for (const [leg, result] of [['tarball', tarball], ['source', source]]) {
		console.log(`scanner rule sets on the ${leg}: ${result.passed ? 'PASS' : 'FAIL'} — ${result.message ?? 'no violations'}`);
		if (!result.passed) console.log(result.details ?? '');
	}
	const unexpected = shipped.filter((path) => !/^(dist\/|package\.json$|README\.md$|LICENSE)/.test(path));
	if (unexpected.length) console.log(`files outside dist/ in the tarball: ${unexpected.join(', ')}`);
	process.exitCode = tarball.passed && source.passed && unexpected.length === 0 ? 0 : 1;
} finally {
	rmSync(work, { recursive: true, force: true });
}
