import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { imageInputFields, resolveImageParameter } from '../../input/mediaInput';
import type { TaskOperation } from '../../task/operation';
import { locatorValue } from '../../fields/pickers';
import { DISCONTINUED_SCENES, EFFECT_SCENES, sceneLabel } from './effectScenes';

/** The editor's searchable scene list; anything else can still be typed "By Name". */
export async function searchEffectScenes(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const needle = (filter ?? '').toLowerCase().trim();
	const results = [...EFFECT_SCENES]
		.map(([scene, images]) => ({ name: `${sceneLabel(scene)}${images === 2 ? ' (Two Images)' : ''}`, value: scene }))
		.filter((option) => !needle || option.name.toLowerCase().includes(needle) || option.value.includes(needle))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}

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
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			required: true,
			description: 'Kling adds scenes almost every week: pick one of the known scenes, or type the name of a newer one',
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					placeholder: 'Select a scene…',
					typeOptions: { searchListMethod: 'searchEffectScenes', searchable: true },
				},
				{
					displayName: 'By Name',
					name: 'name',
					type: 'string',
					placeholder: 'e.g. bouncy_dance',
					hint: 'Kling’s scene name, sent as typed',
				},
			],
		},
		...imageInputFields({ name: 'image', displayName: 'Image', description: 'The photo (the left person in two-image scenes)' }),
		...imageInputFields({
			name: 'secondImage',
			displayName: 'Second Image',
			noneLabel: 'None (One-Image Scene)',
			description: 'Two-image scenes only (e.g. hug_pro, kiss_pro, daily_ootd): the person placed on the right',
		}),
	],
	optionalFields: [],
	// §5.12: the body is only the scene, its input and these two.
	commonOptions: ['callbackUrl', 'externalTaskId'],
	async buildBody(itemIndex) {
		const scene = locatorValue(this.getNodeParameter('effectScene', itemIndex));
		const first = await resolveImageParameter.call(this, itemIndex, 'image', 'Image');
		const second = await resolveImageParameter.call(this, itemIndex, 'secondImage', 'Second Image');
		const input: IDataObject = second ? { images: [first, second] } : { image: first };
		return { effect_scene: scene, input };
	},
	rules: [
		{ field: 'effect_scene', required: true },
		{
			field: 'effect_scene',
			check: (body) => {
				const scene = String(body.effect_scene ?? '');
				if (!(scene in DISCONTINUED_SCENES)) return undefined;
				const successor = DISCONTINUED_SCENES[scene];
				return `Effect Scene "${scene}" was discontinued by Kling${successor ? `; use "${successor}"` : ''}`;
			},
		},
		{
			field: 'input',
			check: (body) => {
				const scene = String(body.effect_scene);
				const images = EFFECT_SCENES.get(scene);
				const given = (body.input as IDataObject).images ? 2 : 1;
				// A scene the list does not know yet goes to Kling as given.
				if (images === undefined || images === given) return undefined;
				return images === 2
					? `Effect Scene "${scene}" takes two images; add a Second Image`
					: `Effect Scene "${scene}" takes one image; remove the Second Image or pick a two-image scene`;
			},
		},
	],
};
