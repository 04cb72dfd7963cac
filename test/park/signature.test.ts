/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-hardcoded-secrets -- test code: node:test and node:assert run outside n8n; the secret is https://kling.ai/document-api/llms.txt's published test vector */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { readCallback } from '../../nodes/Kling/park/callback';
import { signStandardWebhook, verifyStandardWebhook } from '../../nodes/Kling/park/webhookSignature';
import { newShapeOf, signatureHeaders, TEST_WEBHOOK_SECRET } from '../support/emulator/callbacks';

// https://kling.ai/document-api/api/get-started/callbacks: Kling's published test vector.
const VECTOR = {
	secret: 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=',
	id: '9876543210',
	timestamp: 1781080794,
	body: '{"id":"1234567890","status":"succeeded","message":"","create_time":1781080778802,"update_time":1781080794151}',
	signature: 'v1,UsKlJP00XoQyOn410NM9xv34sP+Gl0jnOO9Lcpr7NJ4=',
};

const headers = (signature = VECTOR.signature, extra: Record<string, string> = {}) => ({
	'webhook-id': VECTOR.id,
	'webhook-timestamp': String(VECTOR.timestamp),
	'webhook-signature': signature,
	...extra,
});

const verify = (options: Partial<Parameters<typeof verifyStandardWebhook>[0]> = {}) =>
	verifyStandardWebhook({ secret: VECTOR.secret, headers: headers(), rawBody: VECTOR.body, nowSeconds: VECTOR.timestamp, ...options });

describe('Standard-Webhooks signatures (https://kling.ai/document-api/api/get-started/callbacks)', () => {
	test('the published test vector verifies, with "now" pinned to its timestamp', () => {
		assert.deepEqual(verify(), { valid: true });
		assert.equal(signStandardWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body), VECTOR.signature);
	});

	test('a changed byte in the body, id or timestamp, or another secret, fails', () => {
		assert.equal(verify({ rawBody: VECTOR.body.replace('succeeded', 'succeedeD') }).valid, false);
		assert.equal(verify({ rawBody: JSON.stringify(JSON.parse(VECTOR.body), null, 1) }).valid, false, 're-serialised JSON is not the raw body');
		assert.equal(verify({ headers: { ...headers(), 'webhook-id': '9876543211' } }).valid, false);
		assert.equal(verify({ headers: { ...headers(), 'webhook-timestamp': String(VECTOR.timestamp + 1) }, nowSeconds: VECTOR.timestamp + 1 }).valid, false);
		assert.equal(verify({ secret: TEST_WEBHOOK_SECRET }).valid, false);
	});

	test('timestamps more than 5 minutes away are refused, within 5 minutes accepted', () => {
		assert.equal(verify({ nowSeconds: VECTOR.timestamp + 300 }).valid, true);
		assert.equal(verify({ nowSeconds: VECTOR.timestamp - 300 }).valid, true);
		assert.deepEqual(verify({ nowSeconds: VECTOR.timestamp + 301 }), { valid: false, reason: 'the signature timestamp is more than 5 minutes away from now' });
		assert.equal(verify({ nowSeconds: VECTOR.timestamp - 301 }).valid, false);
	});

	test('during a secret rotation any of several space-separated signatures passes; unknown versions are skipped', () => {
		assert.equal(verify({ headers: headers(`v1,AAAA v2,${VECTOR.signature.slice(3)} ${VECTOR.signature}`) }).valid, true);
		assert.equal(verify({ headers: headers(`v2,${VECTOR.signature.slice(3)}`) }).valid, false);
	});

	test('header names are case-insensitive; missing headers or body mean "not signed"', () => {
		const upper = { 'Webhook-Id': VECTOR.id, 'WEBHOOK-TIMESTAMP': String(VECTOR.timestamp), 'Webhook-Signature': VECTOR.signature };
		assert.equal(verify({ headers: upper }).valid, true);
		assert.deepEqual(verify({ headers: {} }), { valid: false, reason: 'the callback is not signed' });
		assert.equal(verify({ rawBody: undefined }).valid, false);
	});

	test('a secret that is not whsec_<base64> is reported, not thrown', () => {
		assert.equal(verify({ secret: 'whsec_' }).valid, false);
		assert.equal(verify({ secret: 'not base64 !' }).valid, false);
	});

	test('the emulator signs (its own code) what the node verifies', () => {
		const body = JSON.stringify({ task_id: '1', task_status: 'succeed' });
		const signed = signatureHeaders(TEST_WEBHOOK_SECRET, body);
		assert.deepEqual(verifyStandardWebhook({ secret: TEST_WEBHOOK_SECRET, headers: signed, rawBody: body }), { valid: true });
		const vector = signatureHeaders(VECTOR.secret, VECTOR.body, VECTOR.id, VECTOR.timestamp);
		assert.equal(vector['webhook-signature'], VECTOR.signature);
	});
});

describe('callback bodies (https://kling.ai/document-api/api/get-started/callbacks): both shapes', () => {
	const legacy = {
		task_id: '8672',
		task_status: 'succeed',
		task_status_msg: '',
		task_info: { external_task_id: 'ext-1' },
		task_result: { videos: [{ id: 'v1', url: 'https://cdn.example/v.mp4', duration: '5.1' }] },
		created_at: 1,
		updated_at: 2,
		final_unit_deduction: '1',
	};

	test('legacy: task_id / task_status; "succeed" and "failed" are final, the others not', () => {
		assert.deepEqual(readCallback(legacy), { taskId: '8672', status: 'succeed', final: true, kind: 'video' });
		assert.equal(readCallback({ ...legacy, task_status: 'processing', task_result: undefined })?.final, false);
		assert.equal(readCallback({ ...legacy, task_status: 'submitted', task_result: undefined })?.final, false);
		assert.equal(readCallback({ ...legacy, task_status: 'failed', task_result: undefined })?.final, true);
		assert.equal(readCallback({ task_id: '1', task_status: 'succeed', task_result: { images: [{ url: 'x' }] } })?.kind, 'image');
	});

	test('new: id / status "succeeded" with outputs[]; the emulator converts a legacy task into it', () => {
		const converted = newShapeOf(legacy);
		assert.equal(converted.id, '8672');
		assert.equal(converted.status, 'succeeded');
		assert.equal(converted.external_id, 'ext-1');
		assert.deepEqual(readCallback(converted), { taskId: '8672', status: 'succeeded', final: true, kind: 'video' });
		assert.deepEqual(readCallback(JSON.parse(VECTOR.body)), { taskId: '1234567890', status: 'succeeded', final: true, kind: undefined });
		// Kling's console "test callback"
		assert.equal(readCallback({ id: '1', status: 'submitted', outputs: [], message: '' })?.final, false);
	});

	test('anything else is not a callback', () => {
		for (const body of [undefined, null, 'text', [], {}, { task_id: '' , task_status: 'succeed' }, { id: 5 }, { task_id: {}, task_status: 'succeed' }]) {
			assert.equal(readCallback(body), undefined, JSON.stringify(body));
		}
	});
});
