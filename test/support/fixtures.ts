import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { KlingEmulator, type EmulatorOptions, TEST_KEYS } from './emulator/kling-emulator';
import { makePng } from './emulator/media';


export const PRESETS = ['singapore', 'beijing', 'cometapi', 'quickrouter', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];

export function credentialsFor(preset: Preset, emulator: KlingEmulator, overrides: IDataObject = {}): ICredentialDataDecryptedObject {
	const byPreset: Record<Preset, ICredentialDataDecryptedObject> = {
		singapore: { provider: 'singapore', authType: 'accessKey', ...TEST_KEYS.singapore },
		beijing: { provider: 'beijing', authType: 'apiKey', apiKey: TEST_KEYS.beijing.apiKey },
		cometapi: { provider: 'cometapi', apiKey: TEST_KEYS.cometapi.apiKey },
		quickrouter: { provider: 'quickrouter', apiKey: TEST_KEYS.quickrouter.apiKey },
		custom: {
			provider: 'custom',
			baseUrl: `${emulator.url}/custom/kling`,
			authType: 'accessKey',
			accessKey: TEST_KEYS.custom.accessKey,
			secretKey: TEST_KEYS.custom.secretKey,
		},
	};
	return { ...byPreset[preset], ...overrides } as ICredentialDataDecryptedObject;
}

/** The test network: preset hosts resolve to the emulator (which is told the intended origin). */
export function networkFor(emulator: KlingEmulator): Record<string, string> {
	return Object.fromEntries(
		emulator.deployments.filter((d) => d.origin.startsWith('https://')).map((d) => [d.origin, emulator.url]),
	);
}

export const SECRETS = [
	TEST_KEYS.singapore.secretKey,
	TEST_KEYS.singapore.apiKey,
	TEST_KEYS.beijing.secretKey,
	TEST_KEYS.beijing.apiKey,
	TEST_KEYS.cometapi.apiKey,
	TEST_KEYS.quickrouter.apiKey,
	TEST_KEYS.custom.secretKey,
	TEST_KEYS.custom.apiKey,
];

export async function startEmulator(options: EmulatorOptions = {}): Promise<KlingEmulator> {
	return await new KlingEmulator(options).start();
}

/** A binary test item holding a valid PNG. */
export function pngItem(properties: Record<string, { width?: number; height?: number; seed?: string }>, json: IDataObject = {}) {
	return {
		json,
		binary: Object.fromEntries(
			Object.entries(properties).map(([property, spec]) => [
				property,
				{
					base64: makePng(spec.width ?? 320, spec.height ?? 320, spec.seed ?? property).toString('base64'),
					mimeType: 'image/png',
					fileName: `${property}.png`,
				},
			]),
		),
	};
}

export const fastWait = { pollIntervalSeconds: 0.05, timeoutMinutes: 0.5 };
