import type { IDataObject, IExecuteFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { verifyStandardWebhook } from './webhookSignature';

/**
 * What a Kling callback claims (https://kling.ai/document-api/api/get-started/callbacks): which task, which status. It is only ever a
 * reason to read the task again with the credential; its state and file URLs are never used.
 * Both shapes are read: legacy (task_id, task_status "succeed") and new (id, status "succeeded").
 */
export interface CallbackNotice {
	taskId: string;
	status: string;
	final: boolean;
	/** What the task produced, by the body's own keys: only a hint for where to look the task up. */
	kind?: 'image' | 'video' | 'audio';
}

const FINAL_STATUSES = new Set(['succeed', 'succeeded', 'failed']);

function kindOf(body: IDataObject): CallbackNotice['kind'] {
	const result = (body.task_result ?? {}) as IDataObject;
	const outputs = Array.isArray(body.outputs) ? (body.outputs as IDataObject[]) : [];
	const types = new Set(outputs.map((output) => output?.type));
	if (Array.isArray(result.videos) || types.has('video')) return 'video';
	if (Array.isArray(result.images) || Array.isArray(result.series_images) || types.has('image')) return 'image';
	if (Array.isArray(result.audios) || types.has('audio')) return 'audio';
	return undefined;
}

export function readCallback(body: unknown): CallbackNotice | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const fields = body as IDataObject;
	const legacy = fields.task_id !== undefined;
	const id = legacy ? fields.task_id : fields.id;
	const status = legacy ? fields.task_status : fields.status;
	if ((typeof id !== 'string' && typeof id !== 'number') || String(id) === '' || typeof status !== 'string') return undefined;
	return { taskId: String(id), status, final: FINAL_STATUSES.has(status), kind: kindOf(fields) };
}

/** The answer to a callback that changes nothing: Kling only needs a 2xx. */
export const ACKNOWLEDGED: IWebhookResponseData = { webhookResponse: { received: true } };

/**
 * With a Webhook Secret in the credential, a callback must carry Kling's valid signature; anything
 * else is answered 401 and changes nothing. Without a secret every callback passes, which is safe
 * because a callback only ever triggers a re-read of a task this node owns.
 */
export async function refuseUnverifiedCallback(this: IWebhookFunctions): Promise<IWebhookResponseData | undefined> {
	const credentials = await this.getCredentials('klingApi');
	const secret = String(credentials.webhookSecret ?? '').trim();
	if (!secret) return undefined;
	const request = this.getRequestObject() as ReturnType<IWebhookFunctions['getRequestObject']> & { rawBody?: Buffer };
	const check = verifyStandardWebhook({ secret, headers: request.headers, rawBody: request.rawBody });
	if (check.valid) return undefined;
	this.getResponseObject().status(401).json({ error: `Kling callback refused: ${check.reason}` });
	return { noWebhookResponse: true };
}

/** Answers Kling now, so a long download never keeps its callback request open. */
export function acknowledgeNow(context: IWebhookFunctions): void {
	context.getResponseObject().status(200).json({ received: true });
}

/**
 * The shared task modules (read, download, deliver) run in an execute context. A webhook call has
 * every helper they use (node, parameters, credentials, HTTP and binary helpers) but no execution
 * to cancel, so the cancel signal is the only thing added.
 */
export function asTaskContext(context: IWebhookFunctions): IExecuteFunctions {
	return Object.assign(Object.create(context) as object, { getExecutionCancelSignal: () => undefined }) as IExecuteFunctions;
}

/** n8n's "Continue On Fail" setting, read from the node (a webhook context has no continueOnFail()). */
export function continuesOnFail(context: IWebhookFunctions): boolean {
	const node = context.getNode();
	if (node.onError === undefined) return node.continueOnFail === true;
	return ['continueRegularOutput', 'continueErrorOutput'].includes(node.onError);
}
