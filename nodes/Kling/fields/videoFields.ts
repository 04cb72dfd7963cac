import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INode,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { invalidInput } from '../transport/errors';
import { KLING_LIMITS } from '../kling/constants';
import type { FieldRule } from '../input/validation';
import { CUSTOM_MODEL, modelFields } from './commonFields';
import {
	capabilitiesOf,
	currentModels,
	defaultModel,
	type ProductCapabilities,
	type Resolution,
	type VideoProduct,
} from '../kling/models';
import { multiShotProblem, videoCapabilityProblem } from '../input/validation';

/** Fields the video endpoints share, and their mapping to Kling's request fields. */

/** What a user chooses a model by, in plain words (https://kling.ai/document-api/guides/capability-map/video, prices from §3.4). */
const MODEL_CHARACTER: Record<string, string> = {
	'kling-3.0-turbo': 'Fast, high quality',
	'kling-v3': 'Best quality',
	'kling-v3-omni': 'Best quality; edits videos and follows reference images and elements',
	'kling-video-o1': 'Edits videos and follows reference images',
	'kling-v2-6': 'Good quality for less',
	'kling-v2-5-turbo': 'Fast and cheapest',
};

/** Units per second of video, lowest (720p, silent) to highest, per model and product (https://kling.ai/document-api/pricing/base/video). */
const UNITS_PER_SECOND: Record<string, Partial<Record<VideoProduct, string>> & { all?: string }> = {
	'kling-3.0-turbo': { all: '0.8–1.0' },
	'kling-v3': { all: '0.6–3.0', motionControl: '0.9–1.2' },
	'kling-v3-omni': { all: '0.6–3.0' },
	'kling-video-o1': { all: '0.6–1.2' },
	'kling-v2-6': { all: '0.3–1.2', motionControl: '0.5–0.8' },
	'kling-v2-5-turbo': { all: '0.3–0.5' },
};

const RESOLUTION_LABEL: Record<Resolution, string> = { '720p': '720p', '1080p': '1080p', '4k': '4K' };

function secondsText(durations: readonly number[]): string {
	if (!durations.length) return 'as long as the motion video';
	const consecutive = durations.every((seconds, index) => index === 0 || seconds === durations[index - 1] + 1);
	if (consecutive) return `${durations[0]}–${durations[durations.length - 1]} s`;
	return `${durations.slice(0, -1).join(', ')} or ${durations[durations.length - 1]} s`;
}

function soundText(capabilities: ProductCapabilities): string {
	if (capabilities.soundAlwaysOn) return 'always with sound';
	if (capabilities.sound?.needs1080p) return 'sound at 1080p';
	if (capabilities.sound) return 'optional sound';
	if (capabilities.originalAudio) return 'keeps a reference video’s sound';
	return 'silent';
}

/** A model's menu description: quality and speed, resolutions, lengths, sound, units per second. */
export function videoModelDescription(modelId: string, product: VideoProduct): string {
	const capabilities = capabilitiesOf(modelId, product);
	if (!capabilities) return '';
	const resolutions = capabilities.resolutions;
	const price = UNITS_PER_SECOND[modelId]?.[product] ?? UNITS_PER_SECOND[modelId]?.all;
	return [
		MODEL_CHARACTER[modelId],
		`${RESOLUTION_LABEL[resolutions[0]]}–${RESOLUTION_LABEL[resolutions[resolutions.length - 1]]}, ${secondsText(capabilities.durations)}`,
		product === 'motionControl' ? undefined : soundText(capabilities),
		price && `${price} units per second`,
	]
		.filter(Boolean)
		.join('; ');
}

export function videoModelField(product: VideoProduct): INodeProperties[] {
	const choices = currentModels(product).map((model) => ({
		name: model.name,
		value: model.id,
		description: videoModelDescription(model.id, product),
	}));
	return modelFields(choices, defaultModel(product), 'e.g. kling-3.5');
}

/** Which of Kling's two APIs to use; Automatic picks the documented one the credential can reach. */
export const apiStandardField: INodeProperties = {
	displayName: 'API Standard',
	name: 'apiStandard',
	type: 'options',
	options: [
		{ name: 'Automatic', value: 'auto', description: 'New API with an API key on Kling’s own hosts, else the legacy routes' },
		{ name: 'Legacy (V1 Video Routes)', value: 'legacy', description: 'The older routes; resellers and Access Key + Secret Key' },
		{ name: 'New (Path per Model)', value: 'new', description: 'Kling’s documented video API; API keys only' },
	],
	default: 'auto',
};

