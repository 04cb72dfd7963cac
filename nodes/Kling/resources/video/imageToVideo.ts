import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { imageInputFields, resolveImageParameter } from '../../input/mediaInput';
import type { TaskOperation } from '../../task/operation';
import { parseElementIds, promptLimitText } from '../../input/validation';
import { negativePromptField } from '../../fields/promptFields';
import {
	apiStandardField,
	applyVideoOptions,
	durationField,
	modeField,
	multiShotFields,
	soundField,
	videoModelField,
	videoModelRules,
	videoTextRules,
	voiceIdsField,
} from '../../fields/videoFields';
import { pickedModelOf, promptField } from '../../fields/commonFields';

const elementIdsField: INodeProperties = {
	displayName: 'Element IDs',
	name: 'elementIds',
	type: 'string',
	default: '',
	placeholder: '123, 456',
	description: 'Up to 3 comma-separated Kling element IDs (Kling 3.0); refer to them in the prompt',
};

export const imageToVideo: TaskOperation = {
	kind: 'task',
	resource: 'video',
	value: 'imageToVideo',
	name: 'Image to Video',
	action: 'Generate a video from an image',
	description: 'Animate a start frame, optionally towards an end frame',
	taskPath: '/v1/videos/image2video',
	fields: [
		...videoModelField('imageToVideo'),
		...imageInputFields({ name: 'image', displayName: 'Start Frame', noneLabel: 'None', defaultSource: 'binary' }),
		...imageInputFields({ name: 'imageTail', displayName: 'End Frame', noneLabel: 'None' }),
		promptField(`What happens in the video. ${promptLimitText('imageToVideo')}`),
		modeField,
		durationField,
	],
	optionalFields: [
		apiStandardField,
		elementIdsField,
		...multiShotFields,
		negativePromptField,
		soundField,
		voiceIdsField,
	],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	videoProduct: 'imageToVideo',
	async buildBody(itemIndex, options) {
		const body: IDataObject = {
			model_name: pickedModelOf(this, itemIndex),
			mode: this.getNodeParameter('mode', itemIndex),
			duration: this.getNodeParameter('duration', itemIndex),
		};
		const image = await resolveImageParameter.call(this, itemIndex, 'image', 'Start Frame');
		if (image) body.image = image;
		const tail = await resolveImageParameter.call(this, itemIndex, 'imageTail', 'End Frame');
		if (tail) body.image_tail = tail;
		const prompt = this.getNodeParameter('prompt', itemIndex, '') as string;
		if (prompt) body.prompt = prompt;
		if (options.elementIds) body.element_list = parseElementIds(this.getNode(), String(options.elementIds), 'elementIds', itemIndex);
		return applyVideoOptions(this.getNode(), body, options, itemIndex);
	},
	rules: [
		{ field: 'image', label: 'Start Frame', check: (body) => (!body.image ? 'Start Frame is required: no current model animates towards an end frame alone' : undefined) },
		...videoTextRules,
		...videoModelRules('imageToVideo'),
	],
};

