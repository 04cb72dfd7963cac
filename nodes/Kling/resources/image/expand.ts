import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { KLING_LIMITS } from '../../kling/constants';
import { imageInputFields, resolveImageParameter } from '../../input/mediaInput';
import type { TaskOperation } from '../../task/operation';
import { imageCountField } from '../../fields/imageFields';
import { promptField } from '../../fields/commonFields';

const SIDES = [
	{ side: 'up', label: 'Up', of: 'height' },
	{ side: 'down', label: 'Down', of: 'height' },
	{ side: 'left', label: 'Left', of: 'width' },
	{ side: 'right', label: 'Right', of: 'width' },
] as const;

const MAX_AREA_FACTOR = 3;

const ratioFields: INodeProperties[] = SIDES.map(({ side, label, of }) => ({
	displayName: `${label} Expansion`,
	name: `${side}Expansion`,
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
	default: 0,
	description: `How much to add ${side === 'up' ? 'above' : side === 'down' ? 'below' : `on the ${side}`}, as a multiple of the image ${of} (0–2)`,
}));

/** Kling: the expanded image may be at most three times the original area. */
export const expandedArea = (body: IDataObject) =>
	(1 + Number(body.left_expansion_ratio ?? 0) + Number(body.right_expansion_ratio ?? 0)) *
	(1 + Number(body.up_expansion_ratio ?? 0) + Number(body.down_expansion_ratio ?? 0));

export const expand: TaskOperation = {
	kind: 'task',
	resource: 'image',
	value: 'expand',
	name: 'Expand',
	action: 'Expand an image beyond its borders',
	description: 'Outpaint: extend an image on any side',
	taskPath: '/v1/images/editing/expand',
	fields: [
		...imageInputFields({ name: 'image', displayName: 'Image' }),
		...ratioFields,
		promptField('What the new areas should show (at most 2500 characters)', { rows: 3 }),
	],
	optionalFields: [imageCountField],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	async buildBody(itemIndex, options) {
		const body: IDataObject = { image: await resolveImageParameter.call(this, itemIndex, 'image', 'Image') };
		for (const { side } of SIDES) {
			body[`${side}_expansion_ratio`] = this.getNodeParameter(`${side}Expansion`, itemIndex, 0);
		}
		const prompt = this.getNodeParameter('prompt', itemIndex, '') as string;
		if (prompt) body.prompt = prompt;
		if (options.n !== undefined) body.n = options.n;
		return body;
	},
	rules: [
		{ field: 'image', required: true },
		...SIDES.map(({ side }) => ({ field: `${side}_expansion_ratio`, required: true, min: 0, max: 2 })),
		{
			field: 'up_expansion_ratio',
			check: (body: IDataObject) => {
				const area = expandedArea(body);
				return area > MAX_AREA_FACTOR
					? `the expansion ratios make the image ${area.toFixed(2)}× its original area; Kling allows at most ${MAX_AREA_FACTOR}× ((1 + left + right) × (1 + up + down))`
					: undefined;
			},
		},
		{ field: 'prompt', maxLength: KLING_LIMITS.promptLength },
		{ field: 'n', integer: true, min: KLING_LIMITS.imageCount.min, max: KLING_LIMITS.imageCount.max },
	],
};
