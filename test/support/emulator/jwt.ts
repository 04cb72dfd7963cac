import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The emulator's own HS256 check, written apart from the credential's signer so that a bug in
 * one cannot hide in the other. Returns the Kling code an invalid token gets, or 0.
 */
export function verifyKlingJwt(token: string, secretsByAccessKey: Map<string, string>, nowSeconds: number): number {
	const parts = token.split('.');
	if (parts.length !== 3) return 1002;
	const decode = (part: string) => {
		const padded = part.replace(/-/g, '+').replace(/_/g, '/');
		return JSON.parse(Buffer.from(padded, 'base64').toString('utf8')) as Record<string, unknown>;
	};
	let header: Record<string, unknown>;
	let claims: Record<string, unknown>;
	try {
		header = decode(parts[0]);
		claims = decode(parts[1]);
	} catch {
		return 1002;
	}
	if (header.alg !== 'HS256') return 1002;
	const secret = typeof claims.iss === 'string' ? secretsByAccessKey.get(claims.iss) : undefined;
	if (secret === undefined) return 1000;
	const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
	const given = Buffer.from(parts[2].replace(/-/g, '+').replace(/_/g, '/'), 'base64');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 1002;
	if (typeof claims.nbf !== 'number' || typeof claims.exp !== 'number') return 1002;
	if (claims.nbf > nowSeconds) return 1003;
	if (claims.exp <= nowSeconds) return 1004;
	return 0;
}
