import type { INodeProperties } from 'n8n-workflow';

import type { TaskOperation } from '../../task/operation';
import { pickedModelOf } from '../../fields/commonFields';
import {
	generation4ModelFields,
	generation4PromptField,
	generation4ResolutionField,
	referenceImagesField,
	referenceVideosField,
} from '../../fields/generation4Fields';
import { GENERATION4_LIMITS } from '../../kling/generation4';
import { generation4Body, generation4Rules, inputOf, referenceInputs, referenceVideoInputs, videoUrlList } from '../../input/generation4Input';

const baseVideoField: INodeProperties = {
	displayName: 'Video URL',
	name: 'videoUrl',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'https://example.com/clip.mp4',
	description: 'The video to edit (mp4/mov, 3–30 s, at most 300 MB), named @base in the prompt; the result keeps its length unless Duration is set',
};

/** Kling 4.0 edit: a base video changed as the prompt says, with optional reference images and videos. */
export const kling4Edit: TaskOperation = {
	kind: 'task',
	resource: 'video',
	value: 'kling4Edit',
	name: 'Kling 4.0: Edit Video',
	action: 'Edit a video with Kling 4.0',
	description: 'Change a video as the prompt says (restyle, replace, add or remove), optionally with reference images and videos',
	taskPath: '/kling-4/video',
	fields: [
		...generation4ModelFields('video', ['kling-4.0']),
		baseVideoField,
		generation4PromptField('What to change in @base.'),
		generation4ResolutionField,
	],
	optionalFields: [
		{ ...referenceImagesField(GENERATION4_LIMITS.images) },
		{ ...referenceVideosField, description: `Up to ${GENERATION4_LIMITS.videos - 1} more videos, named @video1 … in the prompt` },
		{
			displayName: 'Duration (Seconds)',
			name: 'duration',
			type: 'number',
			typeOptions: { minValue: 3, maxValue: 30 },
			default: 5,
			description: 'Leave out to keep the length of the video to edit',
		},
	],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	async buildBody(itemIndex, options) {
		const [base] = await videoUrlList.call(this, itemIndex, [String(this.getNodeParameter('videoUrl', itemIndex, ''))], 'Video');
		const images = (options.referenceImages as { images?: unknown[] } | undefined)?.images?.length
			? await referenceInputs.call(this, itemIndex, { elements: false, imagesFrom: 'options.referenceImages' })
			: [];
		const videos = (options.referenceVideos as { videos?: unknown[] } | undefined)?.videos?.length
			? await referenceVideoInputs.call(this, itemIndex, 'options.referenceVideos')
			: [];
		return generation4Body(pickedModelOf(this, itemIndex), String(this.getNodeParameter('prompt', itemIndex, '')), [inputOf('base_video', 1, base), ...images, ...videos], {
			// docs/kling-4.md, Duration: an edit keeps its input's length; duration only when set.
			duration: options.duration,
			resolution: this.getNodeParameter('resolution', itemIndex),
		});
	},
	rules: generation4Rules,
};
