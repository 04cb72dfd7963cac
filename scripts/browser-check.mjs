// The editor in a real browser: Debian's Chromium driven by playwright-core opens n8n (started as
// `npm start` does), adds the Kling node from the node search, switches through every resource and
// operation and checks that the expected parameters render, opens the Resolution and Duration menus of
// every model of every video operation and compares them with the model table, then runs two examples and checks that
// n8n's preview plays the demo video and shows the 16:9 images at 16:9, and that the emulator's MP3 and
// WAV play. Screenshots go to test-output/browser/.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { chromium, selectors } from 'playwright-core';

import { buildPackage, emulatorModule, ensureRuntime, OWNER, prepareState, startEmulator, startN8n } from '../test/support/realN8n.mjs';

const require = createRequire(import.meta.url);
const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const SHOTS = join(ROOT, 'test-output', 'browser');
const N8N_URL = `http://127.0.0.1:${process.env.N8N_PORT ?? 5678}`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** What the editor should show for an operation with its defaults: the labels of the visible fields. */
function expectedLabels(description, NodeHelpers, resource, operation) {
	const values = NodeHelpers.getNodeParameters(description.properties, { resource, operation }, true, false, null, description);
	return description.properties
		// Hidden parameters (the node's `timing`, set only by tests) never render.
		.filter((property) => !['resource', 'operation'].includes(property.name) && property.type !== 'hidden')
		.filter((property) => NodeHelpers.displayParameter(values, property, null, description))
		.map((property) => property.displayName);
}

async function choose(page, parameter, optionName) {
	await page.getByTestId(`parameter-input-${parameter}`).click();
	// An option's accessible name includes its description: match the title text exactly instead.
	await page
		.getByRole('option')
		.filter({ has: page.getByText(optionName, { exact: true }) })
		.first()
		.click();
	await page.waitForTimeout(300);
}

