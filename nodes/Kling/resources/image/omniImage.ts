import type { IDataObject } from 'n8n-workflow';

import { KLING_LIMITS } from '../../kling/constants';
import { imageListField, resolveImageList } from '../../input/mediaInput';
import type { TaskOperation } from '../../task/operation';
import { elementListField, readElementList } from '../../fields/pickers';
import { IMAGE_ASPECT_RATIOS, imageCountField } from '../../fields/imageFields';
import { promptField } from '../../fields/commonFields';

const MAX_REFERENCES = 10;
const SERIES_AMOUNTS = ['2', '3', '4', '5', '6', '7', '8', '9'];

export const omniImage: TaskOperation = {
	kind: 'task',
	resource: 'image',
	value: 'omniImage',
	name: 'Omni Image',
	action: 'Generate an image from a prompt that references images',
	description: 'Kling O1 / V3 Omni: refer to reference images in the prompt as &lt;&lt;&lt;image_1&gt;&gt;&gt;, &lt;&lt;&lt;image_2&gt;&gt;&gt;, …',
	taskPath: '/v1/images/omni-image',
	fields: [
		{
			displayName: 'Model',
			name: 'model',
			type: 'options',
			options: [
				{ name: 'Kling Image O1', value: 'kling-image-o1' },
				{ name: 'Kling V3 Omni', value: 'kling-v3-omni' },
			],
			default: 'kling-image-o1',
		},
		promptField('At most 2500 characters; &lt;&lt;&lt;image_N&gt;&gt;&gt; is the N-th reference image, &lt;&lt;&lt;element_N&gt;&gt;&gt; the N-th element', { required: true, placeholder: 'Put the person from <<<image_1>>> into the scene of <<<image_2>>>' }),
		imageListField({ name: 'referenceImages', displayName: 'Reference Images', itemName: 'Reference Image' }),
		elementListField('Elements (subjects) from your account or Kling’s presets, referred to as &lt;&lt;&lt;element_N&gt;&gt;&gt;; images and elements together at most 10'),
		{
			displayName: 'Result Type',
			name: 'resultType',
			type: 'options',
			options: [
				{ name: 'Single Images', value: 'single', description: 'Independent images (Number of Images option)' },
				{ name: 'Series', value: 'series', description: 'A consistent series of 2–9 images' },
			],
			default: 'single',
			displayOptions: { show: { model: ['kling-v3-omni'] } },
		},
		{
			displayName: 'Series Amount',
			name: 'seriesAmount',
			type: 'options',
			options: [
				{ name: '2 Images', value: '2' },
				{ name: '3 Images', value: '3' },
				{ name: '4 Images', value: '4' },
				{ name: '5 Images', value: '5' },
				{ name: '6 Images', value: '6' },
				{ name: '7 Images', value: '7' },
				{ name: '8 Images', value: '8' },
				{ name: '9 Images', value: '9' },
				{ name: 'Auto', value: 'auto', description: 'Kling decides how many images the series needs' },
			],
			default: '4',
			description:
				'Each image uses one slot of your image task limit; with Auto the node reserves the most (9) until the series is done',
			displayOptions: { show: { model: ['kling-v3-omni'], resultType: ['series'] } },
		},
	],
	optionalFields: [
		{
			displayName: 'Aspect Ratio',
			name: 'aspectRatio',
			type: 'options',
			options: [{ name: 'Auto', value: 'auto' }, ...IMAGE_ASPECT_RATIOS.map((ratio) => ({ name: ratio, value: ratio }))],
			default: 'auto',
		},
		imageCountField,
		{
			displayName: 'Resolution',
			name: 'resolution',
			type: 'options',
			options: [
				{ name: '1K', value: '1k' },
				{ name: '2K', value: '2k' },
				{ name: '4K (V3 Omni)', value: '4k' },
			],
			default: '1k',
		},
	],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	async buildBody(itemIndex, options) {
		const images = await resolveImageList.call(this, itemIndex, 'referenceImages', 'Reference Image');
		const body: IDataObject = {
			model_name: this.getNodeParameter('model', itemIndex),
			prompt: this.getNodeParameter('prompt', itemIndex),
		};
		if (images.length) body.image_list = images.map((image) => ({ image }));
		const elements = readElementList(this, itemIndex);
		if (elements.length) body.element_list = elements;
		if (options.resolution) body.resolution = options.resolution;
		if (body.model_name === 'kling-v3-omni' && this.getNodeParameter('resultType', itemIndex, 'single') === 'series') {
			body.result_type = 'series';
			const amount = String(this.getNodeParameter('seriesAmount', itemIndex, '4'));
			body.series_amount = amount === 'auto' ? 'auto' : Number(amount);
		} else if (options.n !== undefined) body.n = options.n;
		if (options.aspectRatio) body.aspect_ratio = options.aspectRatio;
		return body;
	},
	rules: [
		{ field: 'prompt', required: true, maxLength: KLING_LIMITS.promptLength },
		{ field: 'resolution', oneOf: ['1k', '2k', '4k'] },
		{ field: 'resolution', oneOf: ['1k', '2k'], when: { field: 'model_name', oneOf: ['kling-image-o1'] } },
		{ field: 'n', integer: true, min: KLING_LIMITS.imageCount.min, max: KLING_LIMITS.imageCount.max },
		{ field: 'result_type', oneOf: ['single', 'series'] },
		{ field: 'result_type', oneOf: ['single'], when: { field: 'model_name', oneOf: ['kling-image-o1'] } },
		{
			field: 'series_amount',
			check: (body: IDataObject) =>
				body.series_amount === undefined || body.series_amount === 'auto' || SERIES_AMOUNTS.includes(String(body.series_amount))
					? undefined
					: `Series Amount is ${String(body.series_amount)}; Kling allows 2 to 9 or "auto"`,
		},
		{ field: 'aspect_ratio', oneOf: [...IMAGE_ASPECT_RATIOS, 'auto'] },
		{
			field: 'image_list',
			check: (body: IDataObject) => {
				const count = ((body.image_list as unknown[]) ?? []).length + ((body.element_list as unknown[]) ?? []).length;
				return count > MAX_REFERENCES
					? `Reference Images and Element IDs together have ${count} entries; Kling allows at most ${MAX_REFERENCES}`
					: undefined;
			},
		},
		{
			field: 'prompt',
			check: (body: IDataObject) => {
				const images = ((body.image_list as unknown[]) ?? []).length;
				const elements = ((body.element_list as unknown[]) ?? []).length;
				for (const [, kind, index] of String(body.prompt ?? '').matchAll(/<<<(image|element)_(\d+)>>>/g)) {
					const available = kind === 'image' ? images : elements;
					if (Number(index) < 1 || Number(index) > available) {
						return `Prompt refers to <<<${kind}_${index}>>> but only ${available} ${kind}${available === 1 ? '' : 's'} ${available === 1 ? 'is' : 'are'} given`;
					}
				}
				return undefined;
			},
		},
	],
};
