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
			displayName: 'Kling 4.0: Send External Task ID',
			name: 'generation4ExternalTaskId',
			type: 'boolean',
			default: false,
			description:
				'Whether this host takes options.external_task_id on Kling 4.0. Off (the default): Kling 4.0 tasks are sent without one, and a submit whose answer is lost is never sent again (the error says how to find the task in Task › List). Switch on only where your host documents it for 4.0; Comfy Router refuses it.',
		},
		{
			displayName: 'Kling 4.0: Send Callback URL',
			name: 'generation4CallbackUrl',
			type: 'boolean',
			default: false,
			description:
				'Whether this host calls back for Kling 4.0 tasks (options.callback_url). Off (the default): park mode polls Kling 4.0 tasks instead and says so, and a Callback URL option on a 4.0 operation is refused before paying. Switch on only where your host documents it for 4.0.',
		},
		{
			displayName: 'Kling 4.0 Video Route',
			name: 'generation4VideoRoute',
			type: 'string',
			default: '/{mode}/{model}',
			description:
				'Where Kling 4.0 videos are created, below the Base URL. {mode} becomes text-to-video, image-to-video or omni-video (from the inputs), {model} the model ID. Kling has not published its 4.0 routes; change this only if your host documents another one (e.g. /video/{model}).',
		},
		{
			displayName: 'Kling 4.0 Image Route',
			name: 'generation4ImageRoute',
			type: 'string',
			default: '/omni-image/{model}',
			description: 'Where Kling Image 4.0 and Long Image 4.0 tasks are created, below the Base URL; {model} becomes the model ID',
		},
		{
			displayName: 'Kling 4.0 Prompt References',
			name: 'generation4References',
			type: 'options',
			options: [
				{ name: 'Input IDs (@image01, @first, @video1)', value: 'id', description: 'Each input carries the ID the prompt names' },
				{ name: 'Ordinal Names (@Image1, @Video1, @Element1, @Audio1)', value: 'ordinal', description: 'The host numbers inputs by kind in order; the node rewrites your references' },
			],
			default: 'id',
			description: 'How a Kling 4.0 prompt names its inputs at this host. You always write the node’s names (@first, @image01…); they are sent in this form.',
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
