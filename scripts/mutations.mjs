// `npm run test:mutations`: proves that the tests can fail. Each named mutation breaks one
// safety rule of docs/reliability.md in the built code (.test-build/nodes), the
// tests that guard the rule run against it, and the mutation must be "killed" (a test fails).
// A surviving mutation, a mutation whose target text is gone, or a failing baseline fails the run.
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const BUILT = join('.test-build', 'nodes', 'Kling');
const TESTS = join('.test-build', 'test');
const MONEY = join(TESTS, 'faults', 'moneySafety.test.js');
const FAULTS = join(TESTS, 'faults', 'faultSuite.test.js');
const SLOTS = join(TESTS, 'concurrency', 'slotsAndPolling.test.js');
const DOWNLOAD = join(TESTS, 'task', 'download.test.js');
const IMAGE_GENERATE = join(TESTS, 'operations', 'image', 'generate.test.js');
const ENDPOINTS = join(TESTS, 'workflows', 'endpoints.workflow.test.js');
const TASK_GET = join(TESTS, 'operations', 'task', 'get.test.js');
const SYNC_CALLS = join(TESTS, 'task', 'syncCall.test.js');
const REQUEST_HOST = join(TESTS, 'transport', 'requestHost.test.js');
const NUMBERS = join(TESTS, 'input', 'numbers.test.js');
const PARK = join(TESTS, 'park', 'park.workflow.test.js');
const COST = join(TESTS, 'task', 'cost.test.js');
const MODEL_MENUS = join(TESTS, 'operations', 'video', 'modelMenus.test.js');
const ERROR_LOG = join(TESTS, 'operations', 'video', 'errorLog.test.js');
const POLLER = join(TESTS, 'task', 'statusPoller.test.js');
const BAD_INPUT = join(TESTS, 'input', 'badInput.test.js');
const URL_CHECK = join(TESTS, 'input', 'urlCheck.test.js');
const GENERATION4 = join(TESTS, 'workflows', 'generation4.workflow.test.js');
const BODY_EXTRAS = join(TESTS, 'task', 'additionalBodyFields.test.js');
const TIMEOUT_MS = 240_000;

