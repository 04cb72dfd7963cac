import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CustomOperation } from '../../task/operation';
import { paidSyncCall, syncExecutor } from '../../task/syncCall';

/**
 * Multi-element video editing (https://kling.ai/document-api/llms.txt) works on a session Kling keeps for 24 hours:
 * Start Session → Add/Delete Selection → Preview → Create. Every step outputs the session_id, and
 * every step's Session ID defaults to the incoming item's, so the steps chain node after node.
 */
export const MULTI_ELEMENTS = '/v1/videos/multi-elements' as const;

export const sessionField: INodeProperties = {
	displayName: 'Session ID',
	name: 'sessionId',
	type: 'string',
	default: '={{ $json.session_id }}',
	required: true,
	description: 'From Start Session (valid 24 hours); by default the session of the incoming item',
};

export function sessionId(context: IExecuteFunctions, itemIndex: number): string {
	return String(context.getNodeParameter('sessionId', itemIndex, '')).trim();
}

/** One selection step: the call is sent once (Kling reports a deduction on each), a rejection raises. */
export async function sessionStep(
	context: IExecuteFunctions,
	step: string,
	body: IDataObject,
	itemIndex: number,
): Promise<IDataObject> {
	const data = await paidSyncCall.call(context, `${MULTI_ELEMENTS}/${step}`, body, itemIndex);
	if (data.status !== undefined && Number(data.status) !== 0) {
		throw new NodeOperationError(context.getNode(), `Kling rejected the ${step} request (status ${String(data.status)})`, {
			itemIndex,
			description: 'For Start Session: the video must be 2–5 s or 7–10 s, 720–2160 px, 24/30/60 fps.',
		});
	}
	return data;
}

/** A session operation: builds the body, runs the step, and turns the answer into one item. */
export function sessionOperation(
	operation: Omit<CustomOperation, 'kind' | 'resource' | 'execute'>,
	step: string,
	build: (context: IExecuteFunctions, itemIndex: number) => Promise<IDataObject> | IDataObject,
	output: (context: IExecuteFunctions, data: IDataObject, itemIndex: number) => Promise<{ json?: IDataObject; binary?: IBinaryKeyData }> = async () => ({}),
): CustomOperation {
	return {
		kind: 'custom',
		resource: 'multiElement',
		...operation,
		execute: syncExecutor(async function (this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
			const body = await build(this, itemIndex);
			const data = await sessionStep(this, step, body, itemIndex);
			const extra = await output(this, data, itemIndex);
			return {
				json: { session_id: body.session_id, ...data, ...(extra.json ?? {}) },
				binary: extra.binary && Object.keys(extra.binary).length ? extra.binary : undefined,
				pairedItem: { item: itemIndex },
			};
		}),
	};
}
