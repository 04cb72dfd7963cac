// bench/RESULTS.md is written only by benchmark runs: each benchmark owns one section, replaced as a
// whole on every run and stamped with when and where it was measured, so no number is typed by hand.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_FILE = join(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');

const HEADER = '# Benchmark results\n\nWritten by `npm run bench`; every section is replaced by the run that measures it. Do not edit by hand.\n';

function stamp() {
	const memoryGiB = (totalmem() / 1024 ** 3).toFixed(1);
	return `_Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · Node ${process.version} · ${cpus().length} cores · ${memoryGiB} GiB memory_`;
}

/** Replaces (or appends) the `<!-- section:NAME -->…<!-- /section:NAME -->` block of bench/RESULTS.md. */
export function writeResultsSection(name, markdown, file = RESULTS_FILE) {
	if (!/^[\w-]+$/.test(name)) throw new Error(`section name must be letters, digits, - or _: ${name}`);
	const open = `<!-- section:${name} -->`;
	const close = `<!-- /section:${name} -->`;
	const block = `${open}\n${stamp()}\n\n${markdown.trim()}\n${close}`;
	const current = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
	const start = current.indexOf(open);
	const end = current.indexOf(close);
	const next =
		start !== -1 && end > start
			? `${current.slice(0, start)}${block}${current.slice(end + close.length)}`
			: `${current.trimEnd()}\n\n${block}\n`;
	writeFileSync(file, next);
	return file;
}
