// `npm run test:mutations`: proves that the tests can fail. Each named mutation breaks one
// safety rule of the README's "Reliability" section in the built code (.test-build/nodes), the
// tests that guard the rule run against it, and the mutation must be "killed" (a test fails).
// A surviving mutation, a mutation whose target text is gone, or a failing baseline fails the run.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BUILT = join('.test-build', 'nodes', 'Kling', 'shared');
const TESTS = join('.test-build', 'test');
const MONEY = join(TESTS, 'faults', 'moneySafety.test.js');
const FAULTS = join(TESTS, 'faults', 'faultSuite.test.js');
const SLOTS = join(TESTS, 'shared', 'slotsAndPolling.test.js');
const DOWNLOAD = join(TESTS, 'shared', 'download.test.js');
const IMAGE_GENERATE = join(TESTS, 'operations', 'image', 'generate.test.js');
const ENDPOINTS = join(TESTS, 'workflows', 'endpoints.workflow.test.js');
const PARK = join(TESTS, 'park', 'park.workflow.test.js');
const TIMEOUT_MS = 240_000;

/** rule: the README rule it breaks; file: built module; find → replace: the exact change; tests: what must kill it. */
export const MUTATIONS = [
	{
		name: 'resend-without-lookup',
		rule: 'after an ambiguous submit the task is looked up before any resend',
		file: 'submit.js',
		find: 'const found = await lookUpAfterAmbiguousSubmit.call(this, request);',
		replace: "const found = { kind: 'absent' };",
		tests: [MONEY],
	},
	{
		name: 'adopt-without-id-match',
		rule: 'a task is ours only if Kling returns our exact external_task_id on it',
		file: 'lookup.js',
		find: '(0, exports.externalIdOf)(task) === externalTaskId',
		replace: 'true',
		tests: [MONEY],
	},
	{
		name: 'unknown-taken-for-absent',
		rule: 'an answer that proves nothing is "unknown", never "absent": nothing is resent',
		file: 'lookup.js',
		find: "return { kind: 'unknown', reason: error.message };",
		replace: "return { kind: 'absent' };",
		tests: [MONEY],
	},
	{
		name: 'any-1201-taken-for-absent',
		rule: 'only Kling’s documented "Task not found" counts as absent',
		file: 'lookup.js',
		find: "/task not found/i.test(String(klingMessage ?? ''))",
		replace: 'true',
		tests: [MONEY],
	},
	{
		name: 'user-id-adopted',
		rule: 'a user-set External Task ID that already has a task fails the item; only derived ids adopt',
		file: 'submit.js',
		find: "            if (request.idOrigin === 'user')\n                throw alreadyExistsError(this, request, before.task);",
		replace: '',
		tests: [MONEY],
	},
	{
		name: 'shared-user-ids-allowed',
		rule: 'the same External Task ID on two items of one run is rejected before any request',
		file: 'items.js',
		find: 'itemsById.set(id, [...(itemsById.get(id) ?? []), itemIndex]);',
		replace: 'void itemsById;',
		tests: [MONEY],
	},
	{
		name: 'foreign-task-delivered',
		rule: 'never deliver a task that does not carry our ids',
		file: 'deliver.js',
		find: 'assertOwnTask(this, task, ids, itemIndex);',
		replace: 'void assertOwnTask;',
		tests: [MONEY],
	},
	{
		name: 'ambiguous-5002-resent',
		rule: 'a submit is resent blindly only when Kling says the task was not created (1302/1303/5001)',
		file: 'errorCodes.js',
		find: "5002: code('Kling internal timeout', 'Try again later', 'backoff', false)",
		replace: "5002: code('Kling internal timeout', 'Try again later', 'backoff', true)",
		tests: [MONEY],
	},
	{
		name: 'final-1102-retried',
		rule: 'Kling’s 1100–1102 are final even with HTTP 429',
		file: 'errorCodes.js',
		find: "1102: code('The resource pack is used up or has expired', 'Buy or renew a resource pack in the Kling console', 'final', true)",
		replace: "1102: code('The resource pack is used up or has expired', 'Buy or renew a resource pack in the Kling console', 'backoff', true)",
		tests: [FAULTS],
	},
	{
		name: 'three-sends',
		rule: 'a submit is sent at most twice',
		file: 'constants.js',
		find: 'exports.MAX_SUBMIT_SENDS = 2;',
		replace: 'exports.MAX_SUBMIT_SENDS = 3;',
		tests: [FAULTS],
	},
	{
		name: 'no-derived-external-id',
		rule: 'every submit carries an external_task_id',
		file: 'taskRunner.js',
		find: 'body.external_task_id = derivedExternalTaskId(this, itemIndex);',
		replace: '',
		tests: [FAULTS],
	},
	{
		name: 'reads-not-retried',
		rule: 'reads (polls, lists, costs, lookups) are retried with backoff',
		file: 'request.js',
		find: 'const maxRetries = request.isSubmit ? timing.submitMaxRetries : timing.readMaxRetries;',
		replace: 'const maxRetries = request.isSubmit ? timing.submitMaxRetries : 0;',
		tests: [MONEY],
	},
	{
		name: 'errors-without-task-ids',
		rule: 'every error after a submit names the task ids',
		file: 'errors.js',
		find: 'error.message += suffix;',
		replace: '',
		tests: [FAULTS],
	},
	{
		name: 'continue-on-fail-drops-ids',
		rule: 'continue-on-fail rows keep pairedItem and the ids',
		file: 'items.js',
		find: "for (const key of ['taskId', 'externalTaskId', 'klingCode', 'klingMessage', 'requestId', 'httpStatus']) {",
		replace: 'for (const key of []) {',
		tests: [FAULTS],
	},
	{
		name: 'pause-ignores-abort',
		rule: 'a cancel ends the wait at once',
		file: 'pause.js',
		find: 'const signal = context.getExecutionCancelSignal();',
		replace: 'const signal = undefined;',
		tests: [MONEY],
	},
	{
		name: 'no-size-check',
		rule: 'a body shorter than its Content-Length is never handed on',
		file: 'download.js',
		find: 'if (expectedBytes !== undefined && receivedBytes !== expectedBytes) {',
		replace: 'if (false) {',
		tests: [DOWNLOAD],
	},
	{
		name: 'size-check-on-decoded-body',
		rule: 'the size check holds with Content-Encoding (gzip) and chunked transfer',
		file: 'download.js',
		find: '    const raw = body?.rawHeaders;\n    if (!Array.isArray(raw))\n        return undefined;',
		replace: "    const raw = body?.rawHeaders ?? [];\n    if (false)\n        return undefined;",
		tests: [DOWNLOAD, MONEY],
	},
	{
		name: 'credential-sent-to-file-host',
		rule: 'result files are fetched without the Kling Authorization header',
		file: 'download.js',
		find: 'const response = (await this.helpers.httpRequest({',
		replace: "const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'klingApi', {",
		tests: [FAULTS],
	},
	{
		name: 'lifo-slots',
		rule: 'the slot pool is first come, first served',
		file: 'slots.js',
		find: 'const head = pool.queue[0];\n        const start',
		replace: 'const head = pool.queue[pool.queue.length - 1];\n        const start',
		extra: [['pool.queue.shift();', 'pool.queue.pop();']],
		tests: [SLOTS],
	},
	{
		name: 'unbounded-slot-wait',
		rule: 'the wait for a slot is bounded by the item’s timeout',
		file: 'slots.js',
		find: 'const remainingMs = unbounded ? Infinity : Math.max(0, request.maxWaitMs - (Date.now() - startedAt));',
		replace: 'const remainingMs = 30000;',
		tests: [SLOTS],
	},
	{
		name: 'abort-listener-kept',
		rule: 'slot waiters remove their abort listeners',
		file: 'slots.js',
		find: "request.signal?.removeEventListener('abort', onAbort);",
		replace: '',
		tests: [SLOTS],
	},
	{
		name: 'estimate-halves-per-refusal',
		rule: 'a round of 1303 answers shrinks the estimate to the tasks running here, not towards 1',
		file: 'slots.js',
		find: 'pool.estimate = Math.max(1, pool.running);',
		replace: 'pool.estimate = Math.max(1, Math.floor(Math.min(pool.estimate ?? pool.inUse, pool.inUse) / 2));',
		tests: [SLOTS],
	},
	{
		name: 'refused-retries-blind',
		rule: 'an item refused with 1303 retries only once a task of ours ended or as the one probe after its backoff',
		file: 'slots.js',
		find: 'if (head.refused && !head.refused.armed)\n        return probe;',
		replace: '',
		tests: [SLOTS],
	},
	{
		name: 'held-back-head-never-probes',
		rule: 'an item held back by the estimate alone looks for room after the backoff, so a worker speeds up once others finish',
		file: 'slots.js',
		find: 'if (head.refused || head.probeDue || pool.estimate === undefined || pool.headProbeTimer)',
		replace: 'if (true)',
		tests: [SLOTS],
	},
	{
		name: 'refused-item-overtaken',
		rule: 'an item refused with 1303 re-enters the queue before its slot is granted to anyone: no later item overtakes it with a submit Kling would refuse too',
		file: 'slots.js',
		find: 'holding = false;\n            pool.inUse -= request.slots;\n            probing = await wait',
		replace: 'giveBack();\n            probing = await wait',
		tests: [SLOTS],
	},
	{
		name: 'stale-probe-after-1303',
		rule: 'after a 1303 no item probes on an older backoff: the newest refusal restarts the wait of items held back by the estimate',
		file: 'slots.js',
		find: 'for (const waiter of pool.queue)\n                if (!waiter.refused)\n                    waiter.probeDue = false;\n            stopHeadProbe(pool);',
		replace: '',
		tests: [SLOTS],
	},
	{
		name: 'long-id-rounded-on-send',
		rule: 'an element id beyond 2^53 reaches Kling with every digit',
		file: 'klingJson.js',
		find: 'return (Number.isSafeInteger(value) ? value : new LongInteger(digits));',
		replace: 'return value;',
		tests: [IMAGE_GENERATE],
	},
	{
		name: 'long-id-rounded-on-read',
		rule: 'an element id beyond 2^53 in Kling’s answer keeps every digit',
		file: 'klingJson.js',
		find: 'return JSON.parse(text.replace(',
		replace: 'return JSON.parse(text) ?? JSON.parse(text.replace(',
		tests: [ENDPOINTS],
	},
	{
		name: 'store-failure-retried',
		rule: 'a failure of n8n’s binary store is reported as such at once, not retried as a broken transfer',
		file: 'download.js',
		find: 'if (isStoreFailure(body, error))',
		replace: 'if (false)',
		tests: [DOWNLOAD],
	},
	{
		name: 'park-callback-reads-only-its-task',
		rule: 'park: final callbacks n8n refused (409) while the node was busy are not needed: the first call after parking reads every open task of the run',
		file: 'park.js',
		find: 'const sweep = recheck || !state.swept;',
		replace: 'const sweep = recheck;',
		tests: [PARK],
	},
	{
		name: 'park-no-recheck-call',
		rule: 'park: once the execution is stored as waiting the node calls its own resume URL, so a run whose last callbacks were all refused still resumes',
		file: 'park.js',
		find: 'void recheckAfterParking(this, callbackUrl, secret);',
		replace: '',
		tests: [PARK],
	},
	{
		name: 'park-claim-during-read-dropped',
		rule: 'park: a final callback for a task whose read is in flight makes that task be read once more',
		file: 'park.js',
		find: 'state.again.add(task.taskId);',
		replace: '{}',
		tests: [PARK],
	},
];

