import type { IBinaryData, IBinaryKeyData, IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { maxDownloadBytes } from '../input/itemSettings';
import { asNodeError, cancelledError, isCancellation, isRetryableDownload, retryableDownloadError, withTaskContext } from '../transport/errors';
import { backoffDelay, pause } from '../transport/cancellablePause';
import { type BodyStream, getFollowingCheckedRedirects, isPrivateHost, looksLike, MAX_REDIRECTS, REDIRECTS } from '../transport/fileFetch';
import { resolveBaseUrl } from '../transport/provider';
import { timingOf, TIMING_PARAMETER, type Timing } from '../transport/timing';
import type { KlingTask } from '../kling/taskShape';

export interface ResultFile {
	url: string;
	kind: 'image' | 'video' | 'audio';
	index: number;
	defaultExtension: string;
}

const DEFAULT_MIME: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	mp4: 'video/mp4',
	mov: 'video/quicktime',
	mp3: 'audio/mpeg',
	wav: 'audio/wav',
};

const EXTENSION_FOR_MIME: Record<string, string> = Object.fromEntries(
	Object.entries(DEFAULT_MIME).map(([extension, mime]) => [mime, extension]),
);

/** Every file a finished task produced, in Kling's order. */
export function resultFiles(task: KlingTask): ResultFile[] {
	const result = task.task_result ?? {};
	const files: ResultFile[] = [];
	const image = (url: string | undefined, index: number) => files.push({ url: url ?? '', kind: 'image', index, defaultExtension: 'png' });
	// AI multi-shot: each entry holds three views (url_1..url_3) instead of one url.
	(result.images ?? []).forEach((entry, position) => {
		const views = entry.url === undefined && entry.url_1 !== undefined ? [entry.url_1, entry.url_2, entry.url_3] : [entry.url];
		for (const url of views) image(url, entry.index ?? position);
	});
	(result.series_images ?? []).forEach((entry, position) => image(entry.url, entry.index ?? position));
	(result.videos ?? []).forEach((video, position) =>
		files.push({ url: video.url, kind: 'video', index: position, defaultExtension: 'mp4' }),
	);
	(result.audios ?? []).forEach((audio, position) => {
		if (audio.url_mp3) files.push({ url: audio.url_mp3, kind: 'audio', index: position, defaultExtension: 'mp3' });
		if (audio.url_wav) files.push({ url: audio.url_wav, kind: 'audio', index: position, defaultExtension: 'wav' });
		if (audio.url) files.push({ url: audio.url, kind: 'audio', index: position, defaultExtension: 'mp3' });
	});
	(result.voices ?? []).forEach((voice, position) =>
		files.push({ url: voice.trial_url ?? '', kind: 'audio', index: position, defaultExtension: 'mp3' }),
	);
	return files.filter((file) => typeof file.url === 'string' && file.url !== '');
}

export function binaryPropertyNames(prefix: string, count: number): string[] {
	return Array.from({ length: count }, (_, position) => (position === 0 ? prefix : `${prefix}_${position}`));
}

