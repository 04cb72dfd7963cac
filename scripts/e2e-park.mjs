// `npm run e2e:park`: park mode and the Kling Trigger in a real n8n (`n8n start`, webhooks over HTTP),
// against the Kling emulator running in this process (so the checks can see every request and
// callback). What it proves, each against the emulator's bytes and request log:
//  1. one item: the execution is "waiting" while Kling renders (intermediate callbacks answered,
//     nothing read), then "success" with the emulator's file; zero status reads before the final callback
//  2. ten items: one resume, ten items in input order
//  3. a Webhook Secret: unsigned and forged callbacks get 401 and change nothing; the signed one resumes
//  4. a dropped callback: after the deadline n8n runs the node disabled; every item reaches the next
//     node with its task_id and park.status "not collected", and Task › Get collects the files
//  5. Kling Trigger: 20 tasks submitted with its URL start 20 executions, each with its task's file
//  6. n8n killed (SIGKILL) while 5 executions are parked, started again: all 5 complete, 0 duplicate tasks
//  7. 12 items at Concurrency 1 against an account limit of 1: most final callbacks arrive while the node is
//     still submitting and get n8n's 409; one resume with 12 results, within a minute of the last task's
//     end. It also measures how long n8n answers 409 after the node's last submit (the deaf window)
//  8. every final callback lost (tasks that end at once; a Webhook Secret): the node's own signed re-check
//     after parking resumes the run
// Ports: test/support/parkPorts.mjs.
import '../test/support/parkPorts.mjs';
import {
	binaryFile,
	buildPackage,
	CREDENTIAL,
	emulatorCredential,
	emulatorModule,
	ensureRuntime,
	N8N_PORT,
	prepareState,
	restartN8n,
	sha256,
	sleep,
	startEmulatorHere,
	startN8n,
	stopN8n,
	waitFor,
} from '../test/support/realN8n.mjs';
import { N8nRest } from '../test/support/n8nRest.mjs';

const N8N_URL = `http://127.0.0.1:${N8N_PORT}`;
const rest = new N8nRest(N8N_URL);
const log = (message) => console.log(`[e2e:park] ${message}`);
const failures = [];
const check = (label, ok, detail = '') => {
	if (!ok) failures.push(`${label}${detail ? `: ${detail}` : ''}`);
	log(`${ok ? 'ok  ' : 'FAIL'} ${label}${detail && !ok ? ` — ${detail}` : ''}`);
};

// ---------------------------------------------------------------- workflows
const SIGNED_CREDENTIAL = { id: 'klingParkSigned01', name: 'Kling (emulator, webhook secret)' };
const TRIGGER_WEBHOOK_ID = 'kling-trigger-e2e-park';
const TRIGGER_URL = `${N8N_URL}/webhook/${TRIGGER_WEBHOOK_ID}/kling`;

let nodeNumber = 0;
const node = (name, type, parameters, extra = {}) => ({
	id: `0e2e0000-0000-4000-8000-${String(++nodeNumber).padStart(12, '0')}`,
	name,
	type,
	typeVersion: 1,
	position: [nodeNumber * 200, 0],
	parameters,
	...extra,
});
const webhook = (path) => node('Webhook', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} }, { typeVersion: 2, webhookId: `e2e-park-${path}` });
const splitItems = () => node('Items', 'n8n-nodes-base.splitOut', { fieldToSplitOut: 'body.items', options: {} });
const kling = (name, parameters, credential = CREDENTIAL) =>
	node(name, 'CUSTOM.kling', { resource: 'image', operation: 'generate', ...parameters }, { credentials: { klingApi: credential } });
const after = () => node('After', 'n8n-nodes-base.noOp', {});
const chain = (id, name, nodes) => ({
	id,
	name,
	nodes,
	connections: Object.fromEntries(nodes.slice(0, -1).map((from, index) => [from.name, { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] }])),
	settings: { executionOrder: 'v1' },
	active: false,
	pinData: {},
});
// The node re-checks its tasks once after parking (after Kling's read grace, 6 s), which collects a task whose
// final callback was lost if it has ended by then. Where a scenario needs the execution to stay parked with its
// final callback dropped (until a deadline n8n acts on up to a minute late), that grace is stretched to 120 s.
const LATE_RECHECK = { submitLookupDelaysMs: [40_000, 40_000, 40_000] };
const parked = (extra = {}) => ({ prompt: '={{ $json.body?.prompt ?? $json.prompt ?? ("frame " + $json.index) }}', waitMode: 'park', ...extra });

