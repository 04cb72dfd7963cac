// The npm registry reachable here lacks unrs-resolver's non-Linux bindings, so `npm install` leaves
// them out of package-lock.json and `npm ci` then refuses the lockfile. This restores their entries
// (platform-gated, never installed on Linux x64). Run after any `npm install` that rewrites the lock.
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const packages = lock.packages;
const added = [];
for (const [parentPath, parent] of Object.entries(packages)) {
	for (const [name, version] of Object.entries(parent.optionalDependencies ?? {})) {
		const key = `node_modules/${name}`;
		const platform = /resolver-binding-([a-z0-9]+)-([a-z0-9]+)(?:-(\w+))?$/.exec(name);
		if (packages[key] || !platform || platform[1] === 'wasm32') continue;
		const [, os, cpu, abi] = platform;
		const entry = { version, cpu: [cpu], dev: true, license: 'MIT', optional: true, os: [os] };
		if (abi === 'gnu' || abi === 'gnueabihf') entry.libc = ['glibc'];
		if (abi === 'musl' || abi === 'musleabihf') entry.libc = ['musl'];
		packages[key] = entry;
		added.push(`${key} (for ${parentPath})`);
	}
}
lock.packages = Object.fromEntries(
	Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `restored:\n${added.join('\n')}` : 'lockfile already complete');
