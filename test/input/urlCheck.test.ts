/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import type { KlingEmulator } from '../support/emulator/kling-emulator';
import { makePng } from '../support/emulator/media';
import { credentialsFor, networkFor, startEmulator } from '../support/fixtures';
import { runKling } from '../support/harness/n8n';

/**
 * Kling fetches an input URL only after the task is created and billed: a dead link, a web page or
 * an image Kling refuses would cost a task. The node reads the first 64 KB first (a Range GET) and
 * fails the item with the reason; Kling receives nothing.
 */
let emulator: KlingEmulator;
before(async () => (emulator = await startEmulator()));
after(async () => await emulator.stop());
beforeEach(() => emulator.reset());

const NOTHING_SENT = ' Nothing was sent to Kling.';
const CHECKED = { inputUrlCheck: true };
const startFrame = (url: string, options: IDataObject = {}): IDataObject => ({
	resource: 'video',
	operation: 'imageToVideo',
	imageSource: 'url',
	image: url,
	prompt: 'a slow pan',
	options,
	// A task that got through is reported at once (the assertions fail fast rather than wait for it).
	waitForCompletion: false,
});

async function run(parameters: IDataObject, timing: IDataObject = CHECKED) {
	return await runKling({ parameters, credentials: credentialsFor('singapore', emulator), network: networkFor(emulator), timing });
}

const posts = () => emulator.requests.filter((request) => request.method === 'POST').length;