const WORKFLOWS = {
	one: chain('parkE2eOne000001', 'park: one item', [webhook('park-one'), kling('Kling', parked({ waitOptions: { timeoutMinutes: 5 } })), after()]),
	ten: chain('parkE2eTen000001', 'park: ten items', [webhook('park-ten'), splitItems(), kling('Kling', parked({ waitOptions: { concurrency: 10, timeoutMinutes: 5 } })), after()]),
	signed: chain('parkE2eSigned001', 'park: webhook secret', [webhook('park-signed'), kling('Kling', parked({ waitOptions: { timeoutMinutes: 5 }, timing: LATE_RECHECK }), SIGNED_CREDENTIAL), after()]),
	dropped: chain('parkE2eDropped01', 'park: dropped callback', [
		webhook('park-dropped'),
		kling('Kling', parked({ waitOptions: { timeoutMinutes: 0.25 }, timing: LATE_RECHECK })),
		kling('Collect', { resource: 'task', operation: 'get', taskFamily: '={{ $json.park.route }}', lookupBy: 'taskId', taskId: '={{ $json.task_id }}', waitForCompletion: true, waitOptions: { pollIntervalSeconds: 1 } }),
		after(),
	]),
	failed: chain('parkE2eFailed001', 'park: a failed task', [webhook('park-failed'), splitItems(), kling('Kling', parked({ waitOptions: { timeoutMinutes: 5 } })), after()]),
	busy: chain('parkE2eBusy00001', 'park: 12 items at Concurrency 1, account limit 1', [
		webhook('park-busy'),
		splitItems(),
		kling('Kling', parked({ waitOptions: { concurrency: 1, timeoutMinutes: 5 }, timing: { slotBackoffMaxMs: 500 } })),
		after(),
	]),
	unheard: chain('parkE2eUnheard01', 'park: every final callback lost', [
		webhook('park-unheard'),
		splitItems(),
		kling('Kling', parked({ waitOptions: { concurrency: 1, timeoutMinutes: 5 } }), SIGNED_CREDENTIAL),
		after(),
	]),
	restart: chain('parkE2eRestart01', 'park: restart', [webhook('park-restart'), kling('Kling', parked({ waitOptions: { timeoutMinutes: 10 } })), after()]),
	submit: chain('parkE2eSubmit001', 'trigger: submit 20', [
		webhook('submit-twenty'),
		splitItems(),
		kling('Kling', { prompt: '={{ "trigger " + $json.index }}', waitForCompletion: false, options: { callbackUrl: TRIGGER_URL } }),
	]),
	trigger: chain('parkE2eTrigger01', 'trigger: one execution per task', [
		node('Kling Trigger', 'CUSTOM.klingTrigger', { taskTypes: [] }, { credentials: { klingApi: SIGNED_CREDENTIAL }, webhookId: TRIGGER_WEBHOOK_ID }),
		after(),
	]),
};

/** The run data of a finished execution. */
async function runDataOf(executionId) {
	const execution = await rest.execution(executionId);
	return { status: execution.status, resultData: execution.data.resultData };
}

function outputOf(resultData, nodeName) {
	const runs = resultData.runData[nodeName] ?? [];
	return runs[runs.length - 1]?.data?.main?.[0] ?? [];
}

/** Every binary of the item equals the emulator's file (the file list names the URL). */
function binariesMatch(emulator, item) {
	const files = item.json.files ?? [];
	if (!files.length) return 'no files';
	for (const file of files) {
		const stored = item.binary?.[file.binaryProperty]?.id ? binaryFile(item.binary[file.binaryProperty].id) : undefined;
		const expected = emulator.fileBytes(file.url);
		if (!stored) return `${file.binaryProperty} not in n8n's binary store`;
		if (!expected || sha256(stored) !== sha256(expected)) return `${file.binaryProperty} differs from the emulator's file`;
	}
	return '';
}

const tasksWith = (emulator, marker) => emulator.createdTasks().filter((task) => String(task.body.prompt).includes(marker));
const getsFor = (emulator, task, until = emulator.requests.length) =>
	emulator.requests.slice(0, until).filter((request) => request.method === 'GET' && request.klingPath.endsWith(`/${task.task_id}`));

const waitForStatus = (workflowId, count, status, timeoutMs) => rest.waitForExecutions(workflowId, count, [status], timeoutMs);