const RESOLUTION_CHOICES: Record<Resolution, INodePropertyOptions> = {
	'720p': { name: '720p (Standard)', value: 'std', description: 'Faster and cheaper' },
	'1080p': { name: '1080p (Professional)', value: 'pro', description: 'Higher quality; needed for some features' },
	'4k': { name: '4K', value: '4k', description: 'Highest quality, several times the price of 1080p' },
};
const ALL_RESOLUTIONS: readonly Resolution[] = ['720p', '1080p', '4k'];
const ALL_DURATIONS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
const VIDEO_PRODUCTS: readonly VideoProduct[] = ['textToVideo', 'imageToVideo', 'omniVideo', 'motionControl'];

/**
 * The model-table row behind the editor's current choice: the picked model (or the typed Model
 * ID) of a video operation. Undefined for an expression, an unknown ID or a retired model: the
 * menus then offer every value and the check before paying decides.
 */
function capabilitiesInEditor(context: ILoadOptionsFunctions): ProductCapabilities | undefined {
	const product = context.getCurrentNodeParameter('operation') as VideoProduct;
	if (!VIDEO_PRODUCTS.includes(product)) return undefined;
	const picked = String(context.getCurrentNodeParameter('model') ?? '');
	const id = picked === CUSTOM_MODEL ? String(context.getCurrentNodeParameter('modelId') ?? '').trim() : picked;
	return capabilitiesOf(id, product);
}

/** The Resolution menu of a video operation: the resolutions its model has (https://kling.ai/document-api/guides/capability-map/video). */
export function resolutionChoices(capabilities: ProductCapabilities | undefined): INodePropertyOptions[] {
	return (capabilities?.resolutions ?? ALL_RESOLUTIONS).map((resolution) => RESOLUTION_CHOICES[resolution]);
}

/** The Duration menu of a video operation: the lengths its model has. */
export function durationChoices(capabilities: ProductCapabilities | undefined): INodePropertyOptions[] {
	const durations = capabilities?.durations.length ? capabilities.durations : ALL_DURATIONS;
	return durations.map((seconds) => ({ name: `${seconds} Seconds`, value: String(seconds) }));
}

/** The editor's loadOptions methods: menus that follow the chosen model (re-loaded when it changes). */
export const videoLoadOptions = {
	async videoResolutions(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		return resolutionChoices(capabilitiesInEditor(this));
	},
	async videoDurations(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		return durationChoices(capabilitiesInEditor(this));
	},
};

/** Resolution of the video operations with a model menu: lists only what the chosen model has. */
export const modeField: INodeProperties = {
	displayName: 'Resolution Name or ID',
	name: 'mode',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'videoResolutions', loadOptionsDependsOn: ['model', 'modelId'] },
	default: 'std',
	description:
		'Only the resolutions the chosen model has (IDs: std = 720p, pro = 1080p, 4k). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

/** Resolution of the endpoints without a model menu, which take std (720p) or pro (1080p). */
export const hdModeField: INodeProperties = {
	displayName: 'Resolution',
	name: 'mode',
	type: 'options',
	options: [RESOLUTION_CHOICES['720p'], RESOLUTION_CHOICES['1080p']],
	default: 'std',
};

/** Duration of the video operations with a model menu: lists only the lengths the chosen model has. */
export const durationField: INodeProperties = {
	displayName: 'Duration Name or ID',
	name: 'duration',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'videoDurations', loadOptionsDependsOn: ['model', 'modelId'] },
	default: '5',
	description:
		'Only the lengths the chosen model has, in seconds (IDs: "5", "10"…). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

/** Kling's two lengths, for endpoints that have only those. */
export const fiveOrTenSecondsField: INodeProperties = {
	displayName: 'Duration (Seconds)',
	name: 'duration',
	type: 'options',
	options: [
		{ name: '5 Seconds', value: '5' },
		{ name: '10 Seconds', value: '10' },
	],
	default: '5',
};

/** Text limits shared by the video products (the prompt's limit is the model's, in the model table). */
export const videoTextRules: FieldRule[] = [
	{ field: 'negative_prompt', maxLength: KLING_LIMITS.promptLength },
];

