/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: node:test, node:assert and timers run outside n8n */
/**
 * Park mode in n8n's engine, with the emulator's callbacks travelling over HTTP to a stand-in for
 * n8n's waiting-webhook server (test/harness/park.ts).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import { postCallback, signatureHeaders, TEST_WEBHOOK_SECRET } from '../support/emulator/callbacks';
import type { KlingEmulator } from '../support/emulator/kling-emulator';
import { credentialsFor, fastWait, startEmulator } from '../support/fixtures';
import { CallbackReceiver, type ParkRunOptions, ParkSession } from '../support/harness/park';

let emulator: KlingEmulator;
let receiver: CallbackReceiver;
before(async () => {
	emulator = await startEmulator({ submittedMs: 100, processingMs: 300 });
	receiver = await new CallbackReceiver().start();
});
after(async () => {
	await receiver.stop();
	await emulator.stop();
});
beforeEach(() => {
	emulator.reset();
	receiver.refuse = undefined;
});

const readStatus = (body: unknown) => String((body as IDataObject).task_status ?? (body as IDataObject).status);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const pairedIndex = (item: { pairedItem?: unknown }) => (item.pairedItem as { item: number }).item;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, condition: () => boolean, timeoutMs = 8_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
		await sleep(20);
	}
	await receiver.settled();
}

const generate = (extra: IDataObject = {}): IDataObject => ({
	resource: 'image',
	operation: 'generate',
	prompt: '={{ "frame " + ($json.index ?? 0) }}',
	waitMode: 'park',
	...extra,
});

async function park(options: Partial<ParkRunOptions> & { credentialOverrides?: IDataObject } = {}): Promise<ParkSession> {
	const session = new ParkSession({
		credentials: credentialsFor('custom', emulator, options.credentialOverrides ?? {}),
		waitingBaseUrl: receiver.waitingBaseUrl,
		...options,
		parameters: options.parameters ?? generate(),
	});
	receiver.sessions.set(session.executionId, session);
	await session.start();
	return session;
}

const gets = (from = 0, to = emulator.requests.length) => emulator.requests.slice(from, to).filter((request) => request.method === 'GET');
const finalCallbacks = () => emulator.callbacks.sent.filter((callback) => callback.stage === 'final');
/** When the emulator's task reached its final status. */
const endOf = (task: { createdAt: number }) => task.createdAt + emulator.submittedMs + emulator.processingMs;
/** A callback body Kling sends: it names a task. */
const fromKling = (body: unknown) => typeof body === 'object' && body !== null && ('task_id' in body || 'id' in body);
const allTasksEnded = () => emulator.createdTasks().every((task) => emulator.statusOf(task) === 'succeed' || emulator.statusOf(task) === 'failed');

function assertEmulatorBytes(probe: IDataObject, json: IDataObject) {
	const files = json.files as Array<{ binaryProperty: string; url: string }>;
	assert.ok(files.length > 0, 'files were downloaded');
	for (const file of files) {
		const expected = emulator.fileBytes(file.url)!;
		assert.equal((probe[file.binaryProperty] as IDataObject).sha256, sha256(expected), `${file.binaryProperty} is the emulator's file`);
	}
}

