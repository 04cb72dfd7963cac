// Writes benchmark figures into bench/RESULTS.md, one section per benchmark, stamped with the date
// and the machine. Every number in that file comes from a run; nothing is typed by hand.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench', 'RESULTS.md');
const HEADER = '# Benchmark results\n\nWritten by `npm run bench`; each section is replaced by its latest run.\n';

export function writeResultsSection(name, markdown) {
	const stamp = `_${new Date().toISOString()} · Node ${process.version} · ${cpus().length} cores · ${(totalmem() / 2 ** 30).toFixed(0)} GiB_`;
	const block = `<!-- section:${name} -->\n${stamp}\n\n${markdown.trim()}\n<!-- /section:${name} -->`;
	let text = existsSync(FILE) ? readFileSync(FILE, 'utf8') : HEADER;
	const pattern = new RegExp(`<!-- section:${name} -->[\\s\\S]*?<!-- /section:${name} -->`);
	text = pattern.test(text) ? text.replace(pattern, block) : `${text.trimEnd()}\n\n${block}\n`;
	writeFileSync(FILE, text);
	return FILE;
}
