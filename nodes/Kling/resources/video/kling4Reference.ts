import type { TaskOperation } from '../../task/operation';
import { pickedModelOf } from '../../fields/commonFields';
import {
	elementIdsField,
	generation4AspectRatioField,
	generation4DurationField,
	generation4ModelFields,
	generation4PromptField,
	generation4ResolutionField,
	referenceImagesField,
	referenceVideosField,
	voiceIdsField,
} from '../../fields/generation4Fields';
import { GENERATION4_LIMITS } from '../../kling/generation4';
import { generation4Body, generation4Rules, inputOf, referenceInputs, referenceVideoInputs } from '../../input/generation4Input';
import { imageInputFields, resolveImageParameter } from '../../input/mediaInput';

/** Kling 4.0 omni video: a prompt naming reference images, reference videos, elements and voices. */
export const kling4Reference: TaskOperation = {
	kind: 'task',
	resource: 'video',
	value: 'kling4Reference',
	name: 'Kling 4.0: Reference to Video (Omni)',
	action: 'Generate a Kling 4.0 video from references',
	description: 'Kling 4.0 omni video: up to 10 reference images, 5 reference videos, 7 elements and 3 voices, named in the prompt',
	taskPath: '/kling-4/video',
	fields: [
		...generation4ModelFields('video', ['kling-4.0']),
		generation4PromptField('What happens in the video, naming the references.'),
		referenceImagesField(GENERATION4_LIMITS.images),
		referenceVideosField,
		elementIdsField(GENERATION4_LIMITS.elements),
		voiceIdsField,
		...imageInputFields({ name: 'firstFrame', displayName: 'First Frame', noneLabel: 'No First Frame', description: 'Start on this image (@first); it counts toward the 10 images' }),
		generation4DurationField,
		generation4ResolutionField,
	],
	optionalFields: [generation4AspectRatioField],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	async buildBody(itemIndex, options) {
		const first = await resolveImageParameter.call(this, itemIndex, 'firstFrame', 'First Frame');
		const inputs = [
			...(first ? [inputOf('first_frame', 1, { url: first })] : []),
			...(await referenceInputs.call(this, itemIndex, { voices: true })),
			...(await referenceVideoInputs.call(this, itemIndex)),
		];
		return generation4Body(pickedModelOf(this, itemIndex), String(this.getNodeParameter('prompt', itemIndex, '')), inputs, {
			duration: this.getNodeParameter('duration', itemIndex),
			resolution: this.getNodeParameter('resolution', itemIndex),
			aspect_ratio: options.aspectRatio || undefined,
		});
	},
	rules: [
		...generation4Rules,
		{
			field: 'inputs',
			check: (body) => {
				const inputs = (body.generation4 as { inputs: unknown[] } | undefined)?.inputs ?? [];
				return inputs.length ? undefined : 'Add at least one reference (image, video, element or voice), or use "Kling 4.0: Text or Keyframes to Video"';
			},
		},
	],
};
