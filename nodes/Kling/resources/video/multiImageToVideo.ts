import type { IDataObject } from 'n8n-workflow';

import { KLING_LIMITS } from '../../kling/constants';
import { imageListField, resolveImageList } from '../../input/mediaInput';
import type { TaskOperation } from '../../task/operation';
import { negativePromptField } from '../../fields/promptFields';
import { fiveOrTenSecondsField, hdModeField, videoAspectRatioField } from '../../fields/videoFields';
import { promptField } from '../../fields/commonFields';

export const multiImageToVideo: TaskOperation = {
	kind: 'task',
	resource: 'video',
	value: 'multiImageToVideo',
	name: 'Multi-Image to Video (Retired)',
	action: 'Generate a video from several images (retired)',
	description:
		'Retired: its only model, Kling 1.6, left Kling on 2026-09-15. Use Omni Video with reference images instead. Kept so saved workflows still open.',
	taskPath: '/v1/videos/multi-image2video',
	fields: [
		imageListField({ name: 'images', displayName: 'Images', itemName: 'Image', description: '2–4 reference images' }),
		promptField('What happens in the video (at most 2500 characters)', { required: true }),
		hdModeField,
		fiveOrTenSecondsField,
	],
	optionalFields: [videoAspectRatioField, negativePromptField],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	async buildBody(itemIndex, options) {
		const images = await resolveImageList.call(this, itemIndex, 'images', 'Image');
		const body: IDataObject = {
			model_name: 'kling-v1-6',
			image_list: images.map((image) => ({ image })),
			prompt: this.getNodeParameter('prompt', itemIndex),
			mode: this.getNodeParameter('mode', itemIndex),
			duration: this.getNodeParameter('duration', itemIndex),
		};
		if (options.negativePrompt) body.negative_prompt = options.negativePrompt;
		if (options.aspectRatio) body.aspect_ratio = options.aspectRatio;
		return body;
	},
	rules: [
		{ field: 'image_list', required: true, minItems: 2, maxItems: 4 },
		{ field: 'prompt', required: true, maxLength: KLING_LIMITS.promptLength },
		{ field: 'negative_prompt', maxLength: KLING_LIMITS.promptLength },
		{ field: 'duration', oneOf: ['5', '10'] },
	],
};
