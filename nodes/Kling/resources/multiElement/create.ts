import type { IDataObject } from 'n8n-workflow';

import { KLING_LIMITS } from '../../kling/constants';
import { imageListField, resolveImageList } from '../../input/mediaInput';
import type { TaskOperation } from '../../task/operation';
import { promptField } from '../../fields/commonFields';
import { negativePromptField } from '../../fields/promptFields';
import { fiveOrTenSecondsField, hdModeField } from '../../fields/videoFields';
import { MULTI_ELEMENTS, sessionField, sessionId } from './session';

/** §5.16: addition takes 1–2 images, swap exactly 1, removal none. */
const IMAGES_PER_MODE: Record<string, [number, number]> = { addition: [1, 2], swap: [1, 1], removal: [0, 0] };

export const create: TaskOperation = {
	kind: 'task',
	resource: 'multiElement',
	value: 'create',
	name: 'Create Video',
	action: 'Create the edited video',
	description: 'Add, swap or remove the marked elements of a session’s video',
	taskPath: MULTI_ELEMENTS,
	fields: [
		sessionField,
		{
			displayName: 'Edit Mode',
			name: 'editMode',
			type: 'options',
			options: [
				{ name: 'Add', value: 'addition', description: 'Add the subject of 1–2 images to the video' },
				{ name: 'Swap', value: 'swap', description: 'Replace the marked element with the subject of 1 image' },
				{ name: 'Remove', value: 'removal', description: 'Remove the marked element' },
			],
			default: 'swap',
		},
		{
			...imageListField({
				name: 'images',
				displayName: 'Images',
				itemName: 'Image',
				description: 'Cut-out subjects (Kling does not crop): 1–2 to add, 1 to swap',
			}),
			displayOptions: { hide: { editMode: ['removal'] } },
		},
		promptField('Refer to the video as &lt;&lt;&lt;video_1&gt;&gt;&gt; and the images as &lt;&lt;&lt;image_1&gt;&gt;&gt;; at most 2500 characters', {
			required: true,
			placeholder: 'swap the dog from <<<image_1>>> for the cat from <<<video_1>>>',
		}),
		hdModeField,
		{ ...fiveOrTenSecondsField, description: '5 s needs a 2–5 s session video, 10 s a 7–10 s one' },
	],
	optionalFields: [negativePromptField],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	async buildBody(itemIndex, options) {
		const editMode = this.getNodeParameter('editMode', itemIndex) as string;
		const body: IDataObject = {
			session_id: sessionId(this, itemIndex),
			edit_mode: editMode,
			prompt: this.getNodeParameter('prompt', itemIndex),
			mode: this.getNodeParameter('mode', itemIndex),
			duration: this.getNodeParameter('duration', itemIndex),
		};
		if (editMode !== 'removal') {
			const images = await resolveImageList.call(this, itemIndex, 'images', 'Image');
			if (images.length) body.image_list = images.map((image) => ({ image }));
		}
		if (options.negativePrompt) body.negative_prompt = options.negativePrompt;
		return body;
	},
	rules: [
		{ field: 'session_id', required: true },
		{ field: 'prompt', required: true, maxLength: KLING_LIMITS.promptLength },
		{ field: 'negative_prompt', maxLength: KLING_LIMITS.promptLength },
		{
			field: 'image_list',
			check: (body) => {
				const [min, max] = IMAGES_PER_MODE[String(body.edit_mode)] ?? [0, 2];
				const count = ((body.image_list as unknown[]) ?? []).length;
				return count < min || count > max
					? `Images has ${count} images; Edit Mode "${String(body.edit_mode)}" takes ${min === max ? min : `${min} to ${max}`}`
					: undefined;
			},
		},
	],
};
