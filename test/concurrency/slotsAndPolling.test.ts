/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: node:test, node:assert and timers run outside n8n */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import type { SlotLease } from '../../nodes/Kling/concurrency/taskSlots';
import { acquireSlots, slotUsage } from '../../nodes/Kling/concurrency/taskSlots';
import { autoPollDelayMs } from '../../nodes/Kling/task/waitForTask';
import type { KlingEmulator } from '../support/emulator/kling-emulator';
import { credentialsFor, networkFor, startEmulator } from '../support/fixtures';
import { runKling } from '../support/harness/n8n';

/** Status requests an automatically polled task gets, and how late its end is noticed. */
function simulatePolling(taskPath: string, endMs: number) {
	let now = 0;
	let requests = 0;
	for (;;) {
		now += autoPollDelayMs(taskPath, now);
		requests++;
		if (now >= endMs) return { requests, detectionDelayMs: now - endMs };
	}
}

describe('automatic polling schedule', () => {
	test('a 10-minute video: at most 30 status requests, noticed within max(2 s, 10 % of its run time)', () => {
		const { requests, detectionDelayMs } = simulatePolling('/v1/videos/text2video', 600_000);
		assert.ok(requests <= 30, `${requests} requests`);
		assert.ok(detectionDelayMs <= Math.max(2_000, 60_000), `${detectionDelayMs} ms late`);
	});

	test('for any end between 1 and 20 minutes the delay stays within 10 % of the run time', () => {
		for (let endMs = 60_000; endMs <= 1_200_000; endMs += 7_000) {
			const { requests, detectionDelayMs } = simulatePolling('/v1/videos/image2video', endMs);
			assert.ok(detectionDelayMs <= Math.max(2_000, endMs * 0.1), `end ${endMs}: ${detectionDelayMs} ms late`);
			assert.ok(requests <= 40, `end ${endMs}: ${requests} requests`);
		}
	});

	test('elements, voices and AI multi-shot (/v1/general/*) are checked after 3 s, not on the video schedule', () => {
		for (const path of ['/v1/general/advanced-custom-elements', '/v1/general/custom-voices', '/v1/general/ai-multi-shot']) {
			assert.equal(autoPollDelayMs(path, 0), 3_000, path);
			assert.ok(simulatePolling(path, 5_000).detectionDelayMs <= 1_000, path);
		}
	});

	test('an image is checked after 2 s and then about every second at first', () => {
		assert.equal(autoPollDelayMs('/v1/images/generations', 0), 2_000);
		assert.equal(autoPollDelayMs('/v1/images/generations', 2_000), 1_000);
		const { detectionDelayMs } = simulatePolling('/v1/images/generations', 15_000);
		assert.ok(detectionDelayMs <= 2_000, `${detectionDelayMs} ms late`);
	});
});

const slotRequest = (pool: string, slots: number, limit: number, extra: Partial<Parameters<typeof acquireSlots>[0]> = {}) => ({
	pool,
	slots,
	limit,
	maxWaitMs: 5_000,
	cancelled: () => new Error('cancelled'),
	timedOut: (waited: number) => new Error(`no slot after ${waited} ms`),
	...extra,
});

const delay = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

