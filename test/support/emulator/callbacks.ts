/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-hardcoded-secrets -- test infrastructure: Kling's callback sender outside n8n, with a made-up test secret */
/**
 * Kling's side of callbacks (https://kling.ai/document-api/api/get-started/callbacks), written from the API document, not from the
 * node: on every status change Kling POSTs the bare task object to the task's callback_url, in the
 * legacy shape (task_id, task_status "succeed") or the new one (id, status "succeeded", outputs[]).
 * With a webhook secret on the account every callback carries Standard-Webhooks signature headers.
 * Delivery order and retries are not documented: faults make them duplicate, late, out of order or
 * dropped, and failed deliveries can be retried.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { stringifyExactJson } from './exactJson';

/** The account's webhook secret in tests (any whsec_<base64> works). */
export const TEST_WEBHOOK_SECRET = 'whsec_a2xpbmctZW11bGF0b3ItdGVzdC13ZWJob29rLXNlY3JldA==';

export type CallbackShape = 'legacy' | 'new';
export type CallbackStage = 'submitted' | 'processing' | 'final';

export interface CallbackFault {
	kind: 'drop' | 'duplicate' | 'late' | 'outOfOrder';
	/** Only callbacks of this stage; every stage when left out. */
	stage?: CallbackStage;
	/** Only this task, or tasks whose request body passes `match`; every task when both are left out. */
	taskId?: string;
	match?: (body: Record<string, unknown>) => boolean;
	/** late: extra delay before delivery. */
	delayMs?: number;
	/** How many callbacks it applies to; unlimited when left out. */
	times?: number;
}

export interface CallbackSettings {
	shape: CallbackShape;
	/** The account's webhook secret: callbacks are signed when set. */
	secret?: string;
	/** Further attempts after a connection error or a non-2xx answer (Kling does not document any). */
	retries: number;
	retryDelayMs: number;
}

export const DEFAULT_CALLBACK_SETTINGS: CallbackSettings = { shape: 'legacy', retries: 0, retryDelayMs: 500 };

export interface SentCallback {
	url: string;
	taskId: string;
	stage: CallbackStage;
	status: string;
	body: Record<string, unknown>;
	/** HTTP status of the receiver's answer; 0 = no answer; undefined = dropped on purpose. */
	answer?: number;
	attempt: number;
	sentAt: number;
	/** How many API requests the emulator had received when this callback went out. */
	requestsBefore: number;
}

/** What the sender needs from the emulator: the task as it looked at a moment, and the request count. */
export interface CallbackSource<Task extends CallbackTask> {
	taskObject(task: Task, now: number): Record<string, unknown>;
	readonly requests: readonly unknown[];
	submittedMs: number;
	processingMs: number;
}

export interface CallbackTask {
	task_id: string;
	createdAt: number;
	body: Record<string, unknown>;
}

const NEW_STATUS: Record<string, string> = { succeed: 'succeeded' };

/** The new-standard shape of a legacy task object (https://kling.ai/document-api/guides/get-started/quick-start, §1.13). */
export function newShapeOf(legacy: Record<string, unknown>): Record<string, unknown> {
	const result = (legacy.task_result ?? {}) as {
		images?: Array<{ url: string; watermark_url?: string }>;
		videos?: Array<{ id?: string; url: string; duration?: string; watermark_url?: string }>;
		audios?: Array<{ id?: string; url_mp3?: string; url_wav?: string; url?: string; duration_mp3?: string; duration_wav?: string }>;
	};
	const outputs: Array<Record<string, unknown>> = [
		...(result.videos ?? []).map((video) => ({ type: 'video', id: video.id, url: video.url, duration: video.duration })),
		...(result.images ?? []).map((image) => ({ type: 'image', url: image.url })),
		...(result.audios ?? []).map((audio) => ({
			type: 'audio',
			id: audio.id,
			mp3_url: audio.url_mp3 ?? audio.url,
			wav_url: audio.url_wav,
			mp3_duration: audio.duration_mp3,
			wav_duration: audio.duration_wav,
		})),
	];
	const status = String(legacy.task_status);
	const info = (legacy.task_info ?? {}) as { external_task_id?: string };
	return {
		id: legacy.task_id,
		status: NEW_STATUS[status] ?? status,
		message: legacy.task_status_msg ?? '',
		create_time: legacy.created_at,
		update_time: legacy.updated_at,
		external_id: info.external_task_id ?? '',
		outputs,
		billing: status === 'succeed' ? [{ charge_type: 'unit', amount: String(legacy.final_unit_deduction ?? '1'), package_type: 'video' }] : [],
	};
}

