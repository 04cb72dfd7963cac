import type { IDataObject } from 'n8n-workflow';

export interface KlingEnvelope<T = IDataObject> {
	code: number;
	message?: string;
	request_id?: string;
	data?: T;
}

export type TaskStatus = 'submitted' | 'processing' | 'succeed' | 'failed';

export interface KlingResultImage {
	index?: number;
	/** Absent on AI multi-shot results, which carry url_1..url_3 instead. */
	url?: string;
	url_1?: string;
	url_2?: string;
	url_3?: string;
	watermark_url?: string;
	/** Image recognition: object_seg, head_seg, face_seg or cloth_seg. */
	type?: string;
	is_contain?: boolean;
}

export interface KlingResultVideo {
	id?: string;
	url: string;
	duration?: string;
	watermark_url?: string;
}

export interface KlingResultAudio {
	id?: string;
	url?: string;
	url_mp3?: string;
	url_wav?: string;
}

export interface KlingResultVoice {
	voice_id?: string;
	voice_name?: string;
	trial_url?: string;
	owned_by?: string;
}

export interface KlingTask extends IDataObject {
	task_id: string;
	task_status: TaskStatus;
	task_status_msg?: string;
	task_info?: IDataObject & { external_task_id?: string };
	task_result?: IDataObject & {
		images?: KlingResultImage[];
		/** Omni Image with result_type "series". */
		series_images?: KlingResultImage[];
		videos?: KlingResultVideo[];
		audios?: KlingResultAudio[];
		/** Custom voices: trial_url is a preview of the voice. */
		voices?: KlingResultVoice[];
	};
	created_at?: number;
	updated_at?: number;
}

/**
 * What Kling said about an external_task_id. Only two answers count: a task that carries exactly
 * our id ("found"), and Kling's documented "no such task" ("absent"). Anything else — a task
 * without our id, a list, a 404 from a proxy, a failed request — proves nothing and is "unknown".
 */
export type Lookup =
	| { kind: 'found'; task: KlingTask }
	| { kind: 'absent' }
	| { kind: 'unknown'; reason: string };
