import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { imageInputFields, imageListField, resolveImageList, resolveImageParameter } from '../../input/mediaInput';
import type { TaskOperation } from '../../task/operation';
import { ELEMENT_ROUTES, locatorValue, voiceLocator } from '../../fields/pickers';

const onlyFor =
	(referenceType: string) =>
	(field: INodeProperties): INodeProperties => ({
		...field,
		displayOptions: { show: { ...(field.displayOptions?.show ?? {}), referenceType: [referenceType] } },
	});

const TAGS = [
	{ name: 'Animal', value: 'o_103' },
	{ name: 'Character', value: 'o_102' },
	{ name: 'Costume', value: 'o_105' },
	{ name: 'Effect', value: 'o_107' },
	{ name: 'Hottest', value: 'o_101' },
	{ name: 'Item', value: 'o_104' },
	{ name: 'Others', value: 'o_108' },
	{ name: 'Scene', value: 'o_106' },
];

/** A custom element (https://kling.ai/document-api/llms.txt): a subject from images or a character from a video, usable in element_list. */
export const create: TaskOperation = {
	kind: 'task',
	resource: 'element',
	value: 'create',
	name: 'Create',
	action: 'Create an element',
	description: 'Create a reusable subject from a frontal image and 1–3 more views, or a character from a video',
	taskPath: ELEMENT_ROUTES.custom,
	fields: [
		{ displayName: 'Name', name: 'elementName', type: 'string', default: '', required: true, description: 'At most 20 characters' },
		{
			displayName: 'Description',
			name: 'elementDescription',
			type: 'string',
			default: '',
			required: true,
			description: 'At most 100 characters',
		},
		{
			displayName: 'Reference Type',
			name: 'referenceType',
			type: 'options',
			options: [
				{ name: 'Images', value: 'image_refer', description: 'A multi-image element: a frontal image and 1–3 other views' },
				{ name: 'Video', value: 'video_refer', description: 'A video character element (realistic people only; Kling 3.0 Omni)' },
			],
			default: 'image_refer',
		},
		...imageInputFields({ name: 'frontalImage', displayName: 'Frontal Image' }).map(onlyFor('image_refer')),
		onlyFor('image_refer')(
			imageListField({
				name: 'referImages',
				displayName: 'Other Views',
				itemName: 'View',
				description: '1–3 images from other angles or close-ups',
			}),
		),
		{
			displayName: 'Video URL',
			name: 'videoUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/character.mp4',
			description: 'MP4 or MOV, 3–8 s, 1080p, 16:9 or 9:16, at most 200 MB; a voice in it becomes the element’s voice',
			displayOptions: { show: { referenceType: ['video_refer'] } },
		},
	],
	optionalFields: [
		voiceLocator('voice', 'Voice', 'Bind a voice to the element (humanoid elements only)'),
		{
			displayName: 'Tags',
			name: 'tags',
			type: 'multiOptions',
			options: TAGS,
			default: [],
		},
	],
	commonOptions: ['callbackUrl', 'externalTaskId'],
	async buildBody(itemIndex, options) {
		const referenceType = this.getNodeParameter('referenceType', itemIndex) as string;
		const body: IDataObject = {
			element_name: this.getNodeParameter('elementName', itemIndex),
			element_description: this.getNodeParameter('elementDescription', itemIndex),
			reference_type: referenceType,
		};
		if (referenceType === 'image_refer') {
			const frontal = await resolveImageParameter.call(this, itemIndex, 'frontalImage', 'Frontal Image');
			const views = await resolveImageList.call(this, itemIndex, 'referImages', 'View');
			body.element_image_list = { frontal_image: frontal, refer_images: views.map((image) => ({ image_url: image })) };
		} else {
			body.element_video_list = { refer_videos: [{ video_url: String(this.getNodeParameter('videoUrl', itemIndex)).trim() }] };
		}
		const voice = locatorValue(options.voice);
		if (voice) body.element_voice_id = voice;
		const tags = (options.tags as string[] | undefined) ?? [];
		if (tags.length) body.tag_list = tags.map((tag) => ({ tag_id: tag }));
		return body;
	},
	rules: [
		{ field: 'element_name', required: true, maxLength: 20 },
		{ field: 'element_description', required: true, maxLength: 100 },
		{ field: 'element_image_list.frontal_image', required: true, when: { field: 'reference_type', oneOf: ['image_refer'] } },
		{ field: 'element_image_list.refer_images', minItems: 1, maxItems: 3, required: true, when: { field: 'reference_type', oneOf: ['image_refer'] } },
		{
			field: 'element_video_list',
			check: (body) => {
				if (body.reference_type !== 'video_refer') return undefined;
				const url = String(((body.element_video_list as IDataObject).refer_videos as IDataObject[])[0].video_url ?? '');
				return /^https?:\/\/\S+$/i.test(url) ? undefined : `Video URL must be an http(s) URL, got "${url.slice(0, 80)}"`;
			},
		},
	],
};
