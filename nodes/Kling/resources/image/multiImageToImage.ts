import type { IDataObject } from 'n8n-workflow';

import { KLING_LIMITS } from '../../kling/constants';
import { imageInputFields, imageListField, resolveImageList, resolveImageParameter } from '../../input/mediaInput';
import type { TaskOperation } from '../../task/operation';
import { aspectRatioField, IMAGE_ASPECT_RATIOS, imageCountField, imageModelFields } from '../../fields/imageFields';
import { negativePromptField } from '../../fields/promptFields';
import { pickedModelOf as modelOf, promptField } from '../../fields/commonFields';

export const multiImageToImage: TaskOperation = {
	kind: 'task',
	resource: 'image',
	value: 'multiImageToImage',
	name: 'Multi-Image to Image',
	action: 'Generate an image from several reference images',
	description: 'Combine 1–4 subject images, an optional scene and an optional style into new images',
	taskPath: '/v1/images/multi-image2image',
	fields: [
		...imageModelFields('multiImageToImage'),
		promptField('How to combine the images (at most 2500 characters)'),
		imageListField({
			name: 'subjectImages',
			displayName: 'Subject Images',
			itemName: 'Subject Image',
			description: '1–4 images of the subjects, already cut out (Kling does not crop them)',
		}),
		...imageInputFields({ name: 'sceneImage', displayName: 'Scene Image', noneLabel: 'None' }),
		...imageInputFields({ name: 'styleImage', displayName: 'Style Image', noneLabel: 'None' }),
	],
	optionalFields: [aspectRatioField, negativePromptField, imageCountField],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	async buildBody(itemIndex, options) {
		const subjects = await resolveImageList.call(this, itemIndex, 'subjectImages', 'Subject Image');
		const body: IDataObject = {
			model_name: modelOf(this, itemIndex),
			subject_image_list: subjects.map((subject) => ({ subject_image: subject })),
		};
		const prompt = this.getNodeParameter('prompt', itemIndex, '') as string;
		if (prompt) body.prompt = prompt;
		const scene = await resolveImageParameter.call(this, itemIndex, 'sceneImage', 'Scene Image');
		if (scene) body.scene_image = scene;
		const style = await resolveImageParameter.call(this, itemIndex, 'styleImage', 'Style Image');
		if (style) body.style_image = style;
		if (options.negativePrompt) body.negative_prompt = options.negativePrompt;
		if (options.n !== undefined) body.n = options.n;
		if (options.aspectRatio) body.aspect_ratio = options.aspectRatio;
		return body;
	},
	rules: [
		{ field: 'subject_image_list', required: true, minItems: 1, maxItems: 4 },
		{ field: 'prompt', maxLength: KLING_LIMITS.promptLength },
		{ field: 'negative_prompt', maxLength: KLING_LIMITS.promptLength },
		{ field: 'n', integer: true, min: KLING_LIMITS.imageCount.min, max: KLING_LIMITS.imageCount.max },
		{ field: 'aspect_ratio', oneOf: IMAGE_ASPECT_RATIOS },
	],
};