/** rule: the docs/reliability.md rule it breaks; file: built module; find → replace: the exact change; tests: what must kill it. */
export const MUTATIONS = [
	{
		name: 'resend-without-lookup',
		rule: 'after an ambiguous submit the task is looked up before any resend',
		file: 'task/submit.js',
		find: 'const found = await lookUpAfterAmbiguousSubmit.call(this, request);',
		replace: "const found = { kind: 'absent' };",
		tests: [MONEY],
	},
	{
		name: 'adopt-without-id-match',
		rule: 'a task is ours only if Kling returns our exact external_task_id on it',
		file: 'task/lookupByExternalId.js',
		find: 'const ours = candidates.filter((task) => task?.task_id && (0, exports.externalIdOf)(task) === externalTaskId);',
		replace: 'const ours = candidates.filter((task) => task?.task_id && true);',
		tests: [MONEY],
	},
	{
		name: 'unknown-taken-for-absent',
		rule: 'an answer that proves nothing is "unknown", never "absent": nothing is resent',
		file: 'task/lookupByExternalId.js',
		find: "return { kind: 'unknown', reason: error.message };",
		replace: "return { kind: 'absent' };",
		tests: [MONEY],
	},
	{
		name: 'any-1201-taken-for-absent',
		rule: 'only Kling’s documented "Task not found" counts as absent',
		file: 'task/lookupByExternalId.js',
		find: "/task not found/i.test(String(klingMessage ?? ''))",
		replace: 'true',
		tests: [MONEY],
	},
	{
		name: 'user-id-adopted',
		rule: 'a user-set External Task ID that already has a task fails the item; only derived ids adopt',
		file: 'task/submit.js',
		find: "            if (request.idOrigin === 'user')\n                throw alreadyExistsError(this, request, before.task);",
		replace: '',
		tests: [MONEY],
	},
	{
		name: 'shared-user-ids-allowed',
		rule: 'the same External Task ID on two items of one run is rejected before any request',
		file: 'task/itemResults.js',
		find: 'itemsById.set(id, [...(itemsById.get(id) ?? []), itemIndex]);',
		replace: 'void itemsById;',
		tests: [MONEY],
	},
	{
		name: 'foreign-task-delivered',
		rule: 'never deliver a task that does not carry our ids',
		file: 'task/deliver.js',
		find: 'assertOwnTask(this, task, ids, itemIndex);',
		replace: 'void assertOwnTask;',
		// The status read checks the id it asked for too (taskRead.js): both lines of defence go.
		alsoIn: [{ file: 'task/taskRead.js', find: 'if (String(task?.task_id) !== taskId) {', replace: 'if (false) {' }],
		tests: [MONEY],
	},
	{
		name: 'ambiguous-5002-resent',
		rule: 'a submit is resent blindly only when Kling says the task was not created (1302/1303/5001)',
		file: 'transport/errorCodes.js',
		find: "5002: code('Kling internal timeout', 'Try again later', 'backoff', false)",
		replace: "5002: code('Kling internal timeout', 'Try again later', 'backoff', true)",
		tests: [MONEY],
	},
	{
		name: 'final-1102-retried',
		rule: 'Kling’s 1100–1102 are final even with HTTP 429',
		file: 'transport/errorCodes.js',
		find: "Account › Get Package Ledger shows what is left', 'final', true),",
		replace: "Account › Get Package Ledger shows what is left', 'backoff', true),",
		tests: [FAULTS],
	},
	{
		name: 'three-sends',
		rule: 'a submit is sent at most twice',
		file: 'kling/constants.js',
		find: 'exports.MAX_SUBMIT_SENDS = 2;',
		replace: 'exports.MAX_SUBMIT_SENDS = 3;',
		tests: [FAULTS],
	},
	{
		name: 'no-derived-external-id',
		rule: 'every submit carries an external_task_id',
		file: 'task/runTaskOperation.js',
		find: 'body.external_task_id = derived.id;',
		replace: '',
		tests: [FAULTS],
	},
	{
		name: 'reads-not-retried',
		rule: 'reads (polls, lists, costs, lookups) are retried with backoff',
		file: 'transport/request.js',
		find: 'const maxRetries = request.isSubmit ? timing.submitMaxRetries : timing.readMaxRetries;',
		replace: 'const maxRetries = request.isSubmit ? timing.submitMaxRetries : 0;',
		tests: [MONEY],
	},
	{
		name: 'errors-without-task-ids',
		rule: 'every error after a submit names the task ids',
		file: 'transport/errors.js',
		find: 'error.message += suffix;',
		replace: '',
		tests: [FAULTS],
	},
	{
		name: 'continue-on-fail-drops-ids',
		rule: 'continue-on-fail rows keep pairedItem and the ids',
		file: 'task/itemResults.js',
		find: "for (const key of ['taskId', 'externalTaskId', 'klingCode', 'klingMessage', 'requestId', 'httpStatus']) {",
		replace: 'for (const key of []) {',
		tests: [FAULTS],
	},
	{
		name: 'pause-ignores-abort',
		rule: 'a cancel ends the wait at once',
		file: 'transport/cancellablePause.js',
		find: 'const signal = context.getExecutionCancelSignal();',
		replace: 'const signal = undefined;',
		// Polling waits in the shared poller, which listens to each waiter's own cancel signal.
		alsoIn: [{ file: 'task/statusPoller.js', find: "signal.addEventListener('abort', onAbort, { once: true });", replace: 'void onAbort;' }],
		tests: [MONEY],
	},
	{
		name: 'no-size-check',
		rule: 'a body shorter than its Content-Length is never handed on',
		file: 'task/downloadResults.js',
		find: 'if (expectedBytes !== undefined && receivedBytes !== expectedBytes) {',
		replace: 'if (false) {',
		tests: [DOWNLOAD],
	},
	{
		name: 'size-check-on-decoded-body',
		rule: 'the size check holds with Content-Encoding (gzip) and chunked transfer',
		file: 'task/downloadResults.js',
		find: '    const raw = body?.rawHeaders;\n    if (!Array.isArray(raw))\n        return undefined;',
		replace: "    const raw = body?.rawHeaders ?? [];\n    if (false)\n        return undefined;",
		tests: [DOWNLOAD, MONEY],
	},
	{
		name: 'credential-sent-to-file-host',
		rule: 'result files are fetched without the Kling Authorization header',
		file: 'transport/fileFetch.js',
		find: 'const response = (await context.helpers.httpRequest({',
		replace: "const response = (await context.helpers.httpRequestWithAuthentication.call(context, 'klingApi', {",
		tests: [FAULTS],
	},
	{
		name: 'lifo-slots',
		rule: 'the slot pool is first come, first served',
		file: 'concurrency/taskSlots.js',
		find: 'const head = pool.queue[0];\n        const start',
		replace: 'const head = pool.queue[pool.queue.length - 1];\n        const start',
		extra: [['pool.queue.shift();', 'pool.queue.pop();']],
		tests: [SLOTS],
	},
	{
		name: 'unbounded-slot-wait',
		rule: 'the wait for a slot is bounded by the item’s timeout',
		file: 'concurrency/taskSlots.js',
		find: 'const remainingMs = unbounded ? Infinity : Math.max(0, request.maxWaitMs - (Date.now() - startedAt));',
		replace: 'const remainingMs = 30000;',
		tests: [SLOTS],
	},
	{
		name: 'abort-listener-kept',
		rule: 'slot waiters remove their abort listeners',
		file: 'concurrency/taskSlots.js',
		find: "request.signal?.removeEventListener('abort', onAbort);",
		replace: '',
		tests: [SLOTS],
	},
	{
		name: 'estimate-halves-per-refusal',
		rule: 'a round of 1303 answers shrinks the estimate to the tasks running here, not towards 1',
		file: 'concurrency/taskSlots.js',
		find: 'pool.estimate = Math.max(1, pool.running);',
		replace: 'pool.estimate = Math.max(1, Math.floor(Math.min(pool.estimate ?? pool.inUse, pool.inUse) / 2));',
		tests: [SLOTS],
	},
	{
		name: 'refused-retries-blind',
		rule: 'an item refused with 1303 retries only once a task of ours ended or as the one probe after its backoff',
		file: 'concurrency/taskSlots.js',
		find: 'if (head.refused && !head.refused.armed)\n        return probe;',
		replace: '',
		tests: [SLOTS],
	},
	{
		name: 'held-back-head-never-probes',
		rule: 'an item held back by the estimate alone looks for room after the backoff, so a worker speeds up once others finish',
		file: 'concurrency/taskSlots.js',
		find: 'if (head.refused || head.probeDue || pool.estimate === undefined || pool.headProbeTimer)',
		replace: 'if (true)',
		tests: [SLOTS],
	},
	{
		name: 'refused-item-overtaken',
		rule: 'an item refused with 1303 re-enters the queue before its slot is granted to anyone: no later item overtakes it with a submit Kling would refuse too',
		file: 'concurrency/taskSlots.js',
		find: 'holding = false;\n            pool.inUse -= request.slots;\n            probing = await wait',
		replace: 'giveBack();\n            probing = await wait',
		tests: [SLOTS],
	},
	{
		name: 'stale-probe-after-1303',
		rule: 'after a 1303 no item probes on an older backoff: the newest refusal restarts the wait of items held back by the estimate',
		file: 'concurrency/taskSlots.js',
		find: 'for (const waiter of pool.queue)\n                if (!waiter.refused)\n                    waiter.probeDue = false;\n            stopHeadProbe(pool);',
		replace: '',
		tests: [SLOTS],
	},
	{
		name: 'long-id-rounded-on-send',
		rule: 'an element id beyond 2^53 reaches Kling with every digit',
		file: 'transport/klingJson.js',
		find: 'return (Number.isSafeInteger(value) ? value : new LongInteger(digits));',
		replace: 'return value;',
		tests: [IMAGE_GENERATE],
	},
	{
		name: 'long-id-rounded-on-read',
		rule: 'an element id beyond 2^53 in Kling’s answer keeps every digit',
		file: 'transport/klingJson.js',
		find: 'return JSON.parse(text.replace(',
		replace: 'return JSON.parse(text) ?? JSON.parse(text.replace(',
		tests: [ENDPOINTS],
	},
	{
		name: 'store-failure-retried',
		rule: 'a failure of n8n’s binary store is reported as such at once, not retried as a broken transfer',
		file: 'task/downloadResults.js',
		find: 'if (isStoreFailure(source, error))',
		replace: 'if (false)',
		tests: [DOWNLOAD],
	},
	{
		name: 'derived-id-shared-by-installations',
		rule: 'a derived external_task_id is unique to the n8n installation: another database replaying the same ids never adopts this task',
		file: 'task/runTaskOperation.js',
		find: 'update(JSON.stringify(Object.values(parts)))',
		replace: "update(JSON.stringify(Object.values({ ...parts, n8n_instance: '' })))",
		tests: [MONEY],
	},
	{
		name: 'derived-id-short-node-id',
		rule: 'a derived external_task_id uses the full node id: two nodes whose ids share a prefix never share a task',
		file: 'task/runTaskOperation.js',
		find: 'update(JSON.stringify(Object.values(parts)))',
		replace: 'update(JSON.stringify(Object.values({ ...parts, node_id: parts.node_id.slice(0, 8) })))',
		tests: [MONEY],
	},
	{
		name: 'task-get-trusts-the-answer',
		rule: 'Task › Get checks the task Kling answers with against the id the user asked for, not one read from the answer',
		file: 'task/taskRead.js',
		find: 'if (String(task?.task_id) !== taskId) {',
		replace: 'if (false) {',
		alsoIn: [{ file: 'resources/task/get.js', find: "lookupBy === 'taskId' ? { taskId: id }", replace: "lookupBy === 'taskId' ? { taskId: task.task_id }" }],
		tests: [TASK_GET],
	},
	{
		name: 'retry-resends-answered-sync-call',
		rule: 'Retry On Fail never pays again for a synchronous call this item already paid for in this execution',
		file: 'task/syncCall.js',
		find: 'const earlier = paidCalls.get(key);',
		replace: "const earlier = paidCalls.get(key)?.outcome === 'unknown' ? paidCalls.get(key) : undefined;",
		tests: [SYNC_CALLS],
	},
	{
		name: 'retry-resends-unknown-sync-call',
		rule: 'Retry On Fail never resends a synchronous call whose outcome is unknown; it fails with advice',
		file: 'task/syncCall.js',
		find: 'const earlier = paidCalls.get(key);',
		replace: "const earlier = paidCalls.get(key)?.outcome === 'answered' ? paidCalls.get(key) : undefined;",
		tests: [SYNC_CALLS],
	},
	{
		name: 'duplicate-waiter-replaced',
		rule: 'two items waiting for the same new-API task are both answered; none waits for ever',
		file: 'task/statusPoller.js',
		find: 'this.waiters.add(waiter);',
		replace: 'for (const other of this.waiters) if (other.taskId === waiter.taskId) this.waiters.delete(other); this.waiters.add(waiter);',
		tests: [TASK_GET],
	},
	{
		name: 'lookups-stop-before-window',
		rule: 'after an ambiguous submit the lookups cover the whole request timeout before a resend',
		file: 'task/submit.js',
		find: 'if (attempt >= delays.length && Date.now() - since >= timing.requestTimeoutMs)',
		replace: 'if (attempt >= delays.length)',
		tests: [MONEY],
	},
	{
		name: 'twin-task-unnamed',
		rule: 'if a resend and a late first submit both made a task, the item names both',
		file: 'task/runTaskOperation.js',
		find: 'const twins = (ids ?? []).filter((id) => id !== deliveredTaskId);',
		replace: 'const twins = [];',
		tests: [MONEY],
	},
	{
		name: 'custom-host-new-refused',
		rule: 'API Standard "New" on a custom host with an API key is sent to the new route on the host’s prefix',
		file: 'task/apiStandardAdapter.js',
		find: "if (provider === 'cometapi' || provider === 'quickrouter') {",
		replace: "if (provider === 'cometapi' || provider === 'quickrouter' || provider === 'custom') {",
		tests: [join(TESTS, 'workflows', 'apiStandards.workflow.test.js')],
	},
	{
		name: 'new-only-claim-for-any-model',
		rule: 'a refused API Standard "New" says why (API key, reseller) and does not call a model new-API-only that is not',
		file: 'task/apiStandardAdapter.js',
		find: "`API Standard is New, but this credential cannot use Kling's new API, ${refusal}",
		replace: "`${label} is only on Kling's new API, ${refusal}",
		tests: [join(TESTS, 'workflows', 'apiStandards.workflow.test.js')],
	},
	{
		name: 'multi-shot-off-omitted',
		rule: 'Multi-Shot off is sent as settings.multi_shot false on the new API (its default there is true)',
		file: 'task/apiStandardAdapter.js',
		find: 'settings.multi_shot = false;',
		replace: ';',
		tests: [join(TESTS, 'workflows', 'apiStandards.workflow.test.js')],
	},
	{
		name: 'multi-shot-false-with-feature-video',
		rule: 'with a feature reference video the new API takes only multi_shot true, so Multi-Shot off leaves it to Kling',
		file: 'task/apiStandardAdapter.js',
		find: '?.multiShot && !featureVideo)',
		replace: '?.multiShot)',
		tests: [join(TESTS, 'operations', 'video', 'omniVideo.test.js')],
	},
	{
		name: 'off-host-request-sent',
		rule: 'every Kling request stays on the credential’s host: an absolute or protocol-relative path is refused before auth is attached',
		file: 'transport/request.js',
		find: 'if (offHost !== undefined)',
		replace: 'if (false)',
		tests: [REQUEST_HOST],
	},
	{
		name: 'task-list-any-route',
		rule: 'Task › List and Task › Get take only a known task type, refused naming "Task Type"',
		file: 'input/taskType.js',
		find: 'if (FAMILY_PATHS.includes(family))',
		replace: 'if (true)',
		tests: [REQUEST_HOST],
	},
	{
		name: 'number-not-parsed',
		rule: 'a number set by expression that is not a number ("15 min") is refused naming the field, before anything is sent',
		file: 'input/numbers.js',
		find: 'if (!Number.isFinite(parsed)) {',
		replace: 'if (false) {',
		tests: [NUMBERS],
	},
	{
		name: 'pool-concurrency-unchecked',
		rule: 'the item pool refuses a Concurrency that is not a whole number from 1 (NaN ran no item and crashed on pairedItem)',
		file: 'task/itemResults.js',
		find: "const limit = (0, numbers_1.checkedNumber)(this.getNode(), concurrency, { label: 'Concurrency', integer: true, min: 1 }, 0);",
		replace: 'const limit = concurrency;',
		tests: [NUMBERS],
	},
	{
		name: 'download-idle-timeout-only',
		rule: 'a download has one total deadline: a host trickling bytes cannot hold the item',
		file: 'task/downloadResults.js',
		find: 'timedOut = true;\n        abort.abort();\n        body?.destroy?.(deadlineError());',
		replace: 'void 0;',
		tests: [DOWNLOAD],
	},
	{
		name: 'download-no-size-cap',
		rule: 'a result file over Max File Size is refused (from its Content-Length, or once the body passes it)',
		file: 'task/downloadResults.js',
		find: 'declared > policy.maxBytes',
		replace: 'false',
		extra: [['if (received > policy.maxBytes)', 'if (false)']],
		tests: [DOWNLOAD],
	},
	{
		name: 'download-private-host-fetched',
		rule: 'result URLs on private, loopback or link-local hosts are refused unless the credential’s host is one',
		file: 'task/downloadResults.js',
		find: 'if (!policy.privateHostsAllowed && (0, fileFetch_1.isPrivateHost)(parsed.hostname))',
		replace: 'if (false)',
		tests: [DOWNLOAD],
	},
	{
		name: 'download-redirect-unchecked',
		rule: 'every redirect hop of a download is checked against the host rule',
		file: 'transport/fileFetch.js',
		find: 'url = checkHop(new URL(location, url).href);',
		replace: 'url = new URL(location, url).href;',
		tests: [DOWNLOAD],
	},
	{
		name: 'download-wrong-type-stored',
		rule: 'a body whose type is not the kind the task produced (an HTML page with 200) is refused, naming the task',
		file: 'task/downloadResults.js',
		find: 'if (!untyped && !mimeType?.startsWith(`${file.kind}/`)) {',
		replace: 'if (false) {',
		tests: [DOWNLOAD],
	},
	{
		name: 'download-untyped-body-unchecked',
		rule: 'a body sent as application/octet-stream must start with the bytes of the kind the task produced',
		file: 'task/downloadResults.js',
		find: 'if (head.length >= SNIFF_BYTES && !(0, fileFetch_1.looksLike)(file.kind, head))',
		replace: 'if (false)',
		extra: [['if (untyped && head.length < SNIFF_BYTES && !(0, fileFetch_1.looksLike)(file.kind, head))', 'if (false)']],
		tests: [DOWNLOAD],
	},
	{
		name: 'trigger-task-delivered-twice',
		rule: 'the Kling Trigger starts one execution per task, however often Kling calls back',
		file: '../KlingTrigger/delivered.js',
		find: 'return this.delivered.get(deliveredKey(taskId, status)) === true;',
		replace: 'return false;',
		tests: [join(TESTS, 'park', 'trigger.test.js')],
	},
	{
		name: 'trigger-duplicates-at-once',
		rule: 'two callbacks for one task arriving together start one execution',
		file: '../KlingTrigger/KlingTrigger.node.js',
		find: 'return await memory.serially(notice.taskId, async () => {',
		replace: 'return await (async (work) => await work())(async () => {',
		// The check after the read catches what the queue would let through: both go.
		extra: [['if (memory.isDelivered(task.task_id, status))', 'if (false)']],
		tests: [join(TESTS, 'park', 'trigger.test.js')],
	},
	{
		name: 'trigger-delivered-not-stored',
		rule: 'the tasks that started an execution survive a restart in the workflow’s static data',
		file: '../KlingTrigger/delivered.js',
		find: 'stored.deliveredTasks = this.delivered.newest(LIMITS.storedTasks);',
		replace: '',
		tests: [join(TESTS, 'park', 'trigger.test.js')],
	},
	{
		name: 'trigger-no-grace',
		rule: 'a final callback whose read is not final yet waits park mode’s grace for the read to catch up',
		file: '../KlingTrigger/KlingTrigger.node.js',
		find: 'for (const delay of (0, timing_1.timingOf)(this).submitLookupDelaysMs)',
		replace: 'for (const delay of [])',
		tests: [join(TESTS, 'park', 'trigger.test.js')],
	},
	{
		name: 'trigger-unfinished-claim-delivered',
		rule: 'a callback that claims the end while the read says otherwise starts no file-less execution',
		file: '../KlingTrigger/KlingTrigger.node.js',
		find: 'if (!ended && !includeNonFinal)',
		replace: 'if (false)',
		tests: [join(TESTS, 'park', 'trigger.test.js')],
	},
	{
		name: 'trigger-lookup-unbounded',
		rule: 'a callback for an unknown task id asks at most a few task types',
		file: '../KlingTrigger/KlingTrigger.node.js',
		find: 'order.slice(0, delivered_1.MAX_LOOKUP_READS_PER_CALLBACK)',
		replace: 'order',
		tests: [join(TESTS, 'park', 'trigger.test.js')],
	},
	{
		name: 'trigger-absent-id-asked-again',
		rule: 'replays of a callback for an unknown task id ask each task type once in all, then nothing',
		file: '../KlingTrigger/KlingTrigger.node.js',
		find: 'memory.markAsked(notice.taskId, family);',
		replace: '',
		tests: [join(TESTS, 'park', 'trigger.test.js')],
	},
	{
		name: 'park-callback-reads-only-its-task',
		rule: 'park: final callbacks n8n refused (409) while the node was busy are not needed: the first call after parking reads every open task of the run',
		file: 'park/parkMode.js',
		find: 'const sweep = recheck || !state.swept;',
		replace: 'const sweep = recheck;',
		tests: [PARK],
	},
	{
		name: 'park-no-recheck-call',
		rule: 'park: once the execution is stored as waiting the node calls its own resume URL, so a run whose last callbacks were all refused still resumes',
		file: 'park/parkMode.js',
		find: 'void recheckAfterParking(this, callbackUrl, secret);',
		replace: '',
		tests: [PARK],
	},
	{
		name: 'park-claim-during-read-dropped',
		rule: 'park: a final callback for a task whose read is in flight makes that task be read once more',
		file: 'park/parkMode.js',
		find: 'state.again.add(task.taskId);',
		replace: '{}',
		tests: [PARK],
	},
	{
		name: 'menu-offers-refused-resolution',
		rule: 'the Resolution menu of a video operation offers only the resolutions of the chosen model (the model table)',
		file: 'fields/videoFields.js',
		find: '(capabilities?.resolutions ?? ALL_RESOLUTIONS)',
		replace: 'ALL_RESOLUTIONS',
		tests: [MODEL_MENUS],
	},
	{
		name: 'menu-offers-refused-duration',
		rule: 'the Duration menu of a video operation offers only the lengths of the chosen model (the model table)',
		file: 'fields/videoFields.js',
		find: 'capabilities?.durations.length ? capabilities.durations : ALL_DURATIONS',
		replace: 'ALL_DURATIONS',
		tests: [MODEL_MENUS],
	},
	{
		name: 'validation-error-logged-twice',
		rule: 'a validation error reaches n8n’s console once (no cause that repeats its message)',
		file: 'transport/errors.js',
		find: 'delete error.cause;',
		replace: '',
		tests: [ERROR_LOG],
	},
	{
		name: 'budget-checked-after-send',
		rule: 'cost: items past the Run Budget are refused before anything is sent, not after their submit',
		file: 'task/runTaskOperation.js',
		find: '    if (budget && !budget.covers(itemIndex, estimate))\n        throw budget.refusal(this.getNode(), itemIndex, estimate);\n',
		replace: '',
		extra: [
			['        lease.accepted();', '        lease.accepted();\n        if (budget && !budget.covers(itemIndex, estimate))\n            throw budget.refusal(this.getNode(), itemIndex, estimate);'],
			['rejected.set(itemIndex, budget.refusal(this.getNode(), itemIndex, estimate));', 'void 0;'],
		],
		tests: [COST],
	},
	{
		name: 'budget-race',
		rule: 'cost: the Run Budget counts the whole node run (one reservation per item), so items at any concurrency cannot pass it together',
		file: 'task/cost.js',
		find: 'this.reserved = round(this.reserved + estimate.units);',
		replace: 'void round;',
		tests: [COST],
	},
	{
		name: 'unknown-price-admitted',
		rule: 'cost: an item whose price is unknown is refused under a Run Budget unless Allow Unknown Prices is on',
		file: 'task/cost.js',
		find: 'if (!this.allowUnknown(itemIndex)) {',
		replace: 'if (false) {',
		extra: [['return estimate.units === undefined ? this.allowUnknown(itemIndex) :', 'return estimate.units === undefined ? true :']],
		tests: [COST],
	},
	{
		name: 'estimate-only-sends',
		rule: 'cost: Estimate Only returns the estimate and the checked request and sends no create request',
		file: 'task/runTaskOperation.js',
		find: '    if ((0, cost_1.isEstimateOnly)(this, itemIndex))\n        return await estimateItem.call(this, operation, itemIndex);\n    const { task, estimate,',
		replace: '    const { task, estimate,',
		tests: [COST],
	},
	{
		name: 'list-absence-taken-as-gone',
		rule: 'a waiting task absent from a list page is read by its own route, never taken as gone',
		file: 'task/statusPoller.js',
		find: 'missing = missing.filter((id) => !seen.has(id));',
		replace: "missing = missing.filter((id) => !seen.has(id)); for (const id of missing) this.fail(dueIds.get(id) ?? [], new Error('Kling has no such task')); missing = [];",
		tests: [POLLER],
	},
	{
		name: 'foreign-task-from-list',
		rule: 'a list answer delivers a task only to the waiters of its own id',
		file: 'task/statusPoller.js',
		find: 'const waiters = all.get(id);',
		replace: "const waiters = all.get(id) ?? (row.task_status === 'succeed' ? [...all.values()][0] : undefined);",
		tests: [POLLER],
	},
	{
		name: 'cancel-affects-other-waiter',
		rule: 'one execution’s cancel never aborts the shared reads other executions wait for',
		file: 'task/statusPoller.js',
		find: 'getExecutionCancelSignal: () => undefined,',
		replace: 'getExecutionCancelSignal: () => context.getExecutionCancelSignal(),',
		tests: [POLLER],
	},
	{
		name: 'poller-never-stops',
		rule: 'the process poller ends and is dropped when nothing waits',
		file: 'task/statusPoller.js',
		find: 'pollers.delete(key);',
		replace: '',
		tests: [POLLER],
	},
	{
		name: 'url-precheck-skipped',
		rule: 'an image, audio or video URL is read (first 64 KB) before paying: a 404, a web page, a file too large or an image Kling refuses fails the item and nothing is sent',
		file: 'input/mediaInput.js',
		find: 'await urlCheck_1.checkInputUrl.call(this, itemIndex, trimmed, shownLabel, {',
		replace: '((_options) => undefined)({',
		alsoIn: [{ file: 'task/runTaskOperation.js', find: 'await urlCheck_1.checkBodyVideoUrls.call(this, body, operation.rules, itemIndex);', replace: '' }],
		tests: [URL_CHECK],
	},
	{
		name: 'error-names-api-field',
		rule: 'an input refused before paying is named by its label in the editor, not by Kling’s API field',
		file: 'input/validation.js',
		find: 'const name = labelOf(rule.field, rule);',
		replace: 'const name = `"${rule.field}"`;',
		tests: [BAD_INPUT],
	},
	{
		name: 'prompt-limit-of-other-route',
		rule: 'a video prompt is checked against the limit of the route actually used (2500 on the legacy routes, the model’s on the new API)',
		file: 'input/validation.js',
		find: "if (standard === 'legacy')",
		replace: "if (standard !== 'legacy')",
		tests: [BAD_INPUT],
	},
	{
		name: 'generation4-lost-answer-resent',
		rule: 'a Kling 4.0 submit whose answer was lost is never sent again (Kling has not confirmed it keeps external_task_id)',
		file: 'task/submit.js',
		find: "throw notSentAgainError(this, request, 'The submit’s answer was lost', sentAt, error);",
		replace: 'return await submitTask.call(this, { ...request, sendOnce: undefined });',
		tests: [GENERATION4],
	},
	{
		name: 'generation4-retry-pays-again',
		rule: "n8n's Retry On Fail of a Kling 4.0 item whose first answer was lost does not send it again",
		file: 'task/submit.js',
		find: 'const earlier = sentOnce.get(memoryKey);',
		replace: 'const earlier = undefined;',
		tests: [GENERATION4],
	},
	{
		name: 'generation4-retry-ignores-created-task',
		rule: "n8n's Retry On Fail of a Kling 4.0 item whose task was created adopts that task by its id instead of paying again",
		file: 'task/submit.js',
		find: 'if (earlier) {',
		replace: 'if (false) {',
		tests: [GENERATION4],
	},
	{
		name: 'generation4-external-id-sent-unconfirmed',
		rule: 'external_task_id goes to Kling 4.0 only where the credential says the host keeps it',
		file: 'task/apiStandardAdapter.js',
		find: 'if (body.external_task_id && capabilities.externalTaskId)',
		replace: 'if (body.external_task_id)',
		tests: [GENERATION4],
	},
	{
		name: 'generation4-callback-sent-unconfirmed',
		rule: 'a Callback URL on a Kling 4.0 operation is refused before paying unless the credential says the host calls back',
		file: 'task/apiStandardAdapter.js',
		find: 'if (!capabilities.callbackUrl) {',
		replace: 'if (false) {',
		tests: [GENERATION4],
	},
	{
		name: 'generation4-parked-without-callbacks',
		rule: 'park mode never parks a Kling 4.0 task nobody will call back: it polls and says so',
		file: 'park/parkMode.js',
		find: "if ((0, catalogue_1.routeFactsOf)(operation.taskPath)?.generation4 && !(0, apiStandardAdapter_1.generation4Capabilities)(await this.getCredentials('klingApi')).callbackUrl) {",
		replace: 'if (false) {',
		tests: [GENERATION4],
	},
	{
		name: 'generation4-video-length-unchecked',
		rule: 'Kling 4.0 reference videos longer than 30 s together (read from their headers) are refused before paying',
		file: 'input/generation4Input.js',
		find: 'if (total > limits.videoTotalSeconds) {',
		replace: 'if (false) {',
		tests: [GENERATION4],
	},
	{
		name: 'generation4-unknown-reference-sent',
		rule: 'a Kling 4.0 prompt naming an input the item does not have is refused before paying',
		file: 'input/generation4Input.js',
		find: 'if (unknown.length) {',
		replace: 'if (false) {',
		tests: [GENERATION4],
	},
	{
		name: 'extra-body-overrides-managed-field',
		rule: 'Additional Body Fields (JSON) never replace a field the node set or offers in the editor: refused before paying',
		file: 'task/bodyExtras.js',
		find: 'if (isSet || label)',
		replace: 'if (false)',
		tests: [BODY_EXTRAS],
	},
	{
		name: 'extra-body-sets-external-id',
		rule: 'Additional Body Fields (JSON) never set external_task_id or callback_url (top level or in options): the submit policy and park mode own them',
		file: 'task/bodyExtras.js',
		find: 'if (nodeOnly !== undefined)',
		replace: 'if (false)',
		tests: [BODY_EXTRAS],
	},
	{
		name: 'extra-body-lost-on-new-api',
		rule: 'Additional Body Fields (JSON) are merged into the body actually sent, after the conversion to Kling’s new API',
		file: 'task/runTaskOperation.js',
		find: 'return { route: choice.route, payload: withExtras(payload), facts };',
		replace: 'return { route: choice.route, payload, facts };',
		tests: [BODY_EXTRAS],
	},
	{
		name: 'generation4-user-id-adopted',
		rule: "a Kling 4.0 item with a user's External Task ID never takes the task an earlier run made with that id as its result",
		file: 'task/submit.js',
		find: "if (earlier && request.idOrigin === 'user') {",
		replace: 'if (false) {',
		tests: [GENERATION4],
	},
	{
		name: 'generation4-user-id-taken-paid',
		rule: "a Kling 4.0 item whose user External Task ID Kling already shows on a task is refused before paying, naming that task",
		file: 'task/submit.js',
		find: "if (before.kind === 'found')\n            throw alreadyExistsError(this, request, before.task);",
		replace: '',
		tests: [GENERATION4],
	},	{
		name: 'generation4-legacy-route-template',
		rule: "a Kling 4.0 route template on Kling's legacy /v1/ routes (another answer and read shape) is refused before paying",
		file: 'task/apiStandardAdapter.js',
		find: 'if (!(0, exports.isNewStandardRoute)(template)) {',
		replace: 'if (false) {',
		tests: [GENERATION4],
	},
];