// ---------------------------------------------------------------- scenarios
async function oneItem(emulator) {
	await rest.postWebhook('park-one', { prompt: 'one [one]' });
	const [task] = await waitFor('the task', () => tasksWith(emulator, '[one]')[0] && tasksWith(emulator, '[one]'), 10_000);
	await waitFor('the processing callback', () => emulator.callbacks.sent.some((callback) => callback.taskId === task.task_id && callback.stage === 'processing' && callback.answer), 10_000);
	const [waiting] = await waitForStatus(WORKFLOWS.one.id, 1, 'waiting', 5_000);
	// Kling's "submitted" callback leaves with the submit answer, before the execution is stored as
	// waiting: n8n answers it 409 ("running already"). The "processing" one reaches the parked execution.
	const processing = emulator.callbacks.sent.find((callback) => callback.taskId === task.task_id && callback.stage === 'processing');
	const submitted = emulator.callbacks.sent.find((callback) => callback.taskId === task.task_id && callback.stage === 'submitted');
	check('one item: "waiting" while Kling renders; the intermediate callback is answered 200 and ignored (nothing read)',
		waiting && processing.answer === 200 && getsFor(emulator, task).length === 0,
		`processing ${processing.answer}, reads ${getsFor(emulator, task).length}`);
	log(`     (the "submitted" callback was answered ${submitted?.answer}: it left before the execution was stored as waiting)`);
	const [done] = await waitForStatus(WORKFLOWS.one.id, 1, 'success', 20_000);
	const final = emulator.callbacks.sent.find((callback) => callback.taskId === task.task_id && callback.stage === 'final');
	check('one item: zero status reads before the final callback, one after', getsFor(emulator, task, final.requestsBefore).length === 0 && getsFor(emulator, task).length === 1, `${getsFor(emulator, task).length} reads`);
	const { resultData } = await runDataOf(done.id);
	const [item] = outputOf(resultData, 'After');
	const problem = item ? binariesMatch(emulator, item) : 'no item';
	check('one item: "success", the binary is byte-equal to the emulator\'s file', !problem, problem);
	return done.id;
}

async function tenItems(emulator) {
	await rest.postWebhook('park-ten', { items: Array.from({ length: 10 }, (_, index) => ({ index })) });
	const [done] = await waitForStatus(WORKFLOWS.ten.id, 1, 'success', 30_000);
	const { resultData } = await runDataOf(done.id);
	const items = outputOf(resultData, 'After');
	const tasks = new Map(emulator.createdTasks().map((task) => [task.body.prompt, task.task_id]));
	const inOrder = items.length === 10 && items.every((item, index) => item.json.task_id === tasks.get(`frame ${index}`) && item.pairedItem?.item === index);
	const kling = resultData.runData.Kling ?? [];
	check('ten items: one resume (one Kling run), ten items in input order with pairedItem', inOrder && kling.length === 1, `${items.length} items, ${kling.length} runs`);
	const problems = items.map((item) => binariesMatch(emulator, item)).filter(Boolean);
	check('ten items: every binary is its own task\'s file', problems.length === 0, problems.join('; '));
}

async function signed(emulator, TEST_WEBHOOK_SECRET, callbacks) {
	await rest.postWebhook('park-signed', { prompt: 'signed [signed]' });
	const [task] = await waitFor('the task', () => tasksWith(emulator, '[signed]')[0] && tasksWith(emulator, '[signed]'), 10_000);
	await waitFor('the task to end at Kling', () => emulator.statusOf(task) === 'succeed', 15_000);
	await waitForStatus(WORKFLOWS.signed.id, 1, 'waiting', 5_000);
	const resumeUrl = String(task.body.callback_url);
	const body = JSON.stringify(emulator.taskObject(task));
	const forged = JSON.stringify({ ...emulator.taskObject(task), task_result: { images: [{ index: 0, url: 'http://127.0.0.1:9/evil.png' }] } });
	const answers = [
		await callbacks.postCallback(resumeUrl, body),
		await callbacks.postCallback(resumeUrl, forged, callbacks.signatureHeaders('whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==', forged)),
		await callbacks.postCallback(resumeUrl, forged, callbacks.signatureHeaders(TEST_WEBHOOK_SECRET, body)),
	];
	await sleep(500);
	const stillWaiting = (await rest.executions(WORKFLOWS.signed.id)).every((execution) => execution.status === 'waiting');
	check('webhook secret: unsigned, wrongly signed and body-swapped callbacks get 401 and change nothing', answers.every((status) => status === 401) && stillWaiting && getsFor(emulator, task).length === 0,
		`answers ${answers.join(',')}, waiting ${stillWaiting}, reads ${getsFor(emulator, task).length}`);
	const answer = await callbacks.postCallback(resumeUrl, body, callbacks.signatureHeaders(TEST_WEBHOOK_SECRET, body));
	const [done] = await waitForStatus(WORKFLOWS.signed.id, 1, 'success', 20_000);
	const { resultData } = await runDataOf(done.id);
	const problem = binariesMatch(emulator, outputOf(resultData, 'After')[0] ?? { json: {} });
	check('webhook secret: Kling\'s signed callback resumes with the emulator\'s file', answer === 200 && !problem, `${answer} ${problem}`);
}

