import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Kling signs callbacks with the Standard Webhooks scheme (https://kling.ai/document-api/api/get-started/callbacks): HMAC-SHA256 over
 * `{webhook-id}.{webhook-timestamp}.{raw body}` with the base64-decoded secret (without "whsec_"),
 * sent as one or more space-separated `v1,<base64>` entries; the timestamp must be within 5 minutes.
 */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export type SignatureCheck = { valid: true } | { valid: false; reason: string };

type HeaderValue = string | string[] | undefined;

/** Header names are case-insensitive; Node lower-cases them, a test double may not. */
function header(headers: Record<string, HeaderValue>, name: string): string | undefined {
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== name) continue;
		return Array.isArray(value) ? value.join(' ') : value;
	}
	return undefined;
}

function secretKey(secret: string): Buffer | undefined {
	const encoded = secret.trim().replace(/^whsec_/, '');
	if (!encoded || !/^[A-Za-z0-9+/=_-]+$/.test(encoded)) return undefined;
	const key = Buffer.from(encoded, 'base64');
	return key.length ? key : undefined;
}

export function signStandardWebhook(secret: string, id: string, timestamp: number, rawBody: Buffer | string): string {
	const key = secretKey(secret);
	if (!key) throw new Error('The webhook secret is not a whsec_<base64> value');
	const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), Buffer.from(rawBody)]);
	return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
}

/** Checks a callback against the secret. The body must be the exact bytes received. */
export function verifyStandardWebhook(options: {
	secret: string;
	headers: Record<string, HeaderValue>;
	rawBody: Buffer | string | undefined;
	nowSeconds?: number;
}): SignatureCheck {
	const key = secretKey(options.secret);
	if (!key) return { valid: false, reason: 'the Webhook Secret in the credential is not a whsec_<base64> value' };
	const id = header(options.headers, 'webhook-id');
	const timestamp = header(options.headers, 'webhook-timestamp');
	const signatures = header(options.headers, 'webhook-signature');
	if (!id || !timestamp || !signatures) return { valid: false, reason: 'the callback is not signed' };
	if (options.rawBody === undefined) return { valid: false, reason: 'the raw body of the callback is not available' };
	const seconds = Number(timestamp);
	const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
	if (!/^\d+$/.test(timestamp) || Math.abs(now - seconds) > SIGNATURE_TOLERANCE_SECONDS) {
		return { valid: false, reason: 'the signature timestamp is more than 5 minutes away from now' };
	}
	const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), Buffer.from(options.rawBody)]);
	const expected = createHmac('sha256', key).update(signed).digest();
	// During a secret rotation Kling sends one entry per valid secret: any match passes.
	for (const entry of signatures.split(' ')) {
		const [version, value] = entry.split(',', 2);
		if (version !== 'v1' || !value) continue;
		const given = Buffer.from(value, 'base64');
		if (given.length === expected.length && timingSafeEqual(given, expected)) return { valid: true };
	}
	return { valid: false, reason: 'the signature does not match' };
}