describe('URL inputs are checked before paying', () => {
	const refusals: Array<[string, () => string, (url: string) => string, IDataObject?]> = [
		['a 404', () => `${emulator.filesUrl}/inputs/missing.png`, (url) => `Start Frame URL: the file at ${url} answered 404 Not Found.`],
		['a too-small image (100×100 px)', () => `${emulator.filesUrl}/inputs/photo-100x100.png`, (url) => `Start Frame URL: the file at ${url} is 100×100 px; Kling needs at least 300 px on each side.`],
		['a web page', () => `${emulator.filesUrl}/inputs/page.html`, (url) => `Start Frame URL: the file at ${url} is a web page (text/html), not an image.`],
		['an image wider than 2.5:1', () => `${emulator.filesUrl}/inputs/photo-1000x300.png`, (url) => `Start Frame URL: the file at ${url} is 1000×300 px, an aspect ratio of 3.33:1; Kling allows between 1:2.5 and 2.5:1.`],
	];
	for (const [label, urlOf, messageOf] of refusals) {
		test(`${label} fails the item with the reason, and no task is created`, async () => {
			const url = urlOf();
			const result = await run(startFrame(url));
			const error = result.error('Kling');
			assert.ok(error, 'the node failed');
			assert.equal(error.message, messageOf(url) + NOTHING_SENT);
			assert.equal(posts(), 0, 'no POST reached Kling');
			assert.equal(emulator.tasks.size, 0, 'no task exists');
			const reads = emulator.fileRequests.filter((request) => request.url === url);
			assert.equal(reads.length, 1, 'the file was read once');
			assert.equal(reads[0].headers.range, 'bytes=0-65535', 'only the first 64 KB were asked for');
		});
	}

	test('a file larger than Kling takes is refused by its declared size (Content-Range total)', async () => {
		const url = `${emulator.filesUrl}/inputs/huge-11mb.png`;
		const result = await run({ resource: 'image', operation: 'generate', prompt: 'x', imageSource: 'url', image: url, waitForCompletion: false });
		assert.equal(result.error('Kling')?.message, `Reference Image URL: the file at ${url} is 11.0 MB; Kling allows at most 10 MB.${NOTHING_SENT}`);
		assert.equal(posts(), 0);
	});

	test('a host that ignores Range is read only as far as needed; a too-small image is still refused', async () => {
		const url = `${emulator.filesUrl}/plain/small.png`;
		emulator.extraFiles.set(url, { bytes: makePng(120, 400, 'plain'), mimeType: 'image/png' });
		const result = await run(startFrame(url));
		assert.equal(result.error('Kling')?.message, `Start Frame URL: the file at ${url} is 120×400 px; Kling needs at least 300 px on each side.${NOTHING_SENT}`);
		assert.equal(posts(), 0);
	});

	test('an entry of an image list is named by its position', async () => {
		const good = `${emulator.filesUrl}/inputs/photo-640x360.png`;
		const missing = `${emulator.filesUrl}/inputs/gone.png`;
		const result = await run({
			resource: 'image',
			operation: 'omniImage',
			prompt: 'x',
			referenceImages: { images: [{ source: 'url', value: good }, { source: 'url', value: missing }] },
			waitForCompletion: false,
		});
		assert.equal(result.error('Kling')?.message, `Reference Image 2 URL: the file at ${missing} answered 404 Not Found.${NOTHING_SENT}`);
		assert.equal(posts(), 0);
	});

	test('a good image passes and is sent as the URL it was', async () => {
		const url = `${emulator.filesUrl}/inputs/photo-640x360.png`;
		const result = await run(startFrame(url, {}), { ...CHECKED });
		assert.equal(result.error('Kling'), undefined, String(result.error('Kling')?.message));
		assert.equal(emulator.tasks.size, 1);
		const submit = emulator.requests.find((request) => request.method === 'POST');
		assert.equal((submit?.body as IDataObject | undefined)?.image, url);
	});

	test('"Check Input URLs" off sends the URL unread (for hosts that refuse such reads)', async () => {
		const url = `${emulator.filesUrl}/inputs/missing.png`;
		const result = await run(startFrame(url, { checkInputUrls: false }));
		assert.equal(result.error('Kling'), undefined, String(result.error('Kling')?.message));
		assert.equal(emulator.fileRequests.filter((request) => request.url === url).length, 0, 'the file was not read');
		assert.equal(emulator.tasks.size, 1, 'the task was submitted as the user chose');
	});

	test('a private address is never read, and refused: Kling cannot fetch it', async () => {
		const url = `${emulator.filesUrl}/inputs/photo-640x360.png`;
		const result = await run(startFrame(url), { ...CHECKED, allowPrivateFileHosts: false });
		assert.equal(
			result.error('Kling')?.message,
			`Start Frame URL: the file at ${url} is on a private address, which Kling cannot fetch.${NOTHING_SENT}`,
		);
		assert.equal(emulator.fileRequests.length, 0, 'nothing was fetched from the private address');
		assert.equal(posts(), 0);
	});

	test('a video URL that answers 404 (Motion Video URL) fails the item; no task', async () => {
		const video = `${emulator.filesUrl}/inputs/dance.mp4`;
		const result = await run({
			resource: 'video',
			operation: 'motionControl',
			imageSource: 'url',
			image: `${emulator.filesUrl}/inputs/photo-640x360.png`,
			videoUrl: video,
			characterOrientation: 'image',
			waitForCompletion: false,
		});
		assert.equal(result.error('Kling')?.message, `Motion Video URL: the file at ${video} answered 404 Not Found.${NOTHING_SENT}`);
		assert.equal(posts(), 0);
	});

	test('a reference video that is a web page fails the item; a real video passes', async () => {
		const omni = (url: string): IDataObject => ({
			resource: 'video',
			operation: 'omniVideo',
			model: 'kling-video-o1',
			prompt: 'x',
			options: { aspectRatio: '16:9', referenceVideo: { video: { url, referType: 'feature' } } },
			waitForCompletion: false,
		});
		const page = `${emulator.filesUrl}/inputs/page.html`;
		const refused = await run(omni(page));
		assert.equal(refused.error('Kling')?.message, `Reference Video URL: the file at ${page} is a web page (text/html), not a video.${NOTHING_SENT}`);
		assert.equal(posts(), 0);
		const passed = await run(omni(`${emulator.filesUrl}/inputs/clip.mp4`));
		assert.equal(passed.error('Kling'), undefined, String(passed.error('Kling')?.message));
		assert.equal(emulator.tasks.size, 1);
	});
});
