/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';

import { type KlingEmulator, seededRandom, TEST_KEYS } from '../support/emulator/kling-emulator';
import { credentialsFor, networkFor, startEmulator } from '../support/fixtures';
import { capturedLogLines, runKling } from '../support/harness/n8n';
import { assertEveryTaskReported, assertNoSecrets, assertOneTaskPerItem, assertOwnTasks, CLEAR_ERROR } from './invariants';

const SEED = 20261121;
const RUNS = 20;
const ITEMS_PER_RUN = 50;

let emulator: KlingEmulator;
before(async () => {
	emulator = await startEmulator({ submittedMs: 3, processingMs: 6, imageSidePx: 300 });
});
after(async () => {
	await emulator.stop();
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

for (const uniqueExternalIds of [true, false]) test(`${RUNS * ITEMS_PER_RUN} submit → wait → download cycles under seeded random faults (seed ${SEED}), Kling ${uniqueExternalIds ? 'refusing' : 'accepting'} a taken external_task_id`, { timeout: 600_000 }, async (context) => {
	const random = seededRandom(SEED);
	const outcomes = { succeeded: 0, clearErrors: 0 };
	const faultsSeen = new Set<string>();
	for (let run = 0; run < RUNS; run++) {
		emulator.reset();
		emulator.behaviour.uniqueExternalIds = uniqueExternalIds;
		// Someone else's tasks on the same account, without our ids: never to be taken for ours.
		for (const key of [TEST_KEYS.singapore.accessKey, TEST_KEYS.cometapi.apiKey]) {
			for (const deployment of ['singapore', 'cometapi']) emulator.seedForeignTask(deployment, key, '/v1/images/generations', { prompt: `foreign ${run}`, model_name: 'kling-v3' });
		}
		emulator.submittedMs = 3;
		emulator.processingMs = 6;
		emulator.chaos = {
			random,
			apiRate: 0.12,
			apiFaults: [
				{ method: 'POST', status: 429, code: 1302 },
				{ method: 'POST', status: 429, code: 1303, retryAfterSeconds: 0 },
				{ method: 'POST', status: 503, code: 5001 },
				{ method: 'POST', status: 500, code: 5000 },
				{ method: 'POST', status: 504, code: 5002 },
				{ method: 'POST', status: 502 },
				{ method: 'POST', status: 502, afterCreate: true },
				{ method: 'POST', status: 504, afterCreate: true },
				{ method: 'POST', status: 504, code: 5002, afterCreate: true },
				{ method: 'POST', reset: 'beforeCreate' },
				{ method: 'POST', reset: 'afterCreate' },
				{ method: 'POST', hang: 'afterCreate' },
				{ method: 'POST', malformed: true },
				{ method: 'POST', status: 429, code: 1102 },
				{ method: 'POST', status: 401, code: 1004 },
				{ method: 'GET', status: 500 },
				{ method: 'GET', status: 503, code: 5001 },
				{ method: 'GET', status: 429, code: 1302 },
				{ method: 'GET', reset: 'beforeCreate' },
				{ method: 'GET', hang: 'beforeCreate' },
				{ method: 'GET', malformed: true },
				{ method: 'GET', status: 404, code: 1203 },
			],
			fileRate: 0.1,
			fileFaults: ['truncate', 'reset', 'status500', 'redirect', 'expired', 'gzip', 'gzipTruncated', 'chunked', 'chunkedTruncated', 'crossOriginRedirect'],
		};
		const items = Array.from({ length: ITEMS_PER_RUN }, (_, index) => ({
			json: { prompt: random() < 0.05 ? `scene ${run}-${index} [fail]` : `scene ${run}-${index}` },
		}));
		const result = await runKling({
			parameters: {
				resource: 'image',
				operation: 'generate',
				prompt: '={{ $json.prompt }}',
				waitOptions: { pollIntervalSeconds: 0.01, timeoutMinutes: 0.5, concurrency: 10 },
			},
			timing: { requestTimeoutMs: 150, backoffBaseMs: 1, backoffMaxMs: 5, submitLookupDelaysMs: [5, 10, 20], downloadBackoffBaseMs: 1, downloadBackoffMaxMs: 5 },
			credentials: credentialsFor(run % 2 ? 'singapore' : 'cometapi', emulator),
			network: networkFor(emulator),
			items,
			continueOnFail: true,
		});
		const error = result.error('Kling');
		assert.equal(error, undefined, 'with Continue On Fail the node itself never fails');
		assert.equal(result.kling.length, ITEMS_PER_RUN);
		assertOneTaskPerItem(emulator);
		assertOwnTasks(emulator, result.kling, (itemIndex) => String(items[itemIndex].json.prompt));
		assertEveryTaskReported(emulator, result.kling);
		assertNoSecrets([JSON.stringify(result.kling), ...capturedLogLines]);
		for (const [index, row] of result.kling.entries()) {
			assert.deepEqual(row.pairedItem, { item: index });
			if (row.json.error) {
				const message = String(row.json.error).replace(/ \[(task_id|external_task_id).*\]$/, '');
				assert.match(message, CLEAR_ERROR, `row ${index}: ${JSON.stringify(row.json)}`);
				faultsSeen.add(message.split(':')[0]);
				outcomes.clearErrors++;
				continue;
			}
			const task = emulator.tasks.get(String(row.json.task_id));
			assert.ok(task, `row ${index} names a task the emulator created`);
			const probe = result.probed[index].json.probe as Record<string, { sha256: string }>;
			assert.equal(probe.data.sha256, sha256(task.files[0].bytes), `row ${index} got the whole file`);
			outcomes.succeeded++;
		}
	}
	assert.equal(outcomes.succeeded + outcomes.clearErrors, RUNS * ITEMS_PER_RUN);
	assert.ok(outcomes.succeeded > RUNS * ITEMS_PER_RUN * 0.6, `most cycles survive their faults (${JSON.stringify(outcomes)})`);
	context.diagnostic(`randomized faults: ${JSON.stringify(outcomes)}; error kinds: ${[...faultsSeen].join(' | ')}`);
});
