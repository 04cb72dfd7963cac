import type { IDataObject } from 'n8n-workflow';

import type { TaskOperation } from '../../task/operation';
import { promptField } from '../../fields/commonFields';

export const textToAudio: TaskOperation = {
	kind: 'task',
	resource: 'audio',
	value: 'textToAudio',
	name: 'Text to Audio',
	action: 'Generate a sound effect from text',
	description: 'Create a sound effect; the result comes as both mp3 and wav',
	taskPath: '/v1/audio/text-to-audio',
	fields: [
		promptField('The sound to generate (at most 200 characters)', { required: true, rows: 2 }),
		{
			displayName: 'Duration (Seconds)',
			name: 'duration',
			type: 'number',
			typeOptions: { minValue: 3, maxValue: 10, numberPrecision: 1 },
			default: 5,
			description: '3.0 to 10.0 seconds',
		},
	],
	optionalFields: [],
	commonOptions: ['callbackUrl', 'externalTaskId'],
	async buildBody(itemIndex) {
		const body: IDataObject = {
			prompt: this.getNodeParameter('prompt', itemIndex),
			duration: Math.round(Number(this.getNodeParameter('duration', itemIndex)) * 10) / 10,
		};
		return body;
	},
	rules: [
		{ field: 'prompt', required: true, maxLength: 200 },
		{ field: 'duration', required: true, min: 3, max: 10 },
	],
};
