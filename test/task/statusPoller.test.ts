/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: node:test, node:assert and timers run outside n8n */
/**
 * The process poller (poller.ts): one per n8n process and Kling account, shared by every waiting
 * item of every execution; batched rounds on list routes and /tasks; identity by the task's own id;
 * each waiter's own cancel and deadline; schedules that learn from the run times seen.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { POLL_SCHEDULE } from '../../nodes/Kling/kling/constants';
import { firstCheckMs, forgetListRoutes, forgetRunTimes, learnRunTime, pollDelayMs, pollerStats } from '../../nodes/Kling/task/statusPoller';
import type { KlingEmulator } from '../support/emulator/kling-emulator';
import { credentialsFor, networkFor, startEmulator } from '../support/fixtures';
import { runKling } from '../support/harness/n8n';

let emulator: KlingEmulator;
before(async () => (emulator = await startEmulator({ submittedMs: 100, processingMs: 400 })));
after(async () => await emulator.stop());
beforeEach(() => {
	emulator.reset();
	emulator.submittedMs = 100;
	emulator.processingMs = 400;
	forgetRunTimes();
	forgetListRoutes();
});

const delay = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
const FAMILY = '/v1/images/generations';

async function images(count: number, waitOptions: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
	return await runKling({
		parameters: {
			resource: 'image',
			operation: 'generate',
			prompt: '={{ "frame " + $json.index }}',
			downloadResults: false,
			waitOptions: { concurrency: Math.max(count, 10), timeoutMinutes: 0.5, ...waitOptions },
			timing: { pollTimeScale: 0.05 },
		},
		credentials: credentialsFor('singapore', emulator),
		network: networkFor(emulator),
		items: Array.from({ length: count }, (_, index) => ({ json: { index } })),
		...extra,
	});
}

async function videos(count: number, waitOptions: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
	return await runKling({
		parameters: {
			resource: 'video',
			operation: 'textToVideo',
			prompt: '={{ "clip " + $json.index }}',
			downloadResults: false,
			waitOptions: { concurrency: 10, pollIntervalSeconds: 0.2, timeoutMinutes: 0.5, ...waitOptions },
		},
		credentials: credentialsFor('beijing', emulator),
		network: networkFor(emulator),
		items: Array.from({ length: count }, (_, index) => ({ json: { index } })),
		...extra,
	});
}

const listReads = () => emulator.requests.filter((request) => request.method === 'GET' && request.klingPath === FAMILY);
const ownReads = () => emulator.requests.filter((request) => request.method === 'GET' && request.klingPath.startsWith(`${FAMILY}/`));

const VIDEO_FAMILY = '/v1/videos/text2video';

/** Four videos on the automatic schedule (custom host, legacy routes), the submit of clip n held back n × `gapMs`. */
async function staggeredVideos(gapMs: number, timing: Record<string, unknown> = {}) {
	for (const index of [1, 2, 3]) {
		emulator.injectFault({ method: 'POST', path: VIDEO_FAMILY, bodyIncludes: `clip ${index}"`, delayMs: index * gapMs, times: 1 });
	}
	const result = await runKling({
		parameters: {
			resource: 'video',
			operation: 'textToVideo',
			prompt: '={{ "clip " + $json.index }}',
			downloadResults: false,
			waitOptions: { concurrency: 10, timeoutMinutes: 1 },
			...(Object.keys(timing).length ? { timing } : {}),
		},
		credentials: credentialsFor('custom', emulator),
		network: networkFor(emulator),
		items: Array.from({ length: 4 }, (_, index) => ({ json: { index } })),
	});
	assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
}

