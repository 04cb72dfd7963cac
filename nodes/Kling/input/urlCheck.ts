import type { IDataObject, IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { KLING_LIMITS } from '../kling/constants';
import { asNodeError, inputRefused } from '../transport/errors';
import { type BodyStream, getFollowingCheckedRedirects, isPrivateHost, looksLike, MAX_REDIRECTS } from '../transport/fileFetch';
import { resolveBaseUrl } from '../transport/provider';
import { timingOf, TIMING_PARAMETER } from '../transport/timing';
import { FIELD_LABELS, imageFacts, type FieldRule } from './validation';

/**
 * Checks a URL input before anything is paid (https://kling.ai/document-api/guides/capability-map/video): Kling fetches the file only after
 * the task is created and billed, so a dead link, a web page or an image Kling will refuse would
 * cost a task. One GET reads at most the first 64 KB (`Range: bytes=0-65535`; a host that ignores
 * Range is read only that far, then the connection is closed): the status, the type, the size and,
 * for images, the sides and aspect ratio from the header bytes. Private hosts are never read
 * (the download's host rule). "Check Input URLs" off skips all of it.
 */
export type UrlKind = 'image' | 'audio' | 'video';

export const URL_CHECK_BYTES = 64 * 1024;
/** Kling's largest image: 50 MB for frames on the new-standard video API, 10 MB elsewhere (https://kling.ai/document-api/guides/capability-map/video). */
const NEW_STANDARD_IMAGE_BYTES = 50 * 1024 * 1024;
const VIDEO_BYTES = 200 * 1024 * 1024;

const STATUS_TEXT: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	410: 'Gone',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

const KIND_WORD: Record<UrlKind, string> = { image: 'an image', audio: 'an audio file', video: 'a video' };
const UNTYPED = new Set(['', 'application/octet-stream', 'binary/octet-stream']);
const SKIP_HINT =
	'Kling would fetch this URL only after the task is paid for. If the host refuses such reads but Kling can fetch the file, switch off "Check Input URLs" in the Options.';


/** What the first bytes told about the file. */
export interface UrlFacts {
	/** A video's length from its movie header (mvhd), when the header is among the first bytes read. */
	seconds?: number;
}

/** An MP4/MOV's length from its movie header (mvhd, version 0 or 1), or undefined when it is not in `head`. */
export function mp4Seconds(head: Buffer): number | undefined {
	const at = head.indexOf('mvhd');
	if (at < 4) return undefined;
	const version = head[at + 4];
	const [scaleAt, durationAt, size] = version === 1 ? [at + 24, at + 28, 8] : [at + 16, at + 20, 4];
	if (durationAt + size > head.length) return undefined;
	const timescale = head.readUInt32BE(scaleAt);
	const duration = size === 8 ? Number(head.readBigUInt64BE(durationAt)) : head.readUInt32BE(durationAt);
	return timescale > 0 ? duration / timescale : undefined;
}

export interface UrlCheckOptions {
	kind: UrlKind;
	/** The largest file Kling takes for this input. */
	maxBytes?: number;
}

function parameterOf(context: IExecuteFunctions, name: string, itemIndex: number, fallback: unknown): unknown {
	try {
		return context.getNodeParameter(name, itemIndex, fallback);
	} catch {
		return fallback;
	}
}

/** Whether this item's URL inputs are checked: the "Check Input URLs" option (default on). */
export function urlCheckEnabled(context: IExecuteFunctions, itemIndex: number): boolean {
	const timing = parameterOf(context, TIMING_PARAMETER, 0, {}) as IDataObject | undefined;
	// Tests whose inputs are made-up URLs switch the check off through the hidden timing parameter.
	if (timing?.inputUrlCheck === false) return false;
	return parameterOf(context, 'options.checkInputUrls', itemIndex, true) !== false;
}

async function privateHostsAllowed(context: IExecuteFunctions): Promise<boolean> {
	const timing = parameterOf(context, TIMING_PARAMETER, 0, {}) as IDataObject | undefined;
	if (timing?.allowPrivateFileHosts === true) return true;
	try {
		return isPrivateHost(new URL(resolveBaseUrl(await context.getCredentials('klingApi'))).hostname);
	} catch {
		return false;
	}
}

/** The default size limit of a kind of input; images sent to a video product may be larger on the new API. */
export function defaultMaxBytes(kind: UrlKind, videoProduct = false): number {
	if (kind === 'audio') return KLING_LIMITS.audioBytes;
	if (kind === 'video') return VIDEO_BYTES;
	return videoProduct ? NEW_STANDARD_IMAGE_BYTES : KLING_LIMITS.imageBytes;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The total size of the file: Content-Range's total on a 206, else Content-Length on a 200. */
function totalBytes(response: IN8nHttpFullResponse): number | undefined {
	const range = response.headers?.['content-range'];
	if (response.statusCode === 206 && typeof range === 'string') {
		const total = /\/(\d+)\s*$/.exec(range)?.[1];
		return total !== undefined ? Number(total) : undefined;
	}
	const length = Number(response.headers?.['content-length']);
	return response.statusCode === 200 && Number.isFinite(length) && length >= 0 ? length : undefined;
}

/** Reads at most `limit` bytes of a body, then closes it. */
async function readHead(body: BodyStream, limit: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let length = 0;
	try {
		for await (const chunk of body as AsyncIterable<Buffer | string>) {
			const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			chunks.push(buffer);
			length += buffer.length;
			if (length >= limit) break;
		}
	} finally {
		body.destroy?.();
	}
	return Buffer.concat(chunks).subarray(0, limit);
}

/** What is wrong with the file's first bytes for this kind, or undefined. */
function headProblem(kind: UrlKind, head: Buffer, mimeType: string): string | undefined {
	if (kind !== 'image') return UNTYPED.has(mimeType) && !looksLike(kind, head) ? `is not ${KIND_WORD[kind]}` : undefined;
	const facts = imageFacts(head);
	if (!facts) {
		// A declared JPEG whose frame header lies beyond 64 KB (a large EXIF block) is left to Kling.
		if (mimeType === 'image/jpeg' && head[0] === 0xff && head[1] === 0xd8) return undefined;
		return 'is not a JPEG or PNG image; Kling accepts only .jpg, .jpeg and .png';
	}
	const shortSide = Math.min(facts.width, facts.height);
	if (shortSide < KLING_LIMITS.imageMinSidePx) {
		return `is ${facts.width}×${facts.height} px; Kling needs at least ${KLING_LIMITS.imageMinSidePx} px on each side`;
	}
	const ratio = Math.max(facts.width, facts.height) / shortSide;
	if (ratio > KLING_LIMITS.imageMaxAspectRatio) {
		return `is ${facts.width}×${facts.height} px, an aspect ratio of ${ratio.toFixed(2)}:1; Kling allows between 1:2.5 and 2.5:1`;
	}
	return undefined;
}

/** What is wrong with the declared type for this kind, or undefined. */
function typeProblem(kind: UrlKind, mimeType: string): string | undefined {
	if (UNTYPED.has(mimeType)) return undefined;
	if (kind === 'image') {
		if (mimeType === 'image/png' || mimeType === 'image/jpeg' || mimeType === 'image/jpg') return undefined;
		if (mimeType.startsWith('image/')) return `is ${mimeType}; Kling accepts only JPEG and PNG images`;
	} else if (mimeType.startsWith(`${kind}/`) || (kind === 'audio' && mimeType === 'video/mp4')) {
		return undefined;
	}
	if (mimeType === 'text/html') return `is a web page (text/html), not ${KIND_WORD[kind]}`;
	return `is ${mimeType}, not ${KIND_WORD[kind]}`;
}

/**
 * Reads the start of the file at `url` and throws, naming the field by its label, when Kling would
 * refuse it. Called before anything is sent to Kling; does nothing when the check is switched off.
 */
export async function checkInputUrl(
	this: IExecuteFunctions,
	itemIndex: number,
	url: string,
	label: string,
	options: UrlCheckOptions,
): Promise<UrlFacts> {
	if (!urlCheckEnabled(this, itemIndex)) return {};
	const node = this.getNode();
	const shown = url.length > 200 ? `${url.slice(0, 200)}…` : url;
	const refuse = (problem: string, description = SKIP_HINT) => inputRefused(node, `${label}: ${problem}`, itemIndex, description);
	const allowPrivate = await privateHostsAllowed(this);
	const checked = (target: string): string => {
		let parsed: URL;
		try {
			parsed = new URL(target);
		} catch {
			throw refuse(`"${target.slice(0, 200)}" is not a URL`, 'Give a public http(s) URL Kling can fetch.');
		}
		if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
			throw refuse(`"${target.slice(0, 200)}" is not an http(s) URL`, 'Give a public http(s) URL Kling can fetch.');
		}
		if (!allowPrivate && isPrivateHost(parsed.hostname)) {
			throw refuse(
				`the file at ${target === url ? shown : `${shown} (redirected to ${parsed.host})`} is on a private address, which Kling cannot fetch`,
				'Kling fetches input files from the internet: use a public URL, or send the file as Binary File or Base64.',
			);
		}
		return parsed.href;
	};

	const timing = timingOf(this);
	const abort = new AbortController();
	const stopTimer = new AbortController();
	let timedOut = false;
	let body: BodyStream | undefined;
	void sleep(timing.requestTimeoutMs, stopTimer.signal).then(
		() => {
			timedOut = true;
			abort.abort();
			body?.destroy?.();
		},
		() => undefined,
	);
	let response: IN8nHttpFullResponse;
	let head: Buffer;
	try {
		response = await getFollowingCheckedRedirects(
			this,
			{ url, headers: { Range: `bytes=0-${URL_CHECK_BYTES - 1}` }, timeoutMs: timing.requestTimeoutMs, signal: abort.signal },
			checked,
			() => refuse(`the file at ${shown} redirects more than ${MAX_REDIRECTS} times`),
			(hopBody) => (body = hopBody),
		);
		body = response.body as BodyStream;
		if (response.statusCode < 200 || response.statusCode >= 300) {
			body.destroy?.();
			const text = response.statusMessage || STATUS_TEXT[response.statusCode] || '';
			throw refuse(`the file at ${shown} answered ${response.statusCode}${text ? ` ${text}` : ''}`);
		}
		const rawType = response.headers?.['content-type'];
		const mimeType = typeof rawType === 'string' ? rawType.split(';')[0].trim().toLowerCase() : '';
		const wrongType = typeProblem(options.kind, mimeType);
		if (wrongType) {
			body.destroy?.();
			throw refuse(`the file at ${shown} ${wrongType}`);
		}
		const total = totalBytes(response);
		const maxBytes = options.maxBytes ?? defaultMaxBytes(options.kind);
		if (total !== undefined && total > maxBytes) {
			body.destroy?.();
			throw refuse(`the file at ${shown} is ${megabytes(total)}; Kling allows at most ${Math.round(maxBytes / 1024 / 1024)} MB`);
		}
		head = await readHead(body, URL_CHECK_BYTES);
		if (head.length === 0) throw refuse(`the file at ${shown} is empty`);
		const problem = headProblem(options.kind, head, mimeType);
		if (problem) throw refuse(`the file at ${shown} ${problem}`);
		return options.kind === 'video' ? { seconds: mp4Seconds(head) } : {};
	} catch (error) {
		if (error instanceof NodeOperationError && error.message.startsWith(`${label}: `)) throw asNodeError(node, error);
		const reason = timedOut ? `did not answer within ${Math.round(timing.requestTimeoutMs / 1000)} s` : 'could not be read';
		throw refuse(`the file at ${shown} ${reason} (${(error as Error).message ?? 'network error'})`);
	} finally {
		stopTimer.abort();
	}
}

/** Motion, lip-sync and video-to-audio videos: 100 MB; omni reference and element videos: 200 MB (https://kling.ai/document-api/guides/capability-map/video). */
const VIDEO_100_MB = 100 * 1024 * 1024;

/**
 * The video URLs of a request body (legacy field names, as the operations build them), with the
 * label each has in the editor and Kling's size limit; images and audio are checked as they are read.
 */
function videoUrlsOf(body: IDataObject, rules: readonly FieldRule[]): Array<{ url: string; label: string; maxBytes: number }> {
	const labelOf = (field: string) => rules.find((rule) => rule.field === field && rule.label)?.label ?? FIELD_LABELS[field] ?? 'Video URL';
	const found: Array<{ url: string; label: string; maxBytes: number }> = [];
	const add = (url: unknown, label: string, maxBytes: number) => {
		if (typeof url === 'string' && /^https?:\/\//i.test(url.trim())) found.push({ url: url.trim(), label, maxBytes });
	};
	add(body.video_url, labelOf('video_url'), VIDEO_100_MB);
	add((body.input as IDataObject | undefined)?.video_url, 'Video URL', VIDEO_100_MB);
	const list = (body.video_list as IDataObject[] | undefined) ?? [];
	list.forEach((video) => add(video.video_url, list.length > 1 ? `${labelOf('video_list')} URL ${list.indexOf(video) + 1}` : `${labelOf('video_list')} URL`, VIDEO_BYTES));
	const references = ((body.element_video_list as IDataObject | undefined)?.refer_videos as IDataObject[] | undefined) ?? [];
	references.forEach((video) => add(video.video_url, 'Video URL', VIDEO_BYTES));
	return found;
}

/** Checks every video URL of a request body before it is sent (images and audio are checked as they are read). */
export async function checkBodyVideoUrls(this: IExecuteFunctions, body: IDataObject, rules: readonly FieldRule[], itemIndex: number): Promise<void> {
	for (const { url, label, maxBytes } of videoUrlsOf(body, rules)) {
		await checkInputUrl.call(this, itemIndex, url, label, { kind: 'video', maxBytes });
	}
}