function extensionOf(url: string, mimeType: string | undefined, fallback: string): string {
	const fromMime = mimeType ? EXTENSION_FOR_MIME[mimeType] : undefined;
	if (fromMime) return fromMime;
	const fromPath = /\.([a-z0-9]{2,4})(?:$|[?#])/i.exec(url)?.[1]?.toLowerCase();
	return fromPath && DEFAULT_MIME[fromPath] ? fromPath : fallback;
}

/**
 * How many bytes the body must have, when that can be known: Content-Length counts the bytes on
 * the wire, so it only applies to a body that reached us undecoded. The HTTP client decodes gzip,
 * deflate and br itself (and drops the Content-Encoding header when it does); the raw response
 * then is no longer the body, and a truncated compressed body fails in the decoder instead.
 */
export function expectedBodyBytes(body: unknown, headers: IDataObject | undefined): number | undefined {
	const raw = (body as { rawHeaders?: unknown } | undefined)?.rawHeaders;
	if (!Array.isArray(raw)) return undefined;
	const names = raw.filter((_value, index) => index % 2 === 0).map((name) => String(name).toLowerCase());
	const encoding = names.indexOf('content-encoding');
	if (encoding !== -1 && !/^identity$/i.test(String(raw[encoding * 2 + 1]))) return undefined;
	const length = Number(headers?.['content-length']);
	return Number.isFinite(length) && length > 0 ? length : undefined;
}

/** Where result files may come from: public http(s) hosts, and private ones only when Kling itself is on one. */
interface DownloadPolicy {
	privateHostsAllowed: boolean;
	maxBytes: number;
}

/** A parameter of this node, from an execute context (per item) or a webhook context (no item). */
function parameterOf(context: IExecuteFunctions, name: string, itemIndex: number): unknown {
	try {
		return typeof context.getInputData === 'function'
			? context.getNodeParameter(name, itemIndex, {})
			: (context.getNodeParameter as unknown as (name: string, fallback: unknown) => unknown)(name, {});
	} catch {
		return undefined;
	}
}

async function downloadPolicy(this: IExecuteFunctions, itemIndex: number): Promise<DownloadPolicy> {
	const options = parameterOf(this, 'waitOptions', itemIndex);
	const maxBytes = maxDownloadBytes(this.getNode(), options && typeof options === 'object' ? (options as IDataObject) : {}, itemIndex, false);
	let credentialHostPrivate = false;
	try {
		credentialHostPrivate = isPrivateHost(new URL(resolveBaseUrl(await this.getCredentials('klingApi'))).hostname);
	} catch {
		credentialHostPrivate = false;
	}
	// Tests reach the emulator on 127.0.0.1 under the preset host names; only they set this hidden switch.
	const timing = parameterOf(this, TIMING_PARAMETER, 0) as IDataObject | undefined;
	return { maxBytes, privateHostsAllowed: credentialHostPrivate || timing?.allowPrivateFileHosts === true };
}

function refusedHostError(node: INode, taskId: string, url: string): NodeOperationError {
	let shown = url;
	try {
		shown = new URL(url).host || url;
	} catch {
		shown = url;
	}
	return new NodeOperationError(node, `Refused to download a result file of task ${taskId} from "${shown.slice(0, 200)}": it is not a public host (http or https)`, {
		description:
			'Result files are fetched only from public http(s) hosts; private, loopback and link-local addresses are refused unless the Kling credential’s own host is one. The task is done at Kling; its URL is in the task.',
	});
}

/** The URL to fetch, or an error when it is not http(s) on a host this download may reach. */
function checkedUrl(node: INode, policy: DownloadPolicy, taskId: string, url: string): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw refusedHostError(node, taskId, url);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw refusedHostError(node, taskId, url);
	if (!policy.privateHostsAllowed && isPrivateHost(parsed.hostname)) throw refusedHostError(node, taskId, url);
	return parsed.href;
}

const ARTICLE: Record<ResultFile['kind'], string> = { image: 'an image', video: 'a video', audio: 'an audio file' };

const SNIFF_BYTES = 12;
const UNTYPED = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

function wrongTypeError(node: INode, taskId: string, file: ResultFile, sent: string): NodeOperationError {
	return new NodeOperationError(node, `The result file of task ${taskId} is not ${ARTICLE[file.kind]}: the host sent "${sent}"`, {
		description:
			'A file host that answers with a web page (an error or login page) or with another kind of file did not deliver the result; nothing was stored. The task is done at Kling: Task › Get with its ID downloads it again without paying.',
	});
}

function tooLargeError(node: INode, taskId: string, maxBytes: number, bytes?: number): NodeOperationError {
	const size = bytes !== undefined ? ` (${(bytes / 1024 / 1024).toFixed(1)} MB)` : '';
	return new NodeOperationError(node, `The result file of task ${taskId}${size} is larger than "Max File Size (MB)" (${maxBytes / 1024 / 1024} MB)`, {
		description:
			'Raise Max File Size in the Wait Options, or switch off Download Results and use the URL. The task is done at Kling: Task › Get with its ID downloads it again without paying.',
	});
}

function formatDeadline(ms: number): string {
	return ms < 60_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 6_000) / 10} min`;
}

/**
 * Streams one result file into n8n's binary store. Plain httpRequest, never the Kling credential:
 * result hosts must not see the API key. Every hop of a redirect is checked against the host rule;
 * the whole transfer has one deadline (a host that trickles bytes cannot hold the item), the body
 * a size cap, and its type must be the kind the task produced. A body shorter than its
 * Content-Length is never passed on.
 */
async function downloadOnce(
	this: IExecuteFunctions,
	file: ResultFile,
	fileBaseName: string,
	timing: Timing,
	policy: DownloadPolicy,
	taskId: string,
): Promise<IBinaryData> {
	const node = this.getNode();
	const deadlineMs = timing.downloadTimeoutMs;
	const deadlineError = () =>
		retryableDownloadError(node, `it did not arrive within ${formatDeadline(deadlineMs)}${received ? ` (${received} bytes had arrived)` : ''}`);
	const abort = new AbortController();
	const cancel = this.getExecutionCancelSignal();
	const onCancel = () => abort.abort();
	cancel?.addEventListener('abort', onCancel, { once: true });
	const stopTimer = new AbortController();
	let timedOut = false;
	let received = 0;
	let body: BodyStream | undefined;
	void sleep(deadlineMs, stopTimer.signal).then(
		() => {
			timedOut = true;
			abort.abort();
			body?.destroy?.(deadlineError());
		},
		() => undefined,
	);
	try {
		return await transfer.call(this);
	} catch (error) {
		if (cancel?.aborted) throw cancelledError(node);
		if (timedOut) {
			// A file that missed the whole deadline is not fetched again: that would only double the wait.
			const late = deadlineError();
			late.context.retryableDownload = false;
			throw late;
		}
		// Errors of our own keep their verdict; a network error is retried by the caller.
		throw isRetryableDownload(error) || error instanceof NodeOperationError
			? asNodeError(node, error)
			: retryableDownloadError(node, 'the file host did not answer');
	} finally {
		stopTimer.abort();
		cancel?.removeEventListener('abort', onCancel);
	}

	async function transfer(this: IExecuteFunctions): Promise<IBinaryData> {
		const response = await getFollowingCheckedRedirects(
			this,
			{ url: file.url, timeoutMs: deadlineMs, signal: abort.signal },
			(url) => checkedUrl(node, policy, taskId, url),
			() => retryableDownloadError(node, `more than ${MAX_REDIRECTS} redirects`),
			(hopBody) => (body = hopBody),
		);
		body = response.body as BodyStream;
		if (response.statusCode >= 400 || REDIRECTS.has(response.statusCode)) {
			body.destroy?.();
			if ([403, 404, 410].includes(response.statusCode)) {
				throw new NodeOperationError(
					node,
					`The result file is gone (HTTP ${response.statusCode}): Kling deletes results 30 days after generation`,
				);
			}
			throw retryableDownloadError(node, `HTTP ${response.statusCode}`);
		}
		const rawType = response.headers?.['content-type'];
		const mimeType = typeof rawType === 'string' ? rawType.split(';')[0].trim().toLowerCase() : undefined;
		const untyped = UNTYPED.has(mimeType ?? '');
		if (!untyped && !mimeType?.startsWith(`${file.kind}/`)) {
			body.destroy?.();
			throw wrongTypeError(node, taskId, file, mimeType ?? '');
		}
		const declared = Number(response.headers?.['content-length']);
		if (Number.isFinite(declared) && declared > policy.maxBytes) {
			body.destroy?.();
			throw tooLargeError(node, taskId, policy.maxBytes, declared);
		}
		const extension = extensionOf(file.url, untyped ? undefined : mimeType, file.defaultExtension);
		const expectedBytes = expectedBodyBytes(body, response.headers);
		// The store reads the body through this check: bytes counted against the cap, and an
		// untyped body's first bytes compared with the kind the task produced.
		let head = Buffer.alloc(0);
		let refusal: NodeOperationError | undefined;
		const source = body;
		const guard = (chunk: Buffer): Buffer => {
			received += chunk.length;
			if (received > policy.maxBytes) refusal = tooLargeError(node, taskId, policy.maxBytes);
			else if (untyped && head.length < SNIFF_BYTES) {
				head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
				if (head.length >= SNIFF_BYTES && !looksLike(file.kind, head)) refusal = wrongTypeError(node, taskId, file, mimeType || 'no type');
			}
			if (refusal) {
				source.destroy?.();
				throw refusal;
			}
			return chunk;
		};
		const guarded = typeof source.map === 'function' ? source.map(guard) : source;
		let binary: IBinaryData;
		try {
			binary = await this.helpers.prepareBinaryData(
				guarded as unknown as Buffer,
				`${fileBaseName}.${extension}`,
				untyped ? DEFAULT_MIME[extension] : mimeType,
			);
		} catch (error) {
			// Whatever failed, the rest of this response is not wanted: close the connection.
			source.destroy?.();
			if (refusal) throw refusal;
			if (timedOut) throw deadlineError();
			if (isStoreFailure(source, error)) throw storeFailedError(node, error);
			throw retryableDownloadError(node, 'the connection broke during the transfer');
		}
		if (untyped && head.length < SNIFF_BYTES && !looksLike(file.kind, head)) throw wrongTypeError(node, taskId, file, mimeType || 'no type');
		const receivedBytes = storedBytes(binary);
		if (expectedBytes !== undefined && receivedBytes !== expectedBytes) {
			throw retryableDownloadError(node, `received ${receivedBytes} of ${expectedBytes} bytes`);
		}
		return binary;
	}
}

/** Errors of n8n's binary data storage (disk, database), as opposed to the network or a decoder. */
const STORE_ERROR_CODE = /^(ENOSPC|EDQUOT|EFBIG|EROFS|EACCES|EPERM|EMFILE|ENFILE|EISDIR|ENOTDIR|SQLITE_\w+|ERR_FS_FILE_TOO_LARGE|ERR_STRING_TOO_LONG|ERR_BUFFER_TOO_LARGE)$/;

/**
 * Whether n8n's binary store, not the transfer, failed: the whole body had arrived, or the error is
 * one of the store's own. Retrying would download the same file only to fail the same way.
 */
function isStoreFailure(body: NodeJS.ReadableStream, error: unknown): boolean {
	const code = String((error as { code?: unknown } | undefined)?.code ?? '');
	if (STORE_ERROR_CODE.test(code)) return true;
	const stream = body as { readableEnded?: boolean; errored?: unknown };
	return stream.readableEnded === true && !stream.errored;
}

function storeFailedError(node: INode, error: unknown): NodeOperationError {
	const reason = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, `n8n could not store the result file: ${reason}`, {
		description:
			'The file came from Kling, but n8n’s binary data storage refused it (a database has a size limit per file; a disk can be full). For large videos run n8n with N8N_DEFAULT_BINARY_DATA_MODE=filesystem or s3, or switch off Download Results and use the URL. The task is done at Kling: Task › Get with its ID downloads it again without paying.',
	});
}

/** Bytes n8n stored: counted by the binary store for references, decoded for inline data. */
function storedBytes(binary: IBinaryData): number {
	if (typeof binary.bytes === 'number' && (binary.id || binary.bytes > 0)) return binary.bytes;
	return Buffer.from(binary.data ?? '', 'base64').length;
}

async function downloadWithRetry(this: IExecuteFunctions, file: ResultFile, fileBaseName: string, policy: DownloadPolicy, taskId: string) {
	const timing = timingOf(this);
	for (let attempt = 0; ; attempt++) {
		try {
			return await downloadOnce.call(this, file, fileBaseName, timing, policy, taskId);
		} catch (error) {
			// Errors of our own (an expired URL) are final; broken transfers and network errors are retried.
			const retryable =
				!isCancellation(error) && (isRetryableDownload(error) || !(error instanceof NodeOperationError));
			if (!retryable || attempt >= timing.downloadMaxRetries) {
				throw isRetryableDownload(error) || error instanceof NodeOperationError
					? asNodeError(this.getNode(), error)
					: retryableDownloadError(this.getNode(), 'the file host did not answer');
			}
			await pause(this, backoffDelay(attempt, timing.downloadBackoffBaseMs, timing.downloadBackoffMaxMs));
		}
	}
}

export interface DownloadedResults {
	binary: IBinaryKeyData;
	files: IDataObject[];
}

/** Downloads every result file of a finished task as binary properties `prefix`, `prefix_1`, … */
export async function downloadResultFiles(
	this: IExecuteFunctions,
	task: KlingTask,
	binaryPropertyPrefix: string,
	itemIndex: number,
): Promise<DownloadedResults> {
	const files = resultFiles(task);
	const names = binaryPropertyNames(binaryPropertyPrefix, files.length);
	const binary: IBinaryKeyData = {};
	const metadata: IDataObject[] = [];
	const policy = await downloadPolicy.call(this, itemIndex);
	for (const [position, file] of files.entries()) {
		try {
			const data = await downloadWithRetry.call(this, file, `${task.task_id}_${position}`, policy, task.task_id);
			binary[names[position]] = data;
			metadata.push({
				binaryProperty: names[position],
				fileName: data.fileName,
				mimeType: data.mimeType,
				fileSize: data.fileSize,
				url: file.url,
			});
		} catch (error) {
			const nodeError = asNodeError(this.getNode(), error);
			nodeError.context.itemIndex = itemIndex;
			throw withTaskContext(nodeError, {
				taskId: task.task_id,
				externalTaskId: task.task_info?.external_task_id,
			});
		}
	}
	return { binary, files: metadata };
}
