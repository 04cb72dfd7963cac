import type { IDataObject } from 'n8n-workflow';

import { KLING_LIMITS } from '../../kling/constants';
import { imageInputFields, resolveImageParameter } from '../../input/mediaInput';
import type { TaskOperation } from '../../task/operation';
import { hdModeField } from '../../fields/videoFields';
import { promptField } from '../../fields/commonFields';

export const avatar: TaskOperation = {
	kind: 'task',
	resource: 'video',
	value: 'avatar',
	name: 'Avatar',
	action: 'Make a talking avatar video',
	description: 'Animate a portrait so it speaks an audio track',
	taskPath: '/v1/videos/avatar/image2video',
	fields: [
		...imageInputFields({ name: 'image', displayName: 'Portrait' }),
		{
			displayName: 'Audio From',
			name: 'audioFrom',
			type: 'options',
			options: [
				{ name: 'Kling Audio ID', value: 'id', description: 'An audio Kling generated (e.g. Text to Speech) in the last 30 days' },
				{ name: 'Audio File', value: 'file', description: 'MP3, WAV, M4A or AAC; at most 5 MB' },
			],
			default: 'file',
		},
		{
			displayName: 'Audio ID',
			name: 'audioId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 867283741759111202',
			displayOptions: { show: { audioFrom: ['id'] } },
		},
		...imageInputFields({ name: 'soundFile', displayName: 'Audio', kind: 'audio' }).map((field) => ({
			...field,
			displayOptions: { show: { ...(field.displayOptions?.show ?? {}), audioFrom: ['file'] } },
		})),
		promptField('Actions, emotion and camera (at most 2500 characters)', { rows: 3 }),
		hdModeField,
	],
	optionalFields: [],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	async buildBody(itemIndex) {
		const body: IDataObject = {
			image: await resolveImageParameter.call(this, itemIndex, 'image', 'Portrait'),
			mode: this.getNodeParameter('mode', itemIndex),
		};
		if (this.getNodeParameter('audioFrom', itemIndex) === 'id') {
			body.audio_id = String(this.getNodeParameter('audioId', itemIndex)).trim();
		} else {
			body.sound_file = await resolveImageParameter.call(this, itemIndex, 'soundFile', 'Audio', 'audio');
		}
		const prompt = this.getNodeParameter('prompt', itemIndex, '') as string;
		if (prompt) body.prompt = prompt;
		return body;
	},
	rules: [
		{ field: 'image', required: true },
		{ field: 'audio_id', check: (body) => (!body.audio_id && !body.sound_file ? 'an Audio ID or an Audio file is required' : undefined) },
		{ field: 'prompt', maxLength: KLING_LIMITS.promptLength },
	],
};
