import { createHash, createHmac } from 'node:crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/** Kling's AK/SK tokens (https://kling.ai/document-api/api/get-started/authentication): signed here, cached per key pair, dropped when Kling refuses one. */
const JWT_LIFETIME_SECONDS = 1800;
// Kling rejects a token whose nbf is in the future (1003); backdating absorbs small clock skew.
const JWT_NOT_BEFORE_SKEW_SECONDS = 5;
// Re-sign this long before expiry so a token never expires between signing and Kling's check.
const JWT_RESIGN_MARGIN_SECONDS = 300;

interface SignedToken {
	token: string;
	issuedAt: number;
	expiresAt: number;
}

const signedTokens = new Map<string, SignedToken>();

const base64Url = (input: Buffer | string) => Buffer.from(input).toString('base64url');

export function signKlingJwt(accessKey: string, secretKey: string, nowSeconds: number): string {
	const header = base64Url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
	const payload = base64Url(
		JSON.stringify({
			iss: accessKey,
			exp: nowSeconds + JWT_LIFETIME_SECONDS,
			nbf: nowSeconds - JWT_NOT_BEFORE_SKEW_SECONDS,
		}),
	);
	const signature = base64Url(createHmac('sha256', secretKey).update(`${header}.${payload}`).digest());
	return `${header}.${payload}.${signature}`;
}

function tokenCacheKey(accessKey: string, secretKey: string): string {
	return createHash('sha256').update(`${accessKey}\u0000${secretKey}`).digest('hex');
}

/** A cached JWT for this key pair, re-signed once it is within the margin of its expiry. */
export function klingJwt(accessKey: string, secretKey: string, nowSeconds = Math.floor(Date.now() / 1000)): string {
	const key = tokenCacheKey(accessKey, secretKey);
	const cached = signedTokens.get(key);
	// A clock that jumped back would make a cached token "not yet valid" (1003): sign anew then too.
	const fresh = cached && cached.issuedAt <= nowSeconds && cached.expiresAt - JWT_RESIGN_MARGIN_SECONDS > nowSeconds;
	if (fresh) return cached.token;
	const token = signKlingJwt(accessKey, secretKey, nowSeconds);
	signedTokens.set(key, { token, issuedAt: nowSeconds, expiresAt: nowSeconds + JWT_LIFETIME_SECONDS });
	return token;
}

/** Drops the cached JWT so the next request signs a fresh one (after Kling answers 1003/1004). */
export function forgetKlingJwt(credentials: ICredentialDataDecryptedObject): void {
	signedTokens.delete(tokenCacheKey(String(credentials.accessKey ?? ''), String(credentials.secretKey ?? '')));
}
