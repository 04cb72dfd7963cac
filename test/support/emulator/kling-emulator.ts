/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-hardcoded-secrets -- test infrastructure: a real HTTP server outside n8n, with made-up test keys */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { legacyListPrice } from './billing';
import { CallbackSender } from './callbacks';
import { parseExactJson, stringifyExactJson } from './exactJson';
import { verifyKlingJwt } from './jwt';
import { DEMO_AUDIO_SECONDS, demoMp4, imageSize, makeMp3, makeMp4, makePng, makeWav } from './media';
import {
	callbackUrlOf,
	foreignAnswer,
	isNewStandardPath,
	NewStandardApi,
	newStandardRoute,
	newTaskObject,
	poolOf,
} from './newStandard';
import { discontinuedModel, ROUTES, type RouteSpec, validateRequest } from './routes';
import { endpointAnswer, resetEndpoints } from './endpoints';

/** One way of reaching Kling: an origin, a path prefix and the keys it accepts. */
export interface Deployment {
	name: string;
	origin: string;
	prefix: string;
	/** Access key → secret key; empty for resellers, which only take their own Bearer keys. */
	accessKeys: Record<string, string>;
	apiKeys: string[];
	/** CometAPI's legacy multi-image-to-image: /v1/images/generations with subject_image_list and scence_image. */
	legacyMultiImage?: boolean;
	/** Serves the new-standard routes and /tasks; default: official hosts only (see NewStandardApi.serves). */
	newStandard?: boolean;
}

export interface Fault {
	method?: string;
	/** Kling path without the deployment prefix; a trailing * matches any rest. */
	path?: string;
	times?: number;
	status?: number;
	code?: number;
	message?: string;
	retryAfterSeconds?: number;
	delayMs?: number;
	/** Drop the connection without an answer, before or after the task is created. */
	reset?: 'beforeCreate' | 'afterCreate';
	/** Never answer, before or after the task is created. */
	hang?: 'beforeCreate' | 'afterCreate';
	/** Answer 200 with a body that is not JSON. */
	malformed?: boolean;
	/** With `status`: create the task first, then answer with that status (a gateway error after creation). */
	afterCreate?: boolean;
	/** Answer 307 to the same path on another origin (localhost instead of 127.0.0.1). */
	crossOriginRedirect?: boolean;
	/** Answer 200 with the newest foreign task (seedForeignTask), like a proxy or cache that mixes up tasks. */
	foreignTask?: boolean;
	/** Only requests whose raw body contains this text (e.g. one item's prompt). */
	bodyIncludes?: string;
	/** A backlog: the task is created, but reads and lookups see it only this many ms later. */
	registerAfterMs?: number;
	/** A task query answers with the task as it was when the request arrived (with delayMs: a read that lags). */
	stale?: boolean;
}

export interface FileFault {
	times?: number;
	/**
	 * truncate: half the bytes, then the connection drops; gzip / chunked: the whole file, gzip-encoded
	 * or without Content-Length; gzipTruncated / chunkedTruncated: the same, cut off halfway;
	 * crossOriginRedirect: 302 to the same file on another origin (localhost).
	 */
	kind:
		| 'truncate'
		| 'expired'
		| 'reset'
		| 'status500'
		| 'redirect'
		| 'gzip'
		| 'gzipTruncated'
		| 'chunked'
		| 'chunkedTruncated'
		| 'crossOriginRedirect';
}

/**
 * What Kling does not document becomes a switch; the node's suites run under each setting.
 * - uniqueExternalIds: a second create with a taken external_task_id is refused (400/1201, seen live on
 *   the new API) — or, on legacy routes where it is untested, accepted as another task.
 * - unknownQueryParameters: a list route ignores parameters it does not document (the newest tasks come
 *   back) — or refuses them.
 * - discontinuedAnswer: a retired model is refused with 400/1201 or 404/1203 (Q7; the text was seen live).
 * - newStandardOnBeijing: the Beijing host serves the new-standard routes and /tasks like Singapore (Q21).
 * - omniAspectRatio: omni-video without a first frame or reference video needs settings.aspect_ratio
 *   (the page's notes) or not (its table and examples) (Q9).
 * Kling 4.0 (kling4.ts; the open questions of docs/kling-4.md):
 * - kling4Paths: 4.0 video is created per mode at /text-to-video|image-to-video|omni-video/<model> (the path's
 *   mode must equal the body's) or at one /video/<model>, mode from the body (Q2).
 * - kling4ImagePaths: Image 4.0 and Long Image 4.0 are created at /omni-image/<model> or /text-to-image/<model> (Q5).
 * - kling4ExternalTaskId / kling4CallbackUrl: options.external_task_id / options.callback_url on 4.0 are taken
 *   like 3.0, refused with 400/1201 "… is not supported on <model>" (no task), or dropped silently (Q1).
 * - kling4References: `@token`s in a 4.0 prompt name contents ids (id on every item) or the ordinal names
 *   @ImageN/@VideoN/@ElementN/@AudioN (id only on element and voice) (Q3).
 * - kling4Hdr: 4.0 resolution 720p/1080p only; or also "4k", "1080p HDR", "4k HDR"; or 720p/1080p/4k with
 *   settings.dynamic_range sdr|hdr (hdr at 1080p/4k) (Q6). Flash stays 720p.
 * - kling4FlashInputs: Flash takes only a top-level prompt, or also first_frame, refer_image, feature_video, element (Q10).
 * - kling4FirstFrame: 4.0 image-to-video needs a first_frame, or any frame will do (Q11).
 */
