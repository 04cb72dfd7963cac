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
	url: string;
	watermark_url?: string;
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

export interface KlingTask extends IDataObject {
	task_id: string;
	task_status: TaskStatus;
	task_status_msg?: string;
	task_info?: IDataObject & { external_task_id?: string };
	task_result?: IDataObject & {
		images?: KlingResultImage[];
		videos?: KlingResultVideo[];
		audios?: KlingResultAudio[];
	};
	created_at?: number;
	updated_at?: number;
}
