/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
/**
 * Every number a user can set by expression is parsed and range-checked before anything is sent:
 * "15 min" as a Timeout used to poll without end, "ten" as Concurrency crashed the node.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { runItems } from '../../nodes/Kling/task/itemResults';

import type { KlingEmulator } from '../support/emulator/kling-emulator';
import { credentialsFor, networkFor, startEmulator } from '../support/fixtures';
import { runKling } from '../support/harness/n8n';

let emulator: KlingEmulator;
before(async () => (emulator = await startEmulator()));
after(async () => await emulator.stop());
beforeEach(() => emulator.reset());

const generate = (waitOptions: IDataObject) => ({ resource: 'image', operation: 'generate', prompt: 'a kite', waitOptions });
const run = (parameters: IDataObject, extra: { items?: Array<{ json: IDataObject }>; continueOnFail?: boolean } = {}) =>
	runKling({ parameters, ...extra, credentials: credentialsFor('singapore', emulator), network: networkFor(emulator) });

const CASES: Array<[string, IDataObject, RegExp]> = [
	['Timeout "15 min"', generate({ timeoutMinutes: '={{ "15 min" }}', pollIntervalSeconds: 0.05 }), /"Timeout \(Minutes\)" must be a number \(from 0 to 43200\), got "15 min"/],
	['negative Timeout', generate({ timeoutMinutes: '={{ -1 }}' }), /"Timeout \(Minutes\)" is -1; it must be from 0 to 43200/],
	['Poll Interval "fast"', generate({ pollIntervalSeconds: '={{ "fast" }}' }), /"Poll Interval \(Seconds\)" must be a number/],
	['Concurrency "ten"', generate({ concurrency: '={{ "ten" }}' }), /"Concurrency" must be a whole number \(from 1 to 50\), got "ten"/],
	['Concurrency 2.5', generate({ concurrency: '={{ 2.5 }}' }), /"Concurrency" must be a whole number, got 2\.5/],
	['Concurrency 0', generate({ concurrency: '={{ 0 }}' }), /"Concurrency" is 0; it must be from 1 to 50/],
	['Max File Size "big"', generate({ maxDownloadMb: '={{ "big" }}' }), /"Max File Size \(MB\)" must be a number/],
	['Task › List Page Size "all"', { resource: 'task', operation: 'list', pageSize: '={{ "all" }}' }, /"Page Size" must be a whole number \(from 1 to 500\), got "all"/],
	['Task › List Max Tasks "many"', { resource: 'task', operation: 'list', pages: 'all', maxTasks: '={{ "many" }}' }, /"Max Tasks" must be a whole number/],
	['Element › List Page Number 0', { resource: 'element', operation: 'list', pageNumber: '={{ 0 }}' }, /"Page Number" is 0; it must be from 1 to 1000/],
	['Task › Get Timeout "soon"', { resource: 'task', operation: 'get', taskId: '123', waitForCompletion: true, waitOptions: { timeoutMinutes: '={{ "soon" }}' } }, /"Timeout \(Minutes\)" must be a number/],
];

describe('numbers set by expression are checked before anything is sent, naming the field', () => {
	for (const [label, parameters, message] of CASES) {
		test(label, async () => {
			const result = await run(parameters);
			const error = result.error('Kling');
			assert.ok(error, 'the node failed');
			assert.match(error.message, message);
			assert.match(String(error.description), /Nothing was sent to Kling\./);
			assert.equal(emulator.requests.length, 0, 'no submit, no status read');
		});
	}

	test('with Continue On Fail, the item with a bad Timeout becomes an error row that keeps its pairedItem', async () => {
		const result = await run(generate({ timeoutMinutes: '={{ $json.timeout }}', pollIntervalSeconds: 0.05 }), {
			items: [{ json: { timeout: 1 } }, { json: { timeout: '15 min' } }],
			continueOnFail: true,
		});
		assert.equal(result.error('Kling'), undefined);
		assert.equal(result.kling.length, 2);
		assert.equal(result.kling[0].json.task_status, 'succeed');
		assert.match(String(result.kling[1].json.error), /"Timeout \(Minutes\)" must be a number/);
		assert.deepEqual(result.kling[1].pairedItem, { item: 1 });
		assert.equal(emulator.submits().length, 1, 'only the good item was submitted');
	});
});

describe('the item pool', () => {
	for (const concurrency of [NaN, 0, 2.5]) {
		test(`a Concurrency of ${concurrency} is refused, naming the field, before any item runs`, async () => {
			let ran = 0;
			const fake = {
				getNode: () => ({ id: 'n', name: 'Kling', type: 'kling', typeVersion: 1, position: [0, 0], parameters: {} }),
				getInputData: () => [{ json: {} }, { json: {} }],
				continueOnFail: () => false,
			} as unknown as IExecuteFunctions;
			await assert.rejects(
				runItems.call(fake, concurrency, async (itemIndex) => {
					ran++;
					return { json: {}, pairedItem: { item: itemIndex } };
				}),
				/"Concurrency"/,
			);
			assert.equal(ran, 0);
		});
	}
});
