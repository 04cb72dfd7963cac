import type { INodeProperties } from 'n8n-workflow';

import { modelFields } from './commonFields';
import { GENERATION4_LIMITS, generation4Models, type Generation4Product } from '../kling/generation4';
import { REFERENCE_HELP } from '../input/generation4Input';
import { imageInputFields, imageListField } from '../input/mediaInput';

/** Editor fields of the Kling 4.0 operations; the menus come from the 4.0 rows (kling/generation4.ts). */

export function generation4ModelFields(product: Generation4Product, only?: readonly string[]): INodeProperties[] {
	const models = generation4Models(product).filter((model) => !only || only.includes(model.id));
	const choices = models.map((model) => ({ name: model.name, value: model.id, description: model.description }));
	return modelFields(choices, models[0].id, 'e.g. kling-4.5');
}

export function generation4PromptField(description: string): INodeProperties {
	return {
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: `${description} ${REFERENCE_HELP}`,
	};
}

export const generation4DurationField: INodeProperties = {
	displayName: 'Duration (Seconds)',
	name: 'duration',
	type: 'number',
	typeOptions: { minValue: 3, maxValue: 30 },
	default: 5,
	description: 'Whole seconds: 3–30 on Kling 4.0, 3–20 on Kling 4.0 Flash',
};

export const generation4ResolutionField: INodeProperties = {
	displayName: 'Resolution',
	name: 'resolution',
	type: 'options',
	options: [
		{ name: '1080p', value: '1080p', description: 'Kling 4.0 only' },
		{ name: '1080p HDR (Opt-In)', value: '1080p HDR', description: 'Sent as it is; Kling called HDR "coming soon"' },
		{ name: '4K (Opt-In)', value: '4k', description: 'Sent as it is; not every host renders it yet, Kling refuses it where not' },
		{ name: '4K HDR (Opt-In)', value: '4k HDR', description: 'Sent as it is; Kling called HDR "coming soon"' },
		{ name: '720p', value: '720p' },
	],
	default: '720p',
	description: 'Kling 4.0 Flash renders 720p only',
};

/** The video's aspect ratio; left out by default, so the video follows its first keyframe or references. */
export const generation4AspectRatioField: INodeProperties = {
	displayName: 'Aspect Ratio',
	name: 'aspectRatio',
	type: 'options',
	options: [
		{ name: 'Follow the Inputs', value: '', description: 'Not sent: the video takes the first keyframe’s or reference’s ratio (16:9 for text)' },
		...['16:9', '9:16', '1:1', '21:9', '4:3', '3:4'].map((ratio) => ({ name: ratio, value: ratio })),
	],
	default: '',
};

export const keyframeFields: INodeProperties[] = [
	...imageInputFields({ name: 'firstFrame', displayName: 'First Frame', noneLabel: 'No Keyframes (Text to Video)', description: 'The opening frame; middle and last frames need it' }),
	{
		...imageListField({
			name: 'middleFrames',
			displayName: 'Middle Frames',
			itemName: 'Middle Frame',
			description: `Up to ${GENERATION4_LIMITS.middleFrames} frames spaced evenly between the first and the last, in this order (@middle1 …)`,
		}),
		displayOptions: { hide: { firstFrameSource: ['none'] } },
	},
	...imageInputFields({ name: 'lastFrame', displayName: 'Last Frame', noneLabel: 'No Last Frame' }).map((field) => ({
		...field,
		displayOptions: { ...field.displayOptions, hide: { firstFrameSource: ['none'] } },
	})),
];

export function referenceImagesField(max: number): INodeProperties {
	return imageListField({
		name: 'referenceImages',
		displayName: 'Reference Images',
		itemName: 'Reference Image',
		description: `Up to ${max} images (jpg/png, at most 30 MB, sides from 300 px, 2:5 to 5:2), named @image01, @image02 … in the prompt`,
	});
}

export const referenceVideosField: INodeProperties = {
	displayName: 'Reference Videos',
	name: 'referenceVideos',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add Reference Video',
	default: {},
	description: `Up to ${GENERATION4_LIMITS.videos} videos (mp4/mov, 3–30 s each and ${GENERATION4_LIMITS.videoTotalSeconds} s together) to take style, motion or the next shot from, named @video1 … in the prompt`,
	options: [{ displayName: 'Video', name: 'videos', values: [{ displayName: 'Video URL', name: 'url', type: 'string', default: '', placeholder: 'https://example.com/clip.mp4' }] }],
};

export function elementIdsField(max: number): INodeProperties {
	return {
		displayName: 'Element IDs',
		name: 'elementIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. 123456, 234567',
		description: `Comma-separated Kling element IDs (at most ${max}), named @element1 … in the prompt`,
	};
}

export const voiceIdsField: INodeProperties = {
	displayName: 'Voice IDs',
	name: 'voiceIds',
	type: 'string',
	default: '',
	placeholder: 'e.g. 829376, 829377',
	description: `Comma-separated Kling voice IDs, preset or custom (at most ${GENERATION4_LIMITS.voices}), named @voice1 … in the prompt`,
};
