import type { IDataObject } from 'n8n-workflow';

import type { TaskOperation } from '../../task/operation';
import { pickedModelOf } from '../../fields/commonFields';
import { generation4ModelFields, generation4PromptField } from '../../fields/generation4Fields';
import { GENERATION4_LIMITS } from '../../kling/generation4';
import { generation4Body, generation4Of, generation4Rules, inputOf, singleImage } from '../../input/generation4Input';
import { imageInputFields, imageListField, resolveImageList } from '../../input/mediaInput';

/** Kling Long Image 4.0: a long web page or e-commerce detail image. */
export const longImage4: TaskOperation = {
	kind: 'task',
	resource: 'image',
	value: 'longImage4',
	name: 'Kling Long Image 4.0',
	action: 'Generate a long web page or product image',
	description: 'A long landing page (skill Web Page) or e-commerce detail image (skill E-Commerce, from product photos)',
	taskPath: '/kling-4/long-image',
	fields: [
		...generation4ModelFields('longImage'),
		{
			displayName: 'Skill',
			name: 'skill',
			type: 'options',
			options: [
				{ name: 'Web Page', value: 'webpage', description: 'A landing page: hero, sections, footer' },
				{ name: 'E-Commerce', value: 'ecommerce', description: 'A product detail image from 1–3 product photos' },
			],
			default: 'webpage',
		},
		generation4PromptField('The page and its sections; name the language of its text (e.g. "All visible text in English").'),
		{
			...imageListField({
				name: 'productPhotos',
				displayName: 'Product Photos',
				itemName: 'Product Photo',
				description: `${GENERATION4_LIMITS.productPhotos.min}–${GENERATION4_LIMITS.productPhotos.max} photos of the product, named @image01 … in the prompt`,
			}),
			displayOptions: { show: { skill: ['ecommerce'] } },
		},
		{
			displayName: 'Length',
			name: 'length',
			type: 'options',
			options: [
				{ name: 'Short (About 2–5 Sections)', value: 'short' },
				{ name: 'Medium (About 6–10 Sections)', value: 'medium' },
				{ name: 'Long (About 11–18 Sections)', value: 'long' },
			],
			default: 'medium',
			displayOptions: { show: { skill: ['ecommerce'] } },
		},
		...imageInputFields({ name: 'styleImage', displayName: 'Style Reference', noneLabel: 'No Style Reference', description: 'A page whose look to follow (@style)' }).map((field) => ({
			...field,
			displayOptions: { ...field.displayOptions, show: { ...field.displayOptions?.show, skill: ['webpage'] } },
		})),
		...imageInputFields({ name: 'subjectImage', displayName: 'Subject Reference', noneLabel: 'No Subject Reference', description: 'What the page is about (@subject)' }).map((field) => ({
			...field,
			displayOptions: { ...field.displayOptions, show: { ...field.displayOptions?.show, skill: ['webpage'] } },
		})),
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
	optionalFields: [],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	async buildBody(itemIndex) {
		const skill = String(this.getNodeParameter('skill', itemIndex));
		const settings: IDataObject = { skill, resolution: this.getNodeParameter('resolution', itemIndex) };
		let inputs;
		if (skill === 'ecommerce') {
			settings.length = this.getNodeParameter('length', itemIndex);
			const photos = await resolveImageList.call(this, itemIndex, 'productPhotos', 'Product Photo');
			inputs = photos.map((url, position) => inputOf('refer_image', position + 1, { url }));
		} else {
			inputs = [
				...(await singleImage.call(this, itemIndex, 'styleImage', 'Style Reference', 'style_refer_image')),
				...(await singleImage.call(this, itemIndex, 'subjectImage', 'Subject Reference', 'subject_refer_image')),
			];
		}
		return generation4Body(pickedModelOf(this, itemIndex), String(this.getNodeParameter('prompt', itemIndex, '')), inputs, settings);
	},
	rules: [
		...generation4Rules,
		{
			field: 'productPhotos',
			check: (body: IDataObject) => {
				const request = generation4Of(body);
				if (request?.settings.skill !== 'ecommerce') return undefined;
				const photos = request.inputs.filter((input) => input.type === 'refer_image').length;
				const { min, max } = GENERATION4_LIMITS.productPhotos;
				return photos < min || photos > max ? `"Product Photos" has ${photos} photos; the E-Commerce skill takes ${min} to ${max}` : undefined;
			},
		},
	],
};
