// Side-by-side in a real n8n (`npm run bench`, after the node benchmark): the same jobs done
// (a) with this node and (b) with the pattern users build from n8n's own nodes — HTTP Request submit →
// Wait → HTTP Request status → IF → (loop back to Wait) → HTTP Request download, authenticated by a
// Header Auth credential — against the Kling emulator with the same task times. Measures wall time,
// Kling API and file requests (the emulator's own records), peak RSS of the n8n process (VmHWM, reset
// before each run) and the nodes and fields the user configures; writes bench/RESULTS.md.
// Also stores a 1 GiB result in n8n's filesystem and database binary modes (queue mode uses database).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	EMULATOR_PORT,
	N8N,
	N8N_PORT,
	N8N_VERSION,
	NODE,
	OWNER,
	STATE,
	buildPackage,
	ensureRuntime,
	n8nEnv,
	prepareState,
} from '../test/support/realN8n.mjs';
import { writeResultsSection } from './results.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const BUDGET_MS = 15 * 60_000;
const started = Date.now();
const log = (message) => console.log(`[side-by-side ${((Date.now() - started) / 1000).toFixed(0)} s] ${message}`);

const require = createRequire(import.meta.url);
const { KlingEmulator, TEST_KEYS } = require(join(ROOT, '.test-build', 'test', 'support', 'emulator', 'kling-emulator.js'));

const API_BASE = `http://127.0.0.1:${EMULATOR_PORT}/custom/kling`;
const HEADER_CREDENTIAL = { id: 'benchHeaderAuth01', name: 'Kling key (Header Auth)' };
const KLING_CREDENTIAL = { id: 'benchKlingApi001', name: 'Kling (local emulator)' };

/**
 * The two jobs. Task times are the emulator's (queued, then processing); the standard pattern waits
 * as Kling's docs advise ("poll every 5–10 s"); the node polls on its own schedule.
 *
 * Each job runs at several task times (see runsOf). A loop that checks every W seconds notices a task
 * that ends just before a check at once and one that ends just after it W seconds late; real Kling
 * run times vary by far more than W, so where an end falls in the loop's wait is anyone's guess. The
 * counted runs put the end at 1/6, 1/2 and 5/6 of the wait (the loop is on average half a wait late, as
 * with real run times); the job's original task time is run and shown too, but not counted: 50 s is
 * exactly five of the loop's 10 s waits, the one case where the loop checks right after the end.
 */
const JOBS = {
	image: {
		label: '50 text-to-image tasks (1 image each)',
		items: 50,
		submittedMs: 1_000,
		taskMs: 6_000,
		route: '/v1/images/generations',
		body: "={{ JSON.stringify({ model_name: 'kling-v2-1', prompt: $json.prompt, n: 1 }) }}",
		resultUrl: '={{ $json.data.task_result.images[0].url }}',
		standardWaitSeconds: 5,
		kling: { resource: 'image', operation: 'generate', prompt: '={{ $json.prompt }}', waitOptions: { concurrency: 50 } },
	},
	video: {
		label: '5 text-to-video tasks (32 MiB each)',
		items: 5,
		submittedMs: 5_000,
		taskMs: 50_000,
		route: '/v1/videos/text2video',
		body: "={{ JSON.stringify({ model_name: 'kling-v2-6', prompt: $json.prompt, mode: 'std', duration: '5' }) }}",
		resultUrl: '={{ $json.data.task_result.videos[0].url }}',
		standardWaitSeconds: 10,
		kling: { resource: 'video', operation: 'textToVideo', prompt: '={{ $json.prompt }}', waitOptions: { concurrency: 5 } },
	},
};
const VIDEO_BYTES = 32 * MiB;

/** Where in the loop's wait the counted runs' tasks end (as a share of the wait, past the job's whole waits). */
const COUNTED_PHASES = [1 / 6, 1 / 2, 5 / 6];

/**
 * The runs of a job: its original task time (shown, not counted), then one task time per counted phase.
 * The detailed table shows the middle one (the loop half a wait late, its average).
 */
function runsOf(job) {
	const waitMs = job.standardWaitSeconds * 1000;
	const wholeWaitsMs = Math.floor(job.taskMs / waitMs) * waitMs;
	return [
		{ taskMs: job.taskMs, counted: false, phase: (job.taskMs - wholeWaitsMs) / waitMs },
		...COUNTED_PHASES.map((phase) => ({ taskMs: Math.round(wholeWaitsMs + phase * waitMs), counted: true, phase, detailed: phase === 1 / 2 })),
	];
}
/** The 1 GiB runs are given this long each; what did not finish by then is reported as such. */
const BIG_FILE_TIMEOUT_MS = Number(process.env.KLING_BENCH_BIG_FILE_TIMEOUT_MS ?? 45_000);

