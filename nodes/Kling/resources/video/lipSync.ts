import type { IDataObject } from 'n8n-workflow';

import { imageInputFields, resolveImageParameter } from '../../input/mediaInput';
import type { TaskOperation } from '../../task/operation';
import { klingVideoBody, klingVideoFields, voiceBody, voiceFields } from '../../fields/videoFields';

export const lipSync: TaskOperation = {
	kind: 'task',
	resource: 'video',
	value: 'lipSync',
	// Kling's docs replaced this route with Identify Faces + Lip Sync (§5.11); kept for resellers that still serve it.
	name: 'Lip Sync (Legacy)',
	action: 'Lip-sync a video (legacy route)',
	description: 'The old lip-sync route (/v1/videos/lip-sync), for resellers that still serve it: a text or an audio track',
	taskPath: '/v1/videos/lip-sync',
	fields: [
		...klingVideoFields('An MP4 or MOV, 2–10 s, 720p or 1080p'),
		{
			displayName: 'Speech From',
			name: 'speechMode',
			type: 'options',
			options: [
				{ name: 'Text', value: 'text2video', description: 'Kling speaks a text with one of its voices' },
				{ name: 'Audio', value: 'audio2video', description: 'Use an audio track (MP3, WAV, M4A, AAC; at most 5 MB)' },
			],
			default: 'text2video',
		},
		{
			displayName: 'Text',
			name: 'text',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			required: true,
			description: 'What the person says (at most 120 characters)',
			displayOptions: { show: { speechMode: ['text2video'] } },
		},
		...voiceFields({ speechMode: ['text2video'] }),
		...imageInputFields({ name: 'audio', displayName: 'Audio', kind: 'audio' }).map((field) => ({
			...field,
			displayOptions: { show: { ...(field.displayOptions?.show ?? {}), speechMode: ['audio2video'] } },
		})),
	],
	optionalFields: [],
	commonOptions: ['callbackUrl', 'externalTaskId'],
	async buildBody(itemIndex) {
		const mode = this.getNodeParameter('speechMode', itemIndex) as 'text2video' | 'audio2video';
		const input: IDataObject = { ...klingVideoBody(this, itemIndex), mode };
		if (mode === 'text2video') {
			Object.assign(input, { text: this.getNodeParameter('text', itemIndex) }, voiceBody(this, itemIndex));
		} else {
			const source = this.getNodeParameter('audioSource', itemIndex) as string;
			const audio = await resolveImageParameter.call(this, itemIndex, 'audio', 'Audio', 'audio');
			input.audio_type = source === 'url' ? 'url' : 'file';
			input[source === 'url' ? 'audio_url' : 'audio_file'] = audio;
		}
		return { input };
	},
	rules: [
		{ field: 'input', check: (body) => ((body.input as IDataObject).video_id || (body.input as IDataObject).video_url ? undefined : 'a video ID or a video URL is required') },
		{ field: 'input.text', maxLength: 120, required: true, when: { field: 'input.mode', oneOf: ['text2video'] } },
		{ field: 'input.voice_id', required: true, when: { field: 'input.mode', oneOf: ['text2video'] } },
		{ field: 'input.voice_speed', min: 0.8, max: 2 },
	],
};
