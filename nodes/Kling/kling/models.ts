/**
 * Kling's video models, one row each (https://kling.ai/document-api/guides/capability-map/video, docs of 2026-09-20): which products a
 * model has, on which API standard, with which resolutions, durations and features, and when it
 * was retired. Menus, defaults and the checks before paying all read this table; a new model is a
 * new row. A model that is not here (typed in, or set by an expression) is sent as it is.
 */
export type VideoProduct = 'textToVideo' | 'imageToVideo' | 'omniVideo' | 'motionControl';
export type Resolution = '720p' | '1080p' | '4k';
export type ApiStandard = 'legacy' | 'new';

export interface ProductCapabilities {
	resolutions: readonly Resolution[];
	/** Seconds; empty when the output follows an input video (motion control). */
	durations: readonly number[];
	promptMaxLength: number;
	/** Last frame (legacy `image_tail`, new `last_frame`). */
	endFrame?: { needs1080p?: boolean; silent?: boolean };
	/** Native audio that can be switched on (legacy `sound: on`, new `settings.audio: native`). */
	sound?: { needs1080p?: boolean };
	/** Audio is always generated; there is no switch. */
	soundAlwaysOn?: boolean;
	/** Voices bound in the prompt (legacy `voice_list`, new `voice` contents). */
	maxVoices?: number;
	multiShot?: boolean;
	maxElements?: number;
	/** Omni: audio of a reference video may be kept (`original`). */
	originalAudio?: boolean;
}

export interface VideoModel {
	/** What the node sends as the model: the legacy `model_name` where one exists, else the new path id. */
	id: string;
	name: string;
	/** Path segment on the new-standard API, e.g. "kling-3.0"; absent = legacy routes only. */
	newPath?: string;
	/** `model_name` on the legacy `/v1/videos/*` routes; absent = new API only. */
	legacyName?: string;
	products: Partial<Record<VideoProduct, ProductCapabilities>>;
	/** Retirement date (YYYY-MM-DD); a retired model leaves the menus and is sent unchecked. */
	endOfLife?: string;
	/** The default for these products. */
	recommendedFor?: readonly VideoProduct[];
}

const HD: readonly Resolution[] = ['720p', '1080p'];
const HD_4K: readonly Resolution[] = ['720p', '1080p', '4k'];
const THREE_TO_FIFTEEN = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
const THREE_TO_TEN = [3, 4, 5, 6, 7, 8, 9, 10];
const FIVE_TEN = [5, 10];

