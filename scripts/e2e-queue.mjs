// `npm run e2e:queue`: the package in n8n's queue mode, the way production installations scale out —
// PostgreSQL, Redis, one main process and two workers (`n8n worker`), binary data in the database
// (queue mode's default) — against the Kling emulator with an account task limit below what the two
// workers would start together. Each worker caps only its own process, so the account limit is
// enforced by Kling's 1303 answers.
//   1. every example, started as the editor's "Execute workflow" does (queue mode hands it to a
//      worker), its binaries read back through n8n's REST API and compared with the emulator's bytes;
//   2. a 100-item text-to-image job: 10 webhook calls × 10 prompts, spread over both workers.
// Fails on a failed item, a duplicate task, a task n8n lost, the limit exceeded, a worker left idle,
// or a throughput below 0.8 × the ideal ceil(items / limit) × task time.
// PostgreSQL and Redis are Debian's packages (installed with apt-get if missing); this script starts its
// own instances with their data in a temporary folder, on 127.0.0.1 only, and never a system service.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildPackage, checkKlingOutputs, ensureRuntime, log, N8N, n8nEnv, NODE24, prepareState, ROOT, run, setUpOwner, sha256, sleep, waitForN8n } from '../test/support/realN8n.mjs';
import { N8nRest } from '../test/support/n8nRest.mjs';

// This script's ports (5700–5711): n8n main, worker health servers, emulator API and files, the task
// runner broker of each n8n process, PostgreSQL, Redis. KLING_E2E_QUEUE_PORT_BASE moves them to ten
// ports from that base (base … base + 9), so runs on one machine do not collide.
const PORT_BASE = process.env.KLING_E2E_QUEUE_PORT_BASE ? Number(process.env.KLING_E2E_QUEUE_PORT_BASE) : undefined;
const PORTS =
	PORT_BASE === undefined
		? { main: 5700, workerHealth: [5702, 5703], emulator: 5704, files: 5705, runnerBroker: [5706, 5707, 5708], postgres: 5710, redis: 5711 }
		: {
				main: PORT_BASE,
				workerHealth: [PORT_BASE + 1, PORT_BASE + 2],
				emulator: PORT_BASE + 3,
				files: PORT_BASE + 4,
				runnerBroker: [PORT_BASE + 5, PORT_BASE + 6, PORT_BASE + 7],
				postgres: PORT_BASE + 8,
				redis: PORT_BASE + 9,
			};
const JOB = {
	executions: 10,
	itemsPerExecution: 10,
	/** Kling's running-task limit for the account (the emulator answers 1303 above it). */
	accountLimit: 10,
	/** The node's Concurrency option: each worker runs up to this many items of the account at once. */
	nodeConcurrency: 10,
	/** Executions each worker takes from the queue at once (`n8n worker --concurrency`). */
	workerConcurrency: 5,
	submittedMs: 1000,
	processingMs: 5000,
};
/** The job must finish within 1 / 0.8 of ceil(items / limit) × task time. */
const THROUGHPUT_TARGET = 0.8;
const TAG = `queue-job-${Date.now().toString(36)}`;
const LOGS = join(ROOT, 'test-output', 'e2e-queue');
const BASE_URL = `http://127.0.0.1:${PORTS.main}`;
const JOB_WORKFLOW_ID = 'klingQueueJob0001';
const CREDENTIAL = { klingApi: { id: 'klingEmulatorCred01', name: 'Kling (local emulator)' } };

const begun = Date.now();
const elapsed = () => `${((Date.now() - begun) / 1000).toFixed(0)} s`;

// ---------------------------------------------------------------------------------------------
// Debian's PostgreSQL and Redis, as this script's own processes.

function postgresBinDir() {
	const base = '/usr/lib/postgresql';
	if (!existsSync(base)) return undefined;
	const versions = readdirSync(base).filter((version) => existsSync(join(base, version, 'bin', 'initdb')));
	versions.sort((a, b) => Number(b) - Number(a));
	return versions.length ? join(base, versions[0], 'bin') : undefined;
}

