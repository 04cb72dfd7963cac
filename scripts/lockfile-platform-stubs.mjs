// The npm registry reachable here lacks some native packages' builds for other platforms (e.g.
// unrs-resolver's and msgpackr-extract's darwin/win32 bindings), so `npm install` leaves them out of
// package-lock.json and `npm ci` then refuses the lockfile. This restores their entries, gated by
// os/cpu so they are never installed on Linux x64. Run after any `npm install` that rewrites a lock:
// `node scripts/lockfile-platform-stubs.mjs [folder]`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const lockPath = join(process.argv[2] ?? '.', 'package-lock.json');
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;
const added = [];
for (const [parentPath, parent] of Object.entries(packages)) {
	for (const [name, version] of Object.entries(parent.optionalDependencies ?? {})) {
		const key = `node_modules/${name}`;
		const platform = /-(darwin|linux|win32|freebsd|android|openharmony|sunos|aix)-([a-z0-9]+)(?:-(\w+))?$/.exec(name);
		if (packages[key] || !platform) continue;
		const [, os, cpu, abi] = platform;
		const entry = { version, cpu: [cpu], dev: true, license: 'MIT', optional: true, os: [os] };
		if (abi === 'gnu' || abi === 'gnueabihf') entry.libc = ['glibc'];
		if (abi === 'musl' || abi === 'musleabihf') entry.libc = ['musl'];
		if (parent.dev) entry.dev = true;
		else delete entry.dev;
		packages[key] = entry;
		added.push(`${key} (for ${parentPath})`);
	}
}
lock.packages = Object.fromEntries(
	Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `restored:\n${added.join('\n')}` : 'lockfile already complete');
