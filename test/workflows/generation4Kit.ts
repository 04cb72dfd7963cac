/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:assert runs outside n8n */
/**
 * What the Kling 4.0 workflow tests share: the products (parameters, route and the exact body Kling must
 * receive), the alternatives of the open questions, and helpers bound to the file's emulator.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import type { Behaviour, KlingEmulator } from '../support/emulator/kling-emulator';
import { credentialsFor, networkFor, pngItem } from '../support/fixtures';
import { runKling } from '../support/harness/n8n';

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
export const wait = { pollIntervalSeconds: 0.05, timeoutMinutes: 0.5 };

/** Helpers for the emulator a test file starts (read through `emulator()` when a test runs). */
export function generation4Kit(emulator: () => KlingEmulator) {
	const setBehaviour = (behaviour: Partial<Behaviour>) => Object.assign(emulator().behaviour, behaviour);
	const credentials = (overrides: IDataObject = {}) => credentialsFor('beijing', emulator(), overrides);
	/** Every binary of the item equals a file of the emulator's task, in order. */
	const assertFilesByteEqual = (result: Awaited<ReturnType<typeof runKling>>) => {
		const [task] = emulator().createdTasks();
		const probe = result.probed[0].json.probe as Record<string, { sha256: string }>;
		const names = Object.keys(probe).sort((a, b) => (a === 'data' ? -1 : b === 'data' ? 1 : Number(a.split('_')[1]) - Number(b.split('_')[1])));
		assert.equal(names.length, task.files.length, 'one binary per result file');
		names.forEach((name, index) => assert.equal(probe[name].sha256, sha256(task.files[index].bytes), name));
	};
	const run = (parameters: IDataObject, options: { credentials?: IDataObject; items?: ReturnType<typeof pngItem>[]; continueOnFail?: boolean; timing?: IDataObject } = {}) =>
		runKling({
			parameters: { waitOptions: wait, ...parameters },
			credentials: credentials(options.credentials),
			network: networkFor(emulator()),
			items: options.items,
			continueOnFail: options.continueOnFail,
			timing: options.timing,
		});
	return { setBehaviour, credentials, assertFilesByteEqual, run };
}