/** Runs test files (paths under .test-build) from `root`, a copy of .test-build, without blocking the other workers. */
function runTests(files, root = '.test-build') {
	const relocated = files.map((file) => join(root, relative('.test-build', file)));
	return new Promise((resolve) => {
		const child = spawn(process.execPath, ['--test', '--test-concurrency=1', ...relocated], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.resume();
		const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const failed = /^# fail (\d+)/m.exec(stdout);
			resolve({ passed: code === 0, timedOut: signal === 'SIGKILL', failures: failed ? Number(failed[1]) : undefined });
		});
	});
}

/** The edits of one mutation as [built file, original text, mutated text]; exits when a target is not found exactly once. */
function editsOf(mutation, root) {
	// Each edit: [file, find, replace]; `alsoIn` breaks the same rule where a second line of defence holds it.
	const edits = [
		[mutation.file, mutation.find, mutation.replace],
		...(mutation.extra ?? []).map(([find, replace]) => [mutation.file, find, replace]),
		...(mutation.alsoIn ?? []).map(({ file, find, replace }) => [file, find, replace]),
	];
	const originals = new Map();
	const mutatedFiles = new Map();
	for (const [file, find, replace] of edits) {
		const path = join(root, relative('.test-build', BUILT), file);
		if (!originals.has(path)) originals.set(path, readFileSync(path, 'utf8'));
		const current = mutatedFiles.get(path) ?? originals.get(path);
		const count = current.split(find).length - 1;
		if (count !== 1) {
			console.error(`${mutation.name}: the text to mutate occurs ${count} times in ${file} — update the mutation`);
			process.exit(1);
		}
		mutatedFiles.set(path, current.replace(find, replace));
	}
	return { originals, mutatedFiles };
}

