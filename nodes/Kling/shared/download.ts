import type { IBinaryData, IBinaryKeyData, IDataObject, IExecuteFunctions, IN8nHttpFullResponse, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, isCancellation, isRetryableDownload, retryableDownloadError, withTaskContext } from './errors';
import { backoffDelay, pause } from './pause';
import { timingOf, type Timing } from './timing';
import type { KlingTask } from './types';

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

/**
 * Streams one result file into n8n's binary store. Plain httpRequest, never the Kling credential:
 * result hosts must not see the API key. A body shorter than its Content-Length is never passed on.
 */
async function downloadOnce(
	this: IExecuteFunctions,
	file: ResultFile,
	fileBaseName: string,
	timing: Timing,
): Promise<IBinaryData> {
	const response = (await this.helpers.httpRequest({
		method: 'GET',
		url: file.url,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: timing.downloadTimeoutMs,
		abortSignal: this.getExecutionCancelSignal(),
	})) as IN8nHttpFullResponse;
	const body = response.body as NodeJS.ReadableStream & { destroy?: () => void };
	if (response.statusCode >= 400) {
		body.destroy?.();
		if ([403, 404, 410].includes(response.statusCode)) {
			throw new NodeOperationError(
				this.getNode(),
				`The result file is gone (HTTP ${response.statusCode}): Kling deletes results 30 days after generation`,
			);
		}
		throw retryableDownloadError(this.getNode(), `HTTP ${response.statusCode}`);
	}
	const rawType = response.headers?.['content-type'];
	const mimeType = typeof rawType === 'string' ? rawType.split(';')[0].trim() : undefined;
	const extension = extensionOf(file.url, mimeType, file.defaultExtension);
	const expectedBytes = expectedBodyBytes(body, response.headers);
	let binary: IBinaryData;
	try {
		binary = await this.helpers.prepareBinaryData(
			body as unknown as Buffer,
			`${fileBaseName}.${extension}`,
			mimeType && mimeType !== 'application/octet-stream' ? mimeType : DEFAULT_MIME[extension],
		);
	} catch (error) {
		// Whatever failed, the rest of this response is not wanted: close the connection.
		body.destroy?.();
		if (isStoreFailure(body, error)) throw storeFailedError(this.getNode(), error);
		throw retryableDownloadError(this.getNode(), 'the connection broke during the transfer');
	}
	const receivedBytes = storedBytes(binary);
	if (expectedBytes !== undefined && receivedBytes !== expectedBytes) {
		throw retryableDownloadError(this.getNode(), `received ${receivedBytes} of ${expectedBytes} bytes`);
	}
	return binary;
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

async function downloadWithRetry(this: IExecuteFunctions, file: ResultFile, fileBaseName: string) {
	const timing = timingOf(this);
	for (let attempt = 0; ; attempt++) {
		try {
			return await downloadOnce.call(this, file, fileBaseName, timing);
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
	for (const [position, file] of files.entries()) {
		try {
			const data = await downloadWithRetry.call(this, file, `${task.task_id}_${position}`);
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
