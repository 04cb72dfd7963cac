import type { IDataObject } from 'n8n-workflow';

import type { TaskOperation } from '../../shared/operation';
import { negativePromptField } from '../image/generate';
import {
	applyVideoOptions,
	cameraControlField,
	cfgScaleField,
	durationField,
	modeField,
	multiShotFields,
	soundField,
	videoAspectRatioField,
	videoModelField,
	videoModelRules,
	videoTextRules,
	voiceIdsField,
} from './fields';
import { promptField } from '../../shared/commonFields';

export const textToVideo: TaskOperation = {
	kind: 'task',
	resource: 'video',
	value: 'textToVideo',
	name: 'Text to Video',
	action: 'Generate a video from text',
	description: 'Create a video from a prompt',
	taskPath: '/v1/videos/text2video',
	fields: [
		videoModelField('textToVideo', 'kling-v2-6'),
		promptField('What happens in the video (at most 2500 characters)'),
		modeField,
		durationField,
	],
	optionalFields: [
		videoAspectRatioField,
		cameraControlField,
		cfgScaleField,
		...multiShotFields,
		negativePromptField,
		soundField,
		voiceIdsField,
	],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	async buildBody(itemIndex, options) {
		const body: IDataObject = {
			model_name: this.getNodeParameter('model', itemIndex),
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
		{ field: 'cfg_scale', min: 0, max: 1 },
		{ field: 'voice_list', maxItems: 2 },
		...videoModelRules('textToVideo'),
	],
};
