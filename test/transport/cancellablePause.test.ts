/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: node:test, node:assert and timers run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { INode } from 'n8n-workflow';

import { isCancellation } from '../../nodes/Kling/transport/errors';
import { backoffDelay, pause, throwIfCancelled } from '../../nodes/Kling/transport/cancellablePause';

const node: INode = { id: 'n', name: 'Kling', type: 'n8n-nodes-kling.kling', typeVersion: 1, position: [0, 0], parameters: {} };
const contextWith = (signal: AbortSignal | undefined) => ({ getNode: () => node, getExecutionCancelSignal: () => signal });

describe('pause', () => {
	test('sleeps its time when nothing cancels it, with or without a signal', async () => {
		for (const signal of [undefined, new AbortController().signal]) {
			const started = Date.now();
			await pause(contextWith(signal), 40);
			assert.ok(Date.now() - started >= 35, 'slept');
		}
	});

	test('an execution already cancelled throws at once, as a cancellation', async () => {
		const controller = new AbortController();
		controller.abort();
		assert.throws(() => throwIfCancelled(contextWith(controller.signal)), (error) => isCancellation(error));
		const started = Date.now();
		await assert.rejects(pause(contextWith(controller.signal), 60_000), (error) => isCancellation(error));
		assert.ok(Date.now() - started < 1000);
	});

	test('a cancel during a long pause ends it at once, and the listener is removed', async () => {
		const controller = new AbortController();
		let listeners = 0;
		const add = controller.signal.addEventListener.bind(controller.signal);
		const remove = controller.signal.removeEventListener.bind(controller.signal);
		controller.signal.addEventListener = ((...args: Parameters<typeof add>) => (listeners++, add(...args))) as typeof add;
		controller.signal.removeEventListener = ((...args: Parameters<typeof remove>) => (listeners--, remove(...args))) as typeof remove;
		const started = Date.now();
		const paused = pause(contextWith(controller.signal), 60_000);
		setTimeout(() => controller.abort(), 20);
		await assert.rejects(paused, (error: Error) => isCancellation(error) && /cancelled/.test(error.message));
		assert.ok(Date.now() - started < 1000, `ended after ${Date.now() - started} ms`);
		assert.equal(listeners, 0, 'no listener left on the execution signal');
	});

	test('a pause that ends normally leaves no listener behind', async () => {
		const controller = new AbortController();
		let listeners = 0;
		const add = controller.signal.addEventListener.bind(controller.signal);
		const remove = controller.signal.removeEventListener.bind(controller.signal);
		controller.signal.addEventListener = ((...args: Parameters<typeof add>) => (listeners++, add(...args))) as typeof add;
		controller.signal.removeEventListener = ((...args: Parameters<typeof remove>) => (listeners--, remove(...args))) as typeof remove;
		await pause(contextWith(controller.signal), 5);
		assert.equal(listeners, 0);
	});
});

describe('backoffDelay', () => {
	test('full jitter between base and min(max, base·2^attempt)', () => {
		for (let attempt = 0; attempt < 8; attempt++) {
			for (let i = 0; i < 50; i++) {
				const delay = backoffDelay(attempt, 100, 1000);
				assert.ok(delay >= 100 && delay <= Math.min(1000, 100 * 2 ** attempt), `attempt ${attempt}: ${delay}`);
			}
		}
	});

	test('a Retry-After is honoured, clamped to base and max', () => {
		assert.equal(backoffDelay(0, 100, 10_000, 3), 3000);
		assert.equal(backoffDelay(5, 100, 10_000, 0), 100, 'never shorter than base');
		assert.equal(backoffDelay(0, 100, 10_000, 60), 10_000, 'never longer than max');
	});

	test('a Retry-After that is not a finite number ≥ 0 falls back to the jitter', () => {
		for (const retryAfter of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
			const delay = backoffDelay(0, 100, 10_000, retryAfter);
			assert.equal(delay, 100, `attempt 0 jitter is exactly base for ${retryAfter}`);
		}
	});
});