export const VIDEO_MODEL_TABLE: readonly VideoModel[] = [
	{
		id: 'kling-3.0-turbo',
		name: 'Kling 3.0 Turbo',
		newPath: 'kling-3.0-turbo',
		products: {
			textToVideo: { resolutions: HD, durations: THREE_TO_FIFTEEN, promptMaxLength: 3072, soundAlwaysOn: true },
			imageToVideo: { resolutions: HD, durations: THREE_TO_FIFTEEN, promptMaxLength: 2500, soundAlwaysOn: true },
		},
	},
	{
		id: 'kling-v3',
		name: 'Kling 3.0',
		newPath: 'kling-3.0',
		legacyName: 'kling-v3',
		recommendedFor: ['textToVideo', 'imageToVideo', 'motionControl'],
		products: {
			textToVideo: { resolutions: HD_4K, durations: THREE_TO_FIFTEEN, promptMaxLength: 3072, sound: {}, multiShot: true },
			imageToVideo: {
				resolutions: HD_4K,
				durations: THREE_TO_FIFTEEN,
				promptMaxLength: 3072,
				endFrame: {},
				sound: {},
				multiShot: true,
				maxElements: 3,
			},
			motionControl: { resolutions: HD, durations: [], promptMaxLength: 2500, maxElements: 1 },
		},
	},
	{
		id: 'kling-v3-omni',
		name: 'Kling 3.0 Omni',
		newPath: 'kling-3.0-omni',
		legacyName: 'kling-v3-omni',
		recommendedFor: ['omniVideo'],
		products: {
			omniVideo: {
				resolutions: HD_4K,
				durations: THREE_TO_FIFTEEN,
				promptMaxLength: 3072,
				endFrame: {},
				sound: {},
				originalAudio: true,
				multiShot: true,
				maxElements: 7,
			},
		},
	},
	{
		id: 'kling-video-o1',
		name: 'Kling O1',
		newPath: 'kling-o1',
		legacyName: 'kling-video-o1',
		products: {
			omniVideo: { resolutions: HD, durations: THREE_TO_TEN, promptMaxLength: 2500, endFrame: {}, originalAudio: true, maxElements: 7 },
		},
	},
	{
		id: 'kling-v2-6',
		name: 'Kling 2.6',
		newPath: 'kling-2.6',
		legacyName: 'kling-v2-6',
		products: {
			textToVideo: { resolutions: HD, durations: FIVE_TEN, promptMaxLength: 2500, sound: { needs1080p: true } },
			imageToVideo: {
				resolutions: HD,
				durations: FIVE_TEN,
				promptMaxLength: 2500,
				endFrame: { needs1080p: true, silent: true },
				sound: { needs1080p: true },
				maxVoices: 2,
			},
			motionControl: { resolutions: HD, durations: [], promptMaxLength: 2500 },
		},
	},
	{
		id: 'kling-v2-5-turbo',
		name: 'Kling 2.5 Turbo',
		newPath: 'kling-2.5-turbo',
		legacyName: 'kling-v2-5-turbo',
		products: {
			textToVideo: { resolutions: HD, durations: FIVE_TEN, promptMaxLength: 2500 },
			imageToVideo: { resolutions: HD, durations: FIVE_TEN, promptMaxLength: 2500, endFrame: { needs1080p: true } },
		},
	},
	// Retired: kept so the menus can prove they offer none of them, and for the README's table.
	{ id: 'kling-v2-1-master', name: 'Kling 2.1 Master', legacyName: 'kling-v2-1-master', endOfLife: '2026-09-15', products: {} },
	{ id: 'kling-v2-1', name: 'Kling 2.1', legacyName: 'kling-v2-1', endOfLife: '2026-09-15', products: {} },
	{ id: 'kling-v1-6', name: 'Kling 1.6', legacyName: 'kling-v1-6', endOfLife: '2026-09-15', products: {} },
	{ id: 'kling-v1-5', name: 'Kling 1.5', legacyName: 'kling-v1-5', endOfLife: '2026-09-15', products: {} },
	{ id: 'kling-v1', name: 'Kling 1.0', legacyName: 'kling-v1', endOfLife: '2026-09-15', products: {} },
];

const today = () => new Date().toISOString().slice(0, 10);

export const isRetired = (model: VideoModel, on = today()) => model.endOfLife !== undefined && model.endOfLife <= on;

/** The model row for an id the user picked or typed: matched by id, legacy name or new path. */
export function findVideoModel(id: string): VideoModel | undefined {
	return VIDEO_MODEL_TABLE.find((model) => model.id === id || model.legacyName === id || model.newPath === id);
}

/** Current models with this product, for menus (no retired model is ever offered). */
export function currentModels(product: VideoProduct, on = today()): VideoModel[] {
	return VIDEO_MODEL_TABLE.filter((model) => model.products[product] && !isRetired(model, on));
}

export function defaultModel(product: VideoProduct): string {
	const models = currentModels(product);
	return (models.find((model) => model.recommendedFor?.includes(product)) ?? models[0]).id;
}

export function capabilitiesOf(id: string, product: VideoProduct): ProductCapabilities | undefined {
	const model = findVideoModel(id);
	return model && !isRetired(model) ? model.products[product] : undefined;
}

/** Legacy `mode` ↔ new `resolution` (Kling bills std as 720p and pro as 1080p). */
export const RESOLUTION_OF_MODE: Record<string, Resolution> = { std: '720p', pro: '1080p', '4k': '4k' };