function ensureDebianPackages() {
	const missing = [];
	if (!postgresBinDir()) missing.push('postgresql');
	if (spawnSync('sh', ['-c', 'command -v redis-server']).status !== 0) missing.push('redis-server');
	if (missing.length === 0) return;
	log(`installing ${missing.join(' and ')} from Debian (apt-get); only this script's own instances will run`);
	run('apt-get', ['update', '-qq']);
	run('apt-get', ['install', '-y', '-qq', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

const processes = [];

function startProcess(name, command, args, options = {}) {
	const logFile = join(LOGS, `${name}.log`);
	const output = createWriteStream(logFile);
	const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout.pipe(output);
	child.stderr.pipe(output);
	const entry = { name, child, logFile, exit: new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal))) };
	entry.exit.then((how) => {
		entry.exited = how;
	});
	processes.push(entry);
	return entry;
}

async function stopProcess(entry, signal = 'SIGTERM') {
	if (entry.exited !== undefined) return;
	entry.child.kill(signal);
	const stopped = await Promise.race([entry.exit.then(() => true), sleep(25_000).then(() => false)]);
	if (!stopped) {
		log(`${entry.name} did not stop within 25 s; killing it`);
		entry.child.kill('SIGKILL');
		await entry.exit;
	}
}

/** Resolves when `check` passes; fails early if `entry` exits, or after `timeoutMs`. */
async function until(what, timeoutMs, check, entry) {
	const deadline = Date.now() + timeoutMs;
	let lastError;
	while (Date.now() < deadline) {
		if (entry?.exited !== undefined) throw new Error(`${entry.name} exited (${entry.exited}) before ${what}; see ${entry.logFile}`);
		try {
			if (await check()) return;
		} catch (error) {
			lastError = error;
		}
		await sleep(250);
	}
	throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ''}`);
}

function redisPing() {
	return new Promise((resolve) => {
		const socket = connect(PORTS.redis, '127.0.0.1');
		socket.setTimeout(1000, () => socket.destroy());
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (data) => {
			resolve(String(data).startsWith('+PONG'));
			socket.end();
		});
		socket.once('error', () => resolve(false));
		socket.once('close', () => resolve(false));
	});
}

async function startPostgres(tmp) {
	const bin = postgresBinDir();
	// PostgreSQL refuses to run as root: the data folder belongs to Debian's `postgres` user.
	const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
	const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
	const dataDir = join(tmp, 'postgres');
	mkdirSync(dataDir, { mode: 0o700 });
	chownSync(dataDir, uid, gid);
	const asPostgres = { uid, gid, cwd: dataDir };
	run(join(bin, 'initdb'), ['-D', dataDir, '-U', 'kling', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], { ...asPostgres, stdio: 'ignore' });
	const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: dataDir, fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };
	const entry = startProcess('postgres', join(bin, 'postgres'), ['-D', dataDir, '-p', String(PORTS.postgres), ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`])], asPostgres);
	const isReady = join(bin, 'pg_isready');
	await until('PostgreSQL', 30_000, () => spawnSync(isReady, ['-h', '127.0.0.1', '-p', String(PORTS.postgres)]).status === 0, entry);
	run(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(PORTS.postgres), '-U', 'kling', 'n8n'], asPostgres);
	return entry;
}

async function startRedis(tmp) {
	const dataDir = join(tmp, 'redis');
	mkdirSync(dataDir);
	const entry = startProcess('redis', 'redis-server', ['--port', String(PORTS.redis), '--bind', '127.0.0.1', '--dir', dataDir, '--save', '', '--appendonly', 'no']);
	await until('Redis', 30_000, redisPing, entry);
	return entry;
}

// ---------------------------------------------------------------------------------------------
// n8n in queue mode.

function queueEnv(userFolder, state, runnerBrokerPort, extra = {}) {
	return n8nEnv({
		N8N_USER_FOLDER: userFolder,
		N8N_CUSTOM_EXTENSIONS: join(state, 'custom'),
		N8N_PORT: String(PORTS.main),
		WEBHOOK_URL: `${BASE_URL}/`,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(PORTS.postgres),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'kling',
		DB_POSTGRESDB_PASSWORD: 'kling',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(PORTS.redis),
		// Manual runs go to the workers too (n8n 3's only behaviour), so the examples run where the job runs.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		// Every n8n process starts a task-runner broker; the default port would collide between them.
		N8N_RUNNERS_BROKER_PORT: String(runnerBrokerPort),
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		// Workers log "Worker started execution <id>" at info: that is how items are attributed to workers.
		N8N_LOG_LEVEL: 'info',
		...extra,
	});
}

