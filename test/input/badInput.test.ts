/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import type { KlingEmulator } from '../support/emulator/kling-emulator';
import { makeJpegHeader, makePng } from '../support/emulator/media';
import { credentialsFor, networkFor, pngItem, startEmulator } from '../support/fixtures';
import { runKling } from '../support/harness/n8n';

let emulator: KlingEmulator;
before(async () => (emulator = await startEmulator()));
after(async () => await emulator.stop());
beforeEach(() => emulator.reset());

const binary = (property: string, bytes: Buffer, mimeType = 'image/png') => ({
	json: {},
	binary: { [property]: { base64: bytes.toString('base64'), mimeType, fileName: `${property}.bin` } },
});
const oversizePng = () => Buffer.concat([makePng(400, 400), Buffer.alloc(10 * 1024 * 1024)]);

const CASES: Array<[string, IDataObject, ReturnType<typeof binary>[] | undefined, RegExp]> = [
	['missing required field (a blank prompt)', { resource: 'image', operation: 'generate', prompt: '   ' }, undefined, /^Invalid input: Prompt is required\. Nothing was sent to Kling\.$/],
	['over-long prompt', { resource: 'video', operation: 'textToVideo', prompt: 'p'.repeat(3073) }, undefined, /Prompt is 3073 characters long; Kling 3\.0 text to video on the legacy routes allows at most 2500/],
	['wrong enum (an aspect ratio from an expression)', { resource: 'image', operation: 'generate', prompt: 'x', options: { aspectRatio: '={{ "5:4" }}' } }, undefined, /Aspect Ratio is "5:4"; Kling allows "16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9"/],
	['too many images', { resource: 'image', operation: 'multiImageToImage', subjectImages: { images: Array.from({ length: 5 }, () => ({ source: 'url', value: 'https://x.example/a.png' })) } }, undefined, /Subject Images has 5 entries; Kling allows at most 4/],
	['too few images', { resource: 'video', operation: 'multiImageToVideo', prompt: 'x', images: { images: [{ source: 'url', value: 'https://x.example/a.png' }] } }, undefined, /Images has 1 entry; Kling needs at least 2/],
	['oversize binary', { resource: 'image', operation: 'generate', prompt: 'x', imageSource: 'binary', image: 'big' }, [binary('big', oversizePng())], /Reference Image is 10\.0 MB; Kling allows at most 10 MB/],
	['non-image binary', { resource: 'image', operation: 'expand', image: 'doc', leftExpansion: 0.2 }, [binary('doc', Buffer.from('%PDF-1.7 not an image'), 'application/pdf')], /Image is not a JPEG or PNG image/],
	['image too small (JPEG header read)', { resource: 'image', operation: 'virtualTryOn', humanImage: 'p', clothImage: 'p' }, [binary('p', makeJpegHeader(200, 640), 'image/jpeg')], /Person Image is 200×640 px; Kling needs at least 300 px on each side/],
	['malformed Base64', { resource: 'video', operation: 'imageToVideo', imageSource: 'base64', image: 'abc$%^' }, undefined, /Start Frame Base64 is not valid Base64/],
	['unreachable binary property name', { resource: 'video', operation: 'imageToVideo', image: 'frame' }, [pngItem({ photo: {} })], /Start Frame should come from binary property "frame", which the input item does not have/],
];

describe('bad input is rejected before any request, naming the field', () => {
	for (const [label, parameters, items, message] of CASES) {
		test(label, async () => {
			const result = await runKling({ parameters, items, credentials: credentialsFor('singapore', emulator), network: networkFor(emulator) });
			const error = result.error('Kling');
			assert.ok(error, 'the node failed');
			assert.match(error.message, message);
			assert.equal(emulator.requests.length, 0, 'Kling received nothing');
		});
	}

	test('the binary property names available are listed when the one asked for is missing', async () => {
		const result = await runKling({
			parameters: { resource: 'video', operation: 'imageToVideo', image: 'frame' },
			items: [pngItem({ photo: {}, logo: {} })],
			credentials: credentialsFor('singapore', emulator),
			network: networkFor(emulator),
		});
		assert.match(String(result.error('Kling')?.description), /Binary properties on this item: photo, logo/);
	});
});

/**
 * Each bad input gets a message in the user's words: the field's label as the editor shows it, the
 * model's name, allowed values as the menus show them, and "Nothing was sent to Kling." — and Kling
 * receives no request at all, so no task exists and nothing is paid.
 */
const NOTHING_SENT = ' Nothing was sent to Kling.';
const url = 'https://x.example/frame.png';
const i2v = (parameters: IDataObject): IDataObject => ({ resource: 'video', operation: 'imageToVideo', imageSource: 'url', image: url, prompt: 'x', ...parameters });
const t2v = (parameters: IDataObject): IDataObject => ({ resource: 'video', operation: 'textToVideo', prompt: 'x', ...parameters });

