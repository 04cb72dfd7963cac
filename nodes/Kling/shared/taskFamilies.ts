import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidInput } from './errors';

/** Every Kling task family: its route (submit, get and list share it) and a label for the editor. */
export const TASK_FAMILIES = [
	{ path: '/v1/images/generations', name: 'Image: Generate' },
	{ path: '/v1/images/multi-image2image', name: 'Image: Multi-Image to Image' },
	{ path: '/v1/images/kolors-virtual-try-on', name: 'Image: Virtual Try-On' },
	{ path: '/v1/images/editing/expand', name: 'Image: Expand' },
	{ path: '/v1/images/omni-image', name: 'Image: Omni Image' },
	{ path: '/tasks', name: 'Video: Any Model on the New API' },
	{ path: '/v1/videos/text2video', name: 'Video: Text to Video' },
	{ path: '/v1/videos/image2video', name: 'Video: Image to Video' },
	{ path: '/v1/videos/multi-image2video', name: 'Video: Multi-Image to Video (Retired)' },
	{ path: '/v1/videos/video-extend', name: 'Video: Extend (Retired)' },
	{ path: '/v1/videos/advanced-lip-sync', name: 'Video: Lip Sync' },
	{ path: '/v1/videos/lip-sync', name: 'Video: Lip Sync (Legacy)' },
	{ path: '/v1/videos/effects', name: 'Video: Effects' },
	{ path: '/v1/videos/avatar/image2video', name: 'Video: Avatar' },
	{ path: '/v1/videos/omni-video', name: 'Video: Omni Video' },
	{ path: '/v1/videos/motion-control', name: 'Video: Motion Control' },
	{ path: '/v1/audio/text-to-audio', name: 'Audio: Text to Audio' },
	{ path: '/v1/audio/video-to-audio', name: 'Audio: Video to Audio' },
	{ path: '/v1/videos/multi-elements', name: 'Multi-Element Edit: Create Video' },
	// Text to Speech has no task route: it answers at once (https://kling.ai/document-api/api/video/avatar/text-to-speech).
	{ path: '/v1/general/advanced-custom-elements', name: 'Element: Create' },
	{ path: '/v1/general/ai-multi-shot', name: 'Element: Generate Views' },
	{ path: '/v1/general/custom-voices', name: 'Voice: Create' },
] as const;

const defaultFamily = TASK_FAMILIES[0].path;

export const taskFamilyField: INodeProperties = {
	displayName: 'Task Type',
	name: 'taskFamily',
	type: 'options',
	options: TASK_FAMILIES.map((family) => ({ name: family.name, value: family.path, description: family.path })),
	default: defaultFamily,
	description: 'The operation that created the task; Kling keeps each kind of task under its own route',
};

const FAMILY_PATHS: readonly string[] = TASK_FAMILIES.map((family) => family.path);

/** The Task Type of one item: one of the known families (set by expression, it could be anything). */
export function taskFamilyOf(this: IExecuteFunctions, itemIndex: number): string {
	const value = this.getNodeParameter('taskFamily', itemIndex) as unknown;
	const family = typeof value === 'string' ? value.trim() : '';
	if (FAMILY_PATHS.includes(family)) return family;
	const shown = typeof value === 'string' ? `"${value.length > 120 ? `${value.slice(0, 120)}…` : value}"` : String(value);
	throw invalidInput(
		this.getNode(),
		`Invalid input: "Task Type" is ${shown}; it must be one of the task types of the list, e.g. "${FAMILY_PATHS[0]}"`,
		itemIndex,
		`Task types: ${FAMILY_PATHS.join(', ')}. Nothing was sent to Kling.`,
	);
}
