import type { TaskOperation } from '../../task/operation';
import { pickedModelOf } from '../../fields/commonFields';
import {
	generation4AspectRatioField,
	generation4DurationField,
	generation4ModelFields,
	generation4PromptField,
	generation4ResolutionField,
	keyframeFields,
} from '../../fields/generation4Fields';
import { generation4Body, generation4Rules, keyframeInputs } from '../../input/generation4Input';

/** Kling 4.0 and 4.0 Flash from a prompt, or from up to 10 keyframes (first, up to 8 middle, last). */
export const kling4Video: TaskOperation = {
	kind: 'task',
	resource: 'video',
	value: 'kling4Video',
	name: 'Kling 4.0: Text or Keyframes to Video',
	action: 'Generate a Kling 4.0 video from text or keyframes',
	description: 'Kling 4.0 (3–30 s) or 4.0 Flash (3–20 s, text only) from a prompt, or from a first frame, up to 8 middle frames and a last frame',
	taskPath: '/kling-4/video',
	fields: [
		...generation4ModelFields('video'),
		generation4PromptField('What happens in the video. Several shots may be described in order.'),
		generation4DurationField,
		generation4ResolutionField,
		...keyframeFields,
	],
	optionalFields: [generation4AspectRatioField],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	async buildBody(itemIndex, options) {
		const inputs = await keyframeInputs.call(this, itemIndex);
		return generation4Body(pickedModelOf(this, itemIndex), String(this.getNodeParameter('prompt', itemIndex, '')), inputs, {
			duration: this.getNodeParameter('duration', itemIndex),
			resolution: this.getNodeParameter('resolution', itemIndex),
			aspect_ratio: options.aspectRatio || (inputs.length ? undefined : '16:9'),
		});
	},
	rules: generation4Rules,
};