const MESSAGE_TABLE: Array<{ input: string; preset?: 'singapore' | 'beijing'; parameters: IDataObject; items?: ReturnType<typeof binary>[]; message: string }> = [
	{
		input: 'Start Frame URL that is not http(s)',
		parameters: i2v({ image: 'ftp://x.example/frame.png' }),
		message: 'Invalid input: Start Frame URL must be an http(s) URL Kling can reach, got "ftp://x.example/frame.png".' + NOTHING_SENT,
	},
	{
		input: '4K on Kling 2.6',
		parameters: i2v({ model: 'kling-v2-6', mode: '4k', duration: '5' }),
		message: 'Invalid input: Resolution 4K is not available for Kling 2.6 image to video; allowed: 720p (Standard), 1080p (Professional).' + NOTHING_SENT,
	},
	{
		input: '15 s on Kling 2.6',
		parameters: t2v({ model: 'kling-v2-6', duration: '15' }),
		message: 'Invalid input: Duration 15 s is not available for Kling 2.6 text to video; allowed: 5, 10 s.' + NOTHING_SENT,
	},
	{
		input: 'sound on Kling 2.6 at 720p',
		parameters: t2v({ model: 'kling-v2-6', duration: '5', options: { sound: true } }),
		message: 'Invalid input: Sound on Kling 2.6 needs Resolution 1080p (Professional); got 720p (Standard).' + NOTHING_SENT,
	},
	{
		input: 'end frame on Kling 2.5 Turbo at 720p',
		parameters: i2v({ model: 'kling-v2-5-turbo', duration: '5', imageTailSource: 'url', imageTail: url }),
		message: 'Invalid input: An End Frame on Kling 2.5 Turbo needs Resolution 1080p (Professional); got 720p (Standard).' + NOTHING_SENT,
	},
	{
		input: 'multi-shot on Kling 2.6',
		parameters: t2v({ model: 'kling-v2-6', duration: '5', options: { multiShot: true, shotType: 'intelligence' } }),
		message: 'Invalid input: Multi-Shot is not available for Kling 2.6 text to video; models with multi-shot: Kling 3.0.' + NOTHING_SENT,
	},
	{
		input: '3000-character prompt on Kling 3.0 by the legacy route (AK/SK)',
		preset: 'singapore',
		parameters: t2v({ model: 'kling-v3', prompt: 'p'.repeat(3000) }),
		message: 'Invalid input: Prompt is 3000 characters long; Kling 3.0 text to video on the legacy routes allows at most 2500.' + NOTHING_SENT,
	},
	{
		input: '3073-character prompt on Kling 3.0 by the new API (API key)',
		preset: 'beijing',
		parameters: t2v({ model: 'kling-v3', prompt: 'p'.repeat(3073) }),
		message: 'Invalid input: Prompt is 3073 characters long; Kling 3.0 text to video on Kling’s new API allows at most 3072.' + NOTHING_SENT,
	},
	{
		input: 'blank prompt',
		parameters: { resource: 'image', operation: 'generate', prompt: '   ' },
		message: 'Invalid input: Prompt is required.' + NOTHING_SENT,
	},
	{
		input: 'aspect ratio from an expression',
		parameters: { resource: 'image', operation: 'generate', prompt: 'x', options: { aspectRatio: '={{ "5:4" }}' } },
		message: 'Invalid input: Aspect Ratio is "5:4"; Kling allows "16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9".' + NOTHING_SENT,
	},
	{
		input: 'five subject images',
		parameters: { resource: 'image', operation: 'multiImageToImage', subjectImages: { images: Array.from({ length: 5 }, () => ({ source: 'url', value: url })) } },
		message: 'Invalid input: Subject Images has 5 entries; Kling allows at most 4.' + NOTHING_SENT,
	},
	{
		input: 'Person Image too small (JPEG header)',
		parameters: { resource: 'image', operation: 'virtualTryOn', humanImage: 'p', clothImage: 'p' },
		items: [binary('p', makeJpegHeader(200, 640), 'image/jpeg')],
		message: 'Invalid input: Person Image is 200×640 px; Kling needs at least 300 px on each side.' + NOTHING_SENT,
	},
	{
		input: 'Start Frame Base64 that is not Base64',
		parameters: i2v({ imageSource: 'base64', image: 'abc$%^' }),
		message: 'Invalid input: Start Frame Base64 is not valid Base64.' + NOTHING_SENT,
	},
	{
		input: 'Reference Image over 10 MB',
		parameters: { resource: 'image', operation: 'generate', prompt: 'x', imageSource: 'binary', image: 'big' },
		items: [binary('big', oversizePng())],
		message: 'Invalid input: Reference Image is 10.0 MB; Kling allows at most 10 MB.' + NOTHING_SENT,
	},
	{
		input: 'Element ID that is not a number',
		parameters: i2v({ options: { elementIds: '12, abc' } }),
		message: 'Invalid input: Element IDs has "abc", which is not an element ID (a number).' + NOTHING_SENT,
	},
	{
		input: '4K on Kling O1 omni video',
		parameters: { resource: 'video', operation: 'omniVideo', model: 'kling-video-o1', prompt: 'x', mode: '4k', duration: '5', options: { aspectRatio: '16:9' } },
		message: 'Invalid input: Resolution 4K is not available for Kling O1 omni video; allowed: 720p (Standard), 1080p (Professional).' + NOTHING_SENT,
	},
];

describe('bad inputs get a message in the user’s words, and Kling receives nothing (0 tasks)', () => {
	for (const { input, preset, parameters, items, message } of MESSAGE_TABLE) {
		test(input, async () => {
			const result = await runKling({ parameters, items, credentials: credentialsFor(preset ?? 'singapore', emulator), network: networkFor(emulator) });
			const error = result.error('Kling');
			assert.ok(error, 'the node failed');
			assert.equal(error.message, message);
			assert.doesNotMatch(error.message, /"(image|image_tail|prompt|mode|duration|model_name|sound|multi_shot|aspect_ratio)"|kling-v|\b(std|pro)\b|"4k"/, 'no API field names or ids');
			assert.equal(emulator.requests.filter((request) => request.method === 'POST').length, 0, 'no POST reached Kling');
			assert.equal(emulator.tasks.size, 0, 'no task exists');
		});
	}
});
