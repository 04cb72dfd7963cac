import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { klingJwt } from '../nodes/Kling/transport/jwtCache';
import { authTypeOf, PROVIDER_PRESETS, resolveBaseUrl } from '../nodes/Kling/transport/provider';

export { forgetKlingJwt, klingJwt, signKlingJwt } from '../nodes/Kling/transport/jwtCache';

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
