// `npm run e2e:install`: the path users take — *Settings → Community Nodes → Install* — against a local
// npm registry. The built package is packed (`npm pack`: what `files` and the `n8n` section ship),
// published to Verdaccio on 127.0.0.1, and installed by n8n's own community-package installer over
// its REST API; then the node type must be "n8n-nodes-kling.kling", its icons must be served, and
// every example, imported unchanged, must run and give the emulator's exact bytes as binaries.
//
// `npm run e2e:install -- --break files|icon|n8n` packs a deliberately broken copy instead (credential
// missing from `files`, icon deleted, wrong path in the `n8n` section): the run must then fail.
//
// A registry other than registry.npmjs.org is an n8n Enterprise licence feature
// (feat:communityNodes:customRegistry). n8n's own end-to-end test mode (E2E_TESTS=true) lets a test
// switch licence flags on; this script uses it for that one flag. The installer code path is the same.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildPackage, checkKlingOutputs, ensureRuntime, log, N8N, n8nEnv, NODE24, prepareState, ROOT, run, setUpOwner, sleep, startEmulator, waitForN8n } from '../test/support/realN8n.mjs';
import { N8nRest } from '../test/support/n8nRest.mjs';

const PACKAGE = 'n8n-nodes-kling';
const NODE_TYPE = `${PACKAGE}.kling`;
const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
const EMULATOR_PORT = Number(process.env.KLING_EMULATOR_PORT ?? 5680);
const REGISTRY_PORT = Number(process.env.KLING_REGISTRY_PORT ?? 5712);
const BASE_URL = `http://127.0.0.1:${N8N_PORT}`;
const REGISTRY_URL = `http://127.0.0.1:${REGISTRY_PORT}`;
const REGISTRY_TOOL = join(ROOT, 'tools', 'registry');

const breakIndex = process.argv.indexOf('--break');
const BREAK = breakIndex === -1 ? undefined : process.argv[breakIndex + 1];
const BREAKAGES = {
	// `files` without the credential: n8n cannot load the package.
	files: (dir) => editPackageJson(dir, (pkg) => ({ ...pkg, files: ['dist/nodes'] })),
	// The node's icon missing from the tarball: the editor would show a broken image.
	icon: (dir) => rmSync(join(dir, 'dist', 'icons', 'kling.svg')),
	// The `n8n` section pointing at a file that does not exist.
	n8n: (dir) => editPackageJson(dir, (pkg) => ({ ...pkg, n8n: { ...pkg.n8n, nodes: ['dist/nodes/Kling/Kling.js'] } })),
};
if (BREAK !== undefined && !BREAKAGES[BREAK]) {
	console.error(`--break takes one of: ${Object.keys(BREAKAGES).join(', ')}`);
	process.exit(2);
}


function editPackageJson(dir, edit) {
	const file = join(dir, 'package.json');
	writeFileSync(file, `${JSON.stringify(edit(JSON.parse(readFileSync(file, 'utf8'))), null, 2)}\n`);
}

/** Verdaccio from tools/registry, installed from its own lockfile (not a dependency of the package). */
function ensureRegistryTool() {
	const lock = JSON.parse(readFileSync(join(REGISTRY_TOOL, 'package-lock.json'), 'utf8'));
	const installed = join(REGISTRY_TOOL, 'node_modules', 'verdaccio', 'package.json');
	if (existsSync(installed) && JSON.parse(readFileSync(installed, 'utf8')).version === lock.packages['node_modules/verdaccio'].version) return;
	log('installing Verdaccio into tools/registry/ (npm ci, about 30 s)');
	run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: REGISTRY_TOOL });
}

async function startRegistry(tmp) {
	const config = join(tmp, 'verdaccio.yaml');
	writeFileSync(
		config,
		[
			`storage: ${join(tmp, 'storage')}`,
			'auth:',
			'  htpasswd:',
			`    file: ${join(tmp, 'htpasswd')}`,
			// No uplinks: only what this script publishes exists, nothing is fetched from elsewhere.
			'uplinks: {}',
			'packages:',
			"  '**':",
			'    access: $all',
			'    publish: $authenticated',
			'web:',
			'  enable: false',
			'log: { type: stdout, format: pretty, level: warn }',
			'',
		].join('\n'),
	);
	const child = spawn(process.execPath, [join(REGISTRY_TOOL, 'node_modules', 'verdaccio', 'bin', 'verdaccio'), '--config', config, '--listen', `127.0.0.1:${REGISTRY_PORT}`], {
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`Verdaccio exited (${child.exitCode})`);
		try {
			if ((await fetch(`${REGISTRY_URL}/-/ping`)).ok) return child;
		} catch {}
		await sleep(250);
	}
	throw new Error('Verdaccio did not start');
}