export interface Behaviour {
	uniqueExternalIds: boolean;
	unknownQueryParameters: 'ignore' | 'reject';
	discontinuedAnswer: '1201' | '1203';
	newStandardOnBeijing: boolean;
	omniAspectRatio: 'optional' | 'required';
	kling4Paths: 'perMode' | 'unified';
	kling4ImagePaths: 'omniImage' | 'textToImage';
	kling4ExternalTaskId: 'accept' | 'refuse' | 'ignore';
	kling4CallbackUrl: 'accept' | 'refuse' | 'ignore';
	kling4References: 'id' | 'ordinal';
	kling4Hdr: 'refuse' | 'resolutionValues' | 'dynamicRange';
	kling4FlashInputs: 'textOnly' | 'wide';
	kling4FirstFrame: 'required' | 'optional';
}

export const DEFAULT_BEHAVIOUR: Behaviour = {
	uniqueExternalIds: true,
	unknownQueryParameters: 'ignore',
	discontinuedAnswer: '1201',
	newStandardOnBeijing: true,
	omniAspectRatio: 'optional',
	kling4Paths: 'perMode',
	kling4ImagePaths: 'omniImage',
	kling4ExternalTaskId: 'accept',
	kling4CallbackUrl: 'accept',
	kling4References: 'id',
	kling4Hdr: 'refuse',
	kling4FlashInputs: 'textOnly',
	kling4FirstFrame: 'required',
};

/** Random faults from a seeded generator, so a failing run can be replayed exactly. */
export interface Chaos {
	random: () => number;
	/** Probability that an API request gets one of `apiFaults`. */
	apiRate: number;
	apiFaults: Fault[];
	/** Probability that a file download gets one of `fileFaults`. */
	fileRate: number;
	fileFaults: FileFault['kind'][];
}

/** mulberry32: a small seeded PRNG. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export interface RecordedRequest {
	method: string;
	url: string;
	klingPath: string;
	deployment?: string;
	origin: string;
	headers: IncomingMessage['headers'];
	body?: Record<string, unknown>;
	rawBody: string;
	/** The task this request created, if any. */
	createdTaskId?: string;
	/** When it arrived (ms). */
	at: number;
}

export interface EmulatedTask {
	/** The task id (`id` in the new standard's shape). */
	task_id: string;
	/** Which API made it: legacy `/v1/...` (model_name in the body) or the new `/<product>/<model>`. */
	standard: 'legacy' | 'new';
	route: RouteSpec;
	deployment: string;
	credentialKey: string;
	body: Record<string, unknown>;
	createdAt: number;
	outcome: { status: 'succeed' | 'failed'; message: string };
	slots: number;
	/** Concurrency pool: account × model version × pack type (https://kling.ai/document-api/api/get-started/concurrency-rules). */
	pool: string;
	/** `generatedSize`: a large file streamed from a pattern instead of held in memory (benchmarks). */
	files: Array<{ url: string; bytes: Buffer; mimeType: string; generatedSize?: number }>;
	expired: boolean;
	/** Created by someone else on the account (seedForeignTask), not by the node under test. */
	foreign?: boolean;
	/** Reads see the task only from this time on (a create still in Kling's backlog). */
	visibleAt?: number;
	/** When a status read (by id, list page or /tasks) first answered that it had ended (benchmarks measure detection with it). */
	reportedDoneAt?: number;
}

export interface EmulatorOptions {
	deployments?: Deployment[];
	submittedMs?: number;
	processingMs?: number;
	/**
	 * How long a video of a model that is not a Turbo, Flash or Lite model processes (default: processingMs).
	 * Real Kling videos take minutes; the demo (`npm start`) makes them last about as long as the first check.
	 */
	videoProcessingMs?: number;
	imageSidePx?: number;
	videoBytes?: number;
	/** Kling 4.0 image results are padded to this many bytes (an 8K PNG is about 80 MB); default: unpadded. */
	imageBytes?: number;
	/** The custom preset's host serves the new API too (the demo and e2e credential's host, so Kling 4.0 runs there). */
	customHostServesNewStandard?: boolean;
	/** Running-task limit per account × model version × pack type; 0 = none. Image tasks use n slots (https://kling.ai/document-api/api/get-started/concurrency-rules). */
	concurrencyLimit?: number;
	behaviour?: Partial<Behaviour>;
}

const HTTP_STATUS_FOR_CODE: Record<number, number> = {
	1000: 401,
	1001: 401,
	1002: 401,
	1003: 401,
	1004: 401,
	1100: 429,
	1101: 429,
	1102: 429,
	1103: 403,
	1200: 400,
	1201: 400,
	1202: 404,
	1203: 404,
	1300: 400,
	1301: 400,
	1302: 429,
	1303: 429,
	1304: 429,
	5000: 500,
	5001: 503,
	5002: 504,
};

export const TEST_KEYS = {
	singapore: { accessKey: 'ak-singapore-test', secretKey: 'sk-singapore-s3cr3t-value', apiKey: 'kling-sg-api-key-s3cr3t' },
	beijing: { accessKey: 'ak-beijing-test', secretKey: 'sk-beijing-s3cr3t-value', apiKey: 'kling-bj-api-key-s3cr3t' },
	cometapi: { apiKey: 'sk-comet-s3cr3t-key' },
	quickrouter: { apiKey: 'qr-s3cr3t-key' },
	custom: { accessKey: 'ak-custom-test', secretKey: 'sk-custom-s3cr3t-value', apiKey: 'custom-s3cr3t-key' },
};

