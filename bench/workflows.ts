import type { ICredentialDataDecryptedObject, IDataObject, INodeType } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { KLING_NODE_TYPE, runWorkflow, testNode as node } from '../test/support/harness/n8n';

/** Test Input (N items) → Kling [→ extra node]: what users build, without the test probe. */
export async function runKlingItems(options: {
	parameters: IDataObject;
	credentials: ICredentialDataDecryptedObject;
	items: number;
	network?: Record<string, string>;
	next?: { type: string; nodeType: INodeType };
}) {
	const names = ['Input', 'Kling', ...(options.next ? ['Next'] : [])];
	return await runWorkflow({
		nodes: [
			node('Input', 'test.input', { items: JSON.stringify(Array.from({ length: options.items }, (_, index) => ({ json: { index } }))) }),
			node('Kling', KLING_NODE_TYPE, options.parameters, { credentials: { klingApi: { id: 'bench', name: 'Kling' } } }),
			...(options.next ? [node('Next', options.next.type, {})] : []),
		],
		connections: Object.fromEntries(
			names.slice(0, -1).map((name, index) => [name, { main: [[{ node: names[index + 1], type: NodeConnectionTypes.Main, index: 0 }]] }]),
		),
		credentials: { bench: options.credentials },
		network: options.network,
		extraNodeTypes: options.next ? { [options.next.type]: options.next.nodeType } : undefined,
	});
}