/** `npm pack` of the built package (or of a broken copy), published to the local registry. */
async function publishPackage(tmp) {
	let packageDir = ROOT;
	if (BREAK) {
		packageDir = join(tmp, 'broken-package');
		mkdirSync(packageDir);
		for (const name of ['package.json', 'README.md', 'LICENSE', 'dist']) {
			if (existsSync(join(ROOT, name))) cpSync(join(ROOT, name), join(packageDir, name), { recursive: true });
		}
		BREAKAGES[BREAK](packageDir);
		log(`packing a copy broken on purpose: --break ${BREAK}`);
	}
	const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: packageDir, encoding: 'utf8' });
	if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
	const [{ filename, entryCount, size }] = JSON.parse(packed.stdout);
	log(`npm pack: ${filename}, ${entryCount} files, ${(size / 1024).toFixed(0)} KiB`);

	const user = await fetch(`${REGISTRY_URL}/-/user/org.couchdb.user:kling-e2e`, {
		method: 'PUT',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ name: 'kling-e2e', password: 'kling-e2e-password' }),
	});
	const { token } = await user.json();
	if (!token) throw new Error(`the local registry gave no token (HTTP ${user.status})`);
	const npmrc = join(tmp, 'publish.npmrc');
	writeFileSync(npmrc, `//127.0.0.1:${REGISTRY_PORT}/:_authToken=${token}\n`);
	run('npm', ['publish', join(tmp, filename), '--registry', REGISTRY_URL, '--userconfig', npmrc, '--ignore-scripts'], { cwd: tmp, stdio: ['ignore', 'ignore', 'inherit'] });
	log(`published ${filename} to the local registry ${REGISTRY_URL}`);
}

async function startN8n(env) {
	const child = spawn(NODE24, [N8N, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	const output = [];
	for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => output.push(chunk));
	child.output = () => Buffer.concat(output).toString('utf8');
	await Promise.race([
		waitForN8n(180_000, `${BASE_URL}/healthz/readiness`),
		new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`n8n exited (${code}):\n${child.output().slice(-3000)}`)))),
	]);
	return child;
}

/** The node and credential icons as the editor loads them: URLs from n8n's type files, served by n8n. */
async function checkIcons(rest) {
	const problems = [];
	const nodes = await (await rest.request('GET', '/types/nodes.json')).json();
	const credentials = await (await rest.request('GET', '/types/credentials.json')).json();
	const entries = [
		['node', nodes.find((type) => type.name === NODE_TYPE)],
		['credential', credentials.find((type) => type.name === 'klingApi')],
	];
	for (const [kind, type] of entries) {
		if (!type) {
			problems.push(`the ${kind} type is not in n8n's type list`);
			continue;
		}
		if (!type.iconUrl) {
			problems.push(`the ${kind} has no icon URL`);
			continue;
		}
		for (const url of typeof type.iconUrl === 'string' ? [type.iconUrl] : Object.values(type.iconUrl)) {
			const response = await fetch(`${BASE_URL}/${url}`);
			const body = await response.text();
			if (!response.ok || !body.includes('<svg')) problems.push(`the ${kind} icon ${url}: HTTP ${response.status}`);
			else log(`  ${kind} icon ${url}: served (${body.length} bytes of SVG)`);
		}
	}
	return problems;
}

