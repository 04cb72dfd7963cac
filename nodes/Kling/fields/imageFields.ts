import type { INodeProperties } from 'n8n-workflow';

import { modelFields } from './commonFields';
import { KLING_LIMITS } from '../kling/constants';
import { currentImageModels, defaultImageModel, type ImageEndpoint } from '../kling/models';

export const IMAGE_ASPECT_RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3', '21:9'] as const;

/** The model menu of an image endpoint: current models, plus "Other" to type any model ID. */
export function imageModelFields(endpoint: ImageEndpoint): INodeProperties[] {
	const choices = currentImageModels(endpoint).map((model) => ({ name: model.name, value: model.id }));
	return modelFields(choices, defaultImageModel(endpoint), 'e.g. kling-image-4');
}

export const aspectRatioField = {
	displayName: 'Aspect Ratio',
	name: 'aspectRatio',
	type: 'options' as const,
	options: IMAGE_ASPECT_RATIOS.map((ratio) => ({ name: ratio, value: ratio })),
	default: '16:9',
};

export const imageCountField = {
	displayName: 'Number of Images',
	name: 'n',
	type: 'number' as const,
	typeOptions: { minValue: KLING_LIMITS.imageCount.min, maxValue: KLING_LIMITS.imageCount.max },
	default: 1,
	description: 'How many images to generate (1–9); each uses one slot of your image task limit',
};
