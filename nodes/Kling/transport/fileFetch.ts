import type { IDataObject, IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

/**
 * Fetching files from hosts other than Kling's API (result files, input URLs checked before paying):
 * which hosts count as private, what a body's first bytes say it is, and one GET whose redirects are
 * followed by hand so that every hop passes the caller's host rule. Never sends the Kling credential.
 */

/** The kinds of file Kling produces. */
export type FileKind = 'image' | 'video' | 'audio';

/** Whether an IPv4 address (dotted quad, as the URL parser writes it) is private, loopback, link-local or "this host". */
function isPrivateIpv4(host: string): boolean {
	const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
	if (!match) return false;
	const [a, b] = [Number(match[1]), Number(match[2])];
	return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** Whether an IPv6 address (without brackets, as the URL parser writes it) is loopback, unique-local, link-local or IPv4-mapped private. */
function isPrivateIpv6(host: string): boolean {
	if (host === '::1' || host === '::') return true;
	const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
	if (mapped) {
		const [high, low] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];
		return isPrivateIpv4(`${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`);
	}
	const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
	if (dotted) return isPrivateIpv4(dotted[1]);
	const first = host.startsWith('::') ? 0 : parseInt(host.split(':')[0], 16);
	return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
}

/**
 * Whether a URL's host is not on the public internet: localhost names, and the literal addresses
 * of 10/8, 172.16/12, 192.168/16, 127/8, 169.254/16, 0/8, ::1, fc00::/7 and fe80::/10 (IPv4-mapped
 * too). Host names are not resolved here: n8n's client does the lookup when it connects.
 */
export function isPrivateHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
	if (host === '' || host === 'localhost' || host.endsWith('.localhost')) return true;
	if (host.includes(':')) return isPrivateIpv6(host);
	return isPrivateIpv4(host);
}

const startsWith = (head: Buffer, bytes: number[], offset = 0) => bytes.every((byte, index) => head[offset + index] === byte);
const ascii = (head: Buffer, text: string, offset = 0) => head.subarray(offset, offset + text.length).toString('latin1') === text;

/** Whether the first bytes of a body are a file of this kind (for bodies sent as application/octet-stream). */
export function looksLike(kind: FileKind, head: Buffer): boolean {
	const isoMedia = ascii(head, 'ftyp', 4);
	if (kind === 'image') {
		return (
			startsWith(head, [0x89, 0x50, 0x4e, 0x47]) ||
			startsWith(head, [0xff, 0xd8, 0xff]) ||
			ascii(head, 'GIF8') ||
			(ascii(head, 'RIFF') && ascii(head, 'WEBP', 8)) ||
			(isoMedia && /^(avif|avis|heic|heix|mif1)$/.test(head.subarray(8, 12).toString('latin1')))
		);
	}
	if (kind === 'video') {
		return isoMedia || startsWith(head, [0x1a, 0x45, 0xdf, 0xa3]) || (ascii(head, 'RIFF') && ascii(head, 'AVI ', 8));
	}
	return (
		ascii(head, 'ID3') ||
		(head[0] === 0xff && head.length > 1 && (head[1] & 0xe0) === 0xe0) ||
		(ascii(head, 'RIFF') && ascii(head, 'WAVE', 8)) ||
		ascii(head, 'OggS') ||
		ascii(head, 'fLaC') ||
		isoMedia
	);
}

export const REDIRECTS = new Set([301, 302, 303, 307, 308]);
export const MAX_REDIRECTS = 5;

export type BodyStream = NodeJS.ReadableStream & {
	destroy?: (error?: Error) => void;
	map?: (fn: (chunk: Buffer) => Buffer) => NodeJS.ReadableStream;
};

/**
 * A GET whose redirects are followed by hand, at most MAX_REDIRECTS: `checkHop` vets the first URL and every
 * hop before it is asked (the host rule). Plain httpRequest, never the Kling credential. Returns the last
 * answer, its body a stream; `onBody` hands each body to the caller's deadline, which may destroy it.
 */
export async function getFollowingCheckedRedirects(
	context: IExecuteFunctions,
	request: { url: string; headers?: IDataObject; timeoutMs: number; signal: AbortSignal },
	checkHop: (url: string) => string,
	tooMany: () => Error,
	onBody: (body: BodyStream) => void,
): Promise<IN8nHttpFullResponse> {
	let url = checkHop(request.url);
	for (let hop = 0; ; hop++) {
		const response = (await context.helpers.httpRequest({
			method: 'GET',
			url,
			...(request.headers ? { headers: request.headers } : {}),
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: request.timeoutMs,
			abortSignal: request.signal,
		})) as IN8nHttpFullResponse;
		const body = response.body as BodyStream;
		onBody(body);
		const location = response.headers?.location;
		if (!REDIRECTS.has(response.statusCode) || typeof location !== 'string' || !location) return response;
		body.destroy?.();
		if (hop >= MAX_REDIRECTS) throw tooMany();
		url = checkHop(new URL(location, url).href);
	}
}