describe('park mode: submit, park, resume on Kling’s callback', () => {
	test('one item: waiting while Kling renders, then success with the emulator’s bytes; one status read (the node’s re-check once parked) before the final callback; intermediate callbacks ignored', async () => {
		const session = await park();
		assert.equal(session.waiting, true);
		assert.ok(session.run.waitTill && new Date(session.run.waitTill).getTime() > Date.now() + 10 * 60_000, 'default deadline: the 15-minute timeout');
		const [parked] = session.output('Kling');
		assert.equal(parked.json.task_status, 'submitted');
		assert.equal((parked.json.park as IDataObject).status, 'not collected');
		assert.equal((parked.json.park as IDataObject).route, '/v1/images/generations');
		assert.equal(pairedIndex(parked), 0);
		const [submit] = emulator.submits();
		assert.equal(submit.body?.callback_url, session.resumeUrl, 'Kling is given this execution’s resume URL');

		await until('the node’s re-check', () => gets().length === 1, 3_000);
		await until('the submitted and processing callbacks', () => emulator.callbacks.sent.filter((callback) => callback.answer !== undefined).length >= 2, 3_000);
		assert.equal(session.waiting, true, 'intermediate callbacks leave the execution waiting');
		assert.equal(gets().length, 1, 'and read nothing more');

		await until('the resume', () => !session.waiting);
		const [final] = finalCallbacks();
		assert.equal(gets(0, final.requestsBefore).length, 1, 'one status read before the final callback: the node’s re-check once parked');
		assert.equal(gets().length, 2, 'and one read to confirm the callback');
		assert.deepEqual(emulator.callbacks.sent.map((callback) => [callback.stage, callback.answer]), [['submitted', 200], ['processing', 200], ['final', 200]]);
		assert.equal(session.run.status, 'success');
		assert.equal(session.passes, 2, 'parked once, resumed once');
		const [item] = session.output('Binary Probe');
		assert.equal(item.json.task_status, 'succeed');
		assert.equal(item.json.task_id, emulator.createdTasks()[0].task_id);
		assert.equal(item.json.park, undefined);
		assertEmulatorBytes(item.json.probe as IDataObject, item.json);
		assert.equal(pairedIndex(session.output('Kling')[0]), 0);
	});

	test('10 items: one resume, ten items in input order with pairedItem, each with its own task’s file', async () => {
		const items = Array.from({ length: 10 }, (_, index) => ({ index }));
		const session = await park({ items, parameters: generate({ waitOptions: { concurrency: 10 } }) });
		assert.equal(session.output('Kling').length, 10);
		await until('the resume', () => !session.waiting);
		assert.equal(session.passes, 2, 'exactly one resume');
		assert.equal(session.run.status, 'success');
		const taskOf = new Map(emulator.createdTasks().map((task) => [task.body.prompt, task.task_id]));
		const output = session.output('Kling');
		assert.equal(output.length, 10);
		output.forEach((item, index) => {
			assert.equal(item.json.task_id, taskOf.get(`frame ${index}`));
			assert.equal(pairedIndex(item), index);
		});
		session.output('Binary Probe').forEach((item) => assertEmulatorBytes(item.json.probe as IDataObject, item.json));
		assert.equal(gets().length, 20, 'one read per task at the node’s re-check once parked, one to confirm each final callback');
		assert.equal(emulator.createdTasks().length, 10);
	});

	test('duplicate, late and out-of-order callbacks: still exactly one resume', async () => {
		emulator.callbacks.injectFault({ kind: 'duplicate', stage: 'final' });
		emulator.callbacks.injectFault({ kind: 'outOfOrder', stage: 'processing' });
		emulator.callbacks.injectFault({ kind: 'late', stage: 'submitted', delayMs: 600 });
		const session = await park({ items: [{ index: 0 }, { index: 1 }, { index: 2 }] });
		await until('the resume', () => !session.waiting);
		await sleep(800);
		await receiver.settled();
		assert.equal(session.passes, 2, 'exactly one resume');
		assert.equal(session.run.status, 'success');
		assert.equal(session.output('Kling').length, 3);
		const late = receiver.received.filter((request) => request.status === 409);
		assert.ok(late.length >= 1, 'callbacks after the resume find the execution finished (409), as in n8n');
	});

	test('new-shape callbacks (id, status "succeeded", outputs[]) resume the same way', async () => {
		emulator.callbacks.settings.shape = 'new';
		const session = await park();
		await until('the resume', () => !session.waiting);
		assert.equal(emulator.callbacks.sent[0].body.id, emulator.createdTasks()[0].task_id);
		assert.equal(session.run.status, 'success');
		assertEmulatorBytes(session.output('Binary Probe')[0].json.probe as IDataObject, session.output('Binary Probe')[0].json);
	});

	test('with a Webhook Secret: unsigned, forged and stale callbacks get 401 and change nothing; Kling’s signed one resumes', async () => {
		emulator.callbacks.settings.secret = TEST_WEBHOOK_SECRET;
		emulator.callbacks.injectFault({ kind: 'drop', stage: 'final' });
		const session = await park({ credentialOverrides: { webhookSecret: TEST_WEBHOOK_SECRET } });
		await until('the task to end at Kling', allTasksEnded);
		await sleep(50);
		const task = emulator.createdTasks()[0];
		const ended = JSON.stringify(emulator.taskObject(task));
		const forged = JSON.stringify({ ...emulator.taskObject(task), task_result: { images: [{ index: 0, url: 'https://attacker.example/evil.png' }] } });
		const readsBefore = gets().length;
		assert.equal(await postCallback(session.resumeUrl, ended), 401, 'unsigned');
		assert.equal(await postCallback(session.resumeUrl, forged, signatureHeaders('whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==', forged)), 401, 'another secret');
		const stale = signatureHeaders(TEST_WEBHOOK_SECRET, ended, 'msg-1', Math.floor(Date.now() / 1000) - 600);
		assert.equal(await postCallback(session.resumeUrl, ended, stale), 401, 'ten minutes old');
		const signedOtherBody = signatureHeaders(TEST_WEBHOOK_SECRET, ended);
		assert.equal(await postCallback(session.resumeUrl, forged, signedOtherBody), 401, 'signature of another body');
		assert.equal(session.waiting, true);
		assert.equal(gets().length, readsBefore, 'nothing was read');

		assert.equal(await postCallback(session.resumeUrl, ended, signatureHeaders(TEST_WEBHOOK_SECRET, ended)), 200);
		await until('the resume', () => !session.waiting);
		assert.equal(session.run.status, 'success');
		const [item] = session.output('Binary Probe');
		assertEmulatorBytes(item.json.probe as IDataObject, item.json);
	});

	test('without a secret a forged "succeeded" callback only triggers a re-read: nothing is injected, the execution keeps waiting', async () => {
		emulator.processingMs = 1_500;
		const session = await park();
		const task = emulator.createdTasks()[0];
		const forged = JSON.stringify({ ...emulator.taskObject(task), task_status: 'succeed', task_result: { images: [{ index: 0, url: 'https://attacker.example/evil.png' }] } });
		assert.equal(await postCallback(session.resumeUrl, forged), 200);
		await receiver.settled();
		assert.equal(session.waiting, true, 'Kling says the task is still running');
		assert.ok(gets().length >= 1, 're-read with the credential');
		await until('the real end', () => !session.waiting, 6_000);
		const [item] = session.output('Binary Probe');
		assert.ok(!JSON.stringify(item.json).includes('attacker.example'));
		assertEmulatorBytes(item.json.probe as IDataObject, item.json);
	});

	test('a callback for a task of another run is acknowledged and ignored', async () => {
		emulator.processingMs = 1_000;
		const session = await park();
		assert.equal(await postCallback(session.resumeUrl, JSON.stringify({ task_id: '123', task_status: 'succeed' })), 200);
		await receiver.settled();
		assert.deepEqual(gets().map((request) => request.url), []);
		assert.equal(session.waiting, true);
		await until('the real end', () => !session.waiting, 6_000);
	});

	test('dropped callback: after the deadline every item goes on with its task id and "not collected"; Task › Get collects them', async () => {
		emulator.callbacks.injectFault({ kind: 'drop', stage: 'final' });
		const session = await park({
			items: [{ index: 0 }, { index: 1 }],
			parameters: generate({ waitOptions: { timeoutMinutes: 1 } }),
			then: {
				resource: 'task',
				operation: 'get',
				taskFamily: '={{ $json.park.route }}',
				lookupBy: 'taskId',
				taskId: '={{ $json.task_id }}',
				waitForCompletion: true,
				waitOptions: fastWait,
			},
		});
		const deadline = new Date(session.run.waitTill!).getTime();
		assert.ok(Math.abs(deadline - (Date.now() + 60_000)) < 5_000, 'the deadline is the timeout');
		await until('both tasks to end at Kling', allTasksEnded);
		await sleep(100);
		assert.equal(session.waiting, true, 'no final callback came');

		await session.expire();
		assert.equal(session.run.status, 'success');
		const passedOn = session.output('Kling');
		const tasks = emulator.createdTasks();
		assert.deepEqual(
			passedOn.map((item) => [item.json.task_id, (item.json.park as IDataObject).status, pairedIndex(item)]),
			[
				[tasks[0].task_id, 'not collected', 0],
				[tasks[1].task_id, 'not collected', 1],
			],
		);
		assert.match(String((passedOn[0].json.park as IDataObject).message), /Task › Get/);
		const collected = session.output('Binary Probe');
		assert.equal(collected.length, 2);
		collected.forEach((item, index) => {
			assert.equal(item.json.task_id, tasks[index].task_id);
			assertEmulatorBytes(item.json.probe as IDataObject, item.json);
		});
		assert.equal(emulator.createdTasks().length, 2, 'nothing submitted twice');
	});

	test('a failed task: without Continue On Fail the resumed execution fails naming it and the finished task; with it, an error row', async () => {
		const items = [{ index: 0 }, { index: 1 }];
		const prompt = '={{ $json.index === 1 ? "frame [fail]" : "frame 0" }}';
		const failing = await park({ items, parameters: generate({ prompt }) });
		await until('the resume', () => !failing.waiting);
		assert.equal(failing.run.status, 'error');
		const error = failing.error('Kling')!;
		const [ok, failed] = emulator.createdTasks();
		assert.match(error.message, /Kling task failed: Failure to pass the risk control system/);
		assert.ok(error.message.includes(failed.task_id), 'names the failed task');
		assert.ok(String(error.description).includes(ok.task_id), 'names the task the other item finished');
		assert.equal(failing.output('Binary Probe').length, 0);

		emulator.reset();
		const continuing = await park({ items, parameters: generate({ prompt }), continueOnFail: true });
		await until('the resume', () => !continuing.waiting);
		assert.equal(continuing.run.status, 'success');
		const [good, row] = continuing.output('Kling');
		assert.equal(good.json.task_status, 'succeed');
		assert.equal(row.json.taskId, emulator.createdTasks()[1].task_id);
		assert.match(String(row.json.error), /Kling task failed/);
		assert.equal(pairedIndex(row), 1);
	});

	test('callbacks arriving together: one resume, one download per file', async () => {
		emulator.callbacks.injectFault({ kind: 'drop', stage: 'final' });
		const session = await park({ items: [{ index: 0 }, { index: 1 }] });
		await until('both tasks to end at Kling', allTasksEnded);
		const bodies = emulator.createdTasks().map((task) => JSON.stringify(emulator.taskObject(task)));
		const answers = await Promise.all([...bodies, ...bodies, ...bodies].map((body) => postCallback(session.resumeUrl, body)));
		await receiver.settled();
		assert.ok(answers.every((status) => status === 200 || status === 409), answers.join(','));
		assert.equal(session.passes, 2, 'exactly one resume');
		assert.equal(session.run.status, 'success');
		assert.equal(emulator.fileRequests.length, 2, 'each file downloaded once');
	});

	test('final callbacks answered 409 while the node is still submitting (6 items, Concurrency 1, account limit 1): one resume with every result, soon after the last task ends, even when n8n cannot reach its own resume URL', async () => {
		emulator.concurrencyLimit = 1;
		// Only Kling's callbacks get through: nothing else reaches the resume URL.
		receiver.refuse = (request) => (fromKling(request.body) ? undefined : 502);
		const items = Array.from({ length: 6 }, (_, index) => ({ index }));
		const session = await park({ items, parameters: generate({ waitOptions: { concurrency: 1, timeoutMinutes: 5 } }), timing: { slotBackoffMaxMs: 50 } });
		assert.equal(session.waiting, true);
		await until('the resume', () => !session.waiting, 10_000);
		const resumedAt = Date.now();
		const refused = finalCallbacks().filter((callback) => callback.answer === 409);
		assert.ok(refused.length >= 3, `final callbacks answered 409 while the node submitted: ${refused.length} of 6`);
		assert.equal(session.passes, 2, 'exactly one resume');
		assert.equal(session.run.status, 'success');
		const tasks = emulator.createdTasks();
		assert.equal(tasks.length, 6, 'nothing submitted twice');
		const output = session.output('Binary Probe');
		assert.equal(output.length, 6);
		output.forEach((item, index) => {
			assert.equal(item.json.task_id, tasks.find((task) => task.body.prompt === `frame ${index}`)!.task_id);
			assert.equal(pairedIndex(item), index);
			assertEmulatorBytes(item.json.probe as IDataObject, item.json);
		});
		const lastEnd = Math.max(...tasks.map(endOf));
		assert.ok(resumedAt - lastEnd < 2_000, `resumed ${resumedAt - lastEnd} ms after the last task ended`);
	});

	test('every final callback refused, the last one too (tasks that end at once): the node’s own re-check after parking resumes the run', async () => {
		emulator.submittedMs = 5;
		emulator.processingMs = 5;
		// n8n answers every final callback 409: they all arrive while the node is still busy.
		receiver.refuse = (request) => (fromKling(request.body) && readStatus(request.body) === 'succeed' ? 409 : undefined);
		const items = [{ index: 0 }, { index: 1 }, { index: 2 }];
		const session = await park({ items, parameters: generate({ waitOptions: { concurrency: 1, timeoutMinutes: 5 } }) });
		assert.equal(session.waiting, true, 'parked');
		await until('the resume', () => !session.waiting, 5_000);
		assert.ok(finalCallbacks().length === 3 && finalCallbacks().every((callback) => callback.answer === 409), 'no final callback reached the node');
		assert.equal(session.passes, 2, 'exactly one resume');
		assert.equal(session.run.status, 'success');
		const output = session.output('Binary Probe');
		assert.equal(output.length, 3);
		output.forEach((item) => assertEmulatorBytes(item.json.probe as IDataObject, item.json));
	});

	test('a final callback arriving while its task is being read (the read began before the task ended): the task is read once more, the run resumes', async () => {
		// The re-check's read is answered late, with the task as it was when the read arrived.
		emulator.injectFault({ method: 'GET', path: '/v1/images/generations/*', delayMs: 500, stale: true, times: 1 });
		const session = await park({ parameters: generate({ waitOptions: { timeoutMinutes: 5 } }) });
		await until('the resume', () => !session.waiting, 5_000);
		const [final] = finalCallbacks();
		const [first] = gets();
		assert.ok(first.at < final.sentAt && final.sentAt < first.at + 500, 'the final callback came while the first read was in flight');
		assert.equal(session.run.status, 'success');
		assert.equal(gets().length, 2, 'read once more after the stale answer');
	});

	test('with a Webhook Secret the node’s re-check is signed like Kling’s callbacks and resumes the run', async () => {
		const before = receiver.received.length;
		emulator.callbacks.settings.secret = TEST_WEBHOOK_SECRET;
		emulator.submittedMs = 5;
		emulator.processingMs = 5;
		receiver.refuse = (request) => (fromKling(request.body) && readStatus(request.body) === 'succeed' ? 409 : undefined);
		const session = await park({ credentialOverrides: { webhookSecret: TEST_WEBHOOK_SECRET }, parameters: generate({ waitOptions: { timeoutMinutes: 5 } }) });
		await until('the resume', () => !session.waiting, 5_000);
		assert.equal(session.run.status, 'success');
		assert.equal(session.passes, 2, 'parked, then resumed');
		assert.ok(!receiver.received.slice(before).some((request) => request.status === 401), 'nothing was refused as unsigned');
	});

	test('the Callback URL option cannot be combined with park mode: refused before anything is paid', async () => {
		const session = await park({ parameters: generate({ options: { callbackUrl: 'https://example.com/hook' } }) });
		assert.equal(session.waiting, false);
		assert.match(session.error('Kling')!.message, /Callback URL option cannot be used/);
		assert.equal(emulator.submits().length, 0);
	});

	test('Wait for Completion off, or the default Wait Mode, does not park and sends no callback URL', async () => {
		for (const parameters of [generate({ waitMode: undefined, waitOptions: fastWait }), generate({ waitForCompletion: false })]) {
			emulator.reset();
			const session = await park({ parameters });
			assert.equal(session.waiting, false);
			assert.equal(session.run.status, 'success');
			assert.equal(emulator.submits()[0].body?.callback_url, undefined);
		}
	});
});
