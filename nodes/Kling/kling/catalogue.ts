import type { Generation4Product } from './generation4';
import type { VideoProduct } from './models';

/**
 * What the node knows about each of Kling's task routes, one entry per family (https://kling.ai/document-api/llms.txt).
 * Every other module reads these facts from here instead of re-deriving them from the path text:
 * the Task Type list, the resource-pack pool a task counts against, its poll schedule, the kind of
 * callback Kling posts for it, the new-API product it maps to and any reseller route quirk. A fact
 * left out of an entry fails to compile (`satisfies Record<FamilyKey, RouteFacts>`).
 */

/** The resource pack a task draws on: Kling limits running tasks per account × model × pack (§1.12). */
export type PackType = 'image' | 'tryOn' | 'video' | 'audio';
/** Which poll schedule of POLL_SCHEDULE a task follows. */
export type PollScheduleKey = PackType | 'general';
/** What a finished task carries. */
export type ResultKind = 'image' | 'video' | 'audio' | 'element' | 'voice';
/** The `kind` of a callback body in the legacy shape. */
export type CallbackKind = 'image' | 'video' | 'audio';

export interface RouteFacts {
	/** The legacy route: submit (POST), read (`GET path/id`) and list (`GET path`) share it. */
	path: string;
	/** The Task Type label in the editor. */
	label: string;
	pack: PackType;
	poll: PollScheduleKey;
	/** The callback bodies of this family, by their `kind` (Kling Trigger looks it up here first). */
	callbackKinds: readonly CallbackKind[];
	/**
	 * Kling takes `external_task_id` and `callback_url` on submit. 'credential': not confirmed by Kling
	 * (4.0), sent only where the credential says the host takes it; the node stays correct without.
	 */
	externalTaskId: boolean | 'credential';
	callbackUrl: boolean | 'credential';
	results: readonly ResultKind[];
	/** On Kling's new API too: the product whose route is `newPath/<model>` (https://kling.ai/document-api/api/video/3-0-omni/text-to-video). */
	newStandard?: { product: VideoProduct; newPath: string };
	/** A reseller quirk chosen in the credential: `credentialField === value` sends to `path` with renamed fields. */
	resellerRoute?: { credentialField: string; value: string; path: string; renameFields: Record<string, string> };
	/** Kept for reading tasks made before Kling retired the route. */
	retired?: boolean;
	/**
	 * Kling's 4.0 generation: the family is named by the node (`path` is not a Kling route). Tasks are
	 * created at the credential's 4.0 route template in the new API's `contents/settings/options` shape,
	 * read and listed through /tasks (https://kling.ai/document-api/api/video/3-0-omni/text-to-video).
	 */
	generation4?: Generation4Product;
}

const task = { externalTaskId: true, callbackUrl: true } as const;
const image = { ...task, pack: 'image', poll: 'image', callbackKinds: ['image'], results: ['image'] } as const;
const video = { ...task, pack: 'video', poll: 'video', callbackKinds: ['video'], results: ['video'] } as const;
const audio = { ...task, pack: 'audio', poll: 'audio', callbackKinds: ['audio'], results: ['audio'] } as const;
const generation4 = { externalTaskId: 'credential', callbackUrl: 'credential', callbackKinds: [] } as const;
const general = { ...task, pack: 'video', poll: 'general', callbackKinds: [] } as const;