export function defaultDeployments(localOrigin: string): Deployment[] {
	return [
		{
			name: 'singapore',
			origin: 'https://api-singapore.klingai.com',
			prefix: '',
			accessKeys: { [TEST_KEYS.singapore.accessKey]: TEST_KEYS.singapore.secretKey },
			apiKeys: [TEST_KEYS.singapore.apiKey],
		},
		{
			name: 'beijing',
			origin: 'https://api-beijing.klingai.com',
			prefix: '',
			accessKeys: { [TEST_KEYS.beijing.accessKey]: TEST_KEYS.beijing.secretKey },
			apiKeys: [TEST_KEYS.beijing.apiKey],
		},
		{
			name: 'cometapi',
			origin: 'https://api.cometapi.com',
			prefix: '/kling',
			accessKeys: {},
			apiKeys: [TEST_KEYS.cometapi.apiKey],
			legacyMultiImage: true,
		},
		{
			name: 'quickrouter',
			origin: 'https://api.quickrouter.ai',
			prefix: '/kling',
			accessKeys: {},
			apiKeys: [TEST_KEYS.quickrouter.apiKey],
		},
		{
			name: 'custom',
			origin: localOrigin,
			prefix: '/custom/kling',
			accessKeys: { [TEST_KEYS.custom.accessKey]: TEST_KEYS.custom.secretKey },
			apiKeys: [TEST_KEYS.custom.apiKey],
		},
	];
}

/** The header through which the test network tells the emulator which host a request was meant for. */
export const EMULATED_ORIGIN_HEADER = 'x-emulated-origin';

const LEGACY_MULTI_IMAGE_ROUTE: RouteSpec = (() => {
	const official = ROUTES.find((route) => route.path === '/v1/images/multi-image2image')!;
	const { scene_image: sceneImage, ...fields } = official.fields;
	return { ...official, path: '/v1/images/generations', fields: { ...fields, scence_image: sceneImage } };
})();

/** Input images for the example workflows: GET /samples/<name>.png on the file host. */
/**
 * Input files a user might give by URL (for the node's check before paying): /inputs/photo-640x360.png
 * (any size), /inputs/clip.mp4 (a 3-second video; /inputs/clip-<n>s.mp4 declares n seconds), /inputs/page.html (a web page), /inputs/huge-11mb.png (a PNG header declaring 11 MB);
 * anything else answers 404. A Range request gets 206 and only that range, as real file hosts do.
 */
/** A copy of an MP4 whose movie header (mvhd, version 0) declares `seconds`. */
function withDeclaredSeconds(mp4: Buffer, seconds: number): Buffer {
	const copy = Buffer.from(mp4);
	const at = copy.indexOf('mvhd');
	if (at < 0 || copy[at + 4] !== 0) return copy;
	copy.writeUInt32BE(Math.round(seconds * copy.readUInt32BE(at + 16)), at + 20);
	return copy;
}

function serveInputFile(req: IncomingMessage, res: ServerResponse, name: string): void {
	const png = /^photo-(\d+)x(\d+)\.png$/.exec(name);
	let bytes: Buffer | undefined;
	let mimeType = 'image/png';
	let declared: number | undefined;
	if (png) bytes = makePng(Number(png[1]), Number(png[2]), name);
	else if (name === 'page.html') {
		bytes = Buffer.from('<!doctype html><html><body>Sign in to see this file</body></html>');
		mimeType = 'text/html; charset=utf-8';
	} else if (name === 'clip.mp4') {
		bytes = demoMp4();
		mimeType = 'video/mp4';
	} else if (/^clip-\d+s\.mp4$/.test(name)) {
		// The demo clip declaring another length in its movie header (mvhd): a reference video of that many seconds.
		bytes = withDeclaredSeconds(demoMp4(), Number(/\d+/.exec(name)![0]));
		mimeType = 'video/mp4';
	} else if (name === 'huge-11mb.png') {
		bytes = makePng(640, 360, name);
		declared = 11 * 1024 * 1024;
	}
	if (!bytes) {
		res.writeHead(404, { 'content-type': 'text/plain' });
		return void res.end('Not Found');
	}
	const total = declared ?? bytes.length;
	const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
	if (range) {
		const start = Number(range[1]);
		const end = Math.min(range[2] ? Number(range[2]) : total - 1, total - 1);
		const part = bytes.subarray(start, end + 1);
		res.writeHead(206, { 'content-type': mimeType, 'content-length': String(part.length), 'content-range': `bytes ${start}-${end}/${total}` });
		return void res.end(part);
	}
	res.writeHead(200, { 'content-type': mimeType, 'content-length': String(bytes.length) });
	res.end(bytes);
}

export function sampleImage(name: string): Buffer {
	return makePng(640, 480, `sample-${name}`);
}

const LARGE_FILE_BYTES = 64 * 1024 * 1024;
const PATTERN = Buffer.from(Array.from({ length: 1024 * 1024 }, (_, index) => (index * 31 + 7) & 0xff));

/** Streams `size` bytes of a fixed pattern with backpressure, never holding the file. */
function streamGenerated(res: ServerResponse, mimeType: string, size: number): void {
	res.writeHead(200, { 'content-type': mimeType, 'content-length': String(size) });
	let sent = 0;
	const pump = () => {
		while (sent < size) {
			const chunk = PATTERN.subarray(0, Math.min(PATTERN.length, size - sent));
			sent += chunk.length;
			if (!res.write(chunk)) return void res.once('drain', pump);
		}
		res.end();
	};
	pump();
}

export function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/**
 * A Kling API double on 127.0.0.1 that behaves as https://kling.ai/document-api/llms.txt describes: auth, validation,
 * task lifecycle, callbacks, result files on a separate origin, fault injection and a record
 * of every request.
 */
