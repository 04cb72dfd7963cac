/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: node:test, node:assert and timers run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { mapWithConcurrency, PoolError } from '../../nodes/Kling/concurrency/mapWithConcurrency';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapWithConcurrency', () => {
	test('results keep the input order whatever order the items finish in', async () => {
		const delays = [30, 5, 20, 1, 10];
		const results = await mapWithConcurrency(delays, 3, async (delay, index) => {
			await tick(delay);
			return `${index}:${delay}`;
		});
		assert.deepEqual(results, ['0:30', '1:5', '2:20', '3:1', '4:10']);
	});

	test('at most N items run at once, and N do run at once', async () => {
		for (const limit of [1, 2, 4]) {
			let running = 0;
			let peak = 0;
			await mapWithConcurrency(Array.from({ length: 10 }, (_, i) => i), limit, async () => {
				running++;
				peak = Math.max(peak, running);
				await tick(3);
				running--;
			});
			assert.equal(peak, limit, `limit ${limit}`);
		}
	});

	test('a limit below 1 still runs one lane; a limit above the item count starts no idle lane', async () => {
		const seen: number[] = [];
		assert.deepEqual(await mapWithConcurrency([1, 2, 3], 0, async (item) => (seen.push(item), item * 2)), [2, 4, 6]);
		assert.deepEqual(seen, [1, 2, 3]);
		assert.deepEqual(await mapWithConcurrency([], 5, async () => 1), []);
		assert.deepEqual(await mapWithConcurrency(['a'], 100, async (item) => item), ['a']);
	});

	test('after a failure no new item starts, running ones finish, and the first error comes with what finished', async () => {
		const started: number[] = [];
		const finished: number[] = [];
		const error = await mapWithConcurrency([0, 1, 2, 3, 4, 5], 2, async (item) => {
			started.push(item);
			if (item === 1) {
				await tick(2);
				throw new Error('item 1 failed');
			}
			if (item === 2) throw new Error('item 2 failed too');
			await tick(item === 0 ? 30 : 1);
			finished.push(item);
			return `done ${item}`;
		}).then(
			() => assert.fail('the pool should fail'),
			(failure: unknown) => failure,
		);
		assert.ok(error instanceof PoolError);
		assert.equal(error.message, 'item 1 failed', 'the first failure');
		assert.equal((error.cause as Error).message, 'item 1 failed');
		assert.deepEqual(started, [0, 1], 'nothing new started after the failure');
		assert.deepEqual(finished, [0], 'the running item finished');
		assert.deepEqual(Array.from(error.finished), ['done 0', undefined, undefined, undefined, undefined, undefined]);
	});

	test('a thrown value that is not an Error still fails the pool with its text', async () => {
		await assert.rejects(
			mapWithConcurrency([1], 1, async () => {
				throw 'plain text';
			}),
			(error: unknown) => error instanceof PoolError && error.message === 'plain text' && error.cause === 'plain text',
		);
	});
});
