import type { IDataObject } from 'n8n-workflow';

import { promptLimitText } from '../../input/validation';
import type { TaskOperation } from '../../task/operation';
import { negativePromptField } from '../../fields/promptFields';
import {
	apiStandardField,
	applyVideoOptions,
	durationField,
	modeField,
	multiShotFields,
	soundField,
	videoAspectRatioField,
	videoModelField,
	videoModelRules,
	videoTextRules,
	voiceIdsField,
} from '../../fields/videoFields';
import { pickedModelOf, promptField } from '../../fields/commonFields';

export const textToVideo: TaskOperation = {
	kind: 'task',
	resource: 'video',
	value: 'textToVideo',
	name: 'Text to Video',
	action: 'Generate a video from text',
	description: 'Create a video from a prompt',
	taskPath: '/v1/videos/text2video',
	fields: [
		...videoModelField('textToVideo'),
		promptField(`What happens in the video. ${promptLimitText('textToVideo')}`),
		modeField,
		durationField,
	],
	optionalFields: [
		apiStandardField,
		videoAspectRatioField,
		...multiShotFields,
		negativePromptField,
		soundField,
		voiceIdsField,
	],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	videoProduct: 'textToVideo',
	async buildBody(itemIndex, options) {
		const body: IDataObject = {
			model_name: pickedModelOf(this, itemIndex),
			mode: this.getNodeParameter('mode', itemIndex),
			duration: this.getNodeParameter('duration', itemIndex),
		};
		const prompt = this.getNodeParameter('prompt', itemIndex, '') as string;
		if (prompt) body.prompt = prompt;
		return applyVideoOptions(this.getNode(), body, options, itemIndex);
	},
	rules: [
		...videoTextRules,
		{ field: 'prompt', check: (body) => (!body.multi_shot && !body.prompt ? '"prompt" is required (unless Multi-Shot is on)' : undefined) },
		...videoModelRules('textToVideo'),
	],
};
