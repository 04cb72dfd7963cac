// `npm run bench` (after the node benchmark) or `node bench/park.mjs`: park mode in a real n8n
// (`n8n start`) against the Kling emulator in this process.
//  1. detection: how long after a task ends its execution has finished — park mode (Kling's callback)
//     next to polling mode (the automatic schedule), five 60-second video tasks each, at the same time
//  2. memory: RSS of the n8n process idle, with 50 executions parked, and with 50 executions polling
// Ports: test/support/parkPorts.mjs (the same as e2e:park; run them one at a time), and the inspector 5764.
import '../test/support/parkPorts.mjs';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { CREDENTIAL, ensureRuntime, N8N_PORT, NODE24, prepareState, restartN8n, sleep, startEmulatorHere, startN8n, stopN8n } from '../test/support/realN8n.mjs';
import { N8nRest } from '../test/support/n8nRest.mjs';
import { writeResultsSection } from './results.mjs';

const rest = new N8nRest(`http://127.0.0.1:${N8N_PORT}`);
const results = [];
const report = (line) => {
	results.push(line);
	console.log(line);
};
const MiB = 1024 * 1024;

let nodeNumber = 0;
const nodeId = () => `0bec0000-0000-4000-8000-${String(++nodeNumber).padStart(12, '0')}`;
const workflow = (id, path, klingParameters) => ({
	id,
	name: `bench: ${path}`,
	nodes: [
		{ id: nodeId(), name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `bench-${path}`, parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} } },
		{ id: nodeId(), name: 'Kling', type: 'CUSTOM.kling', typeVersion: 1, position: [200, 0], credentials: { klingApi: CREDENTIAL },
			parameters: { resource: 'video', operation: 'textToVideo', model: 'kling-v2-6', mode: 'std', duration: '5', prompt: '={{ $json.body.prompt }}', ...klingParameters } },
		{ id: nodeId(), name: 'After', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [400, 0], parameters: {} },
	],
	connections: { Webhook: { main: [[{ node: 'Kling', type: 'main', index: 0 }]] }, Kling: { main: [[{ node: 'After', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
	active: false,
	pinData: {},
});
const WORKFLOWS = {
	park: workflow('benchParkVideo01', 'bench-park', { waitMode: 'park', waitOptions: { timeoutMinutes: 30 } }),
	poll: workflow('benchPollVideo01', 'bench-poll', { waitOptions: { timeoutMinutes: 30, concurrency: 50 } }),
};

const waitForStatus = (workflowId, count, statuses, timeoutMs) => rest.waitForExecutions(workflowId, count, statuses, timeoutMs);
const trigger = (path, prompt) => rest.postWebhook(path, { prompt });

function rssOf(pid) {
	const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmRSS:'));
	return Number(line.replace(/\D+/g, '')) * 1024;
}

/** The median of samples taken over a few seconds: n8n's RSS moves with its timers and GC. */
async function settledRss(pid, samples = 20, everyMs = 500) {
	const values = [];
	for (let index = 0; index < samples; index++) {
		values.push(rssOf(pid));
		await sleep(everyMs);
	}
	return values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

async function detection(emulator) {
	const renderMs = 60_000;
	emulator.submittedMs = 5_000;
	emulator.processingMs = renderMs - 5_000;
	const tasks = 5;
	// Two seconds apart, so each callback is measured rather than a queue of them in one n8n.
	for (let index = 0; index < tasks; index++) {
		await trigger('bench-park', `park ${index}`);
		await trigger('bench-poll', `poll ${index}`);
		await sleep(2_000);
	}
	/** Per execution: task end → the Kling node's output (its run's end), and → the execution's end. */
	const measure = async (workflowId) => {
		const done = await waitForStatus(workflowId, tasks, ['success', 'error'], renderMs + 120_000);
		const delays = [];
		for (const execution of done) {
			const detail = await rest.execution(execution.id);
			const { resultData } = detail.data;
			const run = resultData.runData.Kling.at(-1);
			const taskId = run.data.main[0][0].json.task_id;
			const end = emulator.tasks.get(taskId).createdAt + emulator.submittedMs + emulator.processingMs;
			// Park mode: the read by its own route after Kling's callback. Polling: the first status answer that
			// said it ended (the family's list page the poller reads, which also lists the parked tasks).
			const noticed =
				workflowId === WORKFLOWS.park.id
					? (emulator.requests.find((request) => request.method === 'GET' && request.klingPath.endsWith(`/${taskId}`) && request.at >= end)?.at ?? Infinity)
					: (emulator.tasks.get(taskId).reportedDoneAt ?? Infinity);
			delays.push({ noticed: noticed - end, node: run.startTime + run.executionTime - end, execution: Date.parse(detail.stoppedAt) - end });
		}
		return delays;
	};
	const [park, poll] = await Promise.all([measure(WORKFLOWS.park.id), measure(WORKFLOWS.poll.id)]);
	// Reads by a task's own route, plus (polling) the family's list pages: park mode reads no list.
	const family = '/v1/videos/text2video';
	const reads = (marker) =>
		emulator.requests.filter((request) => request.method === 'GET' && emulator.createdTasks().some((task) => String(task.body.prompt).startsWith(marker) && request.klingPath.endsWith(`/${task.task_id}`))).length +
		(marker === 'poll' ? emulator.requests.filter((request) => request.method === 'GET' && request.klingPath === family).length : 0);
	const worst = (delays, key) => Math.max(...delays.map((delay) => delay[key])) / 1000;
	const mean = (delays, key) => delays.reduce((sum, delay) => sum + delay[key], 0) / delays.length / 1000;
	const worstPark = worst(park, 'noticed');
	const line = (delays) =>
		`the read that proves the end worst ${worst(delays, 'noticed').toFixed(2)} s (mean ${mean(delays, 'noticed').toFixed(2)} s), Kling node output worst ${worst(delays, 'node').toFixed(2)} s (mean ${mean(delays, 'node').toFixed(2)} s), execution finished worst ${worst(delays, 'execution').toFixed(2)} s`;
	report(`1. completion noticed after the task ends (${tasks} × 60 s video tasks per mode, 2 s apart, real n8n with SQLite): park mode — ${line(park)}; target ≤ 1 s ${worstPark <= 1 ? 'PASS' : 'FAIL'}; ${reads('park') / tasks} status read per task. Polling mode (automatic schedule) — ${line(poll)}; ${(reads('poll') / tasks).toFixed(1)} status reads per task`);
}

const INSPECTOR_PORT = 5764;
/**
 * A full garbage collection in the n8n process, through its inspector (Node 24 has a WebSocket
 * client): RSS right after it is what the process holds, not garbage V8 has not collected yet.
 */
function collectGarbage() {
	const script = `
		const [target] = await (await fetch('http://127.0.0.1:${INSPECTOR_PORT}/json/list')).json();
		const socket = new WebSocket(target.webSocketDebuggerUrl);
		socket.onopen = () => socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
		socket.onmessage = (event) => { if (JSON.parse(event.data).id === 1) { socket.close(); process.exit(0); } };
		setTimeout(() => process.exit(2), 20000);`;
	const result = spawnSync(NODE24, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NODE_OPTIONS: '' } });
	if (result.status !== 0) throw new Error(`could not trigger a GC in n8n: ${result.stderr}`);
}

async function rssAfterGc(pid) {
	collectGarbage();
	await sleep(2_000);
	collectGarbage();
	return await settledRss(pid, 6, 500);
}

/** A fresh n8n for the memory figures: the detection run leaves garbage that GC frees at random moments. */
async function memory(emulator, restart) {
	const parked = 50;
	const pid = await restart();
	// Warm up the code paths both modes use, then measure with nothing running.
	emulator.submittedMs = 500;
	emulator.processingMs = 1_500;
	await trigger('bench-park', 'warm-up park');
	await trigger('bench-poll', 'warm-up poll');
	await waitForStatus(WORKFLOWS.park.id, tasksBefore.park + 1, ['success'], 60_000);
	await waitForStatus(WORKFLOWS.poll.id, tasksBefore.poll + 1, ['success'], 60_000);
	// Long renders: nothing ends while memory is measured.
	emulator.submittedMs = 5_000;
	emulator.processingMs = 600_000;
	await sleep(5_000);
	const idle = { sampled: await settledRss(pid), collected: await rssAfterGc(pid) };
	for (let index = 0; index < parked; index++) await trigger('bench-park', `memory park ${index}`);
	await waitForStatus(WORKFLOWS.park.id, parked, ['waiting'], 120_000);
	// Once stored as waiting, each parked run calls its own resume URL once to read its task (a final
	// callback refused while it was busy is not repeated): measured after those calls, as idle is.
	const rechecked = await rechecksDone(emulator, 'memory park', parked, 90_000);
	await sleep(5_000);
	const withParked = { sampled: await settledRss(pid), collected: await rssAfterGc(pid) };
	for (let index = 0; index < parked; index++) await trigger('bench-poll', `memory poll ${index}`);
	await waitForStatus(WORKFLOWS.poll.id, parked, ['running'], 120_000);
	await sleep(5_000);
	const withPolling = { sampled: await settledRss(pid), collected: await rssAfterGc(pid) };
	const ratio = withParked.collected / idle.collected;
	const mib = (bytes) => `${(bytes / MiB).toFixed(0)} MiB`;
	report(`2. n8n process RSS after a full GC (fresh process): idle ${mib(idle.collected)}; with ${parked} executions parked ${mib(withParked.collected)} = ${ratio.toFixed(3)} × idle (target ≤ 1.10) ${ratio <= 1.1 ? 'PASS' : 'FAIL'} (measured once ${rechecked} of ${parked} runs had re-checked their task through their resume URL, as Kling's callbacks would call them; each call n8n serves for a waiting execution runs in its expression isolate, which keeps memory); with ${parked} more executions polling ${mib(withPolling.collected)} (${withPolling.collected >= withParked.collected ? '+' : ''}${mib(withPolling.collected - withParked.collected)}). Sampled without forcing a GC (median of 20 over 10 s): ${mib(idle.sampled)} / ${mib(withParked.sampled)} / ${mib(withPolling.sampled)}`);
}

/** Waits (bounded) until every task whose prompt starts with `marker` has been read by its own route (the run's re-check); how many were. */
async function rechecksDone(emulator, marker, count, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const tasks = emulator.createdTasks().filter((task) => String(task.body.prompt).startsWith(marker));
		const read = tasks.filter((task) => emulator.requests.some((request) => request.method === 'GET' && request.klingPath.endsWith(`/${task.task_id}`)));
		if ((tasks.length >= count && read.length >= count) || Date.now() > deadline) return read.length;
		await sleep(500);
	}
}

/** Executions each workflow already has (the detection runs), so later waits count only new ones. */
const tasksBefore = { park: 0, poll: 0 };

async function main() {
	const started = Date.now();
	ensureRuntime();
	const emulator = await startEmulatorHere({ videoBytes: 256 * 1024 });
	let n8nProcess;
	try {
		prepareState({ extraWorkflows: Object.values(WORKFLOWS) });
		n8nProcess = await startN8n({ detached: true });
		await rest.login();
		for (const flow of Object.values(WORKFLOWS)) {
			const activated = await rest.publish(flow.id);
			if (!activated?.activeVersionId && !activated?.active) throw new Error(`workflow ${flow.id} was not activated`);
		}
		console.log('Park mode benchmark (real n8n, emulator in this process)');
		await detection(emulator);
		tasksBefore.park = (await rest.executions(WORKFLOWS.park.id)).length;
		tasksBefore.poll = (await rest.executions(WORKFLOWS.poll.id)).length;
		await memory(emulator, async () => {
			// The inspector lets the benchmark ask for a full GC before each reading.
			process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --inspect=127.0.0.1:${INSPECTOR_PORT}`.trim();
			n8nProcess = await restartN8n(n8nProcess);
			await rest.login();
			return n8nProcess.pid;
		});
	} catch (error) {
		report(`park benchmark FAIL: ${error.message}`);
	} finally {
		if (n8nProcess?.pid) stopN8n(n8nProcess, 'SIGKILL');
		await emulator.stop();
	}
	const file = writeResultsSection('park', ['## Park mode in a real n8n', '', ...results.map((line) => `- ${line}`), '', `_wall time ${((Date.now() - started) / 1000).toFixed(0)} s_`].join('\n'));
	console.log(`results written to ${file}`);
	process.exit(results.some((line) => line.includes('FAIL')) ? 1 : 0);
}

await main();