export class KlingEmulator {
	readonly requests: RecordedRequest[] = [];
	readonly fileRequests: Array<{ url: string; headers: IncomingMessage['headers'] }> = [];
	/** Kling's callbacks to each task's callback_url (callbacks.ts): shapes, signing, faults. */
	readonly callbacks: CallbackSender<EmulatedTask> = new CallbackSender<EmulatedTask>(this);
	readonly tasks = new Map<string, EmulatedTask>();
	readonly faults: Fault[] = [];
	/** Files of synchronous answers (TTS audio, face images, …), served like task results. */
	readonly extraFiles = new Map<string, { bytes: Buffer; mimeType: string }>();
	readonly fileFaults: FileFault[] = [];
	deployments: Deployment[] = [];
	submittedMs: number;
	processingMs: number;
	imageSidePx: number;
	videoBytes: number;
	imageBytes: number;
	concurrencyLimit: number;
	behaviour: Behaviour;
	/**
	 * The most slots that ever ran at once, keyed by account (`deployment:key`) and by pool
	 * (`deployment:key|model version|pack type`, the unit concurrencyLimit applies to).
	 */
	readonly peakRunningSlots = new Map<string, number>();
	/** The new-standard routes and /tasks (newStandard.ts). */
	readonly newStandard = new NewStandardApi(this);
	chaos?: Chaos;
	/** Shifts the emulator's clock for token checks (simulates clock skew between n8n and Kling). */
	clockOffsetMs = 0;
	/** Decides how a task ends; by default a prompt containing "[fail]" fails. */
	outcome: (body: Record<string, unknown>) => EmulatedTask['outcome'] = (body) =>
		stringifyExactJson(body).includes('[fail]')
			? { status: 'failed', message: 'Failure to pass the risk control system' }
			: { status: 'succeed', message: '' };

	private api?: Server;
	private files?: Server;
	private readonly sockets = new Set<Socket>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private nextTaskNumber = 867283741759111000n;

	constructor(private readonly options: EmulatorOptions = {}) {
		this.submittedMs = options.submittedMs ?? 30;
		this.processingMs = options.processingMs ?? 60;
		this.imageSidePx = options.imageSidePx ?? 360;
		this.videoBytes = options.videoBytes ?? 0;
		this.imageBytes = options.imageBytes ?? 0;
		this.concurrencyLimit = options.concurrencyLimit ?? 0;
		this.behaviour = { ...DEFAULT_BEHAVIOUR, ...options.behaviour };
	}

	url = '';
	filesUrl = '';

	async start(ports: { api?: number; files?: number } = {}): Promise<this> {
		this.api = await this.listen((req, res) => void this.handleApi(req, res), ports.api);
		this.files = await this.listen((req, res) => this.handleFile(req, res), ports.files);
		this.url = `http://127.0.0.1:${(this.api.address() as AddressInfo).port}`;
		this.filesUrl = `http://127.0.0.1:${(this.files.address() as AddressInfo).port}`;
		this.deployments = this.options.deployments ?? defaultDeployments(this.url);
		if (this.options.customHostServesNewStandard) {
			for (const deployment of this.deployments) if (deployment.name === 'custom') deployment.newStandard = true;
		}
		return this;
	}

	async stop(): Promise<void> {
		for (const timer of this.timers) clearTimeout(timer);
		this.callbacks.stop();
		for (const socket of this.sockets) socket.destroy();
		await Promise.all([this.api, this.files].map((server) => new Promise((resolve) => server?.close(resolve))));
	}

	/** Forget requests, tasks and faults between tests; the servers keep running. */
	reset(): void {
		this.requests.length = 0;
		this.fileRequests.length = 0;
		this.callbacks.reset();
		this.tasks.clear();
		this.faults.length = 0;
		this.fileFaults.length = 0;
		this.clockOffsetMs = 0;
		this.concurrencyLimit = this.options.concurrencyLimit ?? 0;
		this.behaviour = { ...DEFAULT_BEHAVIOUR, ...this.options.behaviour };
		this.peakRunningSlots.clear();
		this.newStandard.reset();
		this.submittedMs = this.options.submittedMs ?? 30;
		this.processingMs = this.options.processingMs ?? 60;
		this.chaos = undefined;
		this.extraFiles.clear();
		resetEndpoints(this);
	}

	injectFault(fault: Fault): void {
		this.faults.push({ times: 1, ...fault });
	}

	injectFileFault(fault: FileFault): void {
		this.fileFaults.push({ times: 1, ...fault });
	}

	/** Requests that reached a Kling route (not the file host), optionally only submits. */
	submits(): RecordedRequest[] {
		return this.requests.filter((request) => request.method === 'POST');
	}

	/** A new-standard task as `/tasks` and its callbacks show it. */
	newStandardObject(task: EmulatedTask, now = Date.now()): Record<string, unknown> {
		return newTaskObject(this, task, now);
	}

	/** Tasks the node under test created (paid), in creation order; seeded foreign tasks are left out. */
	createdTasks(): EmulatedTask[] {
		return [...this.tasks.values()].filter((task) => !task.foreign);
	}

	private processingMsOf(task: EmulatedTask): number {
		const video = task.route.result === 'video' || task.route.result === 'videoWithAudio';
		const model = String(task.body.model_name ?? task.route.path ?? '');
		if (!video || this.options.videoProcessingMs === undefined || /turbo|flash|lite/i.test(model)) return this.processingMs;
		return this.options.videoProcessingMs;
	}

	standardOf(task: EmulatedTask): 'legacy' | 'new' {
		return task.standard;
	}

	statusOf(task: EmulatedTask, now = Date.now()): 'submitted' | 'processing' | 'succeed' | 'failed' {
		const elapsed = now - task.createdAt;
		if (elapsed < this.submittedMs) return 'submitted';
		if (elapsed < this.submittedMs + this.processingMsOf(task)) return 'processing';
		return task.outcome.status;
	}

	/** A status read's answer for a task: notes the first one that tells it ended. */
	readAnswer(task: EmulatedTask, object: Record<string, unknown>): Record<string, unknown> {
		const status = object.task_status ?? object.status;
		if (task.reportedDoneAt === undefined && status !== 'submitted' && status !== 'processing') task.reportedDoneAt = Date.now();
		return object;
	}

	taskObject(task: EmulatedTask, now = Date.now()): Record<string, unknown> {
		const status = this.statusOf(task, now);
		const object: Record<string, unknown> = {
			task_id: task.task_id,
			task_status: status,
			task_status_msg: status === 'failed' ? task.outcome.message : '',
			task_info: task.body.external_task_id ? { external_task_id: task.body.external_task_id } : {},
			created_at: task.createdAt,
			updated_at: now,
		};
		if (status === 'succeed') {
			object.final_unit_deduction = String(legacyListPrice(task.route.path, task.body) ?? task.slots);
			object.task_result = this.taskResult(task);
		}
		return object;
	}