/** The model's row of the model table and the multi-shot rules, for every video product. */
export function videoModelRules(product: VideoProduct): FieldRule[] {
	return [
		{ field: 'model_name', check: (body) => videoCapabilityProblem(body, product) },
		{ field: 'multi_prompt', check: multiShotProblem },
	];
}

export const videoAspectRatioField: INodeProperties = {
	displayName: 'Aspect Ratio',
	name: 'aspectRatio',
	type: 'options',
	options: [
		{ name: '16:9', value: '16:9' },
		{ name: '9:16', value: '9:16' },
		{ name: '1:1', value: '1:1' },
	],
	default: '16:9',
};

export const cfgScaleField: INodeProperties = {
	displayName: 'CFG Scale',
	name: 'cfgScale',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
	default: 0.5,
	description: 'How strictly to follow the prompt (0–1); Kling V1.x models only',
};

const CAMERA_AXES = ['horizontal', 'vertical', 'pan', 'tilt', 'roll', 'zoom'] as const;

export const cameraControlField: INodeProperties = {
	displayName: 'Camera Control',
	name: 'cameraControl',
	type: 'fixedCollection',
	default: {},
	description: 'Camera movement; available on few models (see the error message for which)',
	options: [
		{
			displayName: 'Camera',
			name: 'camera',
			values: [
				{
					displayName: 'Type',
					name: 'type',
					type: 'options',
					options: [
						{ name: 'Down and Back', value: 'down_back' },
						{ name: 'Forward and Up', value: 'forward_up' },
						{ name: 'Left Turn Forward', value: 'left_turn_forward' },
						{ name: 'Right Turn Forward', value: 'right_turn_forward' },
						{ name: 'Simple (One Axis)', value: 'simple' },
					],
					default: 'simple',
				},
				...CAMERA_AXES.map(
					(axis): INodeProperties => ({
						displayName: axis.charAt(0).toUpperCase() + axis.slice(1),
						name: axis,
						type: 'number',
						typeOptions: { minValue: -10, maxValue: 10 },
						default: 0,
						description: 'Only for the Simple type: set exactly one axis (−10 to 10)',
					}),
				),
			],
		},
	],
};

export function cameraControlBody(node: INode, options: IDataObject, itemIndex: number): IDataObject | undefined {
	const camera = (options.cameraControl as IDataObject | undefined)?.camera as IDataObject | undefined;
	if (!camera) return undefined;
	if (camera.type !== 'simple') return { type: camera.type };
	const config = Object.fromEntries(CAMERA_AXES.map((axis) => [axis, Number(camera[axis] ?? 0)]));
	const moving = CAMERA_AXES.filter((axis) => config[axis] !== 0);
	if (moving.length !== 1) {
		throw invalidInput(
			node,
			`Invalid input: "camera_control.config" of type "simple" needs exactly one non-zero axis; got ${moving.length} (${moving.join(', ') || 'none'})`,
			itemIndex,
		);
	}
	return { type: 'simple', config };
}

export const soundField: INodeProperties = {
	displayName: 'Sound',
	name: 'sound',
	type: 'boolean',
	default: false,
	description: 'Whether to generate sound with the video (Kling 3.0, 3.0 Omni; 2.6 at 1080p); 3.0 Turbo always has sound',
};

export const voiceIdsField: INodeProperties = {
	displayName: 'Voice IDs',
	name: 'voiceIds',
	type: 'string',
	default: '',
	placeholder: 'voice_123, voice_456',
	description: 'Up to 2 comma-separated voice IDs, referenced in the prompt as &lt;&lt;&lt;voice_1&gt;&gt;&gt;; needs Sound',
};

export const multiShotFields: INodeProperties[] = [
	{
		displayName: 'Multi-Shot',
		name: 'multiShot',
		type: 'boolean',
		default: false,
		description: 'Whether to generate several shots in one video (Kling 3.0 and 3.0 Omni)',
	},
	{
		displayName: 'Multi-Shot: Shot Type',
		name: 'shotType',
		type: 'options',
		options: [
			{ name: 'Customize', value: 'customize', description: 'Give each shot a prompt and a duration in Multi-Shot: Shots' },
			{ name: 'Intelligence', value: 'intelligence', description: 'Kling splits the prompt into shots' },
		],
		default: 'customize',
	},
	{
		displayName: 'Multi-Shot: Shots',
		name: 'shots',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		description: 'For Multi-Shot with Shot Type Customize: 1–6 shots whose durations add up to the video duration',
		options: [
			{
				displayName: 'Shot',
				name: 'shot',
				values: [
					{ displayName: 'Prompt', name: 'prompt', type: 'string', default: '', description: 'At most 512 characters' },
					{ displayName: 'Duration (Seconds)', name: 'duration', type: 'number', default: 5 },
				],
			},
		],
	},
];

