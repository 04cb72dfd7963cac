import type { IDataObject } from 'n8n-workflow';

import { imageInputFields, resolveImageParameter } from '../../shared/mediaInput';
import type { TaskOperation } from '../../shared/operation';
import { fiveOrTenSecondsField } from './fields';

/** Two-person scenes take two images; the legacy ones also a model and a mode (kling-api.md §4.11). */
export const DUAL_SCENES = ['hug_pro', 'kiss_pro', 'fight_pro', 'heart_gesture_pro', 'cheers_2026'];
export const LEGACY_DUAL_SCENES = ['hug', 'kiss', 'heart_gesture', 'fight'];

export const effects: TaskOperation = {
	kind: 'task',
	resource: 'video',
	value: 'effects',
	name: 'Effects',
	action: 'Apply a video effect to images',
	description: 'Turn one photo (or two, for two-person scenes) into an effect video',
	taskPath: '/v1/videos/effects',
	fields: [
		{
			displayName: 'Effect Scene',
			name: 'effectScene',
			type: 'string',
			default: 'bloombloom',
			required: true,
			placeholder: 'bloombloom',
			description:
				'Kling’s effect name, e.g. bloombloom, dizzydizzy, fuzzyfuzzy, squish, expansion; two-person scenes: hug_pro, kiss_pro, fight_pro, heart_gesture_pro, cheers_2026 (legacy: hug, kiss, heart_gesture, fight). Kling changes the list often.',
		},
		...imageInputFields({ name: 'image', displayName: 'Image', description: 'The photo (the left person in two-person scenes)' }),
		...imageInputFields({
			name: 'secondImage',
			displayName: 'Second Image',
			noneLabel: 'None (Single-Image Scene)',
			description: 'Two-person scenes only: the person placed on the right',
		}),
		fiveOrTenSecondsField,
	],
	optionalFields: [
		{
			displayName: 'Legacy Scene Model',
			name: 'model',
			type: 'options',
			options: [
				{ name: 'Kling V1', value: 'kling-v1' },
				{ name: 'Kling V1.5', value: 'kling-v1-5' },
				{ name: 'Kling V1.6', value: 'kling-v1-6' },
			],
			default: 'kling-v1',
			description: 'Only for the legacy two-person scenes (hug, kiss, heart_gesture, fight)',
		},
		{
			displayName: 'Legacy Scene Mode',
			name: 'mode',
			type: 'options',
			options: [
				{ name: 'Standard', value: 'std' },
				{ name: 'Professional', value: 'pro' },
			],
			default: 'std',
			description: 'Only for the legacy two-person scenes',
		},
	],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	async buildBody(itemIndex, options) {
		const scene = String(this.getNodeParameter('effectScene', itemIndex)).trim();
		const first = await resolveImageParameter.call(this, itemIndex, 'image', 'input.image');
		const second = await resolveImageParameter.call(this, itemIndex, 'secondImage', 'input.images[1]');
		const input: IDataObject = { duration: this.getNodeParameter('duration', itemIndex) };
		if (second) input.images = [first, second];
		else input.image = first;
		if (LEGACY_DUAL_SCENES.includes(scene)) {
			input.model_name = options.model ?? (scene === 'fight' ? 'kling-v1-6' : 'kling-v1');
			input.mode = options.mode ?? 'std';
		}
		return { effect_scene: scene, input };
	},
	rules: [
		{ field: 'effect_scene', required: true },
		{
			field: 'input',
			check: (body) => {
				const scene = String(body.effect_scene);
				const dual = DUAL_SCENES.includes(scene) || LEGACY_DUAL_SCENES.includes(scene);
				const images = (body.input as IDataObject).images;
				if (dual && !images) return `"effect_scene" "${scene}" is a two-person scene and needs a Second Image ("input.images", exactly 2)`;
				if (!dual && images) return `"effect_scene" "${scene}" takes one image; remove the Second Image or pick a two-person scene (${DUAL_SCENES.join(', ')})`;
				return undefined;
			},
		},
		{ field: 'input.duration', oneOf: ['5'], when: { field: 'effect_scene', oneOf: DUAL_SCENES } },
		{ field: 'input.model_name', oneOf: ['kling-v1-6'], when: { field: 'effect_scene', oneOf: ['fight'] } },
	],
};
