import type { IDataObject } from 'n8n-workflow';

import type { TaskOperation } from '../../task/operation';
import { VOICE_ROUTES } from '../../fields/pickers';

/** A custom voice (https://kling.ai/document-api/api/video/2-6/voice-customization) from a clean 5–30 s recording or from a Kling video with speech. */
export const create: TaskOperation = {
	kind: 'task',
	resource: 'voice',
	value: 'create',
	name: 'Create',
	action: 'Create a custom voice',
	description: 'Clone a voice from a recording URL or a Kling video; returns the voice ID and a preview',
	taskPath: VOICE_ROUTES.custom,
	fields: [
		{ displayName: 'Name', name: 'voiceName', type: 'string', default: '', required: true, description: 'At most 20 characters' },
		{
			displayName: 'Voice From',
			name: 'voiceSource',
			type: 'options',
			options: [
				{ name: 'Recording URL', value: 'url', description: 'MP3, WAV, MP4 or MOV: 5–30 s of one clean voice' },
				{
					name: 'Kling Video ID',
					value: 'videoId',
					description: 'A V2.6 video made with sound, or an Avatar or Lip Sync video, from the last 30 days',
				},
			],
			default: 'url',
		},
		{
			displayName: 'Recording URL',
			name: 'voiceUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/voice.mp3',
			displayOptions: { show: { voiceSource: ['url'] } },
		},
		{
			displayName: 'Video ID',
			name: 'videoId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { voiceSource: ['videoId'] } },
		},
	],
	optionalFields: [],
	commonOptions: ['callbackUrl', 'externalTaskId'],
	async buildBody(itemIndex) {
		const body: IDataObject = { voice_name: this.getNodeParameter('voiceName', itemIndex) };
		if (this.getNodeParameter('voiceSource', itemIndex) === 'url') {
			body.voice_url = String(this.getNodeParameter('voiceUrl', itemIndex)).trim();
		} else {
			body.video_id = String(this.getNodeParameter('videoId', itemIndex)).trim();
		}
		return body;
	},
	rules: [
		{ field: 'voice_name', required: true, maxLength: 20 },
		{
			field: 'voice_url',
			check: (body) => {
				if (!body.voice_url && !body.video_id) return 'a Recording URL or a Kling Video ID is required';
				return body.voice_url && !/^https?:\/\/\S+$/i.test(String(body.voice_url))
					? `Recording URL must be an http(s) URL Kling can reach, got "${String(body.voice_url).slice(0, 80)}"`
					: undefined;
			},
		},
	],
};