/**
 * Kling's image models (https://kling.ai/document-api/guides/capability-map/video; all on the legacy `/v1/images/...` routes), with the
 * endpoints that take each one. Same policy as the video table: retired models leave the menus,
 * and any other ID can be typed in.
 */
export type ImageEndpoint = 'generations' | 'multiImageToImage' | 'omniImage';

export interface ImageModel {
	id: string;
	name: string;
	endpoints: readonly ImageEndpoint[];
	endOfLife?: string;
	recommendedFor?: readonly ImageEndpoint[];
	/** Absent from the current docs: kept out of the menus, still accepted when typed (https://kling.ai/document-api/llms.txt Q6). */
	undocumented?: boolean;
}

export const IMAGE_MODEL_TABLE: readonly ImageModel[] = [
	{ id: 'kling-v3', name: 'Kling Image 3.0', endpoints: ['generations'] },
	{ id: 'kling-v3-omni', name: 'Kling Image 3.0 Omni', endpoints: ['omniImage'] },
	{ id: 'kling-image-o1', name: 'Kling Image O1', endpoints: ['omniImage'], recommendedFor: ['omniImage'] },
	// The default of Generate: the only current model with image-to-image subject/face reference and fidelities.
	{ id: 'kling-v2-1', name: 'Kling Image 2.1', endpoints: ['generations', 'multiImageToImage'], recommendedFor: ['generations', 'multiImageToImage'] },
	{ id: 'kling-v2-new', name: 'Kling 2.0 Restyle', endpoints: ['generations'], undocumented: true },
	{ id: 'kling-v2', name: 'Kling Image 2.0', endpoints: ['generations', 'multiImageToImage'], endOfLife: '2026-09-15' },
	{ id: 'kling-v1-5', name: 'Kling Image 1.5', endpoints: ['generations'], endOfLife: '2026-09-15' },
	{ id: 'kling-v1', name: 'Kling Image 1.0', endpoints: ['generations'], endOfLife: '2026-09-15' },
];

export function currentImageModels(endpoint: ImageEndpoint, on = today()): ImageModel[] {
	return IMAGE_MODEL_TABLE.filter(
		(model) => model.endpoints.includes(endpoint) && !model.undocumented && !(model.endOfLife !== undefined && model.endOfLife <= on),
	);
}

export function defaultImageModel(endpoint: ImageEndpoint): string {
	const models = currentImageModels(endpoint);
	return (models.find((model) => model.recommendedFor?.includes(endpoint)) ?? models[0]).id;
}

/** Virtual try-on models (https://kling.ai/document-api/llms.txt), in menu order: the menu and the check before paying read this table. */
export const TRY_ON_MODEL_TABLE: ReadonlyArray<{ id: string; name: string; description: string }> = [
	{ id: 'kolors-virtual-try-on-v1', name: 'Kolors Virtual Try-On V1 (Runs on Try-On 3.0)', description: 'One garment; since 2026-09-15 Kling runs this name on its Try-On 3.0 pipeline' },
	{
		id: 'kolors-virtual-try-on-v1-5',
		name: 'Kolors Virtual Try-On V1.5 (Runs on Try-On 3.0)',
		description: 'Also an upper and a lower garment stitched into one image; runs on Try-On 3.0 since 2026-09-15',
	},
];

/** The name a user sees for a model id ("Kling 2.6" for kling-v2-6); an id the tables do not know is quoted as typed. */
export function modelLabel(id: string, kind: 'video' | 'image' = 'video'): string {
	const image = IMAGE_MODEL_TABLE.find((model) => model.id === id)?.name;
	const video = findVideoModel(id)?.name;
	return (kind === 'image' ? (image ?? video) : (video ?? image)) ?? `"${id}"`;
}

/** What the Resolution field shows for a legacy `mode` value. */
export const RESOLUTION_LABEL: Record<string, string> = { std: '720p (Standard)', pro: '1080p (Professional)', '4k': '4K' };

export const resolutionLabel = (mode: string) => RESOLUTION_LABEL[mode] ?? `"${mode}"`;