export const PRODUCTS: Array<{ name: string; parameters: IDataObject; items?: () => ReturnType<typeof pngItem>[]; path: (alt: { video: string; image: string }) => string; body: IDataObject }> = [
	{
		name: 'Kling 4.0 text to video',
		parameters: { resource: 'video', operation: 'kling4Video', prompt: 'A fox runs through snow. Then the camera rises.', duration: 12, resolution: '1080p' },
		path: (alt) => alt.video.replace('{mode}', 'text-to-video').replace('{model}', 'kling-4.0'),
		body: { prompt: 'A fox runs through snow. Then the camera rises.', settings: { duration: 12, resolution: '1080p', aspect_ratio: '16:9' } },
	},
	{
		name: 'Kling 4.0 Flash text to video',
		parameters: { resource: 'video', operation: 'kling4Video', model: 'kling-4.0-flash', prompt: 'Neon alley in the rain', duration: 20, resolution: '720p', options: { aspectRatio: '21:9' } },
		path: (alt) => alt.video.replace('{mode}', 'text-to-video').replace('{model}', 'kling-4.0-flash'),
		body: { prompt: 'Neon alley in the rain', settings: { duration: 20, resolution: '720p', aspect_ratio: '21:9' } },
	},
	{
		name: 'Kling 4.0 keyframes to video (first, middle, last)',
		parameters: {
			resource: 'video',
			operation: 'kling4Video',
			prompt: 'From @first through @middle1 to @last',
			duration: 10,
			resolution: '720p',
			firstFrameSource: 'binary',
			firstFrame: 'first',
			middleFrames: { images: [{ source: 'binary', value: 'middle' }] },
			lastFrameSource: 'binary',
			lastFrame: 'last',
		},
		items: () => [pngItem({ first: { width: 640, height: 360 }, middle: { width: 640, height: 360 }, last: { width: 640, height: 360 } })],
		path: (alt) => alt.video.replace('{mode}', 'image-to-video').replace('{model}', 'kling-4.0'),
		body: {},
	},
	{
		name: 'Kling 4.0 reference to video (image, video, element, voice)',
		parameters: {
			resource: 'video',
			operation: 'kling4Reference',
			prompt: '@element1 walks into @image01 like in @video1, speaking with @voice1',
			referenceImages: { images: [{ source: 'url', value: 'https://cdn.example.com/room.png' }] },
			referenceVideos: { videos: [{ url: 'https://cdn.example.com/walk.mp4' }] },
			elementIds: '123456',
			voiceIds: '829376',
			duration: 8,
			resolution: '720p',
		},
		path: (alt) => alt.video.replace('{mode}', 'omni-video').replace('{model}', 'kling-4.0'),
		body: {
			contents: [
				{ type: 'prompt', text: '@element1 walks into @image01 like in @video1, speaking with @voice1' },
				{ type: 'refer_image', url: 'https://cdn.example.com/room.png', id: 'image01' },
				{ type: 'element', element_id: '123456', id: 'element1' },
				{ type: 'voice', voice_id: '829376', id: 'voice1' },
				{ type: 'feature_video', url: 'https://cdn.example.com/walk.mp4', id: 'video1' },
			],
			settings: { duration: 8, resolution: '720p' },
		},
	},
	{
		name: 'Kling 4.0 edit video',
		parameters: { resource: 'video', operation: 'kling4Edit', videoUrl: 'https://cdn.example.com/clip.mp4', prompt: 'Make @base look like winter', resolution: '720p' },
		path: (alt) => alt.video.replace('{mode}', 'omni-video').replace('{model}', 'kling-4.0'),
		body: {
			contents: [
				{ type: 'prompt', text: 'Make @base look like winter' },
				{ type: 'base_video', url: 'https://cdn.example.com/clip.mp4', id: 'base' },
			],
			settings: { resolution: '720p' },
		},
	},
	{
		name: 'Kling Image 4.0 series',
		parameters: { resource: 'image', operation: 'image4', prompt: 'A four-panel comic of a cat', resultType: 'series', seriesAmount: '4', resolution: '2k', aspectRatio: '1:1' },
		path: (alt) => alt.image.replace('{model}', 'kling-image-4.0'),
		body: {
			contents: [{ type: 'prompt', text: 'A four-panel comic of a cat' }],
			settings: { aspect_ratio: '1:1', resolution: '2k', result_type: 'series', series_amount: 4 },
		},
	},
	{
		name: 'Kling Image 4.0 single images',
		parameters: { resource: 'image', operation: 'image4', prompt: 'A knitted fox', resultType: 'single', n: 2, resolution: '4k', aspectRatio: 'auto' },
		path: (alt) => alt.image.replace('{model}', 'kling-image-4.0'),
		body: { contents: [{ type: 'prompt', text: 'A knitted fox' }], settings: { resolution: '4k', result_type: 'single', n: 2 } },
	},
	{
		name: 'Kling Long Image 4.0 e-commerce',
		parameters: {
			resource: 'image',
			operation: 'longImage4',
			skill: 'ecommerce',
			prompt: 'A detail page for @image01; all text in English',
			productPhotos: { images: [{ source: 'url', value: 'https://cdn.example.com/mug.png' }] },
			length: 'short',
			resolution: '1k',
		},
		path: (alt) => alt.image.replace('{model}', 'kling-long-image-4.0'),
		body: {
			contents: [
				{ type: 'prompt', text: 'A detail page for @image01; all text in English' },
				{ type: 'refer_image', url: 'https://cdn.example.com/mug.png', id: 'image01' },
			],
			settings: { skill: 'ecommerce', resolution: '1k', length: 'short' },
		},
	},
];

export const ROUTES = [
	{ name: 'routes per mode (default)', behaviour: { kling4Paths: 'perMode', kling4ImagePaths: 'omniImage' }, credentials: {}, video: '/{mode}/{model}', image: '/omni-image/{model}' },
	{
		name: 'one video route and text-to-image (credential templates)',
		behaviour: { kling4Paths: 'unified', kling4ImagePaths: 'textToImage' },
		credentials: { generation4VideoRoute: '/video/{model}', generation4ImageRoute: '/text-to-image/{model}' },
		video: '/video/{model}',
		image: '/text-to-image/{model}',
	},
] as const;

export const ID_ALTERNATIVES = ['accept', 'refuse', 'ignore'] as const;

