/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import type { KlingEmulator } from '../emulator/kling-emulator';
import { makeJpegHeader, makePng } from '../emulator/media';
import { credentialsFor, networkFor, pngItem, startEmulator } from '../fixtures';
import { runKling } from '../harness/n8n';

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
	['missing required field (a blank prompt)', { resource: 'image', operation: 'generate', prompt: '   ' }, undefined, /"prompt" is required/],
	['over-long prompt', { resource: 'video', operation: 'textToVideo', prompt: 'p'.repeat(3073) }, undefined, /"prompt" is 3073 characters long; kling-v3 text to video allows at most 3072/],
	['wrong enum (an aspect ratio from an expression)', { resource: 'image', operation: 'generate', prompt: 'x', options: { aspectRatio: '={{ "5:4" }}' } }, undefined, /"aspect_ratio" is "5:4"; Kling allows "16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9"/],
	['too many images', { resource: 'image', operation: 'multiImageToImage', subjectImages: { images: Array.from({ length: 5 }, () => ({ source: 'url', value: 'https://x.example/a.png' })) } }, undefined, /"subject_image_list" has 5 entries; Kling allows at most 4/],
	['too few images', { resource: 'video', operation: 'multiImageToVideo', prompt: 'x', images: { images: [{ source: 'url', value: 'https://x.example/a.png' }] } }, undefined, /"image_list" has 1 entries; Kling needs at least 2/],
	['oversize binary', { resource: 'image', operation: 'generate', prompt: 'x', imageSource: 'binary', image: 'big' }, [binary('big', oversizePng())], /image "image" is 10\.0 MB; Kling allows at most 10 MB/],
	['non-image binary', { resource: 'image', operation: 'expand', image: 'doc', leftExpansion: 0.2 }, [binary('doc', Buffer.from('%PDF-1.7 not an image'), 'application/pdf')], /image "image" is not a JPEG or PNG image/],
	['image too small (JPEG header read)', { resource: 'image', operation: 'virtualTryOn', humanImage: 'p', clothImage: 'p' }, [binary('p', makeJpegHeader(200, 640), 'image/jpeg')], /image "human_image" is 200×640 px; Kling needs at least 300 px on each side/],
	['malformed Base64', { resource: 'video', operation: 'imageToVideo', imageSource: 'base64', image: 'abc$%^' }, undefined, /image "image" is not valid Base64/],
	['unreachable binary property name', { resource: 'video', operation: 'imageToVideo', image: 'frame' }, [pngItem({ photo: {} })], /image "image" should come from binary property "frame", which the input item does not have/],
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
