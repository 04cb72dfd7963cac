/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { credentialsFor, fastWait, networkFor, startEmulator } from '../fixtures';
import type { KlingEmulator } from '../emulator/kling-emulator';
import { runKling } from '../harness/n8n';

let emulator: KlingEmulator;
before(async () => (emulator = await startEmulator()));
after(async () => await emulator.stop());

test('smoke', async () => {
	const result = await runKling({
		parameters: { resource: 'image', operation: 'generate', prompt: 'a red fox', options: { n: 2 }, waitOptions: fastWait },
		credentials: credentialsFor('singapore', emulator),
		network: networkFor(emulator),
	});
	console.log(JSON.stringify(result.error('Kling') ?? result.error(), null, 1)?.slice(0, 2000));
	console.log(JSON.stringify(result.kling, null, 1).slice(0, 2000));
	console.log(JSON.stringify(result.probed, null, 1).slice(0, 1500));
	console.log(emulator.requests.map((r) => `${r.method} ${r.url} ${r.deployment}`));
	assert.equal(result.kling.length, 1);
});
