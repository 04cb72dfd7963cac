/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: node:test, node:assert, node:stream and timers run outside n8n */
/**
 * The download module's integrity rule in depth, with a stubbed HTTP client: a body that ends
 * cleanly but short of its Content-Length (what a proxy that swallows a cut connection hands on)
 * must never become a binary, while a body the client decoded (gzip) is not held to the wire length.
 */
import assert from 'node:assert/strict';
import { createServer, get as httpGet, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';

import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { downloadResultFiles, expectedBodyBytes } from '../../nodes/Kling/task/downloadResults';
import type { KlingTask } from '../../nodes/Kling/kling/taskShape';

// A PNG signature, then filler: a body the type check accepts as an image.
const FILE = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(992, 7)]);

function rawBody(bytes: Buffer, rawHeaders: string[] | undefined) {
	const body = Readable.from([bytes]);
	if (rawHeaders) Object.assign(body, { rawHeaders });
	return body;
}

type Store = (stream: Readable, fileName: string, mimeType: string) => Promise<IBinaryData>;

type Response = { statusCode: number; headers: Record<string, string>; body: Readable };

/** The emulator's kind of credential: a custom host on 127.0.0.1, so result files on 127.0.0.1 are allowed. */
const LOCAL_CREDENTIAL = { provider: 'custom', baseUrl: 'http://127.0.0.1:9/kling', authType: 'apiKey', apiKey: 'k' };

interface ContextOptions {
	credential?: Record<string, unknown>;
	waitOptions?: Record<string, unknown>;
	timing?: Record<string, unknown>;
	requested?: string[];
}

