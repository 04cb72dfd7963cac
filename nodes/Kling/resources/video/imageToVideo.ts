import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';

import { invalidInput } from '../../shared/errors';
import { imageInputFields, resolveImage, resolveImageParameter, type ImageSource } from '../../shared/mediaInput';
import type { TaskOperation } from '../../shared/operation';
import { videoControlGroupsProblem } from '../../shared/validation';
import { negativePromptField } from '../image/generate';
import {
	applyVideoOptions,
	cameraControlField,
	cfgScaleField,
	durationField,
	modeField,
	multiShotFields,
	soundField,
	videoModelField,
	videoModelRules,
	videoTextRules,
	voiceIdsField,
} from './fields';
import { promptField } from '../../shared/commonFields';

const MAX_MASK_GROUPS = 6;

const dynamicMasksField: INodeProperties = {
	displayName: 'Motion Brush',
	name: 'dynamicMasks',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: {},
	description: 'Up to 6 painted areas, each moving along a path (Kling V1 and V1.5 Pro, 5 s)',
	options: [
		{
			displayName: 'Moving Area',
			name: 'mask',
			values: [
				{
					displayName: 'Mask Source',
					name: 'source',
					type: 'options',
					options: [
						{ name: 'Binary File', value: 'binary' },
						{ name: 'URL', value: 'url' },
						{ name: 'Base64', value: 'base64' },
					],
					default: 'binary',
				},
				{
					displayName: 'Mask',
					name: 'value',
					type: 'string',
					default: '',
					description: 'The mask image (same aspect ratio as the start frame): binary property, URL or Base64',
				},
				{
					displayName: 'Trajectory',
					name: 'trajectory',
					type: 'string',
					default: '',
					placeholder: '100,200; 150,220; 200,260',
					description: '2–77 points "x,y" separated by semicolons, origin at the bottom-left of the image',
				},
			],
		},
	],
};

export const imageToVideo: TaskOperation = {
	kind: 'task',
	resource: 'video',
	value: 'imageToVideo',
	name: 'Image to Video',
	action: 'Generate a video from an image',
	description: 'Animate a start frame, optionally towards an end frame',
	taskPath: '/v1/videos/image2video',
	fields: [
		videoModelField('imageToVideo', 'kling-v2-6'),
		...imageInputFields({ name: 'image', displayName: 'Start Frame', noneLabel: 'None (End Frame Only)', defaultSource: 'binary' }),
		...imageInputFields({ name: 'imageTail', displayName: 'End Frame', noneLabel: 'None' }),
		promptField('What happens in the video (at most 2500 characters)'),
		modeField,
		durationField,
	],
	optionalFields: [
		cameraControlField,
		cfgScaleField,
		dynamicMasksField,
		...multiShotFields,
		negativePromptField,
		soundField,
		{
			displayName: 'Static Mask',
			name: 'staticMask',
			type: 'string',
			default: '',
			description: 'Motion brush: an image whose painted area stays still — a binary property name, URL or Base64',
		},
		voiceIdsField,
	],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	async buildBody(itemIndex, options) {
		const body: IDataObject = {
			model_name: this.getNodeParameter('model', itemIndex),
			mode: this.getNodeParameter('mode', itemIndex),
			duration: this.getNodeParameter('duration', itemIndex),
		};
		const image = await resolveImageParameter.call(this, itemIndex, 'image', 'image');
		if (image) body.image = image;
		const tail = await resolveImageParameter.call(this, itemIndex, 'imageTail', 'image_tail');
		if (tail) body.image_tail = tail;
		const prompt = this.getNodeParameter('prompt', itemIndex, '') as string;
		if (prompt) body.prompt = prompt;
		if (options.staticMask) body.static_mask = await resolveMaskValue.call(this, itemIndex, String(options.staticMask), 'static_mask');
		const masks = ((options.dynamicMasks as IDataObject | undefined)?.mask as IDataObject[] | undefined) ?? [];
		if (masks.length) {
			body.dynamic_masks = [];
			for (const [position, mask] of masks.entries()) {
				(body.dynamic_masks as IDataObject[]).push({
					mask: await resolveImage.call(this, itemIndex, mask.source as ImageSource, String(mask.value ?? ''), `dynamic_masks[${position}].mask`),
					trajectories: parseTrajectory(this.getNode(), String(mask.trajectory ?? ''), position, itemIndex),
				});
			}
		}
		return applyVideoOptions(this.getNode(), body, options, itemIndex);
	},
	rules: [
		{ field: 'image', check: (body) => (!body.image && !body.image_tail ? 'a start frame ("image") or an end frame ("image_tail") is required' : undefined) },
		...videoTextRules,
		{ field: 'cfg_scale', min: 0, max: 1 },
		{ field: 'dynamic_masks', maxItems: MAX_MASK_GROUPS },
		{ field: 'voice_list', maxItems: 2 },
		{ field: 'image_tail', check: videoControlGroupsProblem },
		...videoModelRules('imageToVideo'),
		{ field: 'image_tail', check: (body) => (body.multi_shot && body.image_tail ? '"image_tail" cannot be used with "multi_shot"' : undefined) },
	],
};

/** A mask given as text: a URL, Base64, or else the name of a binary property. */
async function resolveMaskValue(this: IExecuteFunctions, itemIndex: number, value: string, field: string) {
	const source: ImageSource = /^https?:\/\//i.test(value) ? 'url' : /^data:|^[A-Za-z0-9+/=\s]{200,}$/.test(value) ? 'base64' : 'binary';
	return await resolveImage.call(this, itemIndex, source, value, field);
}

function parseTrajectory(node: INode, text: string, group: number, itemIndex: number) {
	const points = text
		.split(';')
		.map((pair) => pair.trim())
		.filter(Boolean)
		.map((pair) => pair.split(',').map((coordinate) => Number(coordinate.trim())));
	const field = `dynamic_masks[${group}].trajectories`;
	if (points.some((point) => point.length !== 2 || point.some((coordinate) => !Number.isInteger(coordinate)))) {
		throw invalidInput(node, `Invalid input: "${field}" must be whole-number points "x,y" separated by semicolons`, itemIndex);
	}
	if (points.length < 2 || points.length > 77) {
		throw invalidInput(node, `Invalid input: "${field}" has ${points.length} points; Kling needs 2 to 77`, itemIndex);
	}
	return points.map(([x, y]) => ({ x, y }));
}