export const KLING_ROUTES = {
	imageGenerate: { ...image, path: '/v1/images/generations', label: 'Image: Generate' },
	imageMultiImage: {
		...image,
		path: '/v1/images/multi-image2image',
		label: 'Image: Multi-Image to Image',
		// CometAPI's older pages send it to /images/generations with the misspelled "scence_image".
		resellerRoute: {
			credentialField: 'multiImageRoute',
			value: 'legacyGenerations',
			path: '/v1/images/generations',
			renameFields: { scene_image: 'scence_image' },
		},
	},
	imageTryOn: { ...image, pack: 'tryOn', poll: 'tryOn', path: '/v1/images/kolors-virtual-try-on', label: 'Image: Virtual Try-On' },
	imageExpand: { ...image, path: '/v1/images/editing/expand', label: 'Image: Expand' },
	imageOmni: { ...image, path: '/v1/images/omni-image', label: 'Image: Omni Image' },
	// New-API tasks of any product are read through /tasks; callbacks of that shape are told apart by their body.
	newApiTasks: { ...video, callbackKinds: [], path: '/tasks', label: 'Video: Any Model on the New API' },
	videoText: {
		...video,
		path: '/v1/videos/text2video',
		label: 'Video: Text to Video',
		newStandard: { product: 'textToVideo', newPath: '/text-to-video' },
	},
	videoImage: {
		...video,
		path: '/v1/videos/image2video',
		label: 'Video: Image to Video',
		newStandard: { product: 'imageToVideo', newPath: '/image-to-video' },
	},
	videoMultiImage: { ...video, path: '/v1/videos/multi-image2video', label: 'Video: Multi-Image to Video (Retired)', retired: true },
	videoExtend: { ...video, path: '/v1/videos/video-extend', label: 'Video: Extend (Retired)', retired: true },
	videoAdvancedLipSync: { ...video, path: '/v1/videos/advanced-lip-sync', label: 'Video: Lip Sync' },
	videoLipSync: { ...video, path: '/v1/videos/lip-sync', label: 'Video: Lip Sync (Legacy)' },
	videoEffects: { ...video, path: '/v1/videos/effects', label: 'Video: Effects' },
	videoAvatar: { ...video, path: '/v1/videos/avatar/image2video', label: 'Video: Avatar' },
	videoOmni: {
		...video,
		path: '/v1/videos/omni-video',
		label: 'Video: Omni Video',
		newStandard: { product: 'omniVideo', newPath: '/omni-video' },
	},
	videoMotionControl: {
		...video,
		path: '/v1/videos/motion-control',
		label: 'Video: Motion Control',
		newStandard: { product: 'motionControl', newPath: '/motion-control' },
	},
	audioFromText: { ...audio, path: '/v1/audio/text-to-audio', label: 'Audio: Text to Audio' },
	// A video-to-audio callback may say either kind: it carries the dubbed video and the audio.
	audioFromVideo: { ...audio, callbackKinds: ['video', 'audio'], results: ['video', 'audio'], path: '/v1/audio/video-to-audio', label: 'Audio: Video to Audio' },
	multiElementVideo: { ...video, path: '/v1/videos/multi-elements', label: 'Multi-Element Edit: Create Video' },
	// Kling 4.0 (kling/generation4.ts): one family per product, read through /tasks.
	video4: { ...video, ...generation4, path: '/kling-4/video', label: 'Video: Kling 4.0', generation4: 'video' },
	// Image 4.0 takes about 45 s for one 2K image and minutes for a series or 8K (Replicate): checked like a video.
	image4: { ...image, ...generation4, poll: 'video', path: '/kling-4/image', label: 'Image: Kling Image 4.0', generation4: 'image' },
	longImage4: { ...image, ...generation4, poll: 'video', path: '/kling-4/long-image', label: 'Image: Kling Long Image 4.0', generation4: 'longImage' },
	// Text to Speech has no task route: it answers at once (https://kling.ai/document-api/api/video/avatar/text-to-speech).
	elementCreate: { ...general, results: ['element'], path: '/v1/general/advanced-custom-elements', label: 'Element: Create' },
	elementViews: { ...general, results: ['image'], path: '/v1/general/ai-multi-shot', label: 'Element: Generate Views' },
	voiceCreate: { ...general, results: ['voice'], path: '/v1/general/custom-voices', label: 'Voice: Create' },
} as const satisfies Record<string, RouteFacts>;

export type FamilyKey = keyof typeof KLING_ROUTES;
/** A task route the catalogue knows; an operation's `taskPath` must be one. */
export type TaskPath = (typeof KLING_ROUTES)[FamilyKey]['path'];

const ROUTES: Record<FamilyKey, RouteFacts> = KLING_ROUTES;
export const FAMILY_KEYS = Object.keys(ROUTES) as FamilyKey[];

const BY_PATH = new Map<string, RouteFacts>(FAMILY_KEYS.map((key) => [ROUTES[key].path, ROUTES[key]]));

/** The facts of a task route; undefined for a route the catalogue does not know (a new-API create route). */
export const routeFactsOf = (path: string): RouteFacts | undefined => BY_PATH.get(path);

/** Every family in the editor's order. */
export const routeFacts = (): RouteFacts[] => FAMILY_KEYS.map((key) => ROUTES[key]);

/** The new-API product routes, e.g. textToVideo → /text-to-video (https://kling.ai/document-api/api/video/3-0-omni/text-to-video). */
export const NEW_PRODUCT_PATH = Object.fromEntries(
	routeFacts().flatMap((facts) => (facts.newStandard ? [[facts.newStandard.product, facts.newStandard.newPath]] : [])),
) as Record<VideoProduct, string>;