function runTests(files) {
	const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], {
		encoding: 'utf8',
		timeout: TIMEOUT_MS,
		maxBuffer: 64 * 1024 * 1024,
	});
	const failed = /^# fail (\d+)/m.exec(result.stdout ?? '');
	return { passed: result.status === 0, timedOut: result.error?.code === 'ETIMEDOUT', failures: failed ? Number(failed[1]) : undefined };
}

function main() {
	const only = process.argv.slice(2);
	const selected = MUTATIONS.filter((mutation) => only.length === 0 || only.includes(mutation.name));
	const started = Date.now();
	const union = [...new Set(selected.flatMap((mutation) => mutation.tests))];
	const baseline = runTests(union);
	if (!baseline.passed) {
		console.error(`baseline: the guarding tests fail without any mutation (${union.join(', ')}); fix them first`);
		process.exit(1);
	}
	console.log(`baseline green (${union.length} test files, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
	const survivors = [];
	for (const mutation of selected) {
		const path = join(BUILT, mutation.file);
		const original = readFileSync(path, 'utf8');
		let mutated = original;
		for (const [find, replace] of [[mutation.find, mutation.replace], ...(mutation.extra ?? [])]) {
			const count = mutated.split(find).length - 1;
			if (count !== 1) {
				console.error(`${mutation.name}: the text to mutate occurs ${count} times in ${mutation.file} — update the mutation`);
				process.exit(1);
			}
			mutated = mutated.replace(find, replace);
		}
		const began = Date.now();
		writeFileSync(path, mutated);
		let outcome;
		try {
			outcome = runTests(mutation.tests);
		} finally {
			writeFileSync(path, original);
		}
		const seconds = ((Date.now() - began) / 1000).toFixed(0);
		const killed = !outcome.passed;
		const how = outcome.timedOut ? 'timed out' : `${outcome.failures ?? '?'} failing tests`;
		console.log(`${killed ? 'killed  ' : 'SURVIVED'} ${mutation.name} — ${mutation.rule} (${how}, ${seconds} s)`);
		if (!killed) survivors.push(mutation.name);
	}
	console.log(`${selected.length - survivors.length}/${selected.length} mutations killed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	if (survivors.length) {
		console.error(`surviving mutations: ${survivors.join(', ')}`);
		process.exit(1);
	}
}

main();
