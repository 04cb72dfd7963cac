import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { KlingEmulator } from '../support/emulator/kling-emulator';
import { credentialsFor, networkFor } from '../support/fixtures';
import { KLING_NODE_TYPE, runWorkflow, testNode, type RunResult } from '../support/harness/n8n';

type TestItems = Array<{ json?: IDataObject; binary?: Record<string, { base64: string; mimeType: string; fileName: string }> }>;

/** Test Input → Kling step 1 → … → step n → Binary Probe: the chains users build (e.g. Identify Faces → Lip Sync). */
export async function runChain(
	emulator: KlingEmulator,
	steps: IDataObject[],
	items: TestItems = [{ json: {} }],
): Promise<RunResult & { step(index: number): INodeExecutionData[]; probed: INodeExecutionData[] }> {
	const names = ['Test Input', ...steps.map((_, index) => `Kling ${index + 1}`), 'Binary Probe'];
	const result = await runWorkflow({
		nodes: [
			testNode('Test Input', 'test.input', { items: JSON.stringify(items) }),
			...steps.map((parameters, index) =>
				// The emulator's file host is 127.0.0.1 while the steps reach Kling under preset host names.
				testNode(names[index + 1], KLING_NODE_TYPE, { timing: { allowPrivateFileHosts: true, inputUrlCheck: false }, ...parameters }, { credentials: { klingApi: { id: 'kling-credential', name: 'Kling account' } } }),
			),
			testNode('Binary Probe', 'test.binaryProbe', {}),
		],
		connections: Object.fromEntries(
			names.slice(0, -1).map((name, index) => [name, { main: [[{ node: names[index + 1], type: NodeConnectionTypes.Main, index: 0 }]] }]),
		),
		credentials: { 'kling-credential': credentialsFor('singapore', emulator) },
		network: networkFor(emulator),
	});
	return { ...result, step: (index) => result.output(`Kling ${index}`), probed: result.output('Binary Probe') };
}

/** The first error of any step, for assert messages. */
export function firstError(result: RunResult, steps: number): string | undefined {
	for (let index = 1; index <= steps; index++) {
		const error = result.error(`Kling ${index}`);
		if (error) return `Kling ${index}: ${error.message} ${error.description ?? ''}`;
	}
	return result.error()?.message;
}