async function failedStart() {
	await rest.postWebhook('park-failed', { items: [{ index: 0, prompt: 'fine [ok-of-failed]' }, { index: 1, prompt: 'broken [fail]' }] });
}

async function failedCheck(emulator) {
	const [done] = await waitForStatus(WORKFLOWS.failed.id, 1, 'error', 30_000);
	const { resultData } = await runDataOf(done.id);
	const error = resultData.runData.Kling?.at(-1)?.error ?? resultData.error ?? {};
	const [failed] = tasksWith(emulator, '[fail]');
	const [fine] = tasksWith(emulator, '[ok-of-failed]');
	const text = `${error.message} ${error.description ?? ''}`;
	check('a failed task: the resumed execution fails with Kling\'s reason, naming the failed task and the one the other item finished',
		/Kling task failed/.test(text) && text.includes(failed.task_id) && text.includes(fine.task_id) && !resultData.runData.After, text.slice(0, 300));
}

async function droppedStart() {
	await rest.postWebhook('park-dropped', { items: undefined, prompt: 'dropped [drop]' });
	return Date.now();
}

async function droppedCheck(emulator, triggeredAt) {
	const [done] = await waitForStatus(WORKFLOWS.dropped.id, 1, 'success', 120_000);
	const seconds = ((Date.now() - triggeredAt) / 1000).toFixed(0);
	const { resultData } = await runDataOf(done.id);
	const [task] = tasksWith(emulator, '[drop]');
	const passedOn = outputOf(resultData, 'Kling');
	check(`dropped callback: after the 15 s deadline (resumed by n8n after ${seconds} s) the next node gets the task_id and park.status "not collected"`,
		passedOn.length === 1 && passedOn[0].json.task_id === task.task_id && passedOn[0].json.park?.status === 'not collected', JSON.stringify(passedOn[0]?.json ?? {}).slice(0, 300));
	const collected = outputOf(resultData, 'Collect');
	const problem = collected[0] ? binariesMatch(emulator, collected[0]) : 'no item';
	check('dropped callback: Task › Get collects the task and its file', !problem && collected[0].json.task_id === task.task_id, problem);
}

async function klingTrigger(emulator) {
	await rest.postWebhook('submit-twenty', { items: Array.from({ length: 20 }, (_, index) => ({ index })) });
	const executions = await waitForStatus(WORKFLOWS.trigger.id, 20, 'success', 60_000);
	const tasks = tasksWith(emulator, 'trigger ');
	const seen = new Set();
	const problems = [];
	for (const execution of executions) {
		const { resultData } = await runDataOf(execution.id);
		const [item] = outputOf(resultData, 'After');
		if (!item) problems.push(`${execution.id}: no item`);
		else {
			seen.add(item.json.task_id);
			const problem = binariesMatch(emulator, item);
			if (problem) problems.push(`${execution.id}: ${problem}`);
		}
	}
	check('Kling Trigger: 20 tasks → 20 executions, one per task, each with its file', executions.length === 20 && tasks.length === 20 && seen.size === 20 && problems.length === 0,
		`${executions.length} executions, ${seen.size} distinct tasks, ${problems.join('; ')}`);
}

/**
 * How long n8n answers 409 to the resume URL after the node's last submit was answered (the task's creation):
 * a harmless non-final callback is sent every 10 ms, without waiting for the answers, until one is answered 200.
 */
