import type { IDataObject } from 'n8n-workflow';

import { imageInputFields, resolveImageParameter } from '../../input/mediaInput';
import { TRY_ON_MODEL_TABLE } from '../../kling/models';
import type { TaskOperation } from '../../task/operation';

const MODELS = TRY_ON_MODEL_TABLE.map((model) => model.id);

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
			options: TRY_ON_MODEL_TABLE.map((model) => ({ name: model.name, value: model.id, description: model.description })),
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