describe('task slots shared per account', () => {
	test('a pool hands out at most its limit, counts image tasks by n, and lets a too-big task run alone', async () => {
		const account = `test-${Math.random()}`;
		const first = await acquireSlots(slotRequest(account, 3, 4));
		let secondGranted = false;
		const second = acquireSlots(slotRequest(account, 2, 4)).then((lease) => {
			secondGranted = true;
			return lease;
		});
		await new Promise((resolve) => setImmediate(resolve));
		assert.equal(secondGranted, false, '3 + 2 > 4 waits');
		assert.deepEqual(slotUsage(account), { inUse: 3, running: 0, waiting: 1, estimate: undefined });
		first.release();
		(await second).release();
		const huge = await acquireSlots(slotRequest(account, 9, 4));
		assert.deepEqual(slotUsage(account), { inUse: 9, running: 0, waiting: 0, estimate: undefined });
		huge.release();
	});

	test('a cancelled execution stops waiting for a slot, and leaves no listener behind', async () => {
		const account = `test-${Math.random()}`;
		const holder = await acquireSlots(slotRequest(account, 1, 1));
		const controller = new AbortController();
		let listeners = 0;
		const signal = controller.signal;
		const add = signal.addEventListener.bind(signal);
		const remove = signal.removeEventListener.bind(signal);
		signal.addEventListener = ((...args: Parameters<typeof add>) => (listeners++, add(...args))) as typeof add;
		signal.removeEventListener = ((...args: Parameters<typeof remove>) => (listeners--, remove(...args))) as typeof remove;
		const granted = acquireSlots(slotRequest(account, 1, 1, { signal }));
		holder.release();
		(await granted).release();
		assert.equal(listeners, 0, 'a granted waiter removed its abort listener');
		const holder2 = await acquireSlots(slotRequest(account, 1, 1));
		const waiting = acquireSlots(slotRequest(account, 1, 1, { signal, cancelled: () => new Error('cancelled while waiting') }));
		controller.abort();
		await assert.rejects(waiting, /cancelled while waiting/);
		assert.equal(listeners, 0, 'a cancelled waiter removed its abort listener');
		holder2.release();
	});

	test('first come, first served: a small pool’s waiter is not overtaken by a larger pool’s later waiters', { timeout: 5_000 }, async () => {
		const account = `test-${Math.random()}`;
		const order: string[] = [];
		const running = await Promise.all(Array.from({ length: 10 }, () => acquireSlots(slotRequest(account, 1, 10))));
		// An execution at concurrency 2 queues first, then one at concurrency 10 queues many more.
		const small = acquireSlots(slotRequest(account, 1, 2)).then((lease) => (order.push('small'), lease));
		const large = Array.from({ length: 5 }, (_, index) =>
			acquireSlots(slotRequest(account, 1, 10)).then((lease) => (order.push(`large${index}`), lease)),
		);
		// Slots free up one by one; the concurrency-2 waiter is at the head and must go first once it fits.
		for (const lease of running) {
			lease.release();
			await new Promise((resolve) => setImmediate(resolve));
		}
		assert.equal(order[0], 'small', `order: ${order.join(', ')}`);
		(await small).release();
		for (const pending of large) (await pending).release();
	});

	test('an unbounded wait (park mode with timeout 0) waits for its turn', { timeout: 5_000 }, async () => {
		const account = `test-${Math.random()}`;
		const holder = await acquireSlots(slotRequest(account, 1, 1));
		const waiting = acquireSlots(slotRequest(account, 1, 1, { maxWaitMs: Number.POSITIVE_INFINITY }));
		await delay(50);
		assert.equal(slotUsage(account).waiting, 1);
		holder.release();
		(await waiting).release();
	});

	test('the wait for a slot is bounded by the item’s timeout', { timeout: 5_000 }, async () => {
		const account = `test-${Math.random()}`;
		const holder = await acquireSlots(slotRequest(account, 1, 1));
		const started = Date.now();
		await assert.rejects(acquireSlots(slotRequest(account, 1, 1, { maxWaitMs: 50 })), /no slot after \d+ ms/);
		assert.ok(Date.now() - started < 1_000);
		assert.deepEqual(slotUsage(account).waiting, 0);
		holder.release();
	});
});

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** One single-slot item queued in a pool of Concurrency `limit`; `grantedAt` stays undefined while it waits. */
function queued(account: string, limit = 10) {
	const item: { grantedAt?: number; lease: Promise<SlotLease> } = {
		lease: acquireSlots(slotRequest(account, 1, limit)).then((lease) => ((item.grantedAt = Date.now()), lease)),
	};
	return item;
}

/** `count` single-slot leases granted at once in a pool of Concurrency 10. */
const granted = async (account: string, count: number) =>
	await Promise.all(Array.from({ length: count }, () => acquireSlots(slotRequest(account, 1, 10))));

