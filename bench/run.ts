/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error, no-console -- benchmark code runs outside n8n: it starts child processes and prints its report */
/**
 * `npm run bench`: speed and memory of the node against the Kling emulator, as ratios measured in
 * this run. Emulated tasks are time-scaled (the polling schedule is scaled by the same factor) so a
 * "20 s" task takes 0.4 s here. Correctness is the tests' job; this only measures.
 */
import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { pollerStats } from '../nodes/Kling/task/statusPoller';
import { type KlingEmulator, TEST_KEYS } from '../test/support/emulator/kling-emulator';
import { credentialsFor, networkFor, startEmulator } from '../test/support/fixtures';
import { runKlingItems } from './workflows';

const MiB = 1024 * 1024;

/** Time-scaled tasks get a poll schedule scaled by the same factor, passed in as the node's timing parameter. */
const benchTiming = (scale: number) => ({ pollTimeScale: scale, backoffBaseMs: 10, backoffMaxMs: 100 });
const results: string[] = [];
const report = (line: string) => {
	results.push(line);
	console.log(line);
};

const customCredentials = (emulator: { url: string }) => ({
	provider: 'custom',
	baseUrl: `${emulator.url}/custom/kling`,
	authType: 'apiKey',
	apiKey: TEST_KEYS.custom.apiKey,
});