	/** @internal the legacy `task_result`; newStandard.ts renames it into `outputs[]`. */
	taskResult(task: EmulatedTask): Record<string, unknown> {
		const urls = task.files.map((file) => file.url);
		const custom = task.route.taskResult?.(task, urls);
		if (custom) return custom;
		switch (task.route.result) {
			case 'custom':
				return {};
			case 'images':
				return { images: urls.map((url, index) => ({ index, url })) };
			case 'video':
				return { videos: [{ id: `video-${task.task_id}`, url: urls[0], duration: '5.1' }] };
			case 'audio':
				return {
					audios: [{ id: `audio-${task.task_id}`, url_mp3: urls[0], url_wav: urls[1], duration_mp3: '3.0', duration_wav: '3.0' }],
				};
			case 'speech':
				return { audios: [{ id: `audio-${task.task_id}`, url: urls[0], duration: '2.0' }] };
			case 'videoWithAudio':
				return {
					videos: [{ id: `video-${task.task_id}`, url: urls[0], duration: '5.0' }],
					audios: [{ id: `audio-${task.task_id}`, url_mp3: urls[1], url_wav: urls[2], duration_mp3: '5.0', duration_wav: '5.0' }],
				};
		}
	}

	/** The bytes the file host serves at `url` (what a downloaded binary must equal). */
	fileBytes(url: string): Buffer | undefined {
		for (const task of this.tasks.values()) {
			const file = task.files.find((candidate) => candidate.url === url);
			if (file) return file.bytes;
		}
		return this.extraFiles.get(url)?.bytes;
	}

	private listen(handler: (req: IncomingMessage, res: ServerResponse) => void, port = 0): Promise<Server> {
		return new Promise((resolve) => {
			const server = createServer(handler);
			server.on('connection', (socket) => {
				this.sockets.add(socket);
				socket.on('close', () => this.sockets.delete(socket));
			});
			server.listen(port, '127.0.0.1', () => resolve(server));
		});
	}

