/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import { after, before, beforeEach } from 'node:test';

import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { Kling } from '../../nodes/Kling/Kling.node';
import type { KlingEmulator } from '../support/emulator/kling-emulator';
import { credentialsFor, networkFor, type Preset, startEmulator } from '../support/fixtures';
import { runKling } from '../support/harness/n8n';

const description = new Kling().description;

/** The parameters the editor shows for a resource/operation, given what the user set. */
export function visibleFields(resource: string, operation: string, values: IDataObject = {}): INodeProperties[] {
	const withDefaults = NodeHelpers.getNodeParameters(
		description.properties,
		{ resource, operation, ...values } as never,
		true,
		false,
		null,
		description,
	);
	return description.properties.filter(
		(property) =>
			!['resource', 'operation'].includes(property.name) &&
			NodeHelpers.displayParameter(withDefaults as never, property, null, description),
	);
}

/** name → default of the visible fields; collections list their option names instead. */
export function fieldSummary(resource: string, operation: string, values: IDataObject = {}): Record<string, unknown> {
	return Object.fromEntries(
		visibleFields(resource, operation, values).filter((property) => property.type !== 'hidden').map((property) => [
			property.name,
			property.type === 'collection' || property.type === 'fixedCollection'
				? (property.options ?? []).map((option) => ('name' in option ? option.name : ''))
				: property.default,
		]),
	);
}

export function operationOption(resource: string, operation: string) {
	const selector = description.properties.find(
		(property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource),
	);
	return (selector?.options as Array<{ value: string; name: string; action: string; routing?: unknown }>).find(
		(option) => option.value === operation,
	);
}

/** One emulator for a test file; reset between tests. */
export function useEmulator(): () => KlingEmulator {
	let emulator: KlingEmulator;
	before(async () => (emulator = await startEmulator()));
	after(async () => await emulator.stop());
	beforeEach(() => emulator.reset());
	return () => emulator;
}

/** Runs the operation through the engine with waiting off and returns the exact body Kling received. */
export async function sentBody(
	emulator: KlingEmulator,
	parameters: IDataObject,
	options: { items?: Parameters<typeof runKling>[0]['items']; preset?: Preset; credentialOverrides?: IDataObject; acceptError?: RegExp } = {},
): Promise<Record<string, unknown> | undefined> {
	const result = await runKling({
		parameters: { waitForCompletion: false, ...parameters },
		credentials: credentialsFor(options.preset ?? 'singapore', emulator, options.credentialOverrides),
		network: networkFor(emulator),
		items: options.items,
	});
	const error = result.error('Kling');
	// n8n keeps node errors in the run data as plain objects; rethrow as an Error for assert.rejects.
	if (error && !options.acceptError?.test(error.message)) throw Object.assign(new Error(error.message), { description: error.description, context: error.context });
	const submits = emulator.submits();
	return submits[submits.length - 1]?.body;
}

/** The derived external_task_id is per execution; tests compare the rest of the body. */
export function withoutDerivedId(body: Record<string, unknown> | undefined) {
	const { external_task_id: externalTaskId, ...rest } = body ?? {};
	return { ...rest, external_task_id: String(externalTaskId).startsWith('n8n-') ? '<derived>' : externalTaskId };
}