function context(
	responses: Array<(url: string) => Response | Promise<Response>>,
	store?: Store,
	options: ContextOptions = {},
) {
	let calls = 0;
	const stored: Buffer[] = [];
	const fake = {
		getNode: () => ({ id: 'n', name: 'Kling', type: 'kling', typeVersion: 1, position: [0, 0], parameters: {} }),
		getExecutionCancelSignal: () => undefined,
		getInputData: () => [{ json: {} }],
		getNodeParameter: (name: string) =>
			name === 'waitOptions' ? (options.waitOptions ?? {}) : { downloadBackoffBaseMs: 1, downloadBackoffMaxMs: 2, ...options.timing },
		getCredentials: async () => options.credential ?? LOCAL_CREDENTIAL,
		helpers: {
			httpRequest: async (request: { url: string }) => {
				options.requested?.push(request.url);
				return await responses[Math.min(calls++, responses.length - 1)](request.url);
			},
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

/** A response as n8n's client hands it over, from a real local server. */
function fetchFrom(url: string): Promise<Response> {
	return new Promise((resolve, reject) => {
		httpGet(url, (res: IncomingMessage) =>
			resolve({ statusCode: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body: res }),
		).on('error', reject);
	});
}

const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const png = Buffer.concat([PNG_HEAD, Buffer.alloc(984, 1)]);
const taskWith = (url: string, kind: 'images' | 'videos' = 'images') =>
	({ task_id: 't2', task_status: 'succeed', task_result: kind === 'images' ? { images: [{ index: 0, url }] } : { videos: [{ id: 'v', url, duration: '5' }] } }) as unknown as KlingTask;
const whole = (bytes: Buffer, type: string) => () => ({
	statusCode: 200,
	headers: { 'content-length': String(bytes.length), 'content-type': type },
	body: rawBody(bytes, ['Content-Length', String(bytes.length), 'Content-Type', type]),
});

describe('download limits', () => {
	let trickle: Server;
	let trickleUrl = '';
	const timers = new Set<NodeJS.Timeout>();
	before(async () => {
		// A host that sends one byte every 200 ms, for at most 8 s: an idle timeout never fires.
		trickle = createServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'image/png', 'content-length': '40' });
			let sent = 0;
			const timer = setInterval(() => {
				if (sent >= 40 || res.destroyed) {
					clearInterval(timer);
					timers.delete(timer);
					return void res.end();
				}
				res.write(png.subarray(sent, sent + 1));
				sent++;
			}, 200);
			timers.add(timer);
			res.on('close', () => {
				clearInterval(timer);
				timers.delete(timer);
			});
		});
		await new Promise<void>((resolve) => trickle.listen(0, '127.0.0.1', resolve));
		trickleUrl = `http://127.0.0.1:${(trickle.address() as AddressInfo).port}/f.png`;
	});
	after(async () => {
		for (const timer of timers) clearInterval(timer);
		trickle.closeAllConnections();
		await new Promise<void>((resolve) => trickle.close(() => resolve()));
	});

	test('a host trickling a byte every 200 ms fails at the total deadline, without retries', async () => {
		const { fake, calls } = context([(url) => fetchFrom(url)], undefined, { timing: { downloadTimeoutMs: 1_000 } });
		const started = Date.now();
		await assert.rejects(downloadResultFiles.call(fake, taskWith(trickleUrl), 'data', 0), (error: Error & { context?: Record<string, unknown> }) => {
			assert.match(error.message, /did not arrive within 1 s/);
			assert.equal(error.context?.taskId, 't2');
			return true;
		});
		const elapsed = Date.now() - started;
		assert.ok(elapsed >= 900 && elapsed < 4_000, `ended at the deadline (${elapsed} ms)`);
		assert.equal(calls(), 1, 'a file that missed the whole deadline is not fetched again');
	});

	test('a file over Max File Size is refused from its Content-Length, before anything is stored', async () => {
		const big = Buffer.concat([PNG_HEAD, Buffer.alloc(3 * 1024 * 1024)]);
		const { fake, stored, calls } = context([whole(big, 'image/png')], undefined, { waitOptions: { maxDownloadMb: 2 } });
		await assert.rejects(downloadResultFiles.call(fake, taskWith('http://127.0.0.1:1/f.png'), 'data', 0), /larger than "Max File Size \(MB\)" \(2 MB\)/);
		assert.equal(stored.length, 0);
		assert.equal(calls(), 1);
	});

	test('a body without Content-Length is cut off once it passes Max File Size', async () => {
		let produced = 0;
		const endless = () => ({
			statusCode: 200,
			headers: { 'content-type': 'video/mp4' },
			body: new Readable({
				read() {
					produced += 64 * 1024;
					this.push(produced > 64 * 1024 * 1024 ? null : Buffer.alloc(64 * 1024, 2));
				},
			}),
		});
		const { fake } = context([endless], undefined, { waitOptions: { maxDownloadMb: 1 } });
		await assert.rejects(downloadResultFiles.call(fake, taskWith('http://127.0.0.1:1/v.mp4', 'videos'), 'data', 0), /larger than "Max File Size \(MB\)" \(1 MB\)/);
		assert.ok(produced < 4 * 1024 * 1024, `stopped reading soon after the cap (${produced} bytes read)`);
	});

	test('the default cap is generous: a 64 MB video is delivered', async () => {
		const video = Buffer.concat([Buffer.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70]), Buffer.alloc(64 * 1024 * 1024 - 8)]);
		const { fake } = context([whole(video, 'video/mp4')]);
		const { files } = await downloadResultFiles.call(fake, taskWith('http://127.0.0.1:1/v.mp4', 'videos'), 'data', 0);
		assert.equal(files.length, 1);
	});

	for (const url of [
		'http://127.0.0.1/f.png',
		'http://localhost:8080/f.png',
		'http://files.localhost/f.png',
		'http://10.1.2.3/f.png',
		'http://172.16.0.1/f.png',
		'http://172.31.255.255/f.png',
		'http://192.168.1.1/f.png',
		'http://169.254.169.254/latest/meta-data/',
		'http://0.0.0.0/f.png',
		'http://[::1]/f.png',
		'http://[fd00::1]/f.png',
		'http://[fe80::1]/f.png',
		'http://[::ffff:127.0.0.1]/f.png',
		'http://2130706433/f.png',
		'file:///etc/passwd',
	]) {
		test(`a result URL on a private or local host is refused when the credential’s host is public: ${url}`, async () => {
			const requested: string[] = [];
			const { fake } = context([whole(png, 'image/png')], undefined, { credential: { provider: 'singapore', apiKey: 'k' }, requested });
			await assert.rejects(downloadResultFiles.call(fake, taskWith(url), 'data', 0), /refused to download .* not a public host/i);
			assert.deepEqual(requested, [], 'nothing was fetched');
		});
	}

	test('public result hosts are fetched; a redirect from one to a private host is refused', async () => {
		const requested: string[] = [];
		const ok = context([whole(png, 'image/png')], undefined, { credential: { provider: 'singapore', apiKey: 'k' }, requested });
		await downloadResultFiles.call(ok.fake, taskWith('https://cdn.klingai.example/f.png'), 'data', 0);
		assert.deepEqual(requested, ['https://cdn.klingai.example/f.png']);

		const redirect = () => ({ statusCode: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' }, body: Readable.from([]) });
		const hop = context([redirect, whole(png, 'image/png')], undefined, { credential: { provider: 'singapore', apiKey: 'k' } });
		await assert.rejects(downloadResultFiles.call(hop.fake, taskWith('https://cdn.klingai.example/f.png'), 'data', 0), /refused to download .*169\.254\.169\.254/i);
		assert.equal(hop.calls(), 1, 'the redirect target was not fetched');
	});

	test('an HTML page served with 200 is refused, naming the task; nothing is stored', async () => {
		const html = Buffer.from('<!doctype html><html><body>Access denied</body></html>');
		const { fake, stored } = context([whole(html, 'text/html; charset=utf-8')]);
		await assert.rejects(downloadResultFiles.call(fake, taskWith('http://127.0.0.1:1/f.png'), 'data', 0), (error: Error) => {
			assert.match(error.message, /result file of task t2 is not an image: the host sent "text\/html"/);
			return true;
		});
		assert.equal(stored.length, 0);
	});

	test('application/octet-stream must carry the bytes of the kind the task produced', async () => {
		const good = context([whole(png, 'application/octet-stream')]);
		const { files } = await downloadResultFiles.call(good.fake, taskWith('http://127.0.0.1:1/f.png'), 'data', 0);
		assert.equal(files[0].mimeType, 'image/png');

		const html = Buffer.from('<html><body>login</body></html>');
		const bad = context([whole(html, 'application/octet-stream')]);
		await assert.rejects(downloadResultFiles.call(bad.fake, taskWith('http://127.0.0.1:1/f.png'), 'data', 0), /result file of task t2 is not an image/);

		const video = context([whole(png, 'image/png')]);
		await assert.rejects(downloadResultFiles.call(video.fake, taskWith('http://127.0.0.1:1/v.mp4', 'videos'), 'data', 0), /result file of task t2 is not a video: the host sent "image\/png"/);
	});
});
