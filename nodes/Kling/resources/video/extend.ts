import type { IDataObject } from 'n8n-workflow';

import { KLING_LIMITS } from '../../kling/constants';
import type { TaskOperation } from '../../task/operation';
import { negativePromptField } from '../../fields/promptFields';
import { cfgScaleField } from '../../fields/videoFields';
import { promptField } from '../../fields/commonFields';

export const extend: TaskOperation = {
	kind: 'task',
	resource: 'video',
	value: 'extend',
	name: 'Extend (Retired)',
	action: 'Extend a video (retired)',
	description:
		'Retired: it extends only Kling 1.x videos, whose models left Kling on 2026-09-15. Use Omni Video with a feature reference video ("next shot") instead. Kept so saved workflows still open.',
	taskPath: '/v1/videos/video-extend',
	fields: [
		{
			displayName: 'Video ID',
			name: 'videoId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 867283741759111202',
			description: 'The ID of a video Kling generated (task_result.videos[].ID), not the task ID',
		},
		promptField('What happens next (at most 2500 characters)', { rows: 3 }),
	],
	optionalFields: [cfgScaleField, negativePromptField],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	async buildBody(itemIndex, options) {
		const body: IDataObject = { video_id: String(this.getNodeParameter('videoId', itemIndex)).trim() };
		const prompt = this.getNodeParameter('prompt', itemIndex, '') as string;
		if (prompt) body.prompt = prompt;
		if (options.negativePrompt) body.negative_prompt = options.negativePrompt;
		if (options.cfgScale !== undefined) body.cfg_scale = options.cfgScale;
		return body;
	},
	rules: [
		{ field: 'video_id', required: true },
		{ field: 'prompt', maxLength: KLING_LIMITS.promptLength },
		{ field: 'negative_prompt', maxLength: KLING_LIMITS.promptLength },
		{ field: 'cfg_scale', min: 0, max: 1 },
	],
};