async function main() {
	const args = process.argv.slice(2);
	const jobsArg = args.find((arg) => arg.startsWith('--jobs='));
	// Two workers by default (the CI machine has 2 cores): each mutates its own copy of .test-build.
	const jobs = Math.max(1, Number(jobsArg?.slice('--jobs='.length) ?? process.env.KLING_MUTATION_JOBS ?? 2) || 1);
	const only = args.filter((arg) => !arg.startsWith('--'));
	const selected = MUTATIONS.filter((mutation) => only.length === 0 || only.includes(mutation.name));
	const started = Date.now();
	const union = [...new Set(selected.flatMap((mutation) => mutation.tests))];
	const baseline = await runTests(union);
	if (!baseline.passed) {
		console.error(`baseline: the guarding tests fail without any mutation (${union.join(', ')}); fix them first`);
		process.exit(1);
	}
	console.log(`baseline green (${union.length} test files, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
	// Every target is checked before any test runs, so a stale mutation fails at once.
	for (const mutation of selected) editsOf(mutation, '.test-build');
	const roots = Array.from({ length: Math.min(jobs, selected.length) }, (_, index) => `.test-build-mutant-${index + 1}`);
	for (const root of roots) {
		rmSync(root, { recursive: true, force: true });
		cpSync('.test-build', root, { recursive: true });
	}
	const survivors = [];
	const queue = [...selected];
	try {
		await Promise.all(
			roots.map(async (root) => {
				for (let mutation = queue.shift(); mutation; mutation = queue.shift()) {
					const { originals, mutatedFiles } = editsOf(mutation, root);
					const began = Date.now();
					let outcome;
					try {
						for (const [path, mutated] of mutatedFiles) writeFileSync(path, mutated);
						outcome = await runTests(mutation.tests, root);
					} finally {
						for (const [path, original] of originals) writeFileSync(path, original);
					}
					const seconds = ((Date.now() - began) / 1000).toFixed(0);
					const killed = !outcome.passed;
					const how = outcome.timedOut ? 'timed out' : `${outcome.failures ?? '?'} failing tests`;
					console.log(`${killed ? 'killed  ' : 'SURVIVED'} ${mutation.name} — ${mutation.rule} (${how}, ${seconds} s)`);
					if (!killed) survivors.push(mutation.name);
				}
			}),
		);
	} finally {
		for (const root of roots) rmSync(root, { recursive: true, force: true });
	}
	console.log(`${selected.length - survivors.length}/${selected.length} mutations killed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	if (survivors.length) {
		console.error(`surviving mutations: ${survivors.join(', ')}`);
		process.exit(1);
	}
}

await main();
