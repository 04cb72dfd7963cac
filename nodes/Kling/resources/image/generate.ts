import type { IDataObject } from 'n8n-workflow';

import { KLING_LIMITS } from '../../kling/constants';
import { modelLabel } from '../../kling/models';
import { imageInputFields, resolveImageParameter } from '../../input/mediaInput';
import { aspectRatioField, IMAGE_ASPECT_RATIOS, imageCountField, imageModelFields } from '../../fields/imageFields';
import { FIELD_LABELS } from '../../input/validation';
import type { TaskOperation } from '../../task/operation';
import { elementListField, readElementList } from '../../fields/pickers';
import { negativePromptField } from '../../fields/promptFields';
import { pickedModelOf as modelOf, promptField } from '../../fields/commonFields';

const MAX_REFERENCES = 10;

export const generate: TaskOperation = {
	kind: 'task',
	resource: 'image',
	value: 'generate',
	name: 'Generate',
	action: 'Generate images',
	description: 'Create images from a prompt, optionally guided by a reference image',
	taskPath: '/v1/images/generations',
	fields: [
		...imageModelFields('generations'),
		promptField('What to generate (at most 2500 characters)', { required: true }),
		...imageInputFields({
			name: 'image',
			displayName: 'Reference Image',
			noneLabel: 'None (Text to Image)',
			description: 'An image to start from turns this into image-to-image',
		}),
		{
			displayName: 'Image Reference',
			name: 'imageReference',
			type: 'options',
			options: [
				{ name: 'None', value: '' },
				{ name: 'Subject', value: 'subject', description: 'Keep the character’s features' },
				{ name: 'Face', value: 'face', description: 'Keep the face; the image must show exactly one face' },
			],
			default: '',
			description: 'For Kling V1.5 image-to-image: what to keep from the reference image (required there)',
			displayOptions: { hide: { imageSource: ['none'] } },
		},
		{
			...elementListField('Kling V3: elements (subjects) from your account or Kling’s presets; elements and the reference image together at most 10'),
			displayOptions: { show: { model: ['kling-v3'] } },
		},
	],
	optionalFields: [
		aspectRatioField,
		{
			displayName: 'Human Fidelity',
			name: 'humanFidelity',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 0.45,
			description: 'Facial similarity to the reference (0–1); only with the Subject image reference',
		},
		{
			displayName: 'Image Fidelity',
			name: 'imageFidelity',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 0.5,
			description: 'How closely to follow the reference image (0–1); image-to-image only',
		},
		negativePromptField,
		imageCountField,
		{
			displayName: 'Resolution',
			name: 'resolution',
			type: 'options',
			options: [
				{ name: '1K', value: '1k' },
				{ name: '2K', value: '2k' },
			],
			default: '1k',
		},
	],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	async buildBody(itemIndex, options) {
		const image = await resolveImageParameter.call(this, itemIndex, 'image', 'Reference Image');
		const body: IDataObject = {
			model_name: modelOf(this, itemIndex),
			prompt: this.getNodeParameter('prompt', itemIndex),
		};
		if (image) {
			body.image = image;
			const reference = this.getNodeParameter('imageReference', itemIndex, '') as string;
			if (reference) body.image_reference = reference;
			if (options.imageFidelity !== undefined) body.image_fidelity = options.imageFidelity;
			if (reference === 'subject' && options.humanFidelity !== undefined) body.human_fidelity = options.humanFidelity;
		}
		if (body.model_name === 'kling-v3') {
			const elements = readElementList(this, itemIndex);
			if (elements.length) body.element_list = elements;
		}
		if (options.negativePrompt) body.negative_prompt = options.negativePrompt;
		if (options.resolution) body.resolution = options.resolution;
		if (options.n !== undefined) body.n = options.n;
		if (options.aspectRatio) body.aspect_ratio = options.aspectRatio;
		return body;
	},
	rules: [
		{ field: 'prompt', required: true, maxLength: KLING_LIMITS.promptLength },
		{ field: 'negative_prompt', maxLength: KLING_LIMITS.promptLength, excludes: ['image'] },
		{ field: 'image_reference', oneOf: ['subject', 'face'], requires: ['image'] },
		{ field: 'image', label: 'Reference Image' },
		{ field: 'image', requires: ['image_reference'], when: { field: 'model_name', oneOf: ['kling-v1-5'] } },
		{ field: 'image_fidelity', min: 0, max: 1 },
		{ field: 'human_fidelity', min: 0, max: 1 },
		// §5.1: only Kling V2.1 takes the fidelities; other models must not be sent them.
		...['image_fidelity', 'human_fidelity'].map((field) => ({
			field,
			check: (body: IDataObject) =>
				body[field] !== undefined && body.model_name !== 'kling-v2-1'
					? `${FIELD_LABELS[field]} is only available on ${modelLabel('kling-v2-1', 'image')}, not ${modelLabel(String(body.model_name), 'image')}`
					: undefined,
		})),
		{
			field: 'element_list',
			check: (body: IDataObject) => {
				const count = ((body.element_list as unknown[]) ?? []).length + (body.image ? 1 : 0);
				return count > MAX_REFERENCES
					? `Element IDs and Reference Image together have ${count} entries; Kling allows at most ${MAX_REFERENCES}`
					: undefined;
			},
		},
		{ field: 'n', integer: true, min: KLING_LIMITS.imageCount.min, max: KLING_LIMITS.imageCount.max },
		{ field: 'aspect_ratio', oneOf: IMAGE_ASPECT_RATIOS },
		{ field: 'aspect_ratio', oneOf: IMAGE_ASPECT_RATIOS.filter((ratio) => ratio !== '21:9'), when: { field: 'model_name', oneOf: ['kling-v1'] } },
		{ field: 'resolution', oneOf: ['1k', '2k'] },
	],
};