describe('a full account (1303) shared with processes this one cannot see', () => {
	test('several refusals in one round shrink the estimate to the tasks running here, not towards 1', { timeout: 5_000 }, async () => {
		const account = `test-${Math.random()}`;
		const leases = await granted(account, 10);
		for (const lease of leases.slice(0, 6)) lease.accepted();
		// Kling refuses the other four: another process holds the rest of the account.
		const refused = leases.slice(6).map((lease) => lease.waitAfterAccountFull(5_000));
		await tick();
		assert.deepEqual(slotUsage(account), { inUse: 6, running: 6, waiting: 4, estimate: 6 });
		for (const lease of leases.slice(0, 6)) lease.release();
		await Promise.all(refused);
		for (const lease of leases.slice(6)) lease.release();
	});

	test('a refused item gives its slot back and tries again as soon as a task of ours ends', { timeout: 5_000 }, async () => {
		const account = `test-${Math.random()}`;
		const [mine, refusedLease] = await granted(account, 2);
		mine.accepted();
		let retried = false;
		const retry = refusedLease.waitAfterAccountFull(5_000).then(() => (retried = true));
		// A new item queued after the refusal must not overtake it.
		const later = queued(account);
		await tick();
		assert.equal(retried, false, 'no retry before a slot can have freed');
		assert.equal(slotUsage(account).inUse, 1, 'the refused item holds no slot while it waits');
		const releasedAt = Date.now();
		mine.release();
		await retry;
		assert.ok(Date.now() - releasedAt < 500, 'retried at once when our task ended');
		assert.equal(later.grantedAt, undefined, 'the later item waits behind it');
		refusedLease.accepted();
		refusedLease.release();
		(await later.lease).release();
	});

	test('with nothing of ours running, the first refused item probes after its backoff; an accepted probe lets the next probe at once', { timeout: 5_000 }, async () => {
		const account = `test-${Math.random()}`;
		const leases = await granted(account, 3);
		const startedAt = Date.now();
		const retries = leases.map((lease) => lease.waitAfterAccountFull(150).then(() => Date.now() - startedAt));
		const first = await retries[0];
		assert.ok(first >= 140, `probed after ${first} ms`);
		let secondAt: number | undefined;
		void retries[1].then((at) => (secondAt = at));
		await delay(50);
		assert.equal(secondAt, undefined, 'only the first in line probes while its probe is in flight');
		leases[0].accepted();
		const second = await retries[1];
		assert.ok(second - first < 100 + 50, `next probe ${second - first} ms after the first`);
		leases[1].accepted();
		await retries[2];
		for (const lease of leases) lease.release();
	});

	test('an item held back by the estimate alone, never refused, probes after the last 1303’s backoff (the other worker may be done)', { timeout: 5_000 }, async () => {
		const account = `test-${Math.random()}`;
		const [a, b, c] = await granted(account, 3);
		a.accepted();
		b.accepted();
		const cRetry = c.waitAfterAccountFull(80);
		const d = queued(account);
		a.release();
		await cRetry;
		c.accepted();
		const acceptedAt = Date.now();
		assert.equal(Math.floor(slotUsage(account).estimate ?? 0), 2, 'the estimate holds the next item back');
		const e = queued(account);
		await Promise.race([d.lease, delay(1_000)]);
		assert.ok(d.grantedAt !== undefined, 'no probe within 1 s although nothing was refused since');
		const dLease = await d.lease;
		assert.ok(d.grantedAt - acceptedAt >= 60, `probed ${d.grantedAt - acceptedAt} ms after the accept, not before the backoff`);
		await delay(200);
		assert.equal(e.grantedAt, undefined, 'one probe in flight at a time');
		dLease.accepted();
		const eLease = await e.lease;
		for (const lease of [b, c, dLease, eLease]) lease.release();
		assert.deepEqual(slotUsage(account), { inUse: 0, running: 0, waiting: 0, estimate: undefined });
	});

	test('with nothing of ours running, the item after a refused one does not submit at once: it waits behind it', { timeout: 5_000 }, async () => {
		const account = `test-${Math.random()}`;
		const a = await acquireSlots(slotRequest(account, 1, 1));
		const b = queued(account, 1);
		const aRetry = a.waitAfterAccountFull(100);
		await delay(10);
		assert.equal(b.grantedAt, undefined, 'a submit right after a 1303 would be refused just the same, and it would overtake');
		await aRetry;
		a.release();
		(await b.lease).release();
	});

	test('a probe that came due during another probe is not due once Kling refuses that one: nobody submits at once, nobody overtakes', { timeout: 5_000 }, async () => {
		const account = `test-${Math.random()}`;
		const [a, b, c] = await granted(account, 3);
		a.accepted();
		b.accepted();
		// c is refused (estimate 2) and probes after 50 ms; d waits behind it, held back by the estimate.
		await c.waitAfterAccountFull(50);
		const d = queued(account);
		// d's probe timer fires while c's probe is unanswered.
		await delay(120);
		assert.equal(d.grantedAt, undefined, 'one probe at a time');
		const cAgain = c.waitAfterAccountFull(50);
		await delay(10);
		assert.equal(d.grantedAt, undefined, 'd neither probes right after c’s 1303 nor goes before c');
		a.release();
		await cAgain;
		for (const lease of [b, c, await d.lease]) lease.release();
	});

	test('a newer 1303 restarts the backoff of an item held back by the estimate', { timeout: 5_000 }, async () => {
		const account = `test-${Math.random()}`;
		const [a, b, p, q] = await granted(account, 4);
		a.accepted();
		b.accepted();
		await q.waitAfterAccountFull(200);
		q.accepted();
		// a, b and q run, p is still submitting: h is held back by the estimate (3) and probes after 200 ms.
		const h = queued(account);
		await delay(100);
		const refusedAt = Date.now();
		const pRetry = p.waitAfterAccountFull(200);
		await delay(10);
		// A task of ours ends: p retries at once (not a probe); h is held back again.
		a.release();
		await pRetry;
		await Promise.race([h.lease, delay(400)]);
		assert.ok(h.grantedAt === undefined || h.grantedAt - refusedAt >= 190, `h probed ${h.grantedAt! - refusedAt} ms after a 1303 whose backoff was 200 ms`);
		for (const lease of [b, p, q, await h.lease]) lease.release();
	});

	test('an accepted submit proves its running count fits and grows the estimate again', { timeout: 5_000 }, async () => {
		const account = `test-${Math.random()}`;
		const [a, b, c] = await granted(account, 3);
		a.accepted();
		const bRetry = b.waitAfterAccountFull(10);
		const cRetry = c.waitAfterAccountFull(10);
		await tick();
		assert.equal(slotUsage(account).estimate, 1);
		await bRetry;
		b.accepted();
		assert.equal(slotUsage(account).estimate, 2, 'two running tasks fit');
		await cRetry;
		c.accepted();
		assert.equal(slotUsage(account).estimate, 3);
		c.release();
		assert.equal(slotUsage(account).estimate, 3);
		// Once nothing of this process runs or waits, what was learnt is forgotten.
		a.release();
		b.release();
		assert.deepEqual(slotUsage(account), { inUse: 0, running: 0, waiting: 0, estimate: undefined });
	});

	test('a task handed off to run on unwatched (park mode) frees no slot at Kling: refused items keep waiting', { timeout: 5_000 }, async () => {
		const account = `test-${Math.random()}`;
		const [parked, refused] = await granted(account, 2);
		parked.accepted();
		let retried = false;
		const retry = refused.waitAfterAccountFull(300).then(() => (retried = true));
		parked.handOff();
		await tick();
		assert.equal(retried, false, 'the parked task still runs at Kling');
		assert.deepEqual(slotUsage(account), { inUse: 0, running: 0, waiting: 1, estimate: 1 });
		await retry;
		refused.release();
	});

	test('a cancelled item stops waiting after a refusal and holds nothing', { timeout: 5_000 }, async () => {
		const account = `test-${Math.random()}`;
		const controller = new AbortController();
		const lease = await acquireSlots(slotRequest(account, 1, 10, { signal: controller.signal, cancelled: () => new Error('cancelled after 1303') }));
		const waiting = lease.waitAfterAccountFull(5_000);
		controller.abort();
		await assert.rejects(waiting, /cancelled after 1303/);
		lease.release();
		assert.deepEqual(slotUsage(account), { inUse: 0, running: 0, waiting: 0, estimate: undefined });
	});

	test('an item without a wait budget (timeout 0: park mode waits indefinitely) still tries again after a refusal', { timeout: 5_000 }, async () => {
		const account = `test-${Math.random()}`;
		const lease = await acquireSlots(slotRequest(account, 1, 10, { maxWaitMs: 0 }));
		const startedAt = Date.now();
		await lease.waitAfterAccountFull(50);
		assert.ok(Date.now() - startedAt >= 40, 'it waited for its backoff');
		assert.equal(slotUsage(account).inUse, 1, 'and holds its slot again');
		lease.release();
	});

	test('a timeout longer than a timer can hold (about 24.8 days) does not end the wait after a refusal at once', { timeout: 5_000 }, async () => {
		const account = `test-${Math.random()}`;
		const lease = await acquireSlots(slotRequest(account, 1, 10, { maxWaitMs: 30 * 24 * 3_600_000 }));
		let outcome = 'waiting';
		const retry = lease.waitAfterAccountFull(200).then(
			() => (outcome = 'retried'),
			(error: Error) => (outcome = error.message),
		);
		await delay(50);
		assert.equal(outcome, 'waiting');
		await retry;
		assert.equal(outcome, 'retried');
		lease.release();
	});
});

