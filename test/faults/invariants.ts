/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:assert runs outside n8n */
import assert from 'node:assert/strict';

import type { INodeExecutionData } from 'n8n-workflow';

import type { KlingEmulator } from '../emulator/kling-emulator';
import { SECRETS } from '../fixtures';
import type { NodeRunError } from '../harness/n8n';

/** Never two tasks for one item: each external_task_id (one per item) created at most one task. */
export function assertNoDuplicateSubmissions(emulator: KlingEmulator): void {
	const byExternalId = new Map<string, number>();
	for (const task of emulator.createdTasks()) {
		const key = String(task.body.external_task_id);
		byExternalId.set(key, (byExternalId.get(key) ?? 0) + 1);
	}
	const duplicates = [...byExternalId].filter(([, count]) => count > 1);
	assert.deepEqual(duplicates, [], 'an item created more than one task');
}

/** Every task Kling created (and so may bill) is named in the node's output or its error. */
export function assertEveryTaskReported(emulator: KlingEmulator, output: INodeExecutionData[], error?: NodeRunError): void {
	const reported = new Set<string>();
	for (const item of output) {
		for (const key of ['task_id', 'taskId']) if (item.json[key]) reported.add(String(item.json[key]));
	}
	const errorText = error ? `${error.message} ${error.description ?? ''} ${JSON.stringify(error.context ?? {})}` : '';
	for (const task of emulator.createdTasks()) {
		assert.ok(reported.has(task.task_id) || errorText.includes(task.task_id), `task ${task.task_id} is neither in the output nor in the error`);
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
	/^(Kling error \d{4}: .+|Kling task failed: .+|The Kling task did not finish within .+|Could not reach Kling: .+|The result file is gone .+|Could not download a result file: .+|The submit to Kling ended without a clear answer .+|Kling request failed with HTTP \d+.*)$/;
