import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { imageListField, resolveImageList } from '../../input/mediaInput';
import type { TaskOperation } from '../../task/operation';
import { parseElementIds, promptLimitText } from '../../input/validation';
import {
	apiStandardField,
	applyVideoOptions,
	durationField,
	modeField,
	multiShotFields,
	soundField,
	videoAspectRatioField,
	videoModelField,
	videoModelRules,
} from '../../fields/videoFields';
import { pickedModelOf, promptField } from '../../fields/commonFields';

const referenceVideoField: INodeProperties = {
	displayName: 'Reference Video',
	name: 'referenceVideo',
	type: 'fixedCollection',
	default: {},
	description: 'One video to edit (Base) or to take style and camera from (Feature); mp4/mov, 3–15 s on Kling 3.0 Omni, 3–10 s on O1',
	options: [
		{
			displayName: 'Video',
			name: 'video',
			values: [
				{ displayName: 'Video URL', name: 'url', type: 'string', default: '' },
				{
					displayName: 'Use As',
					name: 'referType',
					type: 'options',
					options: [
						{ name: 'Feature (Style, Camera, Next Shot)', value: 'feature' },
						{ name: 'Base (Video to Edit)', value: 'base' },
					],
					default: 'feature',
				},
				{ displayName: 'Keep Original Sound', name: 'keepOriginalSound', type: 'boolean', default: true },
			],
		},
	],
};

export const omniVideo: TaskOperation = {
	kind: 'task',
	resource: 'video',
	value: 'omniVideo',
	name: 'Omni Video',
	action: 'Generate or edit a video with Kling Omni',
	description: 'Kling 3.0 Omni / O1: a prompt referring to images (&lt;&lt;&lt;image_N&gt;&gt;&gt;), elements and a video',
	taskPath: '/v1/videos/omni-video',
	fields: [
		...videoModelField('omniVideo'),
		promptField(`${promptLimitText('omniVideo')}. Refer to inputs as &lt;&lt;&lt;image_1&gt;&gt;&gt;, &lt;&lt;&lt;element_1&gt;&gt;&gt;, &lt;&lt;&lt;video_1&gt;&gt;&gt;`),
		imageListField({ name: 'referenceImages', displayName: 'Reference Images', itemName: 'Reference Image' }),
		{ ...modeField, default: 'pro' },
		durationField,
	],
	optionalFields: [
		apiStandardField,
		videoAspectRatioField,
		{
			displayName: 'Element IDs',
			name: 'elementIds',
			type: 'string',
			default: '',
			description: 'Comma-separated Kling element IDs',
		},
		{
			displayName: 'First/End Frame Roles',
			name: 'frameRoles',
			type: 'options',
			options: [
				{ name: 'None (References)', value: 'none' },
				{ name: 'First Image Is the First Frame', value: 'first' },
				{ name: 'First and Last Images Are the First and End Frames', value: 'firstAndEnd' },
			],
			default: 'none',
		},
		...multiShotFields,
		referenceVideoField,
		soundField,
	],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	videoProduct: 'omniVideo',
	async buildBody(itemIndex, options) {
		const images = await resolveImageList.call(this, itemIndex, 'referenceImages', 'Reference Image');
		const body: IDataObject = {
			model_name: pickedModelOf(this, itemIndex),
			mode: this.getNodeParameter('mode', itemIndex),
			duration: this.getNodeParameter('duration', itemIndex),
		};
		const prompt = this.getNodeParameter('prompt', itemIndex, '') as string;
		if (prompt) body.prompt = prompt;
		if (images.length) {
			body.image_list = images.map((image, index): IDataObject => {
				const entry: IDataObject = { image_url: image };
				if (options.frameRoles !== undefined && options.frameRoles !== 'none' && index === 0) entry.type = 'first_frame';
				if (options.frameRoles === 'firstAndEnd' && index === images.length - 1 && index > 0) entry.type = 'end_frame';
				return entry;
			});
		}
		const elements = parseElementIds(this.getNode(), String(options.elementIds ?? ''), 'element_list', itemIndex);
		if (elements.length) body.element_list = elements;
		const video = (options.referenceVideo as IDataObject | undefined)?.video as IDataObject | undefined;
		if (video?.url) {
			body.video_list = [
				{ video_url: String(video.url).trim(), refer_type: video.referType ?? 'feature', keep_original_sound: video.keepOriginalSound === false ? 'no' : 'yes' },
			];
			if (video.referType === 'base') delete body.duration;
		}
		return applyVideoOptions(this.getNode(), body, { ...options, negativePrompt: undefined }, itemIndex);
	},
	rules: [
		{ field: 'prompt', check: (body) => (!body.multi_shot && !body.prompt ? '"prompt" is required (unless Multi-Shot is on)' : undefined) },
		{ field: 'video_list', maxItems: 1 },
		{
			field: 'image_list',
			check: (body) => {
				const withVideo = Boolean(body.video_list);
				const limit = withVideo ? 4 : 7;
				const count = ((body.image_list as unknown[]) ?? []).length + ((body.element_list as unknown[]) ?? []).length;
				return count > limit
					? `Reference Images and Element IDs together have ${count} entries; Kling allows at most ${limit}${withVideo ? ' with a reference video' : ''}`
					: undefined;
			},
		},
		...videoModelRules('omniVideo'),
	],
};