async function main() {
	const begun = Date.now();
	ensureRuntime();
	ensureRegistryTool();
	buildPackage();
	const tmp = mkdtempSync(join(tmpdir(), 'kling-install-'));
	const children = [];
	let failed = 0;
	let passed = 0;
	const check = (name, problems) => {
		if (problems.length) {
			failed++;
			log(`FAIL ${name}\n  ${problems.join('\n  ')}`);
		} else {
			passed++;
			log(`ok   ${name}`);
		}
	};
	try {
		children.push(await startRegistry(tmp));
		await publishPackage(tmp);

		const state = join(tmp, 'n8n');
		// No custom extensions (n8n.mjs would load the build from n8n-runtime/state): only the installed package.
		const noExtensions = join(tmp, 'no-custom-extensions');
		mkdirSync(noExtensions);
		const env = n8nEnv({
			N8N_USER_FOLDER: state,
			N8N_CUSTOM_EXTENSIONS: noExtensions,
			N8N_PORT: String(N8N_PORT),
			// The community-packages module on (n8n.mjs switches it off for the offline demo).
			N8N_DISABLED_MODULES: 'mcp-registry',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_COMMUNITY_PACKAGES_REGISTRY: REGISTRY_URL,
			E2E_TESTS: 'true',
		});
		// Imported as a user imports them: the files as they are, node type "n8n-nodes-kling.kling".
		const examples = prepareState({ state, env, customExtension: false, emulatorPort: EMULATOR_PORT, filesPort: EMULATOR_PORT + 1 });
		if (EMULATOR_PORT + 1 !== 5681) log(`note: the examples' sample URLs point at 127.0.0.1:${EMULATOR_PORT + 1} instead of :5681 (KLING_EMULATOR_PORT is set)`);
		const emulator = await startEmulator({ KLING_EMULATOR_PORT: String(EMULATOR_PORT), KLING_EMULATOR_SUBMITTED_MS: '200', KLING_EMULATOR_PROCESSING_MS: '400' });
		children.push(emulator);
		const n8nProcess = await startN8n(env);
		children.push(n8nProcess);
		await setUpOwner(BASE_URL);
		const rest = new N8nRest(BASE_URL);
		await rest.login();
		await rest.request('PATCH', '/rest/e2e/feature', { feature: 'feat:communityNodes:customRegistry', enabled: true });

		const installStarted = Date.now();
		let installed;
		try {
			installed = await rest.json('POST', '/rest/community-packages', { name: PACKAGE });
		} catch (error) {
			check(`install ${PACKAGE} through n8n's community-package installer`, [error.message]);
		}
		if (installed) {
			const types = installed.installedNodes.map((node) => node.type);
			check(
				`install ${PACKAGE}@${installed.installedVersion} through n8n's community-package installer (${((Date.now() - installStarted) / 1000).toFixed(1)} s): nodes ${types.join(', ')}`,
				types.includes(NODE_TYPE) ? [] : [`node type ${NODE_TYPE} is not among the installed nodes`],
			);
			check('node and credential icons served by n8n', await checkIcons(rest));
			const started = await Promise.all(examples.map(async (workflow) => ({ workflow, executionId: await rest.runManually(workflow.id), at: Date.now() })));
			for (const { workflow, executionId, at } of started) {
				const problems = [];
				const execution = await rest.waitForExecution(executionId, 180_000);
				const resultData = execution.data?.resultData;
				if (execution.status !== 'success') problems.push(`execution ${executionId} ended "${execution.status}": ${resultData?.error?.message ?? ''}`);
				if (resultData) problems.push(...(await checkKlingOutputs(workflow, resultData, { nodeType: NODE_TYPE, readBinary: (binary) => rest.binary(binary.id) })));
				check(`${workflow.file} (${((Date.parse(execution.stoppedAt) - at) / 1000).toFixed(1)} s)`, problems);
			}
		}
		if (failed) console.log(`--- n8n's last output\n${n8nProcess.output().trim().split('\n').slice(-20).join('\n')}`);
	} catch (error) {
		failed++;
		log(`e2e:install stopped: ${error.message}`);
	} finally {
		for (const child of children.reverse()) {
			if (child.exitCode !== null || child.signalCode !== null) continue;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await Promise.race([exited, sleep(20_000)]);
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		}
		rmSync(tmp, { recursive: true, force: true });
	}
	console.log(`e2e:install: ${passed} passed, ${failed} failed (wall time ${((Date.now() - begun) / 1000).toFixed(0)} s)`);
	process.exitCode = failed || passed === 0 ? 1 : 0;
}

process.on('SIGINT', () => process.exit(130));

await main();