describe('legacy routes: one list page answers many waiting tasks', () => {
	test('20 items are read through the family list, a few requests per round, each task by its own id', async () => {
		const result = await images(20);
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		const ids = emulator.createdTasks().map((task) => task.task_id).sort();
		assert.deepEqual(result.kling.map((item) => String(item.json.task_id)).sort(), ids);
		assert.ok(listReads().length >= 1, 'the list route was read');
		const statusReads = listReads().length + ownReads().length;
		assert.ok(statusReads / 20 <= 3, `${statusReads} status requests for 20 tasks`);
		for (const read of listReads()) assert.match(read.url, /pageNum=1&pageSize=\d+/);
	});

	test('a waiting task missing from the list page is read by its own route, never taken as gone', async () => {
		// Another tool on the account creates 60 tasks after ours: the first page (newest first) no longer holds them.
		emulator.processingMs = 2_000;
		const run = images(4);
		for (let i = 0; i < 500 && emulator.createdTasks().length < 4; i++) await delay(10);
		for (let i = 0; i < 60; i++) emulator.seedForeignTask('singapore', credentialsFor('singapore', emulator).accessKey as string, FAMILY, { prompt: `other ${i}` });
		const result = await run;
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		assert.equal(result.kling.length, 4);
		for (const task of emulator.createdTasks()) {
			assert.ok(ownReads().some((read) => read.klingPath === `${FAMILY}/${task.task_id}`), `task ${task.task_id} was read by its own route`);
		}
		assert.ok(listReads().length >= 1);
	});

	test('a list answer holding a finished foreign task never delivers it to a waiting item', async () => {
		emulator.processingMs = 900;
		const key = credentialsFor('singapore', emulator).accessKey as string;
		const foreign = emulator.seedForeignTask('singapore', key, FAMILY, { prompt: 'not ours' });
		foreign.createdAt -= 10_000;
		const result = await images(3);
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		const ours = emulator.createdTasks().map((task) => task.task_id).sort();
		assert.deepEqual(result.kling.map((item) => String(item.json.task_id)).sort(), ours);
		assert.ok(!result.kling.some((item) => item.json.task_id === foreign.task_id));
		assert.ok(listReads().length >= 1);
	});

	test('a host without list routes is read task by task, and remembered', async () => {
		emulator.injectFault({ method: 'GET', path: FAMILY, status: 404, code: 1203, message: 'no such endpoint', times: 1 });
		const result = await images(3);
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		assert.equal(listReads().length, 1, 'one list request, then none');
		assert.ok(ownReads().length >= 3);
	});
});

describe('one poller per process and account', () => {
	test('two executions at once share one poller: the new API reads both tasks in the same request', async () => {
		const [first, second] = await Promise.all([videos(1), delay(30).then(async () => await videos(1))]);
		assert.equal(first.error('Kling'), undefined, first.error('Kling')?.message);
		assert.equal(second.error('Kling'), undefined, second.error('Kling')?.message);
		const reads = emulator.requests.filter((request) => request.klingPath === '/tasks' && request.method === 'GET');
		const both = reads.filter((read) => (new URL(read.url, 'http://x').searchParams.get('task_ids') ?? '').split(',').length === 2);
		assert.ok(both.length >= 1, 'at least one read asked for both executions’ tasks');
	});

	test('cancelling one execution never aborts the reads another execution waits for', async () => {
		emulator.processingMs = 600;
		// Both check every second, so the first round reads both tasks in one request, on behalf of the
		// execution that waited first. That read takes 1.5 s, and that execution is cancelled during it.
		emulator.injectFault({ method: 'GET', path: '/tasks', delayMs: 1_500, times: 1 });
		const cancelled = videos(1, { pollIntervalSeconds: 1 }, { cancelAfterMs: 1_900 });
		for (let i = 0; i < 500 && emulator.createdTasks().length < 1; i++) await delay(5);
		const other = videos(1, { pollIntervalSeconds: 1 });
		const [a, b] = await Promise.all([cancelled, other]);
		assert.ok(a.error(), 'the cancelled execution ended with the cancel');
		const reads = emulator.requests.filter((request) => request.klingPath === '/tasks' && request.method === 'GET');
		assert.ok(reads.length >= 1);
		assert.equal(new URL(reads[0].url, 'http://x').searchParams.get('task_ids')?.split(',').length, 2, 'the first read carried both tasks');
		assert.equal(b.error('Kling'), undefined, b.error('Kling')?.message);
		assert.equal(b.kling[0].json.task_status, 'succeed');
	});

	test('the timeout of one waiter never ends another’s wait', async () => {
		emulator.processingMs = 800;
		const [short, long] = await Promise.all([videos(1, { timeoutMinutes: 0.005 }), videos(1)]);
		assert.match(String(short.error('Kling')?.message), /did not finish within/);
		assert.equal(long.error('Kling'), undefined, long.error('Kling')?.message);
		assert.equal(long.kling[0].json.task_status, 'succeed');
	});

	test('the poller stops when nothing waits: no poller left, no request after the last task', async () => {
		const result = await images(3);
		assert.equal(result.error('Kling'), undefined);
		await delay(50);
		assert.deepEqual(pollerStats(), [], 'no poller is left running');
		const before = emulator.requests.length;
		await delay(600);
		assert.equal(emulator.requests.length, before, 'nothing is read once nothing waits');
	});
});

