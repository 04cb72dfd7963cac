/**
 * Everything the emulator answers besides task routes: the synchronous endpoints, the element and
 * voice libraries and the ledgers. kling-emulator.ts asks here first; undefined means "not mine".
 */
import { assetEndpoint } from './assets';
import { billingEndpoint, forgetCharges } from './billing';
import type { KlingEmulator } from './kling-emulator';
import { type EndpointAnswer, type EndpointRequest, syncEndpoint } from './syncEndpoints';

export function endpointAnswer(emulator: KlingEmulator, request: EndpointRequest): EndpointAnswer | undefined {
	return syncEndpoint(emulator, request) ?? assetEndpoint(emulator, request) ?? billingEndpoint(emulator, request);
}

export function resetEndpoints(emulator: KlingEmulator): void {
	forgetCharges(emulator);
}
