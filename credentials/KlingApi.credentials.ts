import { createHash, createHmac } from 'node:crypto';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { authTypeOf, PROVIDER_PRESETS, resolveBaseUrl } from '../nodes/Kling/shared/provider';

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

export function klingAuthorizationHeader(credentials: ICredentialDataDecryptedObject): string {
	if (authTypeOf(credentials) === 'accessKey') {
		return `Bearer ${klingJwt(String(credentials.accessKey ?? '').trim(), String(credentials.secretKey ?? '').trim())}`;
	}
	return `Bearer ${String(credentials.apiKey ?? '').trim()}`;
}

const officialProviders = Object.keys(PROVIDER_PRESETS).filter(
	(provider) => PROVIDER_PRESETS[provider as keyof typeof PROVIDER_PRESETS].acceptsAccessKey,
);
const resellerProviders = Object.keys(PROVIDER_PRESETS).filter((provider) => !officialProviders.includes(provider));

export class KlingApi implements ICredentialType {
	name = 'klingApi';

	displayName = 'Kling API';

	icon: Icon = { light: 'file:../icons/kling.svg', dark: 'file:../icons/kling.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-kling/n8n-nodes-kling#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Provider',
			name: 'provider',
			type: 'options',
			options: [
				...Object.entries(PROVIDER_PRESETS).map(([value, preset]) => ({
					name: preset.displayName,
					value,
					description: preset.baseUrl,
				})),
				{
					name: 'Custom Kling-Compatible Host',
					value: 'custom',
					description: 'Any host serving Kling’s native API under a path prefix',
				},
			],
			default: 'singapore',
			description: 'Where requests go. Keys are bound to their region or reseller.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/kling',
			description: 'Host and path prefix; Kling paths such as /v1/images/generations are appended to it',
			displayOptions: { show: { provider: ['custom'] } },
		},
		{
			displayName: 'Authentication',
			name: 'authType',
			type: 'options',
			options: [
				{ name: 'API Key', value: 'apiKey', description: 'Sent as a Bearer token' },
				{
					name: 'Access Key + Secret Key',
					value: 'accessKey',
					description:
						'The key pair from Kling’s developer console, on Kling’s hosts or a custom host that passes requests on to Kling; a short-lived signed JWT is made for each request',
				},
			],
			default: 'apiKey',
			displayOptions: { show: { provider: [...officialProviders, 'custom'] } },
		},
		{
			displayName: 'Access Key',
			name: 'accessKey',
			type: 'string',
			default: '',
			displayOptions: { show: { provider: [...officialProviders, 'custom'], authType: ['accessKey'] } },
		},
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { provider: [...officialProviders, 'custom'], authType: ['accessKey'] } },
		},
		// One "apiKey" value, shown by two definitions: resellers always take a key, whatever a hidden
		// Authentication choice still holds from an earlier provider.
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Your reseller’s API key',
			displayOptions: { show: { provider: resellerProviders } },
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The API key from the Kling developer console',
			displayOptions: { show: { provider: [...officialProviders, 'custom'], authType: ['apiKey'] } },
		},
		{
			displayName: 'Multi-Image to Image Route',
			name: 'multiImageRoute',
			type: 'options',
			options: [
				{
					name: 'Official (/v1/images/multi-image2image, scene_image)',
					value: 'official',
				},
				{
					name: 'Legacy Reseller (/v1/images/generations, scence_image)',
					value: 'legacyGenerations',
				},
			],
			default: 'official',
			description: 'Only change this if your reseller still documents the legacy CometAPI route',
		},
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'whsec_…',
			description:
				'Optional. The Webhook Secret from the Kling console (Basic Settings → Webhook). When set, Kling callbacks to park mode and the Kling Trigger must carry a valid signature; anything else is refused with 401.',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			baseURL: resolveBaseUrl(credentials),
			headers: { ...(requestOptions.headers ?? {}), Authorization: klingAuthorizationHeader(credentials) },
		};
	}

	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			url: '/v1/images/generations',
			qs: { pageNum: 1, pageSize: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'The host rejected the key (401). Check the key, and that it was issued where this credential sends it: a key from Kling’s console works only on the host of its own region, and a reseller’s or custom host’s key only at that host.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'This host has no Kling API at the given path. Check the Provider or the Base URL prefix (e.g. /kling)',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 429,
					message: 'Kling refused the account (arrears, exhausted resource pack or rate limit)',
				},
			},
		],
	};
}
