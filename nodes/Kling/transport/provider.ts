import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { routeFactsOf } from '../kling/catalogue';

/**
 * Everything that differs between the ways of reaching Kling lives here: hosts, path prefixes,
 * which auth a host takes, and reseller route quirks.
 */
export type ProviderId = 'singapore' | 'beijing' | 'cometapi' | 'quickrouter' | 'custom';
export type AuthType = 'accessKey' | 'apiKey';

interface ProviderPreset {
	displayName: string;
	baseUrl: string;
	acceptsAccessKey: boolean;
}

export const PROVIDER_PRESETS: Record<Exclude<ProviderId, 'custom'>, ProviderPreset> = {
	singapore: {
		displayName: 'Official Kling — Singapore (Global)',
		baseUrl: 'https://api-singapore.klingai.com',
		acceptsAccessKey: true,
	},
	beijing: {
		displayName: 'Official Kling — Beijing (China)',
		baseUrl: 'https://api-beijing.klingai.com',
		acceptsAccessKey: true,
	},
	cometapi: {
		displayName: 'CometAPI',
		baseUrl: 'https://api.cometapi.com/kling',
		acceptsAccessKey: false,
	},
	quickrouter: {
		displayName: 'QuickRouter',
		baseUrl: 'https://api.quickrouter.ai/kling',
		acceptsAccessKey: false,
	},
};

export class ProviderConfigError extends Error {}

export function providerOf(credentials: ICredentialDataDecryptedObject): ProviderId {
	const provider = (credentials.provider as ProviderId | undefined) ?? 'singapore';
	if (provider !== 'custom' && !(provider in PROVIDER_PRESETS)) {
		throw new ProviderConfigError(`Unknown Kling provider "${String(provider)}"`);
	}
	return provider;
}

/** Base URL including any reseller path prefix, without a trailing slash; Kling paths ("/v1/...") are appended. */
export function resolveBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const provider = providerOf(credentials);
	if (provider !== 'custom') return PROVIDER_PRESETS[provider].baseUrl;
	const raw = String(credentials.baseUrl ?? '').trim();
	if (!/^https?:\/\/[^/\s]+/i.test(raw)) {
		throw new ProviderConfigError(
			'The Kling API credential uses a custom host but its Base URL is not an http(s) URL (e.g. https://example.com/kling)',
		);
	}
	return raw.replace(/\/+$/, '').replace(/\/v1$/, '');
}

export function authTypeOf(credentials: ICredentialDataDecryptedObject): AuthType {
	const provider = providerOf(credentials);
	// Resellers only take their own key; a stale hidden "accessKey" choice must not turn into a JWT.
	if (provider !== 'custom' && !PROVIDER_PRESETS[provider].acceptsAccessKey) return 'apiKey';
	return credentials.authType === 'accessKey' ? 'accessKey' : 'apiKey';
}

/** Route quirks a reseller may need (the catalogue's `resellerRoute`); the official route is the default. */
export interface RouteOverride {
	path: string;
	renameFields: Record<string, string>;
}

export function routeOverrideFor(
	credentials: ICredentialDataDecryptedObject,
	taskPath: string,
): RouteOverride | undefined {
	const quirk = routeFactsOf(taskPath)?.resellerRoute;
	if (quirk && credentials[quirk.credentialField] === quirk.value) return { path: quirk.path, renameFields: quirk.renameFields };
	return undefined;
}

/**
 * How to read a task by its external_task_id: Kling documents only the task route with the id in
 * the path segment, which accepts a task id or an external id (https://kling.ai/document-api/guides/get-started/quick-start). A query
 * parameter such as `?external_task_id=` is not documented; a list route ignores it and answers
 * with the newest tasks, so it is never used.
 */
export function externalIdLookup(taskPath: string, externalTaskId: string): { path: string } {
	return { path: `${taskPath}/${encodeURIComponent(externalTaskId)}` };
}
