import type { IDataObject } from 'n8n-workflow';

import { imageInputFields, resolveImageParameter } from '../../shared/mediaInput';
import type { TaskOperation } from '../../shared/operation';

const MODELS = ['kolors-virtual-try-on-v1', 'kolors-virtual-try-on-v1-5'];

export const virtualTryOn: TaskOperation = {
	kind: 'task',
	resource: 'image',
	value: 'virtualTryOn',
	name: 'Virtual Try-On',
	action: 'Dress a person in a garment',
	description: 'Put the garment of one image on the person of another',
	taskPath: '/v1/images/kolors-virtual-try-on',
	fields: [
		{
			displayName: 'Model',
			name: 'model',
			type: 'options',
			options: [
				{ name: 'Kolors Virtual Try-On V1 (Runs on Try-On 3.0)', value: 'kolors-virtual-try-on-v1', description: 'One garment; since 2026-09-15 Kling runs this name on its Try-On 3.0 pipeline' },
				{
					name: 'Kolors Virtual Try-On V1.5 (Runs on Try-On 3.0)',
					value: 'kolors-virtual-try-on-v1-5',
					description: 'Also an upper and a lower garment stitched into one image; runs on Try-On 3.0 since 2026-09-15',
				},
			],
			default: 'kolors-virtual-try-on-v1-5',
		},
		...imageInputFields({ name: 'humanImage', displayName: 'Person Image', description: 'A photo showing the person' }),
		...imageInputFields({
			name: 'clothImage',
			displayName: 'Garment Image',
			description: 'A product photo of the garment, or the garment on a white background',
		}),
	],
	optionalFields: [],
	commonOptions: ['callbackUrl', 'externalTaskId'],
	async buildBody(itemIndex) {
		const body: IDataObject = {
			model_name: this.getNodeParameter('model', itemIndex),
			human_image: await resolveImageParameter.call(this, itemIndex, 'humanImage', 'Person Image'),
			cloth_image: await resolveImageParameter.call(this, itemIndex, 'clothImage', 'Garment Image'),
		};
		return body;
	},
	rules: [
		{ field: 'model_name', oneOf: MODELS },
		{ field: 'human_image', required: true },
		{ field: 'cloth_image', required: true },
	],
};
