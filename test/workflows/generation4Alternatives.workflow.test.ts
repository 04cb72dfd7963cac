/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
/**
 * Every Kling 4.0 product under every alternative the emulator plays for what no Kling page confirms
 * (routes, external_task_id and callback_url accepted / refused / ignored, HDR, Flash inputs, first frame):
 * byte-equal binaries, the exact route and body Kling received.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import { type Behaviour, type KlingEmulator } from '../support/emulator/kling-emulator';
import { startEmulator } from '../support/fixtures';
import { generation4Kit, ID_ALTERNATIVES, PRODUCTS, ROUTES } from './generation4Kit';

let emulator: KlingEmulator;
before(async () => (emulator = await startEmulator({ submittedMs: 20, processingMs: 60 })));
after(async () => await emulator.stop());
beforeEach(() => emulator.reset());

const { setBehaviour, assertFilesByteEqual, run } = generation4Kit(() => emulator);

for (const route of ROUTES) {
	for (const externalIds of ID_ALTERNATIVES) {
		describe(`Kling 4.0 — ${route.name}; Kling ${externalIds}s external_task_id; credential default (not sent)`, () => {
			beforeEach(() => setBehaviour({ ...route.behaviour, kling4ExternalTaskId: externalIds, kling4CallbackUrl: externalIds } as Partial<Behaviour>));
			for (const product of PRODUCTS) {
				test(`${product.name}: one task, the route and body Kling received, binaries byte-equal`, async () => {
					const result = await run(product.parameters, { credentials: route.credentials, items: product.items?.() });
					assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
					const submits = emulator.submits();
					assert.equal(submits.length, 1, 'one create request');
					assert.equal(submits[0].klingPath, product.path(route));
					const body = submits[0].body as IDataObject;
					assert.equal((body.options as IDataObject | undefined)?.external_task_id, undefined, 'no external_task_id unless the credential says the host keeps it');
					assert.ok(!('model_name' in body), 'the model is in the route');
					if (Object.keys(product.body).length) assert.deepEqual(body, product.body);
					const json = result.kling[0].json;
					assert.equal(json.task_status, 'succeed');
					assert.equal(json.api_standard, 'new');
					assert.equal(json.external_task_id, undefined, 'no id claimed that Kling was not given');
					assert.ok(emulator.requests.some((request) => request.klingPath === '/tasks'), 'read through /tasks');
					assertFilesByteEqual(result);
				});
			}
		});
	}
}

// The other open questions: each alternative Kling may play changes nothing the node sends by default.
const OTHER_ALTERNATIVES: Array<Partial<Behaviour>> = [
	{ kling4Hdr: 'resolutionValues' },
	{ kling4Hdr: 'dynamicRange' },
	{ kling4FlashInputs: 'wide' },
	{ kling4FirstFrame: 'optional' },
	{ kling4CallbackUrl: 'refuse', kling4ExternalTaskId: 'refuse' },
];
for (const alternative of OTHER_ALTERNATIVES) {
	describe(`Kling 4.0 where Kling plays ${JSON.stringify(alternative)}`, () => {
		beforeEach(() => setBehaviour(alternative));
		for (const product of PRODUCTS) {
			test(`${product.name}: delivered, byte-equal, the same body`, async () => {
				const result = await run(product.parameters, { items: product.items?.() });
				assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
				assert.equal(emulator.submits().length, 1);
				if (Object.keys(product.body).length) assert.deepEqual(emulator.submits()[0].body, product.body);
				assertFilesByteEqual(result);
			});
		}
	});
}