async function measureDeafWindow(emulator, callbacks, marker, count) {
	const tasks = await waitFor(`the ${count} tasks`, () => (tasksWith(emulator, marker).length >= count ? tasksWith(emulator, marker) : undefined), 120_000, 5);
	const last = tasks[tasks.length - 1];
	const body = JSON.stringify({ task_id: last.task_id, task_status: 'processing' });
	const probes = [];
	for (let attempt = 0; attempt < 3_000 && !probes.some((probe) => probe.answer === 200); attempt++) {
		const probe = { sentAt: Date.now() - last.createdAt, answer: undefined };
		probes.push(probe);
		void callbacks.postCallback(String(last.body.callback_url), body).then((answer) => (probe.answer = answer));
		await sleep(10);
	}
	await waitFor('the probes\' answers', () => probes.every((probe) => probe.answer !== undefined), 30_000, 20);
	const refused = probes.filter((probe) => probe.answer === 409);
	const accepted = probes.filter((probe) => probe.answer === 200);
	return { lastRefusedMs: refused.at(-1)?.sentAt ?? 0, firstAcceptedMs: accepted[0]?.sentAt ?? Number.NaN, refused: refused.length };
}

async function busy(emulator, callbacks) {
	emulator.concurrencyLimit = 1;
	emulator.submittedMs = 300;
	emulator.processingMs = 1_200;
	try {
		const startedAt = Date.now();
		await rest.postWebhook('park-busy', { items: Array.from({ length: 12 }, (_, index) => ({ index, prompt: `busy ${index} [busy]` })) });
		const window = await measureDeafWindow(emulator, callbacks, '[busy]', 12);
		const [done] = await waitForStatus(WORKFLOWS.busy.id, 1, 'success', 120_000);
		const seenAt = Date.now();
		const tasks = tasksWith(emulator, '[busy]');
		const { resultData, stoppedAt } = { ...(await runDataOf(done.id)), stoppedAt: (await rest.execution(done.id)).stoppedAt };
		const items = outputOf(resultData, 'After');
		const finals = emulator.callbacks.sent.filter((callback) => callback.stage === 'final' && tasks.some((task) => task.task_id === callback.taskId));
		const refused = finals.filter((callback) => callback.answer === 409).length;
		const lastEnd = Math.max(...tasks.map((task) => task.createdAt + emulator.submittedMs + emulator.processingMs));
		const resumedAt = stoppedAt ? Date.parse(stoppedAt) : seenAt;
		const afterEnd = (resumedAt - lastEnd) / 1000;
		const inOrder = items.length === 12 && items.every((item, index) => item.json.task_id === tasks.find((task) => task.body.prompt === `busy ${index} [busy]`)?.task_id && item.pairedItem?.item === index);
		const problems = items.map((item) => binariesMatch(emulator, item)).filter(Boolean);
		log(`     (submitting took ${((tasks.at(-1).createdAt - startedAt) / 1000).toFixed(1)} s; ${refused} of 12 final callbacks were answered 409; a call to the resume URL sent ${window.lastRefusedMs} ms after the last submit was answered got 409, one sent at ${window.firstAcceptedMs} ms got 200 (${window.refused} refused probes))`);
		check(`busy node: 12 items at Concurrency 1 against an account limit of 1, ${refused} of 12 final callbacks answered 409 while submitting → one resume with 12 results in order, ${afterEnd.toFixed(1)} s after the last task ended`,
			refused >= 6 && inOrder && problems.length === 0 && (resultData.runData.Kling ?? []).length === 1 && tasks.length === 12 && afterEnd >= 0 && afterEnd < 60,
			`${items.length} items, in order ${inOrder}, runs ${(resultData.runData.Kling ?? []).length}, tasks ${tasks.length}, ${afterEnd} s, ${problems.join('; ')}`);
		return window;
	} finally {
		emulator.concurrencyLimit = 0;
	}
}

