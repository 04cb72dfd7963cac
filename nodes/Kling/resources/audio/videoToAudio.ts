import type { TaskOperation } from '../../task/operation';
import { klingVideoBody, klingVideoFields } from '../../fields/videoFields';

export const videoToAudio: TaskOperation = {
	kind: 'task',
	resource: 'audio',
	value: 'videoToAudio',
	name: 'Video to Audio',
	action: 'Add sound to a video',
	description: 'Generate sound effects and background music for a 3–20 s video; returns the video with sound and the audio',
	taskPath: '/v1/audio/video-to-audio',
	fields: [
		...klingVideoFields('MP4 or MOV, at most 100 MB'),
		{
			displayName: 'Sound Effect Prompt',
			name: 'soundEffectPrompt',
			type: 'string',
			default: '',
			description: 'At most 200 characters',
		},
		{
			displayName: 'Background Music Prompt',
			name: 'bgmPrompt',
			type: 'string',
			default: '',
			description: 'At most 200 characters',
		},
		{
			displayName: 'ASMR Mode',
			name: 'asmrMode',
			type: 'boolean',
			default: false,
			description: 'Whether to enhance detailed sound effects',
		},
	],
	optionalFields: [],
	commonOptions: ['callbackUrl', 'externalTaskId'],
	async buildBody(itemIndex) {
		const body = klingVideoBody(this, itemIndex);
		const soundEffectPrompt = this.getNodeParameter('soundEffectPrompt', itemIndex, '') as string;
		if (soundEffectPrompt) body.sound_effect_prompt = soundEffectPrompt;
		const bgmPrompt = this.getNodeParameter('bgmPrompt', itemIndex, '') as string;
		if (bgmPrompt) body.bgm_prompt = bgmPrompt;
		if (this.getNodeParameter('asmrMode', itemIndex, false)) body.asmr_mode = true;
		return body;
	},
	rules: [
		{ field: 'video_id', check: (body) => (body.video_id || body.video_url ? undefined : 'a Video ID or a Video URL is required') },
		{ field: 'sound_effect_prompt', maxLength: 200 },
		{ field: 'bgm_prompt', maxLength: 200 },
	],
};
