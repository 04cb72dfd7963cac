import type { IDataObject } from 'n8n-workflow';

import type { TaskOperation } from '../../shared/operation';
import { voiceBody, voiceFields } from '../video/fields';

export const textToSpeech: TaskOperation = {
	kind: 'task',
	resource: 'audio',
	value: 'textToSpeech',
	name: 'Text to Speech',
	action: 'Convert text to speech',
	description: 'Speak a text with a Kling voice; the audio ID can feed Avatar and Lip Sync',
	taskPath: '/v1/audio/tts',
	fields: [
		{
			displayName: 'Text',
			name: 'text',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			required: true,
			description: 'At most 1000 characters',
		},
		...voiceFields(),
	],
	optionalFields: [],
	commonOptions: ['callbackUrl', 'externalTaskId'],
	async buildBody(itemIndex) {
		const body: IDataObject = { text: this.getNodeParameter('text', itemIndex), ...voiceBody(this, itemIndex) };
		return body;
	},
	rules: [
		{ field: 'text', required: true, maxLength: 1000 },
		{ field: 'voice_id', required: true },
		{ field: 'voice_language', oneOf: ['zh', 'en'] },
		{ field: 'voice_speed', min: 0.8, max: 2 },
	],
};
