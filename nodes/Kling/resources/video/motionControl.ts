import type { IDataObject } from 'n8n-workflow';

import { imageInputFields, resolveImageParameter } from '../../input/mediaInput';
import type { TaskOperation } from '../../task/operation';
import { apiStandardField, modeField, videoModelField, videoModelRules } from '../../fields/videoFields';
import { pickedModelOf, promptField } from '../../fields/commonFields';

export const motionControl: TaskOperation = {
	kind: 'task',
	resource: 'video',
	value: 'motionControl',
	name: 'Motion Control',
	action: 'Transfer motion from a video to a character',
	description: 'Make the character of an image move like the person in a reference video',
	taskPath: '/v1/videos/motion-control',
	fields: [
		...videoModelField('motionControl'),
		...imageInputFields({ name: 'image', displayName: 'Character Image', description: 'The person must be clearly visible' }),
		{
			displayName: 'Motion Video URL',
			name: 'videoUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/dance.mp4',
			description: 'MP4 or MOV, at most 100 MB, at least 3 s',
		},
		{
			displayName: 'Character Orientation',
			name: 'characterOrientation',
			type: 'options',
			options: [
				{ name: 'As in the Image', value: 'image', description: 'Motion video up to 10 s' },
				{ name: 'As in the Video', value: 'video', description: 'Motion video up to 30 s' },
			],
			default: 'image',
		},
		modeField,
		promptField('Optional guidance (at most 2500 characters)', { rows: 3 }),
	],
	optionalFields: [
		apiStandardField,
		{ displayName: 'Keep Original Sound', name: 'keepOriginalSound', type: 'boolean', default: true },
	],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	videoProduct: 'motionControl',
	async buildBody(itemIndex, options) {
		const body: IDataObject = {
			image_url: await resolveImageParameter.call(this, itemIndex, 'image', 'Character Image'),
			video_url: String(this.getNodeParameter('videoUrl', itemIndex)).trim(),
			character_orientation: this.getNodeParameter('characterOrientation', itemIndex),
			mode: this.getNodeParameter('mode', itemIndex),
			model_name: pickedModelOf(this, itemIndex),
		};
		const prompt = this.getNodeParameter('prompt', itemIndex, '') as string;
		if (prompt) body.prompt = prompt;
		if (options.keepOriginalSound !== undefined) body.keep_original_sound = options.keepOriginalSound ? 'yes' : 'no';
		return body;
	},
	rules: [
		{ field: 'image_url', required: true },
		{ field: 'video_url', required: true, label: 'Motion Video URL' },
		{ field: 'video_url', check: (body) => (/^https?:\/\/\S+$/i.test(String(body.video_url)) ? undefined : 'Motion Video URL must be an http(s) URL Kling can reach') },
		...videoModelRules('motionControl'),
	],
};