/** Webhook → Split Out → Kling (text to image): one call starts one execution of 10 prompts. */
function jobWorkflow() {
	const node = (name, type, typeVersion, x, parameters, more = {}) => ({ id: `kling-queue-${x}`, name, type, typeVersion, position: [x, 0], parameters, ...more });
	return {
		id: JOB_WORKFLOW_ID,
		name: 'Kling queue job: 10 prompts per webhook call',
		nodes: [
			node('Webhook', 'n8n-nodes-base.webhook', 2, 0, { httpMethod: 'POST', path: 'kling-queue-job', responseMode: 'onReceived', options: {} }, { webhookId: '2f0bb8f4-6a1c-4b8e-9d43-4c1f5e0a9b11' }),
			node('Split Prompts', 'n8n-nodes-base.splitOut', 1, 240, { fieldToSplitOut: 'body.prompts', options: {} }),
			node(
				'Generate',
				'CUSTOM.kling',
				1,
				480,
				{ resource: 'image', operation: 'generate', prompt: '={{ $json.prompt }}', options: { n: 1, aspectRatio: '1:1' }, waitOptions: { concurrency: JOB.nodeConcurrency } },
				{ credentials: CREDENTIAL },
			),
		],
		connections: {
			Webhook: { main: [[{ node: 'Split Prompts', type: 'main', index: 0 }]] },
			'Split Prompts': { main: [[{ node: 'Generate', type: 'main', index: 0 }]] },
		},
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

async function startN8n(state) {
	const mainEnv = queueEnv(state, state, PORTS.runnerBroker[0]);
	const main = startProcess('n8n-main', NODE24, [N8N, 'start'], { env: mainEnv });
	const workers = PORTS.workerHealth.map((port, index) => {
		const folder = join(state, `worker-${index + 1}`);
		mkdirSync(folder, { recursive: true });
		const env = queueEnv(folder, state, PORTS.runnerBroker[index + 1], {
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(port),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		});
		return startProcess(`n8n-worker-${index + 1}`, NODE24, [N8N, 'worker', `--concurrency=${JOB.workerConcurrency}`], { env });
	});
	await Promise.all([
		until('the n8n main process', 180_000, () => waitForN8n(1000, `${BASE_URL}/healthz/readiness`).then(() => true), main),
		...workers.map((worker, index) =>
			until(worker.name, 180_000, () => waitForN8n(1000, `http://127.0.0.1:${PORTS.workerHealth[index]}/healthz/readiness`).then(() => true), worker),
		),
	]);
	return { main, workers };
}

/** Which worker ran which execution, from the workers' own log lines. */
function executionsByWorker(workers) {
	const owner = new Map();
	for (const worker of workers) {
		for (const match of readFileSync(worker.logFile, 'utf8').matchAll(/Worker started execution (\d+)/g)) owner.set(match[1], worker.name);
	}
	return owner;
}

// ---------------------------------------------------------------------------------------------
// The checks.

async function runExamples(rest, examples, emulator, workers) {
	emulator.submittedMs = 200;
	emulator.processingMs = 400;
	const started = await Promise.all(examples.map(async (workflow) => ({ workflow, executionId: await rest.runManually(workflow.id), at: Date.now() })));
	let failed = 0;
	for (const { workflow, executionId, at } of started) {
		const problems = [];
		const execution = await rest.waitForExecution(executionId, 240_000);
		const resultData = execution.data?.resultData;
		if (execution.status !== 'success') problems.push(`execution ${executionId} ended "${execution.status}": ${resultData?.error?.message ?? ''}`);
		if (resultData) problems.push(...(await checkKlingOutputs(workflow, resultData, { readBinary: (binary) => rest.binary(binary.id) })));
		const worker = executionsByWorker(workers).get(String(executionId)) ?? 'no worker';
		const seconds = ((Date.parse(execution.stoppedAt) - at) / 1000).toFixed(1);
		if (problems.length) {
			failed++;
			log(`FAIL ${workflow.file} (execution ${executionId} on ${worker}, ${seconds} s)\n  ${problems.join('\n  ')}`);
		} else {
			log(`ok   ${workflow.file} (execution ${executionId} on ${worker}, ${seconds} s)`);
		}
	}
	return failed;
}

/** Most slots running at once for the account, from the emulator's task records (its own definition of running). */
function maxRunningSlots(tasks, taskMs) {
	const events = tasks.flatMap((task) => [
		[task.createdAt, task.slots],
		[task.createdAt + taskMs, -task.slots],
	]);
	// At the same millisecond a task's end frees its slots before another starts, as the emulator counts.
	events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let running = 0;
	let max = 0;
	for (const [, delta] of events) {
		running += delta;
		max = Math.max(max, running);
	}
	return max;
}

async function runJob(rest, emulator, workers) {
	emulator.submittedMs = JOB.submittedMs;
	emulator.processingMs = JOB.processingMs;
	const taskMs = JOB.submittedMs + JOB.processingMs;
	const items = JOB.executions * JOB.itemsPerExecution;
	const batches = Array.from({ length: JOB.executions }, (_, batch) =>
		Array.from({ length: JOB.itemsPerExecution }, (_, item) => ({ prompt: `${TAG} batch ${batch} item ${item}: a lighthouse on a cliff, watercolour` })),
	);
	const requestsBefore = emulator.requests.length;
	log(`[${elapsed()}] job: ${JOB.executions} webhook calls × ${JOB.itemsPerExecution} prompts; account limit ${JOB.accountLimit}, node concurrency ${JOB.nodeConcurrency} per worker × 2 workers, task time ${taskMs / 1000} s`);
	const startedAt = Date.now();
	await Promise.all(
		batches.map(async (prompts) => {
			const response = await fetch(`${BASE_URL}/webhook/kling-queue-job`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompts }) });
			if (!response.ok) throw new Error(`webhook call: HTTP ${response.status} ${await response.text()}`);
		}),
	);

	let summaries = [];
	await until('the job\'s executions to finish', 6 * 60_000, async () => {
		summaries = await rest.executions(JOB_WORKFLOW_ID);
		return summaries.length >= JOB.executions && summaries.every((execution) => !['new', 'running', 'waiting'].includes(execution.status));
	});
	const finishedAt = Math.max(...summaries.map((execution) => Date.parse(execution.stoppedAt)));

	// n8n's side: every item's task id and binary, read back through the REST API (binary data in PostgreSQL).
	const workerOf = executionsByWorker(workers);
	const itemsPerWorker = Object.fromEntries(workers.map((worker) => [worker.name, 0]));
	/** When each worker's last execution of the job stopped: a long gap between them is a slow tail. */
	const workerDoneSeconds = Object.fromEntries(workers.map((worker) => [worker.name, 0]));
	const reported = new Map();
	const problems = [];
	for (const summary of summaries) {
		const execution = await rest.execution(summary.id);
		const resultData = execution.data.resultData;
		if (execution.status !== 'success') problems.push(`execution ${summary.id} ended "${execution.status}": ${resultData.error?.message ?? ''}`);
		const output = resultData.runData.Generate?.at(-1)?.data?.main?.[0] ?? [];
		const worker = workerOf.get(String(summary.id));
		if (worker) {
			itemsPerWorker[worker] += output.length;
			workerDoneSeconds[worker] = Math.max(workerDoneSeconds[worker], (Date.parse(summary.stoppedAt) - startedAt) / 1000);
		} else problems.push(`execution ${summary.id}: no worker logged it`);
		for (const item of output) {
			if (item.json.task_id) reported.set(String(item.json.task_id), item);
			else problems.push(`execution ${summary.id}: an item without a task id: ${JSON.stringify(item.json).slice(0, 300)}`);
		}
	}

	// Kling's side: the emulator's records of this job.
	const tasks = emulator.createdTasks().filter((task) => String(task.body.prompt ?? '').startsWith(TAG));
	const tasksPerPrompt = new Map();
	for (const task of tasks) tasksPerPrompt.set(task.body.prompt, (tasksPerPrompt.get(task.body.prompt) ?? 0) + 1);
	const duplicates = [...tasksPerPrompt.values()].reduce((sum, count) => sum + count - 1, 0);
	const lost = tasks.filter((task) => !reported.has(task.task_id));
	let succeeded = 0;
	for (const prompt of batches.flat().map((entry) => entry.prompt)) {
		const task = tasks.find((candidate) => candidate.body.prompt === prompt);
		const item = task && reported.get(task.task_id);
		const file = item?.json.files?.[0];
		const binary = file && item.binary?.[file.binaryProperty];
		if (!binary?.id) continue;
		const stored = await rest.binary(binary.id);
		if (sha256(stored) === sha256(emulator.fileBytes(file.url) ?? Buffer.alloc(0))) succeeded++;
		else problems.push(`"${prompt}": the stored binary differs from the emulator's file`);
	}
	const jobRequests = emulator.requests.slice(requestsBefore);
	const submits = jobRequests.filter((request) => request.method === 'POST');
	const refused = submits.filter((request) => !request.createdTaskId).length;
	const polls = jobRequests.filter((request) => request.method === 'GET').length;

	// Where the time went, from the emulator's clock: the first submit, the account's slots in use, the tail.
	const firstCreated = Math.min(...tasks.map((task) => task.createdAt));
	const lastEnded = Math.max(...tasks.map((task) => task.createdAt)) + taskMs;
	const slotUse = tasks.reduce((sum, task) => sum + task.slots * taskMs, 0) / (JOB.accountLimit * (lastEnded - firstCreated));
	const wallMs = finishedAt - startedAt;
	const idealMs = Math.ceil(items / JOB.accountLimit) * taskMs;
	const figures = {
		items,
		succeeded,
		failed: items - succeeded,
		tasksCreated: tasks.length,
		duplicates,
		lost: lost.length,
		maxRunningSlots: maxRunningSlots(tasks, taskMs),
		accountLimit: JOB.accountLimit,
		submits: submits.length,
		refused1303: refused,
		statusPolls: polls,
		wallSeconds: wallMs / 1000,
		idealSeconds: idealMs / 1000,
		throughputRatio: idealMs / wallMs,
		firstSubmitSeconds: (firstCreated - startedAt) / 1000,
		slotUse,
		tailSeconds: (finishedAt - lastEnded) / 1000,
		itemsPerWorker,
		workerDoneSeconds,
	};
	return { figures, problems };
}

