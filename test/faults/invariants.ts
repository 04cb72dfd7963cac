/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:assert runs outside n8n */
import assert from 'node:assert/strict';

import type { INodeExecutionData } from 'n8n-workflow';

import type { KlingEmulator } from '../support/emulator/kling-emulator';
import { SECRETS } from '../support/fixtures';
import type { NodeRunError } from '../support/harness/n8n';

/**
 * Never two tasks for one item, read from Kling's creation log: every item is tagged by its prompt,
 * and each tag may have created at most one task. This holds whether or not the emulator refuses a
 * second task with the same external_task_id, so a node that resends blindly fails it.
 */
export function assertOneTaskPerItem(emulator: KlingEmulator, tagOf: (body: Record<string, unknown>) => string = (body) => String(body.prompt)): void {
	const tasksByTag = new Map<string, string[]>();
	for (const task of emulator.createdTasks()) {
		const tag = tagOf(task.body);
		tasksByTag.set(tag, [...(tasksByTag.get(tag) ?? []), task.task_id]);
	}
	const doubled = [...tasksByTag].filter(([, ids]) => ids.length > 1);
	assert.deepEqual(doubled, [], 'an item created more than one task');
}

/** Every output row that names a task names one its own item created (by tag), never someone else's. */
export function assertOwnTasks(
	emulator: KlingEmulator,
	output: INodeExecutionData[],
	tagOfItem: (itemIndex: number) => string,
	tagOf: (body: Record<string, unknown>) => string = (body) => String(body.prompt),
): void {
	for (const [position, row] of output.entries()) {
		const taskId = row.json.task_id ?? row.json.taskId;
		if (!taskId) continue;
		const task = emulator.tasks.get(String(taskId));
		assert.ok(task, `row ${position} names task ${String(taskId)}, which Kling never created`);
		const itemIndex = (row.pairedItem as { item: number }).item;
		assert.ok(!task.foreign, `row ${position} carries a task someone else created`);
		assert.equal(tagOf(task.body), tagOfItem(itemIndex), `row ${position} carries the task of another item`);
	}
}

/** Kept for suites whose items share a prompt: at most one task per external_task_id. */
export function assertNoDuplicateSubmissions(emulator: KlingEmulator): void {
	const byExternalId = new Map<string, number>();
	for (const task of emulator.createdTasks()) {
		const key = String(task.body.external_task_id);
		byExternalId.set(key, (byExternalId.get(key) ?? 0) + 1);
	}
	const duplicates = [...byExternalId].filter(([, count]) => count > 1);
	assert.deepEqual(duplicates, [], 'an item created more than one task');
}

/**
 * Every task Kling created (and so may bill) is findable from the node's output or its error: by its
 * task id, or — when the submit's answer never arrived — by the external_task_id it was sent with.
 */
export function assertEveryTaskReported(emulator: KlingEmulator, output: INodeExecutionData[], error?: NodeRunError): void {
	const reported = new Set<string>();
	for (const item of output) {
		for (const key of ['task_id', 'taskId', 'external_task_id', 'externalTaskId']) if (item.json[key]) reported.add(String(item.json[key]));
	}
	const errorText = error ? `${error.message} ${error.description ?? ''} ${JSON.stringify(error.context ?? {})}` : '';
	for (const task of emulator.createdTasks()) {
		const externalId = task.body.external_task_id ? String(task.body.external_task_id) : undefined;
		const found =
			reported.has(task.task_id) ||
			errorText.includes(task.task_id) ||
			(externalId !== undefined && (reported.has(externalId) || errorText.includes(externalId)));
		assert.ok(found, `task ${task.task_id} is neither in the output nor in the error, by task id or external id`);
	}
}

const JWT_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/** No secret key, API key or JWT in anything a user or a log sees. */
export function assertNoSecrets(texts: string[]): void {
	for (const text of texts) {
		for (const secret of [...SECRETS, JWT_HEADER]) {
			assert.ok(!text.includes(secret), `a secret leaked: ${text.slice(0, 200)}`);
		}
	}
}

/** What a clear error looks like: it says what happened and, after a submit, names the task. */
export const CLEAR_ERROR =
	/^(Kling error \d{4}: .+|Could not check whether External Task ID .+|Kling says External Task ID .+|Kling answered .+ instead of this item’s task|No free Kling task slot .+|Kling task failed: .+|The Kling task did not finish within .+|Could not reach Kling: .+|The result file is gone .+|Could not download a result file: .+|The submit to Kling ended without a clear answer .+|Kling request failed with HTTP \d+.*)$/;