/** Standard Webhooks signature headers for one request (the emulator's own signer). */
export function signatureHeaders(secret: string, body: string, id: string = randomUUID(), timestamp = Math.floor(Date.now() / 1000)) {
	const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
	const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
	return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` };
}

/** One POST; resolves to the receiver's HTTP status, or 0 when no answer came. */
export function postCallback(url: string, body: string, headers: Record<string, string> = {}): Promise<number> {
	return new Promise((resolve) => {
		const call = httpRequest(new URL(url), {
			method: 'POST',
			agent: false,
			headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
		});
		call.setTimeout(30_000, () => call.destroy());
		call.on('error', () => resolve(0));
		call.on('response', (response) => {
			response.resume();
			response.on('end', () => resolve(response.statusCode ?? 0));
		});
		call.end(body);
	});
}

export class CallbackSender<Task extends CallbackTask> {
	readonly sent: SentCallback[] = [];
	readonly faults: CallbackFault[] = [];
	settings: CallbackSettings = { ...DEFAULT_CALLBACK_SETTINGS };
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly deliveries = new Set<Promise<void>>();

	constructor(private readonly source: CallbackSource<Task>) {}

	injectFault(fault: CallbackFault): void {
		this.faults.push(fault);
	}

	reset(): void {
		this.stop();
		this.sent.length = 0;
		this.faults.length = 0;
		this.settings = { ...DEFAULT_CALLBACK_SETTINGS };
	}

	stop(): void {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}

	/** Resolves once every delivery started so far has ended. */
	async settled(): Promise<void> {
		while (this.deliveries.size) await Promise.all([...this.deliveries]);
	}

	/** One callback per status change: submitted at once, processing and the final status when reached. */
	schedule(url: string, task: Task): void {
		const offsets: Record<CallbackStage, number> = {
			submitted: 0,
			processing: this.source.submittedMs + 1,
			final: this.source.submittedMs + this.source.processingMs + 1,
		};
		for (const stage of ['submitted', 'processing', 'final'] as CallbackStage[]) {
			const fault = this.takeFault(task, stage);
			if (fault?.kind === 'drop') {
				const body = this.payload(task, task.createdAt + offsets[stage]);
				this.sent.push({ url, taskId: task.task_id, stage, status: this.statusOf(body), body, attempt: 0, sentAt: Date.now(), requestsBefore: this.source.requests.length });
				continue;
			}
			let at = offsets[stage];
			if (fault?.kind === 'late') at += fault.delayMs ?? 1_000;
			// Out of order: this status change arrives after the task's final callback.
			if (fault?.kind === 'outOfOrder') at = offsets.final + (fault.delayMs ?? 50);
			this.at(task.createdAt + at, () => this.deliver(url, task, stage, task.createdAt + offsets[stage], 1));
			if (fault?.kind === 'duplicate') this.at(task.createdAt + at + (fault.delayMs ?? 20), () => this.deliver(url, task, stage, task.createdAt + offsets[stage], 1));
		}
	}

	private takeFault(task: Task, stage: CallbackStage): CallbackFault | undefined {
		const index = this.faults.findIndex(
			(fault) =>
				(!fault.stage || fault.stage === stage) &&
				(!fault.taskId || fault.taskId === task.task_id) &&
				(!fault.match || fault.match(task.body)),
		);
		if (index === -1) return undefined;
		const fault = this.faults[index];
		if (fault.times !== undefined && --fault.times <= 0) this.faults.splice(index, 1);
		return fault;
	}

	private at(when: number, action: () => void): void {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			action();
		}, Math.max(0, when - Date.now()));
		this.timers.add(timer);
	}

	private payload(task: Task, at: number): Record<string, unknown> {
		const legacy = this.source.taskObject(task, at);
		// Tasks of the new standard always call back in the new shape (https://kling.ai/document-api/api/get-started/callbacks), as their queries answer.
		const source = this.source as { newStandardObject?: (task: Task, at: number) => Record<string, unknown> };
		if ((task as { standard?: string }).standard === 'new' && source.newStandardObject) return source.newStandardObject(task, at);
		return this.settings.shape === 'new' ? newShapeOf(legacy) : legacy;
	}

	private statusOf(body: Record<string, unknown>): string {
		return String(body.task_status ?? body.status);
	}

	private deliver(url: string, task: Task, stage: CallbackStage, snapshotAt: number, attempt: number): void {
		const target = new URL(url);
		// Only loopback targets: tests never call out of the machine.
		if (!['127.0.0.1', 'localhost'].includes(target.hostname)) return;
		const body = this.payload(task, snapshotAt);
		const text = stringifyExactJson(body);
		const headers = this.settings.secret ? signatureHeaders(this.settings.secret, text) : {};
		const record: SentCallback = { url, taskId: task.task_id, stage, status: this.statusOf(body), body, attempt, sentAt: Date.now(), requestsBefore: this.source.requests.length };
		this.sent.push(record);
		const delivery = postCallback(url, text, headers).then((answer) => {
			record.answer = answer;
			const failed = answer === 0 || answer >= 500;
			if (failed && attempt <= this.settings.retries) {
				this.at(Date.now() + this.settings.retryDelayMs * 2 ** (attempt - 1), () => this.deliver(url, task, stage, snapshotAt, attempt + 1));
			}
		});
		this.deliveries.add(delivery);
		void delivery.finally(() => this.deliveries.delete(delivery));
	}
}
