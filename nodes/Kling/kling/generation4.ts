/**
 * Kling's 4.0 generation (October–November 2026): Kling 4.0 video, Kling 4.0 Flash, Kling Image 4.0 and
 * Kling Long Image 4.0, one row each. These are the only place the node keeps 4.0 facts: the operations,
 * their checks before paying, the menus and the routes read them from here.
 *
 * No Kling page for 4.0 could be read; the rows follow what services that forward to Kling publish
 * (Comfy Router's schemas https://docs.comfy.org/router-schemas/kling/kling-4.0.json and model pages
 * https://docs.comfy.org/development/comfy-router/models/kling/kling-4-0, fal, WaveSpeed, Replicate,
 * Alibaba Cloud Model Studio). Where they disagree the node takes the reading that is safe under each
 * (docs/kling-4.md): nothing it relies on is required by one source and refused by another.
 */

export type Generation4Product = 'video' | 'image' | 'longImage';

/** How a 4.0 video request is read by Kling: from its inputs (Comfy Router's rule). */
export type Video4Mode = 'text-to-video' | 'image-to-video' | 'omni-video';

export interface Generation4Model {
	id: string;
	name: string;
	product: Generation4Product;
	description: string;
	/** Characters: a hard limit, and the lower one for text that is not English (a warning only). */
	promptMax: number;
	promptMaxNonEnglish: number;
	/** Seconds, whole numbers (video). */
	durations?: { min: number; max: number };
	/** Values offered in the menu. */
	resolutions: readonly string[];
	/** Values offered as opt-in: sent as they are, Kling decides (4K and HDR are not confirmed for every account). */
	optInResolutions?: readonly string[];
	aspectRatios: readonly string[];
	/** Video inputs beyond a prompt; Flash takes more only where the credential says the provider does. */
	inputs?: 'all' | 'textOnly';
	/** The poll schedule (POLL_SCHEDULE) this model's tasks start from, before this process has seen any end. */
	schedule: 'slowVideo' | 'fastVideo' | 'image4';
}

export const GENERATION4_MODELS = [
	{
		id: 'kling-4.0',
		name: 'Kling 4.0',
		product: 'video',
		description: '3–30 s, 720p or 1080p, stereo sound always on; text, up to 10 keyframes, references or a video to edit',
		promptMax: 26_000,
		promptMaxNonEnglish: 11_000,
		durations: { min: 3, max: 30 },
		resolutions: ['720p', '1080p'],
		optInResolutions: ['4k', '1080p HDR', '4k HDR'],
		aspectRatios: ['16:9', '9:16', '1:1', '21:9', '4:3', '3:4'],
		inputs: 'all',
		schedule: 'slowVideo',
	},
	{
		id: 'kling-4.0-flash',
		name: 'Kling 4.0 Flash',
		product: 'video',
		description: 'Faster and cheaper: 3–20 s at 720p, from text',
		promptMax: 26_000,
		promptMaxNonEnglish: 11_000,
		durations: { min: 3, max: 20 },
		resolutions: ['720p'],
		aspectRatios: ['16:9', '9:16', '1:1', '21:9', '4:3', '3:4'],
		inputs: 'textOnly',
		schedule: 'fastVideo',
	},
	{
		id: 'kling-image-4.0',
		name: 'Kling Image 4.0',
		product: 'image',
		description: '2K, 4K or native 8K; up to 10 reference images and elements; single images or a series of 2–10',
		promptMax: 50_000,
		promptMaxNonEnglish: 21_000,
		resolutions: ['2k', '4k', '8k'],
		aspectRatios: ['auto', '16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3', '21:9'],
		schedule: 'image4',
	},
	{
		id: 'kling-long-image-4.0',
		name: 'Kling Long Image 4.0',
		product: 'longImage',
		description: 'A long web page or e-commerce detail image from a prompt and up to 3 reference images',
		promptMax: 166_000,
		promptMaxNonEnglish: 71_000,
		resolutions: ['1k', '2k'],
		aspectRatios: [],
		schedule: 'image4',
	},
] as const satisfies readonly Generation4Model[];

const MODELS: readonly Generation4Model[] = GENERATION4_MODELS;

/** Limits of one 4.0 request (Comfy Router's schema; fal and WaveSpeed agree on the counts). */
export const GENERATION4_LIMITS = Object.freeze({
	/** contents[] items, prompt included. */
	contents: 16,
	/** Frames of every kind plus reference images. */
	images: 10,
	middleFrames: 8,
	/** Reference videos plus the video to edit. */
	videos: 5,
	videoTotalSeconds: 30,
	videoSeconds: { min: 3, max: 30 },
	elements: 7,
	voices: 3,
	imageBytes: 30 * 1024 * 1024,
	videoBytes: 300 * 1024 * 1024,
	/** Image 4.0: reference images and elements together. */
	imageReferences: 10,
	imageCount: { min: 1, max: 9 },
	seriesAmount: { min: 2, max: 10 },
	/** Long Image 4.0, skill e-commerce: product photos. */
	productPhotos: { min: 1, max: 3 },
});

export const GENERATION4_DEFAULTS = Object.freeze({
	/** The create route per product; `{mode}` is the video's mode, `{model}` the model id. Overridable in the credential. */
	videoRoute: '/{mode}/{model}',
	imageRoute: '/omni-image/{model}',
	videoModel: 'kling-4.0',
	duration: 5,
	/** Minutes: 4.0 videos take 5–15 minutes (Oxen, Replicate). */
	timeoutMinutes: 30,
});

/** The operations that create 4.0 tasks (their default Timeout is GENERATION4_DEFAULTS.timeoutMinutes). */
export const GENERATION4_OPERATIONS: readonly string[] = ['kling4Video', 'kling4Reference', 'kling4Edit', 'image4', 'longImage4'];

export function findGeneration4Model(id: string): Generation4Model | undefined {
	return MODELS.find((model) => model.id === id);
}

export const generation4Models = (product: Generation4Product): Generation4Model[] => MODELS.filter((model) => model.product === product);

export const isGeneration4Model = (id: string) => findGeneration4Model(id) !== undefined;
