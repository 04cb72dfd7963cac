import type { IDataObject, IExecuteSingleFunctions, IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';

import { klingApiError } from './errors';
import type { KlingEnvelope } from './types';

/** postReceive for routed operations: Kling's envelope → items, or a Kling error with its code explained. */
export async function unwrapKlingEnvelope(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const envelope = response.body as KlingEnvelope<IDataObject | IDataObject[]> | undefined;
	if (response.statusCode >= 300 || !envelope || typeof envelope !== 'object' || envelope.code !== 0) {
		throw klingApiError(
			this.getNode(),
			{
				httpStatus: response.statusCode,
				klingCode: envelope?.code,
				klingMessage: envelope?.message,
				requestId: envelope?.request_id,
			},
			this.getItemIndex(),
		);
	}
	const data = envelope.data ?? {};
	return (Array.isArray(data) ? data : [data]).map((json) => ({ json }));
}
