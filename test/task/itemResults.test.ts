/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: node:test, node:assert and timers run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

import { cancelledError, klingApiError, withTaskContext } from '../../nodes/Kling/transport/errors';
import { failureItem, rejectSharedExternalIds, runItems } from '../../nodes/Kling/task/itemResults';

const node: INode = { id: 'n', name: 'Kling', type: 'n8n-nodes-kling.kling', typeVersion: 1, position: [0, 0], parameters: {} };
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function contextOf(count: number, continueOnFail: boolean): IExecuteFunctions {
	return {
		getNode: () => node,
		continueOnFail: () => continueOnFail,
		getInputData: () => Array.from({ length: count }, (_, index) => ({ json: { index } })),
	} as unknown as IExecuteFunctions;
}

const done = (itemIndex: number, taskId?: string): INodeExecutionData => ({ json: { itemIndex, ...(taskId ? { task_id: taskId } : {}) }, pairedItem: { item: itemIndex } });

describe('failureItem', () => {
	test('an error row keeps the item, the message, the description and the task ids, never anything else of the context', () => {
		const error = withTaskContext(klingApiError(node, { httpStatus: 400, klingCode: 1201, klingMessage: 'bad duration', requestId: 'r-1' }, 2), {
			taskId: 't-1',
			externalTaskId: 'e-1',
		});
		const row = failureItem(error, 2);
		assert.deepEqual(row.pairedItem, { item: 2 });
		assert.equal(row.json.error, error.message);
		assert.equal(row.json.taskId, 't-1');
		assert.equal(row.json.externalTaskId, 'e-1');
		assert.equal(row.json.klingCode, 1201);
		assert.equal(row.json.klingMessage, 'bad duration');
		assert.equal(row.json.requestId, 'r-1');
		assert.equal(row.json.httpStatus, 400);
		assert.match(String(row.json.description), /request_id: r-1/);
		assert.deepEqual(failureItem(new Error('plain'), 0), { json: { error: 'plain' }, pairedItem: { item: 0 } });
	});
});

describe('runItems', () => {
	test('results in input order with at most Concurrency items at once', async () => {
		let running = 0;
		let peak = 0;
		const [rows] = await runItems.call(contextOf(6, false), 2, async (itemIndex) => {
			running++;
			peak = Math.max(peak, running);
			await tick(10 - itemIndex);
			running--;
			return done(itemIndex);
		});
		assert.deepEqual(rows.map((row) => row.json.itemIndex), [0, 1, 2, 3, 4, 5]);
		assert.equal(peak, 2);
	});

	test('a Concurrency that is not a whole number ≥ 1 is refused before any item runs', async () => {
		for (const concurrency of [0, Number.NaN, 1.5]) {
			let ran = 0;
			await assert.rejects(runItems.call(contextOf(2, false), concurrency, async (itemIndex) => (ran++, done(itemIndex))), /"Concurrency"/);
			assert.equal(ran, 0);
		}
	});

	test('Continue On Fail: a failing item becomes an error row with its pairedItem; the others deliver', async () => {
		const [rows] = await runItems.call(contextOf(3, true), 3, async (itemIndex) => {
			if (itemIndex === 1) throw withTaskContext(new Error('Kling said no'), { taskId: 't-1' });
			return done(itemIndex, `t-${itemIndex}`);
		});
		assert.deepEqual(rows[1], { json: { error: 'Kling said no [task_id t-1]', taskId: 't-1' }, pairedItem: { item: 1 } });
		assert.equal(rows[0].json.task_id, 't-0');
		assert.equal(rows[2].json.task_id, 't-2');
	});

	test('a cancellation is never turned into an error row', async () => {
		await assert.rejects(
			runItems.call(contextOf(1, true), 1, async () => {
				throw cancelledError(node);
			}),
			/The execution was cancelled/,
		);
	});

	test('without Continue On Fail the first failure stops the node and names the tasks other items finished', async () => {
		const error = await runItems
			.call(contextOf(3, false), 3, async (itemIndex) => {
				if (itemIndex === 2) {
					await tick(15);
					throw new Error('item 2 failed');
				}
				return done(itemIndex, `t-${itemIndex}`);
			})
			.then(
				() => assert.fail('should fail'),
				(failure: Error & { description?: string }) => failure,
			);
		assert.equal(error.message, 'item 2 failed');
		assert.equal(error.constructor.name, 'NodeOperationError');
		assert.match(String(error.description), /Tasks that other items of this run finished: t-0, t-1/);
	});

	test('items rejected before running: they fail alone with Continue On Fail, else the node fails before anything runs', async () => {
		const rejected = new Map([[1, new Error('rejected early')]]);
		let ran: number[] = [];
		const [rows] = await runItems.call(contextOf(3, true), 2, async (itemIndex) => (ran.push(itemIndex), done(itemIndex)), rejected);
		assert.deepEqual(rows[1], { json: { error: 'rejected early' }, pairedItem: { item: 1 } });
		assert.deepEqual(ran.sort(), [0, 2]);
		ran = [];
		await assert.rejects(runItems.call(contextOf(3, false), 2, async (itemIndex) => (ran.push(itemIndex), done(itemIndex)), rejected), /rejected early/);
		assert.deepEqual(ran, [], 'nothing was run');
	});
});

describe('rejectSharedExternalIds', () => {
	test('every item sharing an External Task ID is rejected, naming the items; unique and empty ids pass', () => {
		const ids = ['a', 'b', 'a', '', undefined, 'a', 'c'];
		const rejected = rejectSharedExternalIds(contextOf(ids.length, false), (itemIndex) => ids[itemIndex]);
		assert.deepEqual([...rejected.keys()], [0, 2, 5]);
		const error = rejected.get(2) as Error & { description?: string; context?: { itemIndex?: number } };
		assert.match(error.message, /^Invalid input: External Task ID "a" is set on items 0, 2, 5 of this run$/);
		assert.match(String(error.description), /Make it unique per item.*Nothing was sent\./);
		assert.equal(error.context?.itemIndex, 2);
		assert.equal(rejectSharedExternalIds(contextOf(2, false), (itemIndex) => `id-${itemIndex}`).size, 0);
	});
});