// ---------------------------------------------------------------------------------------------

async function main() {
	ensureDebianPackages();
	ensureRuntime();
	buildPackage();
	rmSync(LOGS, { recursive: true, force: true });
	mkdirSync(LOGS, { recursive: true });
	const tmp = mkdtempSync(join(tmpdir(), 'kling-queue-'));
	// The postgres user must reach its data folder inside.
	chmodSync(tmp, 0o755);
	const { KlingEmulator } = createRequire(import.meta.url)(join(ROOT, '.test-build', 'test', 'support', 'emulator', 'kling-emulator.js'));
	// The examples' custom host serves both API standards (Kling 4.0 runs there), as in `npm start` and `npm run e2e`.
	const emulator = new KlingEmulator({ concurrencyLimit: JOB.accountLimit, videoBytes: 512 * 1024, customHostServesNewStandard: true });
	let exitCode = 1;
	let n8nProcesses = [];
	try {
		await emulator.start({ api: PORTS.emulator, files: PORTS.files });
		log(`[${elapsed()}] Kling emulator: API ${emulator.url}, files ${emulator.filesUrl}, account limit ${JOB.accountLimit} running tasks`);
		await startPostgres(tmp);
		await startRedis(tmp);
		log(`[${elapsed()}] PostgreSQL on 127.0.0.1:${PORTS.postgres} and Redis on 127.0.0.1:${PORTS.redis} (data in ${tmp})`);

		const state = join(tmp, 'n8n');
		const importEnv = queueEnv(state, state, PORTS.runnerBroker[0]);
		const examples = prepareState({ state, env: importEnv, emulatorPort: PORTS.emulator, filesPort: PORTS.files, extraWorkflows: [jobWorkflow()] });
		const setupStarted = Date.now();
		const { main: mainProcess, workers } = await startN8n(state);
		n8nProcesses = [mainProcess, ...workers];
		log(`[${elapsed()}] n8n main on ${BASE_URL} and 2 workers ready in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s (queue mode, PostgreSQL, binary data in the database)`);
		await setUpOwner(BASE_URL);
		const rest = new N8nRest(BASE_URL);
		await rest.login();
		await rest.publish(JOB_WORKFLOW_ID);

		log(`[${elapsed()}] the examples, started as the editor does (each runs on a worker)`);
		const examplesFailed = await runExamples(rest, examples, emulator, workers);
		const { figures, problems } = await runJob(rest, emulator, workers);

		const workerNames = Object.keys(figures.itemsPerWorker);
		if (figures.failed) problems.push(`${figures.failed} of ${figures.items} items failed`);
		if (figures.duplicates) problems.push(`${figures.duplicates} duplicate tasks`);
		if (figures.lost) problems.push(`${figures.lost} task ids created at Kling but missing from n8n's output`);
		if (figures.maxRunningSlots > figures.accountLimit) problems.push(`the account limit was exceeded: ${figures.maxRunningSlots} > ${figures.accountLimit}`);
		if (figures.throughputRatio < THROUGHPUT_TARGET) {
			problems.push(`throughput ${figures.throughputRatio.toFixed(2)} × the ideal, below the target ${THROUGHPUT_TARGET}`);
		}
		const idle = workerNames.filter((name) => figures.itemsPerWorker[name] === 0);
		if (idle.length) problems.push(`${idle.join(', ')} ran no items`);

		console.log('\ne2e:queue figures');
		console.log(`  items                 ${figures.succeeded} succeeded, ${figures.failed} failed (of ${figures.items})`);
		console.log(`  tasks at Kling        ${figures.tasksCreated} created, ${figures.duplicates} duplicates, ${figures.lost} lost task ids`);
		console.log(`  account limit         max ${figures.maxRunningSlots} running at the emulator, limit ${figures.accountLimit}`);
		console.log(`  submits               ${figures.submits} sent, ${figures.refused1303} refused with 1303; ${figures.statusPolls} status reads`);
		console.log(`  items per worker      ${workerNames.map((name) => `${name} ${figures.itemsPerWorker[name]} (done ${figures.workerDoneSeconds[name].toFixed(1)} s)`).join(', ')}`);
		console.log(`  account slots in use  ${(figures.slotUse * 100).toFixed(0)} % from the first submit (${figures.firstSubmitSeconds.toFixed(1)} s after the webhook calls) to the last task's end; then ${figures.tailSeconds.toFixed(1)} s until the last execution finished`);
		console.log(`  throughput            ${figures.wallSeconds.toFixed(1)} s for the job, ideal ${figures.idealSeconds.toFixed(0)} s → ratio ${figures.throughputRatio.toFixed(2)} (target ≥ ${THROUGHPUT_TARGET}${figures.throughputRatio >= THROUGHPUT_TARGET ? ', met' : ', NOT met'})`);
		for (const problem of problems) log(`FAIL ${problem}`);
		const checks = examples.length + 1;
		const failedChecks = examplesFailed + (problems.length ? 1 : 0);
		console.log(`e2e:queue: ${checks - failedChecks} passed, ${failedChecks} failed`);
		exitCode = failedChecks ? 1 : 0;
	} catch (error) {
		log(`e2e:queue stopped: ${error.message}`);
		for (const entry of processes) {
			const lines = existsSync(entry.logFile) ? readFileSync(entry.logFile, 'utf8').trim().split('\n') : [];
			if (lines.length && entry.name.startsWith('n8n')) console.log(`--- last lines of ${entry.logFile}\n${lines.slice(-15).join('\n')}`);
		}
	} finally {
		await Promise.all(n8nProcesses.map((entry) => stopProcess(entry)));
		for (const entry of processes.filter((candidate) => !n8nProcesses.includes(candidate)).reverse()) {
			// PostgreSQL's "fast" shutdown is SIGINT; Redis stops on SIGTERM.
			await stopProcess(entry, entry.name === 'postgres' ? 'SIGINT' : 'SIGTERM');
		}
		await emulator.stop();
		rmSync(tmp, { recursive: true, force: true });
	}
	log(`[${elapsed()}] stopped everything; e2e:queue wall time ${elapsed()}`);
	process.exitCode = exitCode;
}

process.on('SIGINT', () => {
	for (const entry of processes) entry.child.kill('SIGTERM');
	process.exit(130);
});

await main();