// ---------------------------------------------------------------- workflows

let nextNodeId = 1;
const node = (name, type, typeVersion, parameters, extra = {}) => ({
	id: `bench-node-${nextNodeId++}`,
	name,
	type,
	typeVersion,
	position: [nextNodeId * 200, 0],
	parameters,
	...extra,
});
const links = (...targets) => ({ main: targets.map((target) => (target ? [{ node: target, type: 'main', index: 0 }] : [])) });

/** Webhook → Split Out: the same input for both variants (one item per prompt); not counted as user work. */
function input(path) {
	return [
		node('Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'noData', options: {} }, { webhookId: path }),
		node('Prompts', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'body.items', options: {} }),
	];
}

function nodeWorkflow(id, path, klingParameters) {
	return {
		id,
		name: `Side by side (a): ${path}`,
		settings: { executionOrder: 'v1' },
		nodes: [...input(path), node('Kling', 'CUSTOM.kling', 1, klingParameters, { credentials: { klingApi: KLING_CREDENTIAL } })],
		connections: { Webhook: links('Prompts'), Prompts: links('Kling') },
	};
}

function standardWorkflow(id, path, job) {
	const auth = { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth' };
	const credentials = { httpHeaderAuth: HEADER_CREDENTIAL };
	return {
		id,
		name: `Side by side (b): ${path}`,
		settings: { executionOrder: 'v1' },
		nodes: [
			...input(path),
			node('Submit', 'n8n-nodes-base.httpRequest', 4.2, { method: 'POST', url: `${API_BASE}${job.route}`, ...auth, sendBody: true, specifyBody: 'json', jsonBody: job.body, options: {} }, { credentials }),
			node('Wait', 'n8n-nodes-base.wait', 1.1, { amount: job.standardWaitSeconds, unit: 'seconds' }, { webhookId: `${path}-wait` }),
			node('Status', 'n8n-nodes-base.httpRequest', 4.2, { url: `=${API_BASE}${job.route}/{{ $json.data.task_id }}`, ...auth, options: {} }, { credentials }),
			node('Done?', 'n8n-nodes-base.if', 2.2, {
				conditions: {
					options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
					conditions: [{ id: 'succeeded', leftValue: '={{ $json.data.task_status }}', rightValue: 'succeed', operator: { type: 'string', operation: 'equals' } }],
					combinator: 'and',
				},
				options: {},
			}),
			node('Download', 'n8n-nodes-base.httpRequest', 4.2, { url: job.resultUrl, options: { response: { response: { responseFormat: 'file' } } } }),
		],
		connections: { Webhook: links('Prompts'), Prompts: links('Submit'), Submit: links('Wait'), Wait: links('Status'), Status: links('Done?'), 'Done?': links('Download', 'Wait') },
	};
}

/** What the user sets up: every node but the shared input, and the fields they filled in. */
function userWork(workflow) {
	const nodes = workflow.nodes.filter((candidate) => !['Webhook', 'Prompts'].includes(candidate.name));
	const leaves = (value) =>
		value && typeof value === 'object' ? Object.values(value).reduce((sum, child) => sum + leaves(child), 0) : 1;
	return { nodes: nodes.length, fields: nodes.reduce((sum, candidate) => sum + leaves(candidate.parameters), 0) };
}

const WORKFLOWS = {
	'a-image': nodeWorkflow('benchAImage00001', 'bench-a-image', JOBS.image.kling),
	'b-image': standardWorkflow('benchBImage00001', 'bench-b-image', JOBS.image),
	'a-video': nodeWorkflow('benchAVideo00001', 'bench-a-video', JOBS.video.kling),
	'b-video': standardWorkflow('benchBVideo00001', 'bench-b-video', JOBS.video),
	'a-1gib': nodeWorkflow('benchA1GiB000001', 'bench-a-1gib', {
		resource: 'video',
		operation: 'textToVideo',
		prompt: 'one very large video',
		waitOptions: { pollIntervalSeconds: 1 },
	}),
};

/** n8n's REST API as the owner: what the editor does when a user saves and publishes a workflow. */
async function rest(cookie, method, path, body) {
	const response = await fetch(`http://127.0.0.1:${N8N_PORT}/rest${path}`, {
		method,
		headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} /rest${path}: HTTP ${response.status} ${text.slice(0, 1000)}`);
	return { data: JSON.parse(text).data, cookie: response.headers.get('set-cookie')?.split(';')[0] };
}

/** Both credentials and the workflows, created and published over REST (no extra n8n CLI boots). */
async function setUpBench() {
	const { cookie } = await rest(undefined, 'POST', '/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
	const { data: header } = await rest(cookie, 'POST', '/credentials', {
		name: HEADER_CREDENTIAL.name,
		type: 'httpHeaderAuth',
		data: { name: 'Authorization', value: `Bearer ${TEST_KEYS.custom.apiKey}` },
	});
	const { data: kling } = await rest(cookie, 'POST', '/credentials', {
		name: KLING_CREDENTIAL.name,
		type: 'klingApi',
		data: { provider: 'custom', baseUrl: API_BASE, authType: 'apiKey', apiKey: TEST_KEYS.custom.apiKey },
	});
	for (const workflow of Object.values(WORKFLOWS)) {
		for (const candidate of workflow.nodes) {
			if (candidate.credentials?.httpHeaderAuth) candidate.credentials.httpHeaderAuth = { id: header.id, name: header.name };
			if (candidate.credentials?.klingApi) candidate.credentials.klingApi = { id: kling.id, name: kling.name };
		}
		const { data: created } = await rest(cookie, 'POST', '/workflows', workflow);
		await rest(cookie, 'POST', `/workflows/${created.id}/activate`, { versionId: created.versionId });
	}
}

// ---------------------------------------------------------------- n8n process and memory

function status(pid) {
	const text = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
	return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

/**
 * A full garbage collection in n8n through its inspector (Node 24's WebSocket), so each run starts from
 * the same heap instead of from what the previous run left behind.
 */
function collectGarbage(inspectorUrl) {
	if (!inspectorUrl) return false;
	const script = `const ws = new WebSocket(process.argv[1]);
ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
ws.onmessage = (event) => { if (JSON.parse(event.data).id === 1) { ws.close(); process.exit(0); } };
ws.onerror = () => process.exit(1);
setTimeout(() => process.exit(2), 20000);`;
	return spawnSync(NODE, ['-e', script, inspectorUrl], { stdio: 'ignore' }).status === 0;
}

/** Peak RSS over one run: the kernel's high-water mark, reset before the run; sampled as a fallback. */
async function measurePeak(n8nProcess, action) {
	collectGarbage(n8nProcess.inspectorUrl());
	await new Promise((resolve) => setTimeout(resolve, 500));
	const pid = n8nProcess.child.pid;
	let hwmReset = true;
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
	} catch {
		hwmReset = false;
	}
	const before = status(pid).rss;
	let sampled = before;
	const sampler = setInterval(() => {
		try {
			sampled = Math.max(sampled, status(pid).rss);
		} catch {}
	}, 50);
	try {
		const result = await action();
		const after = status(pid);
		return { ...result, rssBefore: before, peakRss: hwmReset ? Math.max(after.hwm, sampled) : sampled };
	} finally {
		clearInterval(sampler);
	}
}

async function startN8nProcess(extraEnv) {
	// The inspector lets the benchmark start every run from a collected heap (see collectGarbage).
	const child = spawn(NODE, ['--inspect=127.0.0.1:0', N8N, 'start'], {
		env: { ...n8nEnv(), N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5', ...extraEnv },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stderr = '';
	let inspectorUrl;
	const keep = (data) => {
		stderr = (stderr + data).slice(-20_000);
		inspectorUrl ??= /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1];
	};
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	const deadline = Date.now() + 120_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`n8n exited during start: ${stderr}`);
		try {
			if ((await fetch(`http://127.0.0.1:${N8N_PORT}/healthz/readiness`)).ok) break;
		} catch {}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	const owner = await fetch(`http://127.0.0.1:${N8N_PORT}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	await owner.text();
	return { child, logs: () => stderr, inspectorUrl: () => inspectorUrl };
}

/**
 * n8n 2.x publishes workflows through an outbox, after the REST call has returned. A webhook is live
 * once a request with another method is told "not registered for PUT requests" (OPTIONS always
 * answers 204, for CORS); without it the path is "not registered" at all.
 */
async function waitForWebhooks() {
	const deadline = Date.now() + 90_000;
	for (const workflow of Object.values(WORKFLOWS)) {
		const path = workflow.nodes.find((candidate) => candidate.name === 'Webhook').parameters.path;
		for (;;) {
			const response = await fetch(`http://127.0.0.1:${N8N_PORT}/webhook/${path}`, { method: 'PUT' }).catch(() => undefined);
			if (response && /not registered for PUT/.test(await response.text())) break;
			if (Date.now() > deadline) throw new Error(`the webhook ${path} was not registered within 90 s`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}
}

async function stopN8n(n8nProcess) {
	const exited = new Promise((resolve) => n8nProcess.child.once('exit', resolve));
	n8nProcess.child.kill('SIGTERM');
	await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
	if (n8nProcess.child.exitCode === null) n8nProcess.child.kill('SIGKILL');
}

async function callWebhook(path, items, timeoutMs = BUDGET_MS - (Date.now() - started)) {
	const response = await fetch(`http://127.0.0.1:${N8N_PORT}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ items }),
		signal: AbortSignal.timeout(Math.max(10_000, timeoutMs)),
	}).catch((error) => {
		if (error.name === 'TimeoutError') return undefined;
		throw error;
	});
	if (!response) return { httpStatus: 0, body: `no answer within ${(timeoutMs / 1000).toFixed(0)} s` };
	return { httpStatus: response.status, body: (await response.text()).slice(0, 2000) };
}

// ---------------------------------------------------------------- runs

/**
 * How late each task's end was noticed: from the moment the emulator finished it to the first status
 * answer that said so (its own route, or its family's list page; a read that arrives just before the
 * end may answer just after it).
 */
function detectionDelays(emulator) {
	return emulator
		.createdTasks()
		.map((task) => ({ task, end: task.createdAt + emulator.submittedMs + emulator.processingMs }))
		.map(({ task, end }) => ({ delayMs: task.reportedDoneAt === undefined ? Infinity : task.reportedDoneAt - end }));
}

function emulatorCounts(emulator, route) {
	const api = emulator.requests.filter((request) => request.klingPath.startsWith(route));
	return {
		delays: detectionDelays(emulator),
		submits: api.filter((request) => request.method === 'POST').length,
		statusReads: api.filter((request) => request.method === 'GET').length,
		apiRequests: emulator.requests.length,
		downloads: emulator.fileRequests.filter((request) => request.url.includes('/results/')).length,
		tasks: emulator.tasks.size,
	};
}

/**
 * Where the time after the tasks' end goes, from the emulator's side (ms after the last task's end):
 * the first status read covering the last task, the first and last file request, the last file fully
 * sent, and n8n's answer to the webhook. Also when the submits arrived (ms after the webhook call).
 */
function timeline(emulator, route, t0, wallMs) {
	const tasks = emulator.createdTasks();
	if (!tasks.length) return undefined;
	const ends = tasks.map((task) => task.createdAt + emulator.submittedMs + emulator.processingMs);
	const lastEnd = Math.max(...ends);
	const noticed = tasks.map((task) => task.reportedDoneAt).filter((at) => at !== undefined);
	const files = fileLog.filter((entry) => entry.url.includes('/results/'));
	const submits = emulator.requests.filter((request) => request.method === 'POST' && request.klingPath.startsWith(route)).map((request) => request.at);
	const after = (at) => (at === undefined || !Number.isFinite(at) ? undefined : at - lastEnd);
	return {
		submitsFirstMs: submits.length ? Math.min(...submits) - t0 : undefined,
		submitsSpreadMs: submits.length ? Math.max(...submits) - Math.min(...submits) : undefined,
		endsSpreadMs: lastEnd - Math.min(...ends),
		lastNoticedMs: after(noticed.length ? Math.max(...noticed) : undefined),
		firstFileMs: after(files.length ? Math.min(...files.map((entry) => entry.at)) : undefined),
		lastFileStartMs: after(files.length ? Math.max(...files.map((entry) => entry.at)) : undefined),
		lastFileSentMs: after(files.length && files.every((entry) => entry.doneAt) ? Math.max(...files.map((entry) => entry.doneAt)) : undefined),
		answerMs: after(t0 + wallMs),
		fileSpans: files.map((entry) => (entry.doneAt ? entry.doneAt - entry.at : undefined)),
	};
}

const seconds = (ms) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);

function timelineSummary(line) {
	if (!line) return 'n/a';
	return `submits from ${seconds(line.submitsFirstMs)} after the call, spread ${seconds(line.submitsSpreadMs)}; ends spread ${seconds(line.endsSpreadMs)}; after the last end: noticed ${seconds(line.lastNoticedMs)}, first file GET ${seconds(line.firstFileMs)}, last file GET ${seconds(line.lastFileStartMs)}, last file sent ${seconds(line.lastFileSentMs)}, answer ${seconds(line.answerMs)}; file transfers ${line.fileSpans.map(seconds).join(', ')}`;
}

/** File requests with when they arrived and when the emulator finished sending them. */
const fileLog = [];

function recordFileTimes(emulator) {
	const handle = emulator.handleFile;
	emulator.handleFile = function (req, res) {
		const entry = { url: req.url ?? '', at: Date.now(), doneAt: undefined };
		fileLog.push(entry);
		res.once('finish', () => (entry.doneAt = Date.now()));
		return handle.call(this, req, res);
	};
}

async function runJob(emulator, n8nProcess, variant, kind, run) {
	const job = JOBS[kind];
	emulator.reset();
	fileLog.length = 0;
	emulator.submittedMs = job.submittedMs;
	emulator.processingMs = run.taskMs - job.submittedMs;
	emulator.videoBytes = VIDEO_BYTES;
	const items = Array.from({ length: job.items }, (_, index) => ({ prompt: `${kind} ${index + 1}: a red fox in fresh snow` }));
	const name = `${variant}-${kind}`;
	log(`${name}: ${job.label}, task ${seconds(run.taskMs)}`);
	const result = await measurePeak(n8nProcess, async () => {
		const t0 = Date.now();
		const answer = await callWebhook(`bench-${name}`, items);
		return { ...answer, t0, wallMs: Date.now() - t0 };
	});
	const counts = emulatorCounts(emulator, job.route);
	const ok = result.httpStatus === 200 && counts.tasks === job.items && counts.downloads >= job.items;
	const line = timeline(emulator, job.route, result.t0, result.wallMs);
	const measured = { ...result, ...counts, ok, timeline: line, ...userWork(WORKFLOWS[name]), run };
	log(`${name}: ${timelineSummary(line)}`);
	log(`${name}: ${ok ? 'ok' : `FAILED (HTTP ${result.httpStatus} ${result.body})`} wall ${(result.wallMs / 1000).toFixed(1)} s, ${counts.apiRequests} API + ${counts.downloads} file requests, end noticed ${delaySummary(counts.delays)}, peak RSS ${(result.peakRss / MiB).toFixed(0)} MiB`);
	return measured;
}

function storedBinaryBytes() {
	let largest = 0;
	const stack = [join(STATE, '.n8n', 'storage')];
	while (stack.length) {
		const dir = stack.pop();
		let names = [];
		try {
			names = readdirSync(dir);
		} catch {
			continue;
		}
		for (const name of names) {
			const path = join(dir, name);
			const stats = statSync(path);
			if (stats.isDirectory()) stack.push(path);
			else largest = Math.max(largest, stats.size);
		}
	}
	return largest;
}

async function runBigFile(emulator, n8nProcess, mode) {
	emulator.reset();
	emulator.submittedMs = 200;
	emulator.processingMs = 300;
	emulator.videoBytes = GiB;
	log(`1 GiB result, ${mode} binary mode`);
	const result = await measurePeak(n8nProcess, async () => {
		const t0 = Date.now();
		const answer = await callWebhook('bench-a-1gib', [{ prompt: 'big' }], BIG_FILE_TIMEOUT_MS);
		return { ...answer, wallMs: Date.now() - t0 };
	});
	const counts = emulatorCounts(emulator, '/v1/videos/text2video');
	const error = /"message":"([^"]+)"/.exec(result.body)?.[1];
	const logError = /(string or blob too big|SQLITE_TOOBIG|too large|FileTooLarge[^\n]*|Cannot create a string[^\n]*|ERR_[A-Z_]+[^\n]*)/i.exec(n8nProcess.logs())?.[0];
	const ok = result.httpStatus === 200;
	if (!ok) console.log(`n8n's log (last lines):\n${n8nProcess.logs().split('\n').slice(-15).join('\n')}`);
	log(`1 GiB ${mode}: ${ok ? 'stored' : `failed (HTTP ${result.httpStatus})`} in ${(result.wallMs / 1000).toFixed(1)} s, peak RSS ${(result.peakRss / MiB).toFixed(0)} MiB (before ${(result.rssBefore / MiB).toFixed(0)} MiB), ${counts.downloads} downloads`);
	return { mode, ...result, ...counts, ok, error: ok ? undefined : (logError ?? error ?? result.body.slice(0, 200)), storedBytes: mode === 'filesystem' ? storedBinaryBytes() : undefined };
}

// ---------------------------------------------------------------- report

const mib = (bytes) => `${(bytes / MiB).toFixed(0)} MiB`;
const ratio = (b, a) => (a > 0 ? `${(b / a).toFixed(2)}×` : 'n/a');

/** The node must beat the hand-built loop on both: at least 5 % faster, and no more Kling requests. */
const TARGETS = { wall: 1.05, requests: 1.0 };
const targetMisses = [];

/** The targets over a job's counted runs: total wall and total requests of (b) over (a). */
function targetsOf(kind, pairs) {
	const counted = pairs.filter((pair) => pair.run.counted);
	const sum = (variant, key) => counted.reduce((total, pair) => total + pair[variant][key], 0);
	const ok = counted.length > 0 && counted.every((pair) => pair.a.ok && pair.b.ok);
	const totals = { aWallMs: sum('a', 'wallMs'), bWallMs: sum('b', 'wallMs'), aRequests: sum('a', 'apiRequests'), bRequests: sum('b', 'apiRequests') };
	const wall = totals.bWallMs / totals.aWallMs;
	const requests = totals.bRequests / totals.aRequests;
	const wallOk = ok && wall >= TARGETS.wall;
	const requestsOk = ok && requests >= TARGETS.requests;
	if (!wallOk) targetMisses.push(`${kind}: wall (b)/(a) ${wall.toFixed(2)} < ${TARGETS.wall}`);
	if (!requestsOk) targetMisses.push(`${kind}: requests (b)/(a) ${requests.toFixed(2)} < ${TARGETS.requests}`);
	return { wall, requests, wallOk, requestsOk, runs: counted.length, ...totals };
}

const worstDelayMs = (delays) => Math.max(...delays.map((delay) => delay.delayMs));

function delaySummary(delays) {
	if (!delays.length) return 'n/a';
	const mean = delays.reduce((sum, delay) => sum + delay.delayMs, 0) / delays.length;
	return `worst ${(worstDelayMs(delays) / 1000).toFixed(2)} s, mean ${(mean / 1000).toFixed(2)} s`;
}

const afterEnd = (line) => (line ? [line.lastNoticedMs, line.lastFileStartMs, line.lastFileSentMs, line.answerMs].map(seconds).join(' / ') : 'n/a');
const taskTime = (ms) => `${(ms / 1000).toFixed(ms % 1000 ? 2 : 0)} s`;
const share = (phase) => ({ 0: '0', [1 / 6]: '1/6', [1 / 5]: '1/5', [1 / 2]: '1/2', [5 / 6]: '5/6' })[phase] ?? phase.toFixed(2);

function detailedTable(a, b) {
	return [
		'| | (a) Kling node | (b) standard pattern | (b)/(a) |',
		'|---|---|---|---|',
		`| result | ${a.ok ? 'ok' : 'FAILED'} | ${b.ok ? 'ok' : 'FAILED'} | |`,
		`| wall time | ${(a.wallMs / 1000).toFixed(1)} s | ${(b.wallMs / 1000).toFixed(1)} s | ${ratio(b.wallMs, a.wallMs)} |`,
		`| Kling API requests (submits + status reads) | ${a.apiRequests} (${a.submits} + ${a.statusReads}) | ${b.apiRequests} (${b.submits} + ${b.statusReads}) | ${ratio(b.apiRequests, a.apiRequests)} |`,
		`| status reads per task | ${(a.statusReads / a.tasks).toFixed(2)} | ${(b.statusReads / b.tasks).toFixed(2)} | ${ratio(b.statusReads, a.statusReads)} |`,
		`| end of a task noticed after (first status answer that says it ended) | ${delaySummary(a.delays)} | ${delaySummary(b.delays)} | |`,
		`| first submit after the webhook call; submits spread over | ${seconds(a.timeline?.submitsFirstMs)}; ${seconds(a.timeline?.submitsSpreadMs)} | ${seconds(b.timeline?.submitsFirstMs)}; ${seconds(b.timeline?.submitsSpreadMs)} | |`,
		`| after the last task's end: last end noticed / last file requested / last file sent / n8n answers | ${afterEnd(a.timeline)} | ${afterEnd(b.timeline)} | |`,
		`| file downloads | ${a.downloads} | ${b.downloads} | ${ratio(b.downloads, a.downloads)} |`,
		`| peak RSS of n8n (RSS at start → peak) | ${mib(a.rssBefore)} → ${mib(a.peakRss)} | ${mib(b.rssBefore)} → ${mib(b.peakRss)} | ${ratio(b.peakRss, a.peakRss)} |`,
		`| RSS growth during the run | ${mib(a.peakRss - a.rssBefore)} | ${mib(b.peakRss - b.rssBefore)} | ${ratio(b.peakRss - b.rssBefore, a.peakRss - a.rssBefore)} |`,
		`| nodes the user configures | ${a.nodes} | ${b.nodes} | ${ratio(b.nodes, a.nodes)} |`,
		`| fields the user fills in | ${a.fields} | ${b.fields} | ${ratio(b.fields, a.fields)} |`,
		'',
	];
}

function runsTable(job, pairs, met) {
	const lines = [
		`| task time | its end in (b)'s ${job.standardWaitSeconds} s wait | (a) wall | (b) wall | (b)/(a) | (a) requests | (b) requests | (b)/(a) | end noticed after, worst: (a) / (b) |`,
		'|---|---|---|---|---|---|---|---|---|',
	];
	for (const { run, a, b } of pairs) {
		const where = run.counted ? `at ${share(run.phase)}` : `at ${share(run.phase)}${run.phase === 0 ? ` (${job.taskMs / 1000 / job.standardWaitSeconds} whole waits: (b)'s best case), not counted` : ', not counted'}`;
		const worst = (delays) => (delays.length ? seconds(worstDelayMs(delays)) : 'n/a');
		lines.push(
			`| ${taskTime(run.taskMs)} | ${where} | ${a.ok ? `${(a.wallMs / 1000).toFixed(1)} s` : 'FAILED'} | ${b.ok ? `${(b.wallMs / 1000).toFixed(1)} s` : 'FAILED'} | ${ratio(b.wallMs, a.wallMs)} | ${a.apiRequests} | ${b.apiRequests} | ${ratio(b.apiRequests, a.apiRequests)} | ${worst(a.delays)} / ${worst(b.delays)} |`,
		);
	}
	lines.push(
		`| **the ${met.runs} counted runs** | | ${(met.aWallMs / 1000).toFixed(1)} s | ${(met.bWallMs / 1000).toFixed(1)} s | **${met.wall.toFixed(2)}×** | ${met.aRequests} | ${met.bRequests} | **${met.requests.toFixed(2)}×** | |`,
		'',
	);
	return lines;
}

function report(results, bigFiles) {
	const lines = [
		`Real n8n ${N8N_VERSION} (\`n8n start\`, SQLite, filesystem binary mode) against the Kling emulator; each run is one webhook-triggered execution.`,
		'(a) Webhook → Split Out → **Kling** node; (b) Webhook → Split Out → HTTP Request submit → Wait → HTTP Request status → IF → HTTP Request download, IF false → Wait (Header Auth credential).',
		'Each run starts after a full garbage collection in n8n (through its inspector); peak RSS is the n8n process\'s VmHWM, reset at the start; growth = peak − RSS at the start.',
		'',
		'Each job runs at several task times. A loop that checks every W seconds notices a task ending just before a check at once and one ending just after it W seconds late; real Kling run times vary by far more than W, so the counted runs put the end at 1/6, 1/2 and 5/6 of the wait (the loop half a wait late on average, as with real run times) and the targets apply to their totals. The job\'s first task time is run and shown but not counted.',
		'',
	];
	for (const kind of Object.keys(JOBS)) {
		const job = JOBS[kind];
		const pairs = results[kind];
		if (!pairs?.length) continue;
		const detailed = pairs.find((pair) => pair.run.detailed) ?? pairs[0];
		const met = targetsOf(kind, pairs);
		lines.push(
			`### ${job.label}; (b) waits ${job.standardWaitSeconds} s between checks; (a) concurrency ${job.kling.waitOptions.concurrency}, automatic polling`,
			'',
			...runsTable(job, pairs, met),
			`Targets over the counted runs: wall (b)/(a) ${met.wall.toFixed(2)} ≥ ${TARGETS.wall} ${met.wallOk ? 'PASS' : 'FAIL'}; requests (b)/(a) ${met.requests.toFixed(2)} ≥ ${TARGETS.requests.toFixed(2)} ${met.requestsOk ? 'PASS' : 'FAIL'}.`,
			'',
			`The run with tasks of ${taskTime(detailed.run.taskMs)} in detail:`,
			'',
			...detailedTable(detailed.a, detailed.b),
		);
	}
	if (bigFiles.length) lines.push('### One 1 GiB result (Kling node, one video task)', '', '| binary mode | result | wall | RSS at start → peak | growth | file downloads |', '|---|---|---|---|---|---|');
	for (const big of bigFiles) {
		const outcome = big.ok ? `stored${big.storedBytes ? ` (${mib(big.storedBytes)} on disk)` : ''}` : `failed: ${String(big.error).replace(/\|/g, '/')}`;
		lines.push(`| ${big.mode} | ${outcome} | ${(big.wallMs / 1000).toFixed(1)} s | ${mib(big.rssBefore)} → ${mib(big.peakRss)} | ${mib(big.peakRss - big.rssBefore)} | ${big.downloads} |`);
	}
	if (bigFiles.length) lines.push(
		'',
		'`database` is the binary mode n8n uses in queue mode; here it runs in one process on SQLite with `N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE=1024` (n8n\'s maximum; the default is 512 MiB).',
		'n8n\'s database manager reads the whole stream into one Buffer before the insert (`binaryToBuffer`), so nothing is streamed there.',
	);
	return lines.join('\n');
}

async function main() {
	// `node bench/side-by-side.mjs [image] [video] [1gib]`: only those parts (default: all).
	const only = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
	const wanted = (part) => only.length === 0 || only.includes(part);
	ensureRuntime();
	// `npm run bench` has just built the package for the node benchmark.
	if (!process.argv.includes('--no-build')) buildPackage();
	prepareState({ importExamples: false });
	log('n8n state ready');
	const emulator = await new KlingEmulator({ videoBytes: VIDEO_BYTES }).start({ api: EMULATOR_PORT, files: EMULATOR_PORT + 1 });
	recordFileTimes(emulator);
	const results = {};
	const bigFiles = [];
	let n8nProcess;
	try {
		n8nProcess = await startN8nProcess({});
		await setUpBench();
		await waitForWebhooks();
		log(`n8n ${N8N_VERSION} started (pid ${n8nProcess.child.pid}), workflows published`);
		for (const kind of Object.keys(JOBS).filter(wanted)) {
			results[kind] = [];
			for (const run of runsOf(JOBS[kind])) {
				const a = await runJob(emulator, n8nProcess, 'a', kind, run);
				const b = await runJob(emulator, n8nProcess, 'b', kind, run);
				results[kind].push({ run, a, b });
			}
		}
		if (wanted('1gib')) {
			bigFiles.push(await runBigFile(emulator, n8nProcess, 'filesystem'));
			await stopN8n(n8nProcess);
			n8nProcess = await startN8nProcess({ N8N_DEFAULT_BINARY_DATA_MODE: 'database', N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE: '1024' });
			await waitForWebhooks();
			log('n8n restarted with database binary mode');
			bigFiles.push(await runBigFile(emulator, n8nProcess, 'database'));
		}
	} finally {
		if (n8nProcess) await stopN8n(n8nProcess);
		await emulator.stop();
	}
	// A partial run prints its table; only a full run replaces the section in bench/RESULTS.md.
	if (only.length) console.log(report(results, bigFiles));
	else log(`wrote ${writeResultsSection('side-by-side', report(results, bigFiles))}`);
	const failed = Object.entries(results).flatMap(([kind, pairs]) =>
		pairs.flatMap(({ run, a, b }) => [a, b].filter((result) => !result.ok).map((result) => `${result === a ? 'a' : 'b'}-${kind} (task ${taskTime(run.taskMs)})`)),
	);
	if (failed.length) {
		console.log(`side-by-side: ${failed.join(', ')} failed`);
		process.exitCode = 1;
	}
	if (targetMisses.length) {
		console.log(`side-by-side: targets missed: ${targetMisses.join('; ')}`);
		process.exitCode = 1;
	}
	console.log(`side-by-side done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error) => {
	console.error(`[side-by-side] ${error.stack ?? error.message}`);
	process.exit(1);
});