/** An emulator in a child process: its CPU does not count against the node's. */
async function emulatorProcess(options: object): Promise<{ url: string; child: ChildProcess; stats(): Promise<{ requests: number; fileRequests: number; tasks: number }> }> {
	const child = fork(join(__dirname, 'emulatorChild.js'), [JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
	const url = await new Promise<string>((resolve, reject) => {
		child.stdout?.once('data', (data: Buffer) => resolve((JSON.parse(data.toString()) as { url: string }).url));
		child.once('exit', () => reject(new Error('the emulator process ended')));
	});
	const stats = () =>
		new Promise<{ requests: number; fileRequests: number; tasks: number }>((resolve) => {
			child.once('message', (message) => resolve(message as { requests: number; fileRequests: number; tasks: number }));
			child.send('stats');
		});
	return { url, child, stats };
}

async function parallelItems() {
	// At ×0.05 a 20 s task takes 1 s: short enough for a benchmark, long enough that the fixed cost of
	// starting a workflow does not dominate the ratio.
	const scale = 0.05;
	const taskMs = 20_000 * scale;
	const emulator = await emulatorProcess({ submittedMs: taskMs * 0.25, processingMs: taskMs * 0.75, concurrencyLimit: 10 });
	const run = async (concurrency: number) => {
		const started = Date.now();
		const result = await runKlingItems({
			parameters: { resource: 'image', operation: 'generate', prompt: '={{ "frame " + $json.index }}', waitOptions: { concurrency }, timing: benchTiming(scale) },
			credentials: customCredentials(emulator),
			items: 50,
		});
		const error = result.error('Kling');
		if (error) throw new Error(error.message);
		return Date.now() - started;
	};
	const idealMs = Math.ceil(50 / 10) * taskMs;
	const wall10 = await run(10);
	const afterParallel = await emulator.stats();
	const wall1 = await run(1);
	emulator.child.disconnect();
	report(`1. 50 items × 20 s task (×${scale} time scale), concurrency 10: wall ${(wall10 / 1000).toFixed(2)} s, ideal ${(idealMs / 1000).toFixed(2)} s → ratio ${(wall10 / idealMs).toFixed(3)} (target ≤ 1.15) ${wall10 / idealMs <= 1.15 ? 'PASS' : 'FAIL'}`);
	report(`   (${afterParallel.requests} API requests for ${afterParallel.tasks} tasks)`);
	report(`   same workflow at concurrency 1: wall ${(wall1 / 1000).toFixed(2)} s → concurrency 1 / concurrency 10 = ${(wall1 / wall10).toFixed(2)}×`);
}

async function detection() {
	const scale = 0.01;
	const taskMs = 600_000 * scale;
	const emulator = await startEmulator({ submittedMs: taskMs * 0.1, processingMs: taskMs * 0.9 });
	const tasks = 5;
	const started = Date.now();
	const result = await runKlingItems({
		parameters: { resource: 'video', operation: 'textToVideo', prompt: '={{ "film " + $json.index }}', downloadResults: false, waitOptions: { concurrency: tasks }, timing: benchTiming(scale) },
		credentials: customCredentials(emulator),
		items: tasks,
	});
	const finished = Date.now();
	if (result.error('Kling')) throw new Error(result.error('Kling')?.message);
	const delays = emulator.createdTasks().map((task) => finished - (task.createdAt + taskMs));
	const polls = emulator.requests.filter((request) => request.method === 'GET').length / tasks;
	const worstDelayS = Math.max(...delays) / scale / 1000;
	const allowedS = Math.max(2, 0.05 * (taskMs / scale / 1000));
	await emulator.stop();
	report(`2. 10-minute video task (×${scale} time scale, ${tasks} tasks, automatic polling): detection delay ${worstDelayS.toFixed(1)} s (allowed ≤ ${allowedS} s = ratio ${(worstDelayS / allowedS).toFixed(2)}) ${worstDelayS <= allowedS ? 'PASS' : 'FAIL'}; ${polls.toFixed(1)} status requests per task (≤ 30) ${polls <= 30 ? 'PASS' : 'FAIL'}; wall ${((finished - started) / 1000).toFixed(1)} s`);
}

/**
 * How late each task's end was noticed (ms, real time): from the moment the emulator finished it to
 * the first status answer that said so — its own route, its family's list page or a /tasks read (a read
 * that arrives just before the end may answer just after it).
 */
function detectionDelays(emulator: KlingEmulator, taskMs: number): number[] {
	return emulator.createdTasks().map((task) => (task.reportedDoneAt === undefined ? Infinity : task.reportedDoneAt - (task.createdAt + taskMs)));
}

/** Samples the process pollers while `action` runs: the requests of every round they made. */
async function withPollerRounds<T>(action: () => Promise<T>): Promise<{ result: T; rounds: number[] }> {
	const seen = new Map<string, number[]>();
	const sample = () => {
		for (const poller of pollerStats()) seen.set(poller.key, poller.rounds);
	};
	const timer = setInterval(sample, 10);
	try {
		const result = await action();
		sample();
		return { result, rounds: [...seen.values()].flat() };
	} finally {
		clearInterval(timer);
	}
}

const legacyImages = (count: number, scale: number, concurrency: number) => ({
	parameters: { resource: 'image', operation: 'generate', prompt: '={{ "frame " + $json.index }}', downloadResults: false, waitOptions: { concurrency }, timing: benchTiming(scale) },
	count,
});
const newApiVideos = (count: number, scale: number, concurrency: number) => ({
	parameters: { resource: 'video', operation: 'textToVideo', prompt: '={{ "clip " + $json.index }}', downloadResults: false, waitOptions: { concurrency }, timing: benchTiming(scale) },
	count,
});

/** 50 items in flight in one execution: status requests per task and how late each end is noticed. */
async function inFlight() {
	const scale = 0.2;
	const jobs = [
		{ label: 'legacy routes, 50 text-to-image tasks of 20 s', taskMs: 20_000, job: legacyImages(50, scale, 50), maxReads: 3, statusPath: (path: string) => path.startsWith('/v1/images/generations') },
		{ label: 'new API, 50 text-to-video tasks of 60 s', taskMs: 60_000, job: newApiVideos(50, scale, 50), maxReads: 2, statusPath: (path: string) => path === '/tasks' },
	];
	let number = 5;
	for (const { label, taskMs, job, maxReads, statusPath } of jobs) {
		const emulator = await startEmulator({ submittedMs: taskMs * scale * 0.2, processingMs: taskMs * scale * 0.8 });
		const result = await runKlingItems({ parameters: job.parameters, credentials: credentialsFor('beijing', emulator), network: networkFor(emulator), items: job.count });
		if (result.error('Kling')) throw new Error(result.error('Kling')?.message);
		const reads = emulator.requests.filter((request) => request.method === 'GET' && statusPath(request.klingPath)).length / job.count;
		const delays = detectionDelays(emulator, taskMs * scale).map((ms) => ms / scale / 1000);
		await emulator.stop();
		const worst = Math.max(...delays);
		const allowed = Math.max(2, 0.05 * (taskMs / 1000));
		const mean = delays.reduce((sum, delay) => sum + delay, 0) / delays.length;
		report(`${number++}. 50 items in flight (×${scale} time scale), ${label}: ${reads.toFixed(2)} status requests per task (≤ ${maxReads}) ${reads <= maxReads ? 'PASS' : 'FAIL'}; end noticed after worst ${worst.toFixed(2)} s, mean ${mean.toFixed(2)} s (allowed ≤ max(2 s, 5 % of ${taskMs / 1000} s) = ${allowed.toFixed(1)} s) ${worst <= allowed ? 'PASS' : 'FAIL'}`);
	}
}

/**
 * 200 executions of one item each, all started at once: one poller of the process answers them all.
 * Kling's task pools (account × model × pack) cap each model at the node's Concurrency (≤ 50), so the
 * executions spread over the text-to-video models; the peak of tasks waiting at once is measured.
 */
async function sharedPoller() {
	const scale = 0.1;
	const executions = 200;
	const taskMs = 60_000;
	const jobs = [
		{ label: 'new API', models: ['kling-3.0-turbo', 'kling-v3', 'kling-v2-6', 'kling-v2-5-turbo'], credentials: (emulator: KlingEmulator) => credentialsFor('beijing', emulator), limit: Math.ceil(executions / 20), what: `≤ ceil(${executions}/20) = ${Math.ceil(executions / 20)}` },
		{ label: 'legacy routes', models: ['kling-v3', 'kling-v2-6', 'kling-v2-5-turbo'], credentials: (emulator: KlingEmulator) => customCredentials(emulator), limit: 1, what: 'one list request per round: all waiting tasks fit in a page of 500' },
	];
	let number = 7;
	for (const { label, models, credentials, limit, what } of jobs) {
		const emulator = await startEmulator({ submittedMs: taskMs * scale * 0.2, processingMs: taskMs * scale * 0.8 });
		let peakWaiting = 0;
		const peak = setInterval(() => {
			for (const poller of pollerStats()) peakWaiting = Math.max(peakWaiting, poller.waiting);
		}, 10);
		const started = Date.now();
		const { result: runs, rounds } = await withPollerRounds(
			async () =>
				await Promise.all(
					Array.from({ length: executions }, async (_, index) =>
						await runKlingItems({
							parameters: {
								resource: 'video',
								operation: 'textToVideo',
								model: models[index % models.length],
								prompt: `clip ${index}`,
								downloadResults: false,
								waitOptions: { concurrency: 50, timeoutMinutes: 5 },
								timing: benchTiming(scale),
							},
							credentials: credentials(emulator),
							network: networkFor(emulator),
							items: 1,
						}),
					),
				),
		);
		clearInterval(peak);
		const wall = Date.now() - started;
		const failed = runs.filter((run) => run.error('Kling'));
		const reads = emulator.requests.filter((request) => request.method === 'GET').length;
		const delays = detectionDelays(emulator, taskMs * scale).map((ms) => ms / scale / 1000);
		await emulator.stop();
		const most = Math.max(0, ...rounds);
		const ok = failed.length === 0 && rounds.length > 0 && most <= limit;
		report(`${number++}. ${executions} executions of one video task each (${taskMs / 1000} s, ×${scale}), ${label}: ${failed.length} failed${failed.length ? ` (${failed[0].error('Kling')?.message})` : ''}; up to ${peakWaiting} tasks waiting at once on one shared poller, ${rounds.length} rounds, at most ${most} status requests per round (${what}) ${ok ? 'PASS' : 'FAIL'}; ${(reads / executions).toFixed(2)} status requests per task; end noticed after worst ${Math.max(...delays).toFixed(2)} s, mean ${(delays.reduce((sum, delay) => sum + delay, 0) / delays.length).toFixed(2)} s; wall ${(wall / 1000).toFixed(1)} s`);
	}
	const left = pollerStats();
	report(`   after the last execution: ${left.length} poller${left.length === 1 ? '' : 's'} left ${left.length === 0 ? 'PASS' : 'FAIL'}`);
}

function memory() {
	const size = Number(process.env.KLING_BENCH_DOWNLOAD_BYTES ?? 1024 * MiB);
	const child = (mode: string) => {
		const output = spawnSync(process.execPath, ['--expose-gc', join(__dirname, 'downloadChild.js'), mode, String(size)], {
			encoding: 'utf8',
			maxBuffer: 16 * MiB,
		});
		const line = output.stdout.trim().split('\n').pop() ?? '{}';
		try {
			return JSON.parse(line) as { stored: number; peakGrowthBytes: number; seconds: number; error?: string };
		} catch {
			throw new Error(`download child (${mode}) failed: ${output.stderr.slice(-2000)}`);
		}
	};
	const streamed = child('streamed');
	const buffered = child('buffered');
	const gib = (size / 1024 / MiB).toFixed(2);
	report(`3. ${gib} GiB result into filesystem binary mode: streamed peak RSS growth ${(streamed.peakGrowthBytes / MiB).toFixed(1)} MiB (target ≤ 64) ${streamed.peakGrowthBytes <= 64 * MiB && streamed.stored === size ? 'PASS' : 'FAIL'} in ${streamed.seconds.toFixed(1)} s; buffered ${(buffered.peakGrowthBytes / MiB).toFixed(1)} MiB in ${buffered.seconds.toFixed(1)} s → buffered / streamed = ${(buffered.peakGrowthBytes / Math.max(1, streamed.peakGrowthBytes)).toFixed(1)}×${streamed.error ? ` (streamed error: ${streamed.error})` : ''}${buffered.error ? ` (buffered error: ${buffered.error})` : ''}`);
}

async function cpuPerItem() {
	const emulator = await emulatorProcess({ submittedMs: 0, processingMs: 0 });
	const items = 1000;
	const cpuBefore = process.cpuUsage();
	const started = Date.now();
	const result = await runKlingItems({
		parameters: { resource: 'image', operation: 'generate', prompt: '={{ "p" + $json.index }}', waitOptions: { concurrency: 20 }, timing: benchTiming(0.001) },
		credentials: customCredentials(emulator),
		items,
	});
	const cpu = process.cpuUsage(cpuBefore);
	const wall = Date.now() - started;
	if (result.error('Kling')) throw new Error(result.error('Kling')?.message);
	const stats = await emulator.stats();
	const requests = stats.requests + stats.fileRequests;
	emulator.child.disconnect();
	const perItemMs = (cpu.user + cpu.system) / 1000 / items;
	report(`4. ${items} items against a zero-latency emulator (in its own process): ${perItemMs.toFixed(2)} ms CPU per item in the n8n process (node + engine, ${(requests / items).toFixed(1)} HTTP requests per item), wall ${(wall / 1000).toFixed(1)} s = ${(wall / items).toFixed(2)} ms per item`);
}

async function main() {
	const only = process.argv.slice(2).filter((argument) => argument !== '--');
	const wanted = (name: string) => only.length === 0 || only.includes(name);
	console.log('Kling node benchmark (against the local emulator)');
	if (wanted('parallel')) await parallelItems();
	if (wanted('detection')) await detection();
	if (wanted('inflight')) await inFlight();
	if (wanted('shared')) await sharedPoller();
	if (wanted('memory')) memory();
	if (wanted('cpu')) await cpuPerItem();
	// An ES module: TypeScript's CommonJS output would turn a plain import() into require().
	const importModule = new Function('path', 'return import(path)') as (path: string) => Promise<unknown>;
	const { writeResultsSection } = (await importModule(join(__dirname, '..', '..', 'bench', 'results.mjs'))) as {
		writeResultsSection: (name: string, markdown: string) => string;
	};
	if (results.length) {
		const file = writeResultsSection('node', ['## The node against the emulator', '', ...results.map((line) => `- ${line}`)].join('\n'));
		console.log(`results written to ${file}`);
	}
	// Park mode needs a real n8n: bench/park.mjs starts one and writes its own section.
	const park = wanted('park') ? spawnSync(process.execPath, [join(__dirname, '..', '..', 'bench', 'park.mjs')], { stdio: 'inherit' }).status : 0;
	process.exit(results.some((line) => line.includes('FAIL')) || park !== 0 ? 1 : 0);
}

void main();
