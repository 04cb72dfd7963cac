import type { IDataObject } from 'n8n-workflow';

import type { TaskOperation } from '../../task/operation';
import { pickedModelOf } from '../../fields/commonFields';
import { elementIdsField, generation4ModelFields, generation4PromptField, referenceImagesField } from '../../fields/generation4Fields';
import { GENERATION4_LIMITS, findGeneration4Model } from '../../kling/generation4';
import { generation4Body, generation4Of, generation4Rules, referenceInputs } from '../../input/generation4Input';

const ASPECT_RATIOS = findGeneration4Model('kling-image-4.0')!.aspectRatios;

/** Kling Image 4.0: single images (1–9) or a series (2–10 or automatic), 2K to native 8K. */
export const image4: TaskOperation = {
	kind: 'task',
	resource: 'image',
	value: 'image4',
	name: 'Kling Image 4.0',
	action: 'Generate images with Kling Image 4.0',
	description: 'Images or a consistent series at 2K, 4K or 8K from a prompt, up to 10 reference images and elements',
	taskPath: '/kling-4/image',
	fields: [
		...generation4ModelFields('image'),
		generation4PromptField('What the image shows; in-image text may be written in quotes.'),
		{
			displayName: 'Result',
			name: 'resultType',
			type: 'options',
			options: [
				{ name: 'Single Images', value: 'single', description: 'Independent images from the same prompt' },
				{ name: 'Series', value: 'series', description: 'A consistent set (storyboard, product angles, comic panels)' },
			],
			default: 'single',
		},
		{
			displayName: 'Number of Images',
			name: 'n',
			type: 'number',
			typeOptions: { minValue: GENERATION4_LIMITS.imageCount.min, maxValue: GENERATION4_LIMITS.imageCount.max },
			default: 1,
			description: 'How many images (1–9)',
			displayOptions: { show: { resultType: ['single'] } },
		},
		{
			displayName: 'Series Length',
			name: 'seriesAmount',
			type: 'string',
			default: 'auto',
			placeholder: 'auto, or 2–10',
			description: 'How many images the series has: "auto" lets Kling decide, or a whole number from 2 to 10',
			displayOptions: { show: { resultType: ['series'] } },
		},
		{
			displayName: 'Resolution',
			name: 'resolution',
			type: 'options',
			options: [
				{ name: '2K', value: '2k' },
				{ name: '4K', value: '4k' },
				{ name: '8K (Native, About 80 MB a PNG)', value: '8k' },
			],
			default: '2k',
		},
		{
			displayName: 'Aspect Ratio',
			name: 'aspectRatio',
			type: 'options',
			options: ASPECT_RATIOS.map((ratio) => (ratio === 'auto' ? { name: 'Auto (Follow the Inputs)', value: 'auto' } : { name: ratio, value: ratio })),
			default: 'auto',
		},
	],
	optionalFields: [referenceImagesField(GENERATION4_LIMITS.imageReferences), elementIdsField(GENERATION4_LIMITS.imageReferences)],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	async buildBody(itemIndex, options) {
		const fromOptions = (name: string) => ((options[name] as { images?: unknown[] } | undefined)?.images?.length ? `options.${name}` : undefined);
		const inputs = fromOptions('referenceImages') || options.elementIds
			? await referenceInputs.call(this, itemIndex, { imagesFrom: 'options.referenceImages', elementIdsFrom: 'options.elementIds' })
			: [];
		const series = this.getNodeParameter('resultType', itemIndex) === 'series';
		const settings: IDataObject = {
			resolution: this.getNodeParameter('resolution', itemIndex),
			result_type: series ? 'series' : 'single',
		};
		// "Auto" is left out: no field means "follow the inputs" under every reading (docs/kling-4.md, Q13).
		const ratio = String(this.getNodeParameter('aspectRatio', itemIndex, 'auto'));
		if (ratio && ratio !== 'auto') settings.aspect_ratio = ratio;
		if (series) {
			const amount = String(this.getNodeParameter('seriesAmount', itemIndex, 'auto')).trim();
			settings.series_amount = amount === 'auto' || amount === '' ? 'auto' : Number(amount);
		} else {
			settings.n = this.getNodeParameter('n', itemIndex, 1);
		}
		return generation4Body(pickedModelOf(this, itemIndex), String(this.getNodeParameter('prompt', itemIndex, '')), inputs, settings);
	},
	rules: [
		...generation4Rules,
		{
			field: 'settings',
			check: (body: IDataObject) => {
				const settings = generation4Of(body)?.settings ?? {};
				const { seriesAmount, imageCount } = GENERATION4_LIMITS;
				if (settings.n !== undefined && (!Number.isInteger(Number(settings.n)) || Number(settings.n) < imageCount.min || Number(settings.n) > imageCount.max)) {
					return `"Number of Images" must be a whole number from ${imageCount.min} to ${imageCount.max}, got ${String(settings.n)}`;
				}
				const amount = settings.series_amount;
				if (amount !== undefined && amount !== 'auto' && (!Number.isInteger(amount) || Number(amount) < seriesAmount.min || Number(amount) > seriesAmount.max)) {
					return `"Series Length" must be "auto" or a whole number from ${seriesAmount.min} to ${seriesAmount.max}`;
				}
				return undefined;
			},
		},
	],
};