async function unheard(emulator) {
	emulator.concurrencyLimit = 1;
	emulator.submittedMs = 5;
	emulator.processingMs = 5;
	try {
		await rest.postWebhook('park-unheard', { items: Array.from({ length: 3 }, (_, index) => ({ index, prompt: `unheard ${index} [unheard]` })) });
		const [done] = await waitForStatus(WORKFLOWS.unheard.id, 1, 'success', 90_000);
		const execution = await rest.execution(done.id);
		const tasks = tasksWith(emulator, '[unheard]');
		const items = outputOf(execution.data.resultData, 'After');
		const heard = emulator.callbacks.sent.filter((callback) => callback.stage === 'final' && callback.answer !== undefined && tasks.some((task) => task.task_id === callback.taskId));
		const lastEnd = Math.max(...tasks.map((task) => task.createdAt + emulator.submittedMs + emulator.processingMs));
		const afterEnd = (Date.parse(execution.stoppedAt) - lastEnd) / 1000;
		const problems = items.map((item) => binariesMatch(emulator, item)).filter(Boolean);
		check(`every final callback lost: the node's signed re-check resumes the run with 3 results, ${afterEnd.toFixed(1)} s after the last task ended`,
			heard.length === 0 && items.length === 3 && problems.length === 0 && tasks.length === 3 && afterEnd < 60,
			`${heard.length} final callbacks delivered, ${items.length} items, ${problems.join('; ')}`);
	} finally {
		emulator.concurrencyLimit = 0;
	}
}

async function restart(emulator, n8nProcess) {
	// Slow renders: the tasks end well after n8n is back.
	emulator.submittedMs = 2_000;
	emulator.processingMs = 45_000;
	for (let index = 0; index < 5; index++) await rest.postWebhook('park-restart', { prompt: `restart ${index} [restart]` });
	await waitForStatus(WORKFLOWS.restart.id, 5, 'waiting', 20_000);
	const killedAt = Date.now();
	log('killing n8n (SIGKILL) with 5 executions parked and starting it again');
	const again = await restartN8n(n8nProcess);
	await rest.login();
	log(`n8n is back after ${((Date.now() - killedAt) / 1000).toFixed(1)} s`);
	const done = await waitForStatus(WORKFLOWS.restart.id, 5, 'success', 90_000);
	const tasks = tasksWith(emulator, '[restart]');
	const externalIds = new Set(tasks.map((task) => task.body.external_task_id));
	const problems = [];
	for (const execution of done) {
		const { resultData } = await runDataOf(execution.id);
		const problem = binariesMatch(emulator, outputOf(resultData, 'After')[0] ?? { json: {} });
		if (problem) problems.push(problem);
	}
	check('restart: all 5 parked executions complete with their files after n8n was killed and started again; 0 duplicate tasks',
		done.length === 5 && tasks.length === 5 && externalIds.size === 5 && problems.length === 0, `${done.length} done, ${tasks.length} tasks, ${problems.join('; ')}`);
	return again;
}

async function main() {
	const started = Date.now();
	ensureRuntime();
	buildPackage();
	const callbacks = emulatorModule('callbacks');
	const emulator = await startEmulatorHere({ submittedMs: 1_000, processingMs: 3_000, videoBytes: 256 * 1024 });
	// The account has a webhook secret: every callback is signed (verified only where the credential has it).
	emulator.callbacks.settings.secret = callbacks.TEST_WEBHOOK_SECRET;
	emulator.callbacks.injectFault({ kind: 'drop', stage: 'final', match: (body) => /\[(drop|signed|unheard)\]/.test(String(body.prompt)) });
	let n8nProcess;
	try {
		prepareState({
			extraWorkflows: Object.values(WORKFLOWS),
			extraCredentials: [emulatorCredential(SIGNED_CREDENTIAL, { webhookSecret: callbacks.TEST_WEBHOOK_SECRET })],
		});
		n8nProcess = await startN8n({ detached: true });
		log(`n8n ready after ${((Date.now() - started) / 1000).toFixed(0)} s`);
		await rest.login();
		for (const workflow of Object.values(WORKFLOWS)) await rest.publish(workflow.id);
		const droppedAt = await droppedStart();
		await failedStart();
		await oneItem(emulator);
		await tenItems(emulator);
		await signed(emulator, callbacks.TEST_WEBHOOK_SECRET, callbacks);
		await klingTrigger(emulator);
		await failedCheck(emulator);
		await droppedCheck(emulator, droppedAt);
		await busy(emulator, callbacks);
		await unheard(emulator);
		n8nProcess = await restart(emulator, n8nProcess);
	} catch (error) {
		failures.push(error.message);
		log(`FAIL ${error.message}`);
	} finally {
		if (n8nProcess?.pid) stopN8n(n8nProcess, 'SIGTERM');
		await emulator.stop();
	}
	const seconds = ((Date.now() - started) / 1000).toFixed(0);
	console.log(`e2e:park: ${failures.length ? `${failures.length} failed` : 'all passed'} in ${seconds} s`);
	process.exit(failures.length ? 1 : 0);
}

await main();