	private later(ms: number, action: () => void): void {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			action();
		}, ms);
		this.timers.add(timer);
	}

	/** @internal also answers the new-standard routes */
	send(res: ServerResponse, code: number, data?: unknown, message?: string, headers: Record<string, string> = {}) {
		const status = code === 0 ? 200 : (HTTP_STATUS_FOR_CODE[code] ?? 400);
		const body = stringifyExactJson({
			code,
			message: message ?? (code === 0 ? 'SUCCEED' : 'error'),
			request_id: createHash('md5').update(`${Date.now()}-${Math.random()}`).digest('hex'),
			...(data === undefined ? {} : { data }),
		});
		res.writeHead(status, { 'content-type': 'application/json', ...headers });
		res.end(body);
	}

	private takeFault(method: string, klingPath: string, rawBody = ''): Fault | undefined {
		const chaos = this.chaos;
		if (chaos && chaos.random() < chaos.apiRate) {
			const candidates = chaos.apiFaults.filter((fault) => !fault.method || fault.method === method);
			if (candidates.length) return candidates[Math.floor(chaos.random() * candidates.length)];
		}
		const index = this.faults.findIndex((fault) => {
			if (fault.method && fault.method !== method) return false;
			if (fault.bodyIncludes !== undefined && !rawBody.includes(fault.bodyIncludes)) return false;
			if (!fault.path) return true;
			return fault.path.endsWith('*') ? klingPath.startsWith(fault.path.slice(0, -1)) : fault.path === klingPath;
		});
		if (index === -1) return undefined;
		const fault = this.faults[index];
		if (fault.times !== undefined && --fault.times <= 0) this.faults.splice(index, 1);
		return fault;
	}

	private authenticate(req: IncomingMessage, deployment: Deployment): { code: number; key: string } {
		const header = req.headers.authorization;
		if (!header) return { code: 1001, key: '' };
		const match = /^Bearer (\S+)$/.exec(header);
		if (!match) return { code: 1002, key: '' };
		const token = match[1];
		if (deployment.apiKeys.includes(token)) return { code: 0, key: token };
		const secrets = new Map(Object.entries(deployment.accessKeys));
		if (secrets.size === 0 || token.split('.').length !== 3) return { code: 1000, key: '' };
		const now = Math.floor((Date.now() + this.clockOffsetMs) / 1000);
		const code = verifyKlingJwt(token, secrets, now);
		const issuer = code === 0 ? (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { iss: string }).iss : '';
		return { code, key: issuer };
	}

	private async handleApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const rawBody = await readBody(req);
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const origin = String(req.headers[EMULATED_ORIGIN_HEADER] ?? this.url);
		const deployment = this.deployments.find(
			(candidate) => candidate.origin === origin && (url.pathname + '/').startsWith(candidate.prefix + '/'),
		);
		const klingPath = deployment ? url.pathname.slice(deployment.prefix.length) : url.pathname;
		let body: Record<string, unknown> | undefined;
		try {
			body = rawBody ? (parseExactJson(rawBody) as Record<string, unknown>) : undefined;
		} catch {
			body = undefined;
		}
		const record: RecordedRequest = {
			method: req.method ?? 'GET',
			url: url.pathname + url.search,
			klingPath,
			deployment: deployment?.name,
			origin,
			headers: req.headers,
			body,
			rawBody,
			at: Date.now(),
		};
		this.requests.push(record);

		if (!deployment) {
			res.writeHead(404, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ code: null, message: '404' }));
			return;
		}
		const fault = this.takeFault(record.method, klingPath, rawBody);
		if (fault?.delayMs) await new Promise((resolve) => this.later(fault.delayMs!, () => resolve(undefined)));
		if (fault?.reset === 'beforeCreate') return void req.socket.destroy();
		if (fault?.hang === 'beforeCreate') return;
		if (fault?.malformed) {
			res.writeHead(200, { 'content-type': 'application/json' });
			return void res.end('{"code":0,"data":{"task_id":');
		}
		if (fault?.foreignTask) {
			const foreign = [...this.tasks.values()].reverse().find((task) => task.foreign);
			if (foreign) return this.send(res, 0, foreignAnswer(this, klingPath, record.method, foreign) ?? this.taskObject(foreign));
		}
		if (fault?.crossOriginRedirect) {
			const target = new URL(url.pathname + url.search, this.url.replace('127.0.0.1', 'localhost'));
			res.writeHead(307, { location: target.toString() });
			return void res.end();
		}
		if (fault?.status && !fault.afterCreate && fault.reset === undefined && fault.hang === undefined) {
			const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
			if (fault.code === undefined) {
				res.writeHead(fault.status, { 'content-type': 'text/html', ...headers });
				return void res.end('<html>Bad Gateway</html>');
			}
			res.writeHead(fault.status, { 'content-type': 'application/json', ...headers });
			return void res.end(JSON.stringify({ code: fault.code, message: fault.message ?? 'injected fault', request_id: 'fault' }));
		}

		if (isNewStandardPath(klingPath)) {
			return this.newStandard.handle({ req, res, url, klingPath, record, body, rawBody, deployment, fault });
		}

		const auth = this.authenticate(req, deployment);
		if (auth.code !== 0) return this.send(res, auth.code, undefined, 'Authentication failed');

		if (klingPath === '/account/costs' && record.method === 'GET') return this.accountCosts(url, res);
		// Synchronous endpoints, element and voice libraries, ledgers: endpoints.ts.
		const answer = endpointAnswer(this, { method: record.method, klingPath, url, body, account: `${deployment.name}:${auth.key}` });
		// A synchronous call that Kling answered (and charged) may still lose its answer on the way back.
		if (answer?.code === 0 && fault) return this.respondCreated(req, res, fault, answer.data as Record<string, unknown>);
		if (answer) return this.send(res, answer.code, answer.data, answer.message);
		if (record.method === 'POST') {
			const route = this.routeFor(klingPath, body, deployment);
			if (!route) return this.send(res, 1203, undefined, `no such endpoint: ${klingPath}`);
			if (!body) return this.send(res, 1200, undefined, 'the request body is not JSON');
			const retired = discontinuedModel(route, body);
			if (retired) {
				const code = this.behaviour.discontinuedAnswer === '1203' ? 1203 : 1201;
				return this.send(res, code, undefined, `The model '${retired}' has been discontinued and is no longer available.`);
			}
			const problem = validateRequest(route, body);
			if (problem) return this.send(res, 1201, undefined, problem);
			const account = `${deployment.name}:${auth.key}`;
			if (
				this.behaviour.uniqueExternalIds &&
				body.external_task_id &&
				// The uniqueness check sees tasks still in the backlog (registerAfterMs); reads do not.
				this.findByExternalId(account, route, String(body.external_task_id), true)
			) {
				return this.send(res, 1201, undefined, `External_task_id ${String(body.external_task_id)} already exists`);
			}
			const slots = route.slots?.(body) ?? (route.result === 'images' ? Number(body.n ?? 1) : 1);
			if (this.concurrencyLimit && this.runningSlots(`${account}|${poolOf(route, body)}`) + slots > this.concurrencyLimit) {
				return this.send(res, 1303, undefined, 'parallel task over resource pack limit');
			}
			const task = this.createTask(route, deployment, account, body, slots);
			if (fault?.registerAfterMs) task.visibleAt = Date.now() + fault.registerAfterMs;
			record.createdTaskId = task.task_id;
			this.notePeak(task);
			const created = this.taskObject(task);
			delete created.task_status_msg;
			return this.respondCreated(req, res, fault, created);
		}
		if (record.method === 'GET') return this.query(klingPath, url, deployment, auth.key, res, fault?.stale ? record.at : undefined);
		return this.send(res, 1202, undefined, 'invalid method');
	}

	/** @internal Answers a create whose task now exists, unless a fault loses or replaces the answer (both standards). */
	respondCreated(req: IncomingMessage, res: ServerResponse, fault: Fault | undefined, created: Record<string, unknown>): void {
		if (fault?.reset === 'afterCreate') return void req.socket.destroy();
		if (fault?.hang === 'afterCreate') return;
		if (fault?.afterCreate && fault.status) {
			if (fault.code === undefined) {
				res.writeHead(fault.status, { 'content-type': 'text/html' });
				return void res.end(`<html><body><h1>${fault.status} Gateway Error</h1></body></html>`);
			}
			res.writeHead(fault.status, { 'content-type': 'application/json' });
			return void res.end(JSON.stringify({ code: fault.code, message: fault.message ?? 'injected fault', request_id: 'fault' }));
		}
		if (fault?.code !== undefined && fault.status === undefined) {
			return this.send(res, fault.code, undefined, fault.message ?? 'injected fault');
		}
		return this.send(res, 0, created);
	}

	private routeFor(klingPath: string, body: Record<string, unknown> | undefined, deployment: Deployment) {
		if (deployment.legacyMultiImage && klingPath === '/v1/images/generations' && body && 'subject_image_list' in body) {
			return LEGACY_MULTI_IMAGE_ROUTE;
		}
		return ROUTES.find((route) => route.path === klingPath);
	}

	/** @internal Slots running now in a pool (`account|version|pack`) or, given only an account, in all its pools. */
	runningSlots(poolOrAccount: string): number {
		let slots = 0;
		for (const task of this.tasks.values()) {
			const status = this.statusOf(task);
			const mine = poolOrAccount.includes('|') ? task.pool === poolOrAccount : task.credentialKey === poolOrAccount;
			if (mine && (status === 'submitted' || status === 'processing')) slots += task.slots;
		}
		return slots;
	}

	/** @internal */
	notePeak(task: EmulatedTask): void {
		for (const key of [task.credentialKey, task.pool]) {
			this.peakRunningSlots.set(key, Math.max(this.peakRunningSlots.get(key) ?? 0, this.runningSlots(key)));
		}
	}

	private findByExternalId(account: string, route: RouteSpec, externalId: string, evenUnregistered = false): EmulatedTask | undefined {
		// Without uniqueness several tasks may share the id; Kling does not say which one it returns: the newest.
		return [...this.tasks.values()].reverse().find(
			(task) =>
				(evenUnregistered || this.isVisible(task)) && task.credentialKey === account && task.route.path === route.path && task.body.external_task_id === externalId,
		);
	}

	private isVisible(task: EmulatedTask): boolean {
		return task.visibleAt === undefined || Date.now() >= task.visibleAt;
	}

	/** @internal */
	createTask(
		route: RouteSpec,
		deployment: Deployment,
		account: string,
		body: Record<string, unknown>,
		slots: number,
		extra: Partial<EmulatedTask> = {},
	): EmulatedTask {
		const taskId = String(this.nextTaskNumber++);
		const fileUrl = (index: number, extension: string) => `${this.filesUrl}/results/${taskId}/${index}.${extension}`;
		const seed = (index: number) => `${taskId}-${index}`;
		const files: EmulatedTask['files'] = [];
		if (route.result === 'images') {
			for (let index = 0; index < slots; index++) {
				const { width, height } = imageSize(body.aspect_ratio ?? route.defaultAspectRatio, this.imageSidePx);
				files.push({ url: fileUrl(index, 'png'), bytes: makePng(width, height, seed(index)), mimeType: 'image/png' });
			}
		}
		if (route.result === 'video' || route.result === 'videoWithAudio') {
			files.push(
				this.videoBytes > LARGE_FILE_BYTES
					? { url: fileUrl(0, 'mp4'), bytes: Buffer.alloc(0), mimeType: 'video/mp4', generatedSize: this.videoBytes }
					: { url: fileUrl(0, 'mp4'), bytes: makeMp4(seed(0), this.videoBytes), mimeType: 'video/mp4' },
			);
		}
		if (route.result === 'audio' || route.result === 'videoWithAudio') {
			const seconds = Number(body.duration) || DEMO_AUDIO_SECONDS;
			files.push({ url: fileUrl(files.length, 'mp3'), bytes: makeMp3(seed(1), seconds), mimeType: 'audio/mpeg' });
			files.push({ url: fileUrl(files.length, 'wav'), bytes: makeWav(seed(2), seconds), mimeType: 'audio/wav' });
		}
		if (route.result === 'speech') files.push({ url: fileUrl(0, 'mp3'), bytes: makeMp3(seed(0), DEMO_AUDIO_SECONDS), mimeType: 'audio/mpeg' });
		files.push(...(route.makeFiles?.(body, fileUrl, seed) ?? []));
		const task: EmulatedTask = {
			task_id: taskId,
			standard: 'legacy',
			route,
			deployment: deployment.name,
			credentialKey: account,
			body,
			createdAt: Date.now(),
			outcome: this.outcome(body),
			slots,
			pool: `${account}|${poolOf(route, body)}`,
			files,
			expired: false,
			...extra,
		};
		this.tasks.set(taskId, task);
		const callbackUrl = callbackUrlOf(task);
		if (callbackUrl) this.callbacks.schedule(callbackUrl, task);
		return task;
	}

	private query(klingPath: string, url: URL, deployment: Deployment, key: string, res: ServerResponse, asOf?: number) {
		const account = `${deployment.name}:${key}`;
		const listRoute = ROUTES.find((route) => route.path === klingPath);
		if (listRoute) {
			const unknown = [...url.searchParams.keys()].filter((name) => name !== 'pageNum' && name !== 'pageSize');
			if (unknown.length && this.behaviour.unknownQueryParameters === 'reject') {
				return this.send(res, 1201, undefined, `unknown query parameter: ${unknown.join(', ')}`);
			}
			const pageNum = Number(url.searchParams.get('pageNum') ?? 1);
			const pageSize = Number(url.searchParams.get('pageSize') ?? 30);
			if (!Number.isInteger(pageNum) || pageNum < 1 || pageNum > 1000) return this.send(res, 1201, undefined, 'pageNum is invalid');
			if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > (listRoute.maxPageSize ?? 500)) return this.send(res, 1201, undefined, 'pageSize is invalid');
			const all = [...this.tasks.values()]
				.filter((task) => this.isVisible(task) && task.credentialKey === account && task.route.path === listRoute.path)
				.reverse();
			return this.send(res, 0, all.slice((pageNum - 1) * pageSize, pageNum * pageSize).map((task) => this.readAnswer(task, this.taskObject(task))));
		}
		const slash = klingPath.lastIndexOf('/');
		const family = ROUTES.find((route) => route.path === klingPath.slice(0, slash));
		const id = decodeURIComponent(klingPath.slice(slash + 1));
		if (!family) return this.send(res, 1203, undefined, `no such endpoint: ${klingPath}`);
		// The {id} segment accepts a task id or an external_task_id (https://kling.ai/document-api/guides/get-started/quick-start).
		const task =
			[...this.tasks.values()].find(
				(candidate) =>
					this.isVisible(candidate) && candidate.task_id === id && candidate.credentialKey === account && candidate.route.path === family.path,
			) ?? this.findByExternalId(account, family, id);
		return task
			? this.send(res, 0, this.readAnswer(task, this.taskObject(task, asOf)))
			: this.send(res, 1201, undefined, `Task not found by id/external id: ${id}`);
	}

	/** A task someone else (another tool on the same account) created: the node must never take it for its own. */
	seedForeignTask(deploymentName: string, key: string, path: string, body: Record<string, unknown>): EmulatedTask {
		const deployment = this.deployments.find((candidate) => candidate.name === deploymentName)!;
		const newRoute = newStandardRoute(this.newStandard, path);
		const route = newRoute ?? ROUTES.find((candidate) => candidate.path === path)!;
		const slots = route.result === 'images' ? Number(body.n ?? 1) : 1;
		const task = this.createTask(route, deployment, `${deployment.name}:${key}`, body, slots, newRoute ? { standard: 'new' } : {});
		task.foreign = true;
		return task;
	}

	private accountCosts(url: URL, res: ServerResponse) {
		const start = Number(url.searchParams.get('start_time'));
		const end = Number(url.searchParams.get('end_time'));
		if (!start || !end) return this.send(res, 1201, undefined, 'start_time and end_time are required');
		if (end < start) return this.send(res, 1201, undefined, 'end_time is before start_time');
		const packs = [
			{ resource_pack_name: 'Video Trial Pack', resource_pack_id: 'pack-video-1', resource_pack_type: 'decreasing_total', total_quantity: 100, remaining_quantity: 64, purchase_time: start, effective_time: start, invalid_time: end + 86_400_000, status: 'online' },
			{ resource_pack_name: 'Image Pack', resource_pack_id: 'pack-image-1', resource_pack_type: 'constant_period', total_quantity: 500, remaining_quantity: 500, purchase_time: start, effective_time: start, invalid_time: end + 86_400_000, status: 'online' },
		];
		const name = url.searchParams.get('resource_pack_name');
		return this.send(res, 0, {
			code: 0,
			msg: '',
			resource_pack_subscribe_infos: name ? packs.filter((pack) => pack.resource_pack_name === name) : packs,
		});
	}

	private handleFile(req: IncomingMessage, res: ServerResponse): void {
		const url = `${this.filesUrl}${(req.url ?? '/').replace(/[?&]redirected=1$/, '')}`;
		this.fileRequests.push({ url: `${this.filesUrl}${req.url ?? '/'}`, headers: req.headers });
		if (req.headers.authorization) {
			res.writeHead(403, { 'content-type': 'text/plain' });
			return void res.end('Authorization headers are not accepted by the file host');
		}
		const sample = /^\/samples\/([\w-]+)\.png$/.exec(req.url ?? '');
		if (sample) {
			const bytes = sampleImage(sample[1]);
			res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(bytes.length) });
			return void res.end(bytes);
		}
		const input = /^\/inputs\/([\w.-]+)$/.exec(req.url ?? '');
		if (input) return void serveInputFile(req, res, input[1]);
		const sampleAudio = /^\/samples\/([\w-]+)\.mp3$/.exec(req.url ?? '');
		if (sampleAudio) {
			const bytes = makeMp3(sampleAudio[1], Number(/-(\d+)s$/.exec(sampleAudio[1])?.[1]) || undefined);
			res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': String(bytes.length) });
			return void res.end(bytes);
		}
		let file: EmulatedTask['files'][number] | undefined;
		let owner: EmulatedTask | undefined;
		for (const task of this.tasks.values()) {
			file = task.files.find((candidate) => candidate.url === url);
			if (file) {
				owner = task;
				break;
			}
		}
		let fault: FileFault | undefined = this.fileFaults[0];
		if (fault && fault.times !== undefined && --fault.times <= 0) this.fileFaults.shift();
		const chaos = this.chaos;
		if (!fault && chaos && chaos.fileFaults.length && chaos.random() < chaos.fileRate) {
			fault = { kind: chaos.fileFaults[Math.floor(chaos.random() * chaos.fileFaults.length)] };
		}
		if ((fault?.kind === 'redirect' || fault?.kind === 'crossOriginRedirect') && !req.url?.includes('redirected=1')) {
			const target = fault.kind === 'redirect' ? url : url.replace('//127.0.0.1:', '//localhost:');
			res.writeHead(302, { location: `${target}${target.includes('?') ? '&' : '?'}redirected=1` });
			return void res.end();
		}
		file ??= this.extraFiles.get(url) as EmulatedTask['files'][number] | undefined;
		if (!file || owner?.expired || fault?.kind === 'expired') {
			res.writeHead(404, { 'content-type': 'text/plain' });
			return void res.end('Not Found');
		}
		if (fault?.kind === 'status500') {
			res.writeHead(500, { 'content-type': 'text/plain' });
			return void res.end('error');
		}
		if (fault?.kind === 'reset') return void req.socket.destroy();
		if (file.generatedSize !== undefined) return void streamGenerated(res, file.mimeType, file.generatedSize);
		if (fault?.kind === 'gzip' || fault?.kind === 'gzipTruncated') {
			const encoded = gzipSync(file.bytes);
			res.writeHead(200, { 'content-type': file.mimeType, 'content-encoding': 'gzip', 'content-length': String(encoded.length) });
			if (fault.kind === 'gzip') return void res.end(encoded);
			res.write(encoded.subarray(0, Math.floor(encoded.length / 2)));
			return void this.later(5, () => req.socket.destroy());
		}
		if (fault?.kind === 'chunked' || fault?.kind === 'chunkedTruncated') {
			res.writeHead(200, { 'content-type': file.mimeType, 'transfer-encoding': 'chunked' });
			const half = Math.floor(file.bytes.length / 2);
			res.write(file.bytes.subarray(0, half));
			if (fault.kind === 'chunkedTruncated') return void this.later(5, () => req.socket.destroy());
			return void res.end(file.bytes.subarray(half));
		}
		res.writeHead(200, { 'content-type': file.mimeType, 'content-length': String(file.bytes.length) });
		if (fault?.kind === 'truncate') {
			res.write(file.bytes.subarray(0, Math.floor(file.bytes.length / 2)));
			return void this.later(5, () => req.socket.destroy());
		}
		res.end(file.bytes);
	}
}
