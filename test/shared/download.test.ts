/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test, node:assert and node:stream run outside n8n */
/**
 * The download module's integrity rule in depth, with a stubbed HTTP client: a body that ends
 * cleanly but short of its Content-Length (what a proxy that swallows a cut connection hands on)
 * must never become a binary, while a body the client decoded (gzip) is not held to the wire length.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';

import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { downloadResultFiles, expectedBodyBytes } from '../../nodes/Kling/shared/download';
import type { KlingTask } from '../../nodes/Kling/shared/types';

const FILE = Buffer.alloc(1000, 7);

function rawBody(bytes: Buffer, rawHeaders: string[] | undefined) {
	const body = Readable.from([bytes]);
	if (rawHeaders) Object.assign(body, { rawHeaders });
	return body;
}

function context(responses: Array<() => { statusCode: number; headers: Record<string, string>; body: Readable }>) {
	let calls = 0;
	const stored: Buffer[] = [];
	const fake = {
		getNode: () => ({ id: 'n', name: 'Kling', type: 'kling', typeVersion: 1, position: [0, 0], parameters: {} }),
		getExecutionCancelSignal: () => undefined,
		getInputData: () => [{ json: {} }],
		getNodeParameter: () => ({ downloadBackoffBaseMs: 1, downloadBackoffMaxMs: 2 }),
		helpers: {
			httpRequest: async () => responses[Math.min(calls++, responses.length - 1)](),
			prepareBinaryData: async (stream: Readable, fileName: string, mimeType: string): Promise<IBinaryData> => {
				const chunks: Buffer[] = [];
				for await (const chunk of stream) chunks.push(chunk as Buffer);
				const data = Buffer.concat(chunks);
				stored.push(data);
				return { data: data.toString('base64'), fileName, mimeType, bytes: data.length } as unknown as IBinaryData;
			},
		},
	};
	return { fake: fake as unknown as IExecuteFunctions, calls: () => calls, stored };
}

const task = { task_id: 't1', task_status: 'succeed', task_result: { images: [{ index: 0, url: 'http://127.0.0.1:1/f.png' }] } } as KlingTask;

describe('download integrity', () => {
	test('a body that ends cleanly but short of its Content-Length is retried, and never handed on', async () => {
		const short = () => ({
			statusCode: 200,
			headers: { 'content-length': '1000', 'content-type': 'image/png' },
			body: rawBody(FILE.subarray(0, 500), ['Content-Length', '1000', 'Content-Type', 'image/png']),
		});
		const { fake, calls } = context([short]);
		await assert.rejects(downloadResultFiles.call(fake, task, 'data', 0), /received 500 of 1000 bytes/);
		assert.equal(calls(), 4, 'one try and three retries');
	});

	test('a short body once, then the whole file: the whole file is delivered', async () => {
		const { fake } = context([
			() => ({ statusCode: 200, headers: { 'content-length': '1000' }, body: rawBody(FILE.subarray(0, 10), ['content-length', '1000']) }),
			() => ({ statusCode: 200, headers: { 'content-length': '1000' }, body: rawBody(FILE, ['content-length', '1000']) }),
		]);
		const { binary } = await downloadResultFiles.call(fake, task, 'data', 0);
		assert.equal(Buffer.from(binary.data.data, 'base64').length, 1000);
	});

	test('a body the client decoded (gzip) is not compared with the compressed Content-Length', async () => {
		// The decoder's output stream carries no rawHeaders; Content-Length still counts the gzip bytes.
		const { fake, calls } = context([() => ({ statusCode: 200, headers: { 'content-length': '704' }, body: rawBody(FILE, undefined) })]);
		const { binary } = await downloadResultFiles.call(fake, task, 'data', 0);
		assert.equal(Buffer.from(binary.data.data, 'base64').length, 1000);
		assert.equal(calls(), 1);
	});

	test('expectedBodyBytes: only an undecoded body with a length and no content coding has an expected size', () => {
		assert.equal(expectedBodyBytes({ rawHeaders: ['Content-Length', '5'] }, { 'content-length': '5' }), 5);
		assert.equal(expectedBodyBytes({ rawHeaders: ['Content-Encoding', 'gzip', 'Content-Length', '5'] }, { 'content-length': '5' }), undefined);
		assert.equal(expectedBodyBytes({ rawHeaders: ['Transfer-Encoding', 'chunked'] }, {}), undefined);
		assert.equal(expectedBodyBytes({}, { 'content-length': '5' }), undefined);
	});
});
