/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: node:test, node:assert, node:stream and timers run outside n8n */
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

type Store = (stream: Readable, fileName: string, mimeType: string) => Promise<IBinaryData>;

function context(responses: Array<() => { statusCode: number; headers: Record<string, string>; body: Readable }>, store?: Store) {
	let calls = 0;
	const stored: Buffer[] = [];
	const fake = {
		getNode: () => ({ id: 'n', name: 'Kling', type: 'kling', typeVersion: 1, position: [0, 0], parameters: {} }),
		getExecutionCancelSignal: () => undefined,
		getInputData: () => [{ json: {} }],
		getNodeParameter: () => ({ downloadBackoffBaseMs: 1, downloadBackoffMaxMs: 2 }),
		helpers: {
			httpRequest: async () => responses[Math.min(calls++, responses.length - 1)](),
			prepareBinaryData: store ?? (async (stream: Readable, fileName: string, mimeType: string): Promise<IBinaryData> => {
				const chunks: Buffer[] = [];
				for await (const chunk of stream) chunks.push(chunk as Buffer);
				const data = Buffer.concat(chunks);
				stored.push(data);
				return { data: data.toString('base64'), fileName, mimeType, bytes: data.length } as unknown as IBinaryData;
			}),
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

	test('n8n’s binary store refusing a whole file fails at once, naming the store and the task, without downloading again', async () => {
		const whole = () => ({ statusCode: 200, headers: { 'content-length': '1000' }, body: rawBody(FILE, ['content-length', '1000']) });
		// What n8n's database mode does with a file over SQLite's limit: reads it all, then the insert fails.
		const tooBig: Store = async (stream) => {
			stream.resume();
			await new Promise((resolve) => stream.once('end', resolve));
			throw Object.assign(new Error('SQLITE_TOOBIG: string or blob too big'), { code: 'SQLITE_TOOBIG' });
		};
		const { fake, calls } = context([whole], tooBig);
		await assert.rejects(downloadResultFiles.call(fake, task, 'data', 0), (error: Error & { description?: string; context?: Record<string, unknown> }) => {
			assert.match(error.message, /n8n could not store the result file: SQLITE_TOOBIG/);
			assert.match(String(error.description), /N8N_DEFAULT_BINARY_DATA_MODE/);
			assert.equal(error.context?.taskId, 't1');
			return true;
		});
		assert.equal(calls(), 1, 'not downloaded again');
	});

	test('a full disk part-way through is the store’s failure too; a connection cut part-way is retried', async () => {
		const whole = () => ({ statusCode: 200, headers: { 'content-length': '1000' }, body: rawBody(FILE, ['content-length', '1000']) });
		const diskFull: Store = async () => {
			throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
		};
		const full = context([whole], diskFull);
		await assert.rejects(downloadResultFiles.call(full.fake, task, 'data', 0), /could not store the result file: ENOSPC/);
		assert.equal(full.calls(), 1);

		const cut = () => {
			const body = new Readable({ read() {} });
			body.push(FILE.subarray(0, 100));
			setImmediate(() => body.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
			return { statusCode: 200, headers: { 'content-length': '1000' }, body };
		};
		const broken = context([cut, whole]);
		const { binary } = await downloadResultFiles.call(broken.fake, task, 'data', 0);
		assert.equal(Buffer.from(binary.data.data, 'base64').length, 1000);
		assert.equal(broken.calls(), 2, 'the cut transfer was tried again');
	});
});