export function splitIds(text: unknown): string[] {
	return String(text ?? '')
		.split(/[\s,]+/)
		.map((id) => id.trim())
		.filter(Boolean);
}

/** Maps the shared optional video fields onto the body. */
export function applyVideoOptions(node: INode, body: IDataObject, options: IDataObject, itemIndex: number): IDataObject {
	if (options.negativePrompt) body.negative_prompt = options.negativePrompt;
	if (options.cfgScale !== undefined) body.cfg_scale = options.cfgScale;
	if (options.aspectRatio) body.aspect_ratio = options.aspectRatio;
	const camera = cameraControlBody(node, options, itemIndex);
	if (camera) body.camera_control = camera;
	if (options.sound !== undefined) body.sound = options.sound ? 'on' : 'off';
	const voices = splitIds(options.voiceIds);
	if (voices.length) body.voice_list = voices.map((voiceId) => ({ voice_id: voiceId }));
	if (options.multiShot) {
		body.multi_shot = true;
		body.shot_type = options.shotType ?? 'customize';
		const shots = ((options.shots as IDataObject | undefined)?.shot as IDataObject[] | undefined) ?? [];
		if (body.shot_type === 'customize') {
			body.multi_prompt = shots.map((shot, index) => ({
				index: index + 1,
				prompt: shot.prompt,
				duration: String(shot.duration),
			}));
		}
	}
	return body;
}

/** A Kling video given by its ID (generated in the last 30 days) or by a public URL. */
export function klingVideoFields(urlHint: string): INodeProperties[] {
	return [
		{
			displayName: 'Video',
			name: 'videoSource',
			type: 'options',
			options: [
				{ name: 'Kling Video ID', value: 'id', description: 'A video Kling generated in the last 30 days' },
				{ name: 'Video URL', value: 'url', description: urlHint },
			],
			default: 'id',
		},
		{
			displayName: 'Video ID',
			name: 'video',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 867283741759111202',
			displayOptions: { show: { videoSource: ['id'] } },
		},
		{
			displayName: 'Video URL',
			name: 'video',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/clip.mp4',
			displayOptions: { show: { videoSource: ['url'] } },
		},
	];
}

/** `{ video_id }` or `{ video_url }`, as the Video fields say. */
export function klingVideoBody(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const source = context.getNodeParameter('videoSource', itemIndex) as 'id' | 'url';
	const video = String(context.getNodeParameter('video', itemIndex, '')).trim();
	return { [source === 'id' ? 'video_id' : 'video_url']: video };
}

/** A Kling voice for spoken text (Text to Speech, Lip Sync); `show` limits where they appear. */
export function voiceFields(show?: IDataObject): INodeProperties[] {
	const displayOptions = show ? { show: show as Record<string, Array<string | boolean>> } : undefined;
	return [
		{
			displayName: 'Voice ID',
			name: 'voiceId',
			type: 'string',
			default: '',
			required: true,
			description: 'A preset or custom voice from Kling’s voice list',
			displayOptions,
		},
		{
			displayName: 'Voice Language',
			name: 'voiceLanguage',
			type: 'options',
			options: [
				{ name: 'English', value: 'en' },
				{ name: 'Chinese', value: 'zh' },
			],
			default: 'en',
			displayOptions,
		},
		{
			displayName: 'Voice Speed',
			name: 'voiceSpeed',
			type: 'number',
			typeOptions: { minValue: 0.8, maxValue: 2, numberPrecision: 1 },
			default: 1,
			displayOptions,
		},
	];
}

export function voiceBody(context: IExecuteFunctions, itemIndex: number): IDataObject {
	return {
		voice_id: String(context.getNodeParameter('voiceId', itemIndex)).trim(),
		voice_language: context.getNodeParameter('voiceLanguage', itemIndex),
		voice_speed: context.getNodeParameter('voiceSpeed', itemIndex),
	};
}