describe('schedules that learn', () => {
	test('the first check follows the run times this process has seen, bounded by the documented curve', () => {
		const video = '/v1/videos/text2video';
		assert.equal(firstCheckMs(video, 'kling-v2-6', 1), POLL_SCHEDULE.video.firstPollMs);
		assert.equal(firstCheckMs(video, 'kling-v2-5-turbo', 1), POLL_SCHEDULE.fastVideo.firstPollMs, 'a Turbo model is checked sooner');
		for (let i = 0; i < 3; i++) learnRunTime(video, 'kling-v2-6', 20_000);
		assert.equal(firstCheckMs(video, 'kling-v2-6', 1), 17_000, 'a little before the fastest run seen');
		learnRunTime(video, 'kling-v2-1', 3_600_000);
		assert.equal(firstCheckMs(video, 'kling-v2-1', 1), POLL_SCHEDULE.video.firstPollMs * 10, 'never later than ten times the prior');
		assert.equal(firstCheckMs(video, 'kling-v3', 1), POLL_SCHEDULE.video.firstPollMs, 'per model');
	});

	test('cheap batched rounds shorten the interval: with many tasks per request the end is noticed within max(2 s, 5 %)', () => {
		const video = '/v1/videos/text2video';
		for (let end = 60_000; end <= 1_200_000; end += 13_000) {
			let now = 0;
			for (;;) {
				now += pollDelayMs(video, 'kling-v2-6', now, 1, 50);
				if (now >= end) break;
			}
			assert.ok(now - end <= Math.max(2_000, 0.05 * end), `end ${end}: ${now - end} ms late`);
		}
		assert.ok(pollDelayMs(video, 'kling-v2-6', 300_000, 1, 20) < pollDelayMs(video, 'kling-v2-6', 300_000, 1, 1));
	});


	test('tasks whose first checks fall close together share one read instead of one each', async () => {
		// This process has seen such videos run 2 s: the first check comes at 1.7 s, then every ~0.7 s (four
		// tasks per list request). Four videos submitted ~150 ms apart run 3 s each.
		const family = VIDEO_FAMILY;
		for (let i = 0; i < 3; i++) learnRunTime(family, 'kling-v3', 2_000);
		emulator.submittedMs = 100;
		emulator.processingMs = 2_900;
		await staggeredVideos(150);
		const created = emulator.createdTasks().sort((a, b) => a.createdAt - b.createdAt);
		assert.equal(created.length, 4);
		assert.equal(created[0].body?.model_name, 'kling-v3', 'the schedule learnt above is this model\'s');
		const firstEnd = created[0].createdAt + emulator.submittedMs + emulator.processingMs;
		const early = emulator.requests.filter((request) => request.method === 'GET' && request.klingPath.startsWith(family) && request.at < firstEnd);
		// One cadence for the four: reads at ~1.7 s and ~2.4 s after the first submit (the old poller: a first read per task, then more).
		assert.ok(early.length <= 3, `${early.length} status reads before the first task could have ended: ${early.map((request) => request.at - created[0].createdAt).join(', ')} ms`);
	});

	test('once one task has ended, the others of its route and model are checked close to their own expected end', async () => {
		// Four videos submitted ~230 ms apart run 5 s each (the schedule ×0.1: first check at 4.5 s).
		emulator.submittedMs = 100;
		emulator.processingMs = 4_900;
		await staggeredVideos(230, { pollTimeScale: 0.1 });
		const family = VIDEO_FAMILY;
		const reads = emulator.requests.filter((request) => request.method === 'GET' && request.klingPath.startsWith(family));
		const delays = emulator
			.createdTasks()
			.sort((a, b) => a.createdAt - b.createdAt)
			.map((task) => {
				const end = task.createdAt + emulator.submittedMs + emulator.processingMs;
				const read = reads.find((request) => request.at >= end && (request.klingPath === family || request.klingPath === `${family}/${task.task_id}`));
				return read ? read.at - end : Infinity;
			});
		assert.equal(delays.length, 4);
		// The first end is found by the curve (reads ~150 ms apart here); the later ones are expected.
		// The median, so that one read delayed by a busy machine does not decide (the old schedule: 124–189 ms each).
		const later = delays.slice(1).sort((a, b) => a - b);
		assert.ok(later[1] <= 100, `ends noticed after ${delays.join(', ')} ms`);
		assert.ok(reads.length <= 40, `${reads.length} status reads`);
	});
});
