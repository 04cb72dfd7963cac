// `npm run bench [-- <name>…]`: builds the package and the tests, then runs the node benchmark
// (bench/run.ts: parallel, detection, inflight, shared, memory, cpu, and park through bench/park.mjs) and the
// side-by-side comparison in a real n8n (bench/side-by-side.mjs: image, video, 1gib). Without names
// both run in full; with names only the parts named run, each script getting its own names.
// `--dry-run` prints the commands without running anything; `--help` lists the names.
import { spawnSync } from 'node:child_process';

const NODE_PARTS = ['parallel', 'detection', 'inflight', 'shared', 'memory', 'cpu', 'park'];
const SIDE_BY_SIDE_PARTS = ['image', 'video', '1gib'];
const FLAGS = ['--dry-run', '--help', '-h'];
/** Whole benchmarks by name: `side-by-side` runs every part of it and writes its section of bench/RESULTS.md. */
const WHOLE = { node: NODE_PARTS, 'side-by-side': SIDE_BY_SIDE_PARTS };

const args = process.argv.slice(2).filter((argument) => argument !== '--');
const usage = `usage: npm run bench [-- <name>…] [--dry-run]
  node benchmark (bench/run.ts):          node (all of it), or ${NODE_PARTS.join(', ')}
  side-by-side in n8n (side-by-side.mjs): side-by-side (all of it, writes its section), or ${SIDE_BY_SIDE_PARTS.join(', ')}
  no name: everything (about 2 + 5 + 6 minutes)`;

if (args.includes('--help') || args.includes('-h')) {
	console.log(usage);
	process.exit(0);
}
const unknown = args.filter((argument) => !FLAGS.includes(argument) && !(argument in WHOLE) && ![...NODE_PARTS, ...SIDE_BY_SIDE_PARTS].includes(argument));
if (unknown.length) {
	console.error(`npm run bench: unknown ${unknown.length === 1 ? 'name' : 'names'} ${unknown.join(', ')}\n${usage}`);
	process.exit(2);
}
const names = args.filter((argument) => !FLAGS.includes(argument));
const wholeNode = names.includes('node');
const wholeSide = names.includes('side-by-side');
// A whole benchmark runs without part names (a partial run only prints its table).
const nodeNames = wholeNode ? [] : names.filter((name) => NODE_PARTS.includes(name));
const sideNames = wholeSide ? [] : names.filter((name) => SIDE_BY_SIDE_PARTS.includes(name));

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const builds = [
	[npm, ['run', 'build']],
	[npm, ['run', 'build:tests']],
];
const benches = [];
if (names.length === 0 || wholeNode || nodeNames.length) benches.push([process.execPath, ['.test-build/bench/run.js', ...nodeNames]]);
// The package was just built: side-by-side does not build it again.
if (names.length === 0 || wholeSide || sideNames.length) benches.push([process.execPath, ['bench/side-by-side.mjs', '--no-build', ...sideNames]]);

const run = ([command, commandArgs]) => {
	console.log(`> ${[command === process.execPath ? 'node' : command, ...commandArgs].join(' ')}`);
	if (args.includes('--dry-run')) return 0;
	const result = spawnSync(command, commandArgs, { stdio: 'inherit', shell: process.platform === 'win32' });
	return result.status ?? 1;
};

for (const build of builds) {
	const status = run(build);
	if (status !== 0) process.exit(status);
}
// Like before: every part runs even if an earlier one missed a target; the first failure decides the exit code.
const statuses = benches.map(run);
process.exit(statuses.find((status) => status !== 0) ?? 0);
