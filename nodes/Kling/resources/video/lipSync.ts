import type { IDataObject } from 'n8n-workflow';

import { imageInputFields, resolveImageParameter } from '../../shared/mediaInput';
import type { TaskOperation } from '../../shared/operation';

export const lipSync: TaskOperation = {
	kind: 'task',
	resource: 'video',
	value: 'lipSync',
	name: 'Lip Sync',
	action: 'Lip-sync a video',
	description: 'Make the person in a video speak a text or an audio track',
	taskPath: '/v1/videos/lip-sync',
	fields: [
		{
			displayName: 'Video',
			name: 'videoSource',
			type: 'options',
			options: [
				{ name: 'Kling Video ID', value: 'id', description: 'A video Kling generated in the last 30 days' },
				{ name: 'Video URL', value: 'url', description: 'An MP4 or MOV, 2–10 s, 720p or 1080p' },
			],
			default: 'id',
		},
		{
			displayName: 'Video ID',
			name: 'video',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 867283741759111202',
			displayOptions: { show: { videoSource: ['id'] } },
		},
		{
			displayName: 'Video URL',
			name: 'video',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/clip.mp4',
			displayOptions: { show: { videoSource: ['url'] } },
		},
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
		{
			displayName: 'Voice ID',
			name: 'voiceId',
			type: 'string',
			default: '',
			required: true,
			description: 'A voice from Kling’s voice list',
			displayOptions: { show: { speechMode: ['text2video'] } },
		},
		{
			displayName: 'Voice Language',
			name: 'voiceLanguage',
			type: 'options',
			options: [
				{ name: 'English', value: 'en' },
				{ name: 'Chinese', value: 'zh' },
			],
			default: 'en',
			displayOptions: { show: { speechMode: ['text2video'] } },
		},
		{
			displayName: 'Voice Speed',
			name: 'voiceSpeed',
			type: 'number',
			typeOptions: { minValue: 0.8, maxValue: 2, numberPrecision: 1 },
			default: 1,
			displayOptions: { show: { speechMode: ['text2video'] } },
		},
		...imageInputFields({ name: 'audio', displayName: 'Audio', kind: 'audio' }).map((field) => ({
			...field,
			displayOptions: { show: { ...(field.displayOptions?.show ?? {}), speechMode: ['audio2video'] } },
		})),
	],
	optionalFields: [],
	commonOptions: ['callbackUrl', 'externalTaskId'],
	async buildBody(itemIndex) {
		const videoSource = this.getNodeParameter('videoSource', itemIndex) as 'id' | 'url';
		const video = String(this.getNodeParameter('video', itemIndex, '')).trim();
		const mode = this.getNodeParameter('speechMode', itemIndex) as 'text2video' | 'audio2video';
		const input: IDataObject = { [videoSource === 'id' ? 'video_id' : 'video_url']: video, mode };
		if (mode === 'text2video') {
			input.text = this.getNodeParameter('text', itemIndex);
			input.voice_id = this.getNodeParameter('voiceId', itemIndex);
			input.voice_language = this.getNodeParameter('voiceLanguage', itemIndex);
			input.voice_speed = this.getNodeParameter('voiceSpeed', itemIndex);
		} else {
			const source = this.getNodeParameter('audioSource', itemIndex) as string;
			const audio = await resolveImageParameter.call(this, itemIndex, 'audio', 'input.audio_file', 'audio');
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