async function main() {
	ensureRuntime();
	buildPackage();
	const workflows = prepareState();
	mkdirSync(SHOTS, { recursive: true });
	const { Kling } = require(join(ROOT, 'dist', 'nodes', 'Kling', 'Kling.node.js'));
	const { OPERATIONS } = require(join(ROOT, 'dist', 'nodes', 'Kling', 'resources', 'index.js'));
	const { NodeHelpers } = require('n8n-workflow');
	const description = new Kling().description;
	const resourceNames = Object.fromEntries(
		description.properties.find((property) => property.name === 'resource').options.map((option) => [option.value, option.name]),
	);

	const emulator = await startEmulator();
	const n8nProcess = await startN8n();
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
	});
	selectors.setTestIdAttribute('data-test-id');
	let passed = 0;
	let failed = 0;
	const check = (label, ok, detail = '') => {
		if (ok) passed++;
		else failed++;
		console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}${detail ? ` — ${detail}` : ''}`);
	};
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
		const page = await context.newPage();
		await page.goto(`${N8N_URL}/signin`);
		await page.locator('input[name=emailOrLdapLoginId]').fill(OWNER.email);
		await page.locator('input[type=password]').fill(OWNER.password);
		await page.keyboard.press('Enter');
		await page.waitForURL(/\/home\//);

		await page.goto(`${N8N_URL}/workflow/new`);
		await page.getByTestId('canvas-add-button').click();
		await page.getByTestId('node-creator').waitFor();
		await page.keyboard.type('manual', { delay: 40 });
		await page.waitForTimeout(500);
		await page.keyboard.press('Enter');
		await page.waitForTimeout(1000);
		await page.getByTestId('node-creator-plus-button').click();
		await page.getByTestId('node-creator').waitFor();
		await page.keyboard.type('Kling', { delay: 40 });
		await page.waitForTimeout(800);
		await page.screenshot({ path: join(SHOTS, '00-node-search.png') });
		const listed = await page.getByTestId('node-creator').getByText('Kling', { exact: true }).isVisible();
		check('the node search lists Kling', listed);
		// n8n shows one entry for Kling and Kling Trigger, with the Trigger's description: it must name both.
		const searchText = await page.getByTestId('node-creator').innerText();
		check('the node search describes Kling as generation and trigger', /image, video and audio generation/.test(searchText), searchText.split('\n').filter((line) => /Kling/.test(line)).join(' | '));
		await page.keyboard.press('Enter');
		await page.waitForTimeout(500);
		await page.screenshot({ path: join(SHOTS, '01-actions.png') });
		const actions = await page.getByTestId('node-creator').getByText('Generate images', { exact: true }).isVisible();
		check('the Kling actions are offered', actions);
		await page.keyboard.press('Enter');
		await page.getByTestId('ndv').waitFor();
		check(
			'the Kling node opens with its credential selected',
			await page.getByTestId('node-credentials-select').waitFor({ timeout: 15_000 }).then(
				() => true,
				() => false,
			),
		);

		const parameters = page.getByTestId('node-parameters');
		await checkOperations(page, parameters, description, NodeHelpers, OPERATIONS, resourceNames, check);
		const { VIDEO_MODEL_TABLE, currentModels } = require(join(ROOT, 'dist', 'nodes', 'Kling', 'kling', 'models.js'));
		await checkModelMenus(page, parameters, OPERATIONS, currentModels, VIDEO_MODEL_TABLE, check);
		await checkLiveLists(page, parameters, check);
		await checkCredentialForm(page, check);
		await checkDemoMedia(page, workflows, check);
	} catch (error) {
		failed++;
		console.log(`FAIL ${error.message}`);
	} finally {
		await browser.close();
		n8nProcess.kill('SIGTERM');
		emulator.kill('SIGTERM');
	}
	console.log(`browser: ${passed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

async function checkOperations(page, parameters, description, NodeHelpers, OPERATIONS, resourceNames, check) {
	for (const [resource, operations] of Object.entries(OPERATIONS)) {
		if (!operations.length) continue;
		await choose(page, 'resource', resourceNames[resource]);
		for (const operation of operations) {
			await choose(page, 'operation', operation.name);
			const missing = [];
			for (const label of expectedLabels(description, NodeHelpers, resource, operation.value)) {
				if (!(await parameters.getByText(label, { exact: true }).first().isVisible())) missing.push(label);
			}
			await page.screenshot({ path: join(SHOTS, `${resource}-${operation.value}.png`) });
			check(
				`${resourceNames[resource]} › ${operation.name} renders its parameters`,
				missing.length === 0,
				missing.length ? `missing: ${missing.join(', ')}` : '',
			);
		}
	}
}

/** The option titles an open dropdown lists (first line of each option; the rest is its description). */
async function dropdownTitles(page, parameter) {
	const options = page.getByRole('option');
	let titles = [];
	// On a loaded machine the first click can land while the previous menu closes: open it up to twice.
	for (let opening = 0; opening < 2 && titles.length === 0; opening++) {
		if (opening) await page.keyboard.press('Escape');
		await page.getByTestId(`parameter-input-${parameter}`).click();
		// The list is loaded from the node (loadOptions) when the dropdown opens or the model changes: wait until it is stable.
		for (let attempt = 0; attempt < 30; attempt++) {
			await page.waitForTimeout(300);
			const now = (await options.allInnerTexts()).map((text) => text.trim().split('\n')[0].trim()).filter(Boolean);
			if (now.length && now.join('|') === titles.join('|')) break;
			titles = now;
		}
	}
	return titles;
}

const RESOLUTION_TITLES = { '720p': '720p (Standard)', '1080p': '1080p (Professional)', '4k': '4K' };

/**
 * For every model of every video operation with a model menu: the Resolution and Duration dropdowns
 * offer exactly the resolutions and lengths of the model table (https://kling.ai/document-api/guides/capability-map/video), nothing the model
 * refuses. One screenshot per open dropdown.
 */
async function checkModelMenus(page, parameters, OPERATIONS, currentModels, VIDEO_MODEL_TABLE, check) {
	await choose(page, 'resource', 'Video');
	for (const operation of OPERATIONS.video.filter((candidate) => candidate.videoProduct)) {
		const product = operation.videoProduct;
		await choose(page, 'operation', operation.name);
		for (const model of currentModels(product)) {
			const capabilities = VIDEO_MODEL_TABLE.find((row) => row.id === model.id).products[product];
			await choose(page, 'model', model.name);
			const slug = `${operation.value}-${model.id}`.replace(/[^\w-]+/g, '-');
			const resolutions = await dropdownTitles(page, 'mode');
			await page.screenshot({ path: join(SHOTS, `menu-${slug}-resolution.png`) });
			await page.keyboard.press('Escape');
			const expectedResolutions = capabilities.resolutions.map((resolution) => RESOLUTION_TITLES[resolution]);
			check(
				`Video › ${operation.name} › ${model.name}: Resolution offers exactly ${expectedResolutions.join(', ')}`,
				resolutions.join('|') === expectedResolutions.join('|'),
				`offered: ${resolutions.join(', ') || 'nothing'}`,
			);
			if (!capabilities.durations.length) {
				check(`Video › ${operation.name} › ${model.name}: no Duration (the output follows the motion video)`, !(await parameters.getByTestId('parameter-input-duration').isVisible()));
				continue;
			}
			const durations = await dropdownTitles(page, 'duration');
			await page.screenshot({ path: join(SHOTS, `menu-${slug}-duration.png`) });
			await page.keyboard.press('Escape');
			const expectedDurations = capabilities.durations.map((seconds) => `${seconds} Seconds`);
			check(
				`Video › ${operation.name} › ${model.name}: Duration offers exactly ${capabilities.durations.join(', ')} s`,
				durations.join('|') === expectedDurations.join('|'),
				`offered: ${durations.join(', ') || 'nothing'}`,
			);
		}
	}
}

/**
 * Resource locators "From List": the editor asks the node's listSearch methods, which ask the
 * emulator with the selected credential (elements and voices), or search the scene table.
 */
async function checkLiveLists(page, parameters, check) {
	const listed = async (label, expected, search) => {
		await parameters.getByTestId('rlc-input').first().click();
		if (search) await page.getByTestId('rlc-search').fill(search);
		await page.getByTestId('rlc-item').filter({ hasText: expected }).first().waitFor({ timeout: 15_000 }).catch(() => undefined);
		const names = (await page.getByTestId('rlc-item').allInnerTexts()).map((text) => text.trim());
		await page.screenshot({ path: join(SHOTS, `live-list-${label.replace(/\W+/g, '-').toLowerCase()}.png`) });
		check(`${label} lists ${expected}`, names.includes(expected), `listed: ${names.join(', ') || 'nothing'}`);
		await page.keyboard.press('Escape');
	};
	await choose(page, 'resource', 'Element');
	await choose(page, 'operation', 'Delete');
	await listed('Element › Delete (elements from the emulator)', 'Grace (Kling preset)');
	await choose(page, 'resource', 'Voice');
	await choose(page, 'operation', 'Delete');
	await listed('Voice › Delete (voices from the emulator)', 'Warm Narrator (Kling preset)');
	await choose(page, 'resource', 'Image');
	await choose(page, 'operation', 'Omni Image');
	await parameters.getByText('Add Element', { exact: true }).first().click();
	await page.waitForTimeout(300);
	await listed('Image › Omni Image › Elements (a picker inside the collection)', 'Armored Youth (Kling preset)');
	await choose(page, 'resource', 'Video');
	await choose(page, 'operation', 'Effects');
	await listed('Video › Effects scene search', 'Kiss Pro (Two Images)', 'kiss');
}

/**
 * What a first run shows: the example workflows executed in the editor, their results opened in n8n's
 * binary preview. The video must play (Chromium decodes the emulator's H.264 MP4: readyState ≥ 2 and
 * currentTime advancing), the 16:9 images must be 16:9 in pixels and on screen, one card per image
 * asked for; the emulator's MP3 and WAV must play in the same browser.
 */
async function checkDemoMedia(editorPage, workflows, check) {
	const page = await editorPage.context().newPage();
	const openResult = async (file, nodeName) => {
		const workflow = workflows.find((candidate) => candidate.file === file);
		await page.goto(`${N8N_URL}/workflow/${workflow.id}`);
		const node = page.getByTestId('canvas-node').filter({ hasText: nodeName });
		await node.waitFor({ timeout: 60_000 });
		await page.getByTestId('execute-workflow-button').click();
		await node.getByTestId('canvas-node-status-success').waitFor({ timeout: 120_000 });
		await node.dblclick();
		const output = page.getByTestId('output-panel');
		await output.getByTestId('ndv-view-binary-data').first().waitFor({ timeout: 15_000 });
		return output;
	};

	const images = await openResult('text-to-image.json', 'Generate Images');
	const cards = await images.getByTestId('ndv-view-binary-data').count();
	await images.getByTestId('ndv-view-binary-data').first().click();
	const image = images.locator('img').first();
	await image.waitFor({ timeout: 15_000 });
	await page.waitForFunction((element) => element.complete && element.naturalWidth > 0, await image.elementHandle(), { timeout: 15_000 }).catch(() => undefined);
	const shown = await image.evaluate((element) => ({ width: element.naturalWidth, height: element.naturalHeight, box: element.getBoundingClientRect().toJSON() }));
	await page.screenshot({ path: join(SHOTS, 'media-image-16x9.png') });
	const onScreen = shown.box.width / shown.box.height;
	check('Text to image (16:9, 2 images) previews 2 images', cards === 2, `${cards} shown`);
	check(
		'the 16:9 image previews at 16:9',
		shown.width * 9 === shown.height * 16 && Math.abs(onScreen - 16 / 9) < 0.02,
		`${shown.width}×${shown.height} px, ${shown.box.width.toFixed(0)}×${shown.box.height.toFixed(0)} on screen`,
	);

	const videos = await openResult('image-to-video.json', 'Animate');
	await videos.getByTestId('ndv-view-binary-data').first().click();
	const video = videos.locator('video').first();
	await video.waitFor({ timeout: 15_000 });
	const played = await playFor(video, 1_500);
	await page.screenshot({ path: join(SHOTS, 'media-video-playing.png') });
	check('the demo video plays in n8n’s preview', played.ok, played.detail);

	// Kling 4.0: the keyframe example's video plays, the Image 4.0 series previews all four panels.
	const keyframes = await openResult('kling-4-keyframes.json', 'Keyframe Video');
	await keyframes.getByTestId('ndv-view-binary-data').first().click();
	const keyframeVideo = keyframes.locator('video').first();
	await keyframeVideo.waitFor({ timeout: 15_000 });
	const keyframePlayed = await playFor(keyframeVideo, 1_500);
	check('the Kling 4.0 keyframe video plays in n8n’s preview', keyframePlayed.ok, keyframePlayed.detail);
	const series = await openResult('kling-image-4-series.json', 'Storyboard Series');
	const panels = await series.getByTestId('ndv-view-binary-data').count();
	await page.screenshot({ path: join(SHOTS, 'media-image4-series.png') });
	check('the Kling Image 4.0 series previews 4 images', panels === 4, `${panels} shown`);
	await page.close();

	// The emulator's audio in a page of its own: an <audio> per format, as n8n's preview renders them.
	const { makeMp3, makeWav } = emulatorModule('media');
	const audioPage = await editorPage.context().newPage();
	for (const [label, mimeType, bytes] of [
		['MP3', 'audio/mpeg', makeMp3('browser-check', 3)],
		['WAV', 'audio/wav', makeWav('browser-check', 3)],
	]) {
		await audioPage.setContent(`<audio controls src="data:${mimeType};base64,${bytes.toString('base64')}"></audio>`);
		const result = await playFor(audioPage.locator('audio'), 1_000);
		check(`the emulator's ${label} plays`, result.ok, result.detail);
	}
	await audioPage.close();
}

/** Plays a media element (muted, so no user gesture is needed) and reports whether its clock moved. */
async function playFor(media, ms) {
	const state = () => media.evaluate((element) => ({ readyState: element.readyState, currentTime: element.currentTime, duration: element.duration, error: element.error?.message ?? element.error?.code }));
	await media.evaluate((element) => element.readyState >= 2 || new Promise((resolve) => {
		element.addEventListener('loadeddata', resolve, { once: true });
		element.addEventListener('error', resolve, { once: true });
		setTimeout(resolve, 10_000);
	}));
	const before = await state();
	await media.evaluate((element) => {
		element.muted = true;
		element.currentTime = 0;
		return element.play().catch(() => undefined);
	});
	await media.page().waitForTimeout(ms);
	const after = await state();
	return {
		ok: before.readyState >= 2 && after.currentTime > 0.3 && after.error === undefined,
		detail: `readyState ${before.readyState}, currentTime ${after.currentTime.toFixed(2)} s of ${after.duration} s${after.error !== undefined ? `, error ${after.error}` : ''}`,
	};
}

/** The credential form shows the key fields each provider needs, whatever was chosen before. */
async function checkCredentialForm(editorPage, check) {
	// A new tab of the same session: leaving the unsaved workflow would ask for confirmation.
	const page = await editorPage.context().newPage();
	await page.goto(`${N8N_URL}/home/credentials/create`);
	// On a loaded machine the type picker can take longer than a fixed pause: wait for it, pick "Kling API" by name.
	const typeSelect = page.getByTestId('new-credential-type-select');
	await typeSelect.waitFor();
	await typeSelect.click();
	await page.keyboard.type('Kling', { delay: 40 });
	await page.getByTestId('new-credential-type-select-option').filter({ hasText: 'Kling API' }).first().click();
	const next = page.getByTestId('new-credential-type-button');
	if (await next.isVisible()) await next.click();
	await page.getByTestId('parameter-input-provider').waitFor().catch(async (error) => {
		await page.screenshot({ path: join(SHOTS, 'credential-form-missing.png') });
		throw error;
	});
	// The credential modal is the only place on this page with these labels.
	const labelsShown = async (...labels) => {
		for (const label of labels) if (!(await page.getByText(label, { exact: true }).first().isVisible())) return false;
		return true;
	};
	await choose(page, 'authType', 'Access Key + Secret Key');
	await page.screenshot({ path: join(SHOTS, 'credential-official-access-key.png') });
	check('credential: official host with Access Key + Secret Key shows both keys', await labelsShown('Access Key', 'Secret Key'));
	await choose(page, 'provider', 'CometAPI');
	await page.screenshot({ path: join(SHOTS, 'credential-cometapi.png') });
	check('credential: CometAPI shows its API key even after Access Key was chosen', (await labelsShown('API Key')) && !(await page.getByText('Secret Key', { exact: true }).isVisible()));
	await choose(page, 'provider', 'Custom Kling-Compatible Host');
	check('credential: a custom host asks for its Base URL', await labelsShown('Base URL', 'Authentication'));
}

void main();