describe('parallel items under Kling’s task limit', () => {
	let emulator: KlingEmulator;
	before(async () => (emulator = await startEmulator({ submittedMs: 20, processingMs: 60 })));
	after(async () => await emulator.stop());
	beforeEach(() => emulator.reset());

	function maxRunningSlots(): number {
		const events = emulator.createdTasks().flatMap((task) => [
			{ at: task.createdAt, delta: task.slots },
			{ at: task.createdAt + emulator.submittedMs + emulator.processingMs, delta: -task.slots },
		]);
		events.sort((a, b) => a.at - b.at || a.delta - b.delta);
		let running = 0;
		let peak = 0;
		for (const event of events) peak = Math.max(peak, (running += event.delta));
		return peak;
	}

	const generate = (n: number, concurrency: number, items: number) =>
		runKling({
			parameters: {
				resource: 'image',
				operation: 'generate',
				prompt: '={{ "picture " + $json.index }}',
				options: { n },
				downloadResults: false,
				waitOptions: { pollIntervalSeconds: 0.02, concurrency },
			},
			credentials: credentialsFor('singapore', emulator),
			network: networkFor(emulator),
			items: Array.from({ length: items }, (_, index) => ({ json: { index } })),
		});

	test('two executions on the same account share one pool: Kling never sees more running tasks than the limit', async () => {
		emulator.concurrencyLimit = 4;
		const [a, b] = await Promise.all([generate(1, 4, 8), generate(1, 4, 8)]);
		assert.equal(a.error('Kling'), undefined);
		assert.equal(b.error('Kling'), undefined);
		assert.equal(emulator.createdTasks().length, 16);
		assert.ok(maxRunningSlots() <= 4, `peak ${maxRunningSlots()}`);
		assert.equal(emulator.submits().length, 16, 'no 1303 was needed');
		assert.deepEqual(a.kling.map((item) => item.pairedItem), Array.from({ length: 8 }, (_, item) => ({ item })));
	});

	test('image tasks take n slots', async () => {
		emulator.concurrencyLimit = 6;
		const result = await generate(3, 6, 6);
		assert.equal(result.error('Kling'), undefined);
		assert.ok(maxRunningSlots() <= 6, `peak ${maxRunningSlots()}`);
		assert.equal(emulator.submits().length, 6, 'no 1303 was needed');
	});

	test('when other clients fill the account, 1303 makes a submit wait for a free slot instead of failing', async () => {
		emulator.concurrencyLimit = 2;
		const result = await generate(1, 5, 5);
		assert.equal(result.error('Kling'), undefined);
		assert.equal(emulator.createdTasks().length, 5);
		assert.ok(emulator.submits().length > 5, 'some submits were answered 1303 and sent again');
		assert.ok(maxRunningSlots() <= 2);
	});
});
