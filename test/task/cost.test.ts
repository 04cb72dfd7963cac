/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: node:test, node:assert and timers run outside n8n */
/**
 * Know the price before paying: an estimate per item from the price table, a Run Budget that
 * refuses items before anything is sent (in polling and park mode, at any concurrency), Estimate
 * Only as a dry run, and `cost` on every result with what Kling billed for the task.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import { costJson, costSentence, estimateCost, RunBudget } from '../../nodes/Kling/task/cost';
import type { VideoProduct } from '../../nodes/Kling/kling/models';
import { findPrice, PRICE_TABLE, type PricedProduct, type PriceVariant } from '../../nodes/Kling/kling/prices';
import { chargesOf } from '../support/emulator/billing';
import type { KlingEmulator } from '../support/emulator/kling-emulator';
import { credentialsFor, networkFor, startEmulator } from '../support/fixtures';
import { runKling } from '../support/harness/n8n';
import { CallbackReceiver, ParkSession } from '../support/harness/park';

const VIDEO: readonly string[] = ['textToVideo', 'imageToVideo', 'omniVideo', 'motionControl'];

interface Case {
	/** The price row this case proves: product, model, resolution, variant. */
	row: [PricedProduct, string, string, PriceVariant];
	body: IDataObject;
	/** Units by https://kling.ai/document-api/pricing/base/video worked out by hand; null = unknown. */
	units: number | null;
	pack: string;
}

const t2v = (model: string, mode: string, duration: number, extra: IDataObject = {}) => ({ model_name: model, mode, duration: String(duration), prompt: 'x', ...extra });

/** At least one case per row of the price table, with the units worked out from the contract. */
const CASES: Case[] = [
	...(['textToVideo', 'imageToVideo'] as const).flatMap((product): Case[] => [
		{ row: [product, 'kling-3.0-turbo', '720p', 'audio'], body: t2v('kling-3.0-turbo', 'std', 5), units: 4, pack: 'video' },
		{ row: [product, 'kling-3.0-turbo', '1080p', 'audio'], body: t2v('kling-3.0-turbo', 'pro', 15), units: 15, pack: 'video' },
		{ row: [product, 'kling-v3', '720p', 'silent'], body: t2v('kling-v3', 'std', 5), units: 3, pack: 'video' },
		{ row: [product, 'kling-v3', '1080p', 'silent'], body: t2v('kling-v3', 'pro', 10), units: 8, pack: 'video' },
		{ row: [product, 'kling-v3', '4k', 'silent'], body: t2v('kling-v3', '4k', 3), units: 9, pack: 'video' },
		{ row: [product, 'kling-v3', '720p', 'audio'], body: t2v('kling-v3', 'std', 10, { sound: 'on' }), units: 9, pack: 'video' },
		{ row: [product, 'kling-v3', '1080p', 'audio'], body: t2v('kling-v3', 'pro', 10, { sound: 'on' }), units: 12, pack: 'video' },
		{ row: [product, 'kling-v3', '4k', 'audio'], body: t2v('kling-v3', '4k', 4, { sound: 'on' }), units: 12, pack: 'video' },
		{ row: [product, 'kling-v2-6', '720p', 'silent'], body: t2v('kling-v2-6', 'std', 10), units: 3, pack: 'video' },
		{ row: [product, 'kling-v2-6', '1080p', 'silent'], body: t2v('kling-v2-6', 'pro', 5), units: 2.5, pack: 'video' },
		{ row: [product, 'kling-v2-6', '1080p', 'audio'], body: t2v('kling-v2-6', 'pro', 10, { sound: 'on' }), units: 10, pack: 'video' },
		{ row: [product, 'kling-v2-5-turbo', '720p', 'silent'], body: t2v('kling-v2-5-turbo', 'std', 5), units: 1.5, pack: 'video' },
		{ row: [product, 'kling-v2-5-turbo', '1080p', 'silent'], body: t2v('kling-v2-5-turbo', 'pro', 10), units: 5, pack: 'video' },
		{ row: [product, 'kling-4.0', '*', 'any'], body: t2v('kling-4.0', 'std', 5), units: null, pack: 'video' },
	]),
	{ row: ['imageToVideo', 'kling-v2-6', '1080p', 'voice'], body: t2v('kling-v2-6', 'pro', 5, { sound: 'on', voice_list: [{ voice_id: 'v1' }] }), units: 6, pack: 'video' },
	{ row: ['motionControl', 'kling-v3', '720p', 'any'], body: { model_name: 'kling-v3', mode: 'std', duration: '10' }, units: 9, pack: 'video' },
	{ row: ['motionControl', 'kling-v3', '1080p', 'any'], body: { model_name: 'kling-v3', mode: 'pro', duration: '5' }, units: 6, pack: 'video' },
	{ row: ['motionControl', 'kling-v2-6', '720p', 'any'], body: { model_name: 'kling-v2-6', mode: 'std', duration: '10' }, units: 5, pack: 'video' },
	{ row: ['motionControl', 'kling-v2-6', '1080p', 'any'], body: { model_name: 'kling-v2-6', mode: 'pro', duration: '5' }, units: 4, pack: 'video' },
	{ row: ['omniVideo', 'kling-v3-omni', '720p', 'silent'], body: t2v('kling-v3-omni', 'std', 5), units: 3, pack: 'video' },
	{ row: ['omniVideo', 'kling-v3-omni', '1080p', 'silent'], body: t2v('kling-v3-omni', 'pro', 5), units: 4, pack: 'video' },
	{ row: ['omniVideo', 'kling-v3-omni', '4k', 'silent'], body: t2v('kling-v3-omni', '4k', 5), units: 15, pack: 'video' },
	{ row: ['omniVideo', 'kling-v3-omni', '720p', 'audio'], body: t2v('kling-v3-omni', 'std', 5, { sound: 'on' }), units: 4, pack: 'video' },
	{ row: ['omniVideo', 'kling-v3-omni', '1080p', 'audio'], body: t2v('kling-v3-omni', 'pro', 5, { sound: 'on' }), units: 5, pack: 'video' },
	{ row: ['omniVideo', 'kling-v3-omni', '4k', 'audio'], body: t2v('kling-v3-omni', '4k', 3, { sound: 'on' }), units: 9, pack: 'video' },
	{ row: ['omniVideo', 'kling-v3-omni', '720p', 'videoInput'], body: t2v('kling-v3-omni', 'std', 10, { video_list: [{ video_url: 'u', refer_type: 'feature' }] }), units: 9, pack: 'video' },
	{ row: ['omniVideo', 'kling-v3-omni', '1080p', 'videoInput'], body: t2v('kling-v3-omni', 'pro', 5, { video_list: [{ video_url: 'u', refer_type: 'feature' }] }), units: 6, pack: 'video' },
	{ row: ['omniVideo', 'kling-v3-omni', '4k', 'videoInput'], body: t2v('kling-v3-omni', '4k', 5, { video_list: [{ video_url: 'u', refer_type: 'base' }] }), units: 15, pack: 'video' },
	{ row: ['omniVideo', 'kling-video-o1', '720p', 'silent'], body: t2v('kling-video-o1', 'std', 10), units: 6, pack: 'video' },
	{ row: ['omniVideo', 'kling-video-o1', '1080p', 'silent'], body: t2v('kling-video-o1', 'pro', 5), units: 4, pack: 'video' },
	{ row: ['omniVideo', 'kling-video-o1', '720p', 'videoInput'], body: t2v('kling-video-o1', 'std', 5, { video_list: [{ video_url: 'u' }] }), units: 4.5, pack: 'video' },
	{ row: ['omniVideo', 'kling-video-o1', '1080p', 'videoInput'], body: t2v('kling-video-o1', 'pro', 10, { video_list: [{ video_url: 'u' }] }), units: 12, pack: 'video' },
	{ row: ['omniVideo', 'kling-4.0', '*', 'any'], body: t2v('kling-4.0', 'pro', 5), units: null, pack: 'video' },
	// Avatar: the length follows the audio, so Kling decides the seconds: unknown, never a guess.
	{ row: ['/v1/videos/avatar/image2video', '*', '720p', 'any'], body: { image: 'x', mode: 'std', sound_file: 'y' }, units: null, pack: 'video' },
	{ row: ['/v1/videos/avatar/image2video', '*', '1080p', 'any'], body: { image: 'x', mode: 'pro', sound_file: 'y' }, units: null, pack: 'video' },
	{
		row: ['/v1/videos/advanced-lip-sync', '*', '*', 'any'],
		body: { session_id: 's', face_choose: [{ face_id: '0', sound_file: 'a', sound_start_time: 0, sound_end_time: 12_000, sound_insert_time: 0 }] },
		units: 1.5,
		pack: 'video',
	},
	{ row: ['/v1/audio/text-to-audio', '*', '*', 'any'], body: { prompt: 'rain', duration: 5 }, units: 0.25, pack: 'audio' },
	{ row: ['/v1/audio/video-to-audio', '*', '*', 'any'], body: { video_id: 'v' }, units: 0.25, pack: 'audio' },
	{ row: ['/v1/audio/tts', '*', '*', 'any'], body: { text: 'hi', voice_id: 'v' }, units: 0.05, pack: 'audio' },
	{ row: ['/v1/videos/identify-face', '*', '*', 'any'], body: { video_id: 'v' }, units: 0.05, pack: 'video' },
	{ row: ['/v1/videos/image-recognize', '*', '*', 'any'], body: { image: 'x' }, units: 0.1, pack: 'image' },
	{ row: ['/v1/general/custom-voices', '*', '*', 'any'], body: { voice_name: 'me', voice_url: 'u' }, units: 0.05, pack: 'audio' },
	{ row: ['/v1/images/generations', 'kling-v3', '*', 'any'], body: { model_name: 'kling-v3', prompt: 'x', n: 3 }, units: 24, pack: 'image' },
	{ row: ['/v1/images/generations', 'kling-v2-1', '*', 'textToImage'], body: { model_name: 'kling-v2-1', prompt: 'x', n: 2 }, units: 8, pack: 'image' },
	{ row: ['/v1/images/generations', 'kling-v2-1', '*', 'imageToImage'], body: { model_name: 'kling-v2-1', prompt: 'x', image: 'b64' }, units: 8, pack: 'image' },
	{ row: ['/v1/images/omni-image', 'kling-v3-omni', '1k', 'any'], body: { model_name: 'kling-v3-omni', prompt: 'x', resolution: '1k', n: 2 }, units: 16, pack: 'image' },
	{ row: ['/v1/images/omni-image', 'kling-v3-omni', '2k', 'any'], body: { model_name: 'kling-v3-omni', prompt: 'x', resolution: '2k', result_type: 'series', series_amount: 5 }, units: 40, pack: 'image' },
	{ row: ['/v1/images/omni-image', 'kling-v3-omni', '4k', 'any'], body: { model_name: 'kling-v3-omni', prompt: 'x', resolution: '4k', n: 1 }, units: 16, pack: 'image' },
	{ row: ['/v1/images/omni-image', 'kling-image-o1', '1k', 'any'], body: { model_name: 'kling-image-o1', prompt: 'x', resolution: '1k', n: 1 }, units: 8, pack: 'image' },
	{ row: ['/v1/images/omni-image', 'kling-image-o1', '2k', 'any'], body: { model_name: 'kling-image-o1', prompt: 'x', resolution: '2k', n: 4 }, units: 32, pack: 'image' },
	{ row: ['/v1/images/multi-image2image', 'kling-v2-1', '*', 'any'], body: { model_name: 'kling-v2-1', subject_image_list: [], n: 2 }, units: 32, pack: 'image' },
	{ row: ['/v1/images/editing/expand', '*', '*', 'any'], body: { image: 'x', n: 3 }, units: 24, pack: 'image' },
	{ row: ['/v1/general/ai-multi-shot', '*', '*', 'any'], body: { element_frontal_image: 'x' }, units: 20, pack: 'image' },
];

const rowKey = (row: { product: string; model: string; resolution: string; variant: string }) => [row.product, row.model, row.resolution, row.variant].join(' | ');

describe('estimates from the price table', () => {
	test('every row of the price table is proved by at least one case; each row names its source and date', () => {
		const proved = new Set(CASES.map((entry) => rowKey(findPrice(...entry.row)!)));
		const missing = PRICE_TABLE.filter((row) => !proved.has(rowKey(row))).map(rowKey);
		assert.deepEqual(missing, []);
		for (const row of PRICE_TABLE) {
			assert.match(row.source, /^(Kling price list \(https:\/\/kling\.ai\/document-api\/pricing\/|third-party cash prices only)/, rowKey(row));
			assert.match(row.date, /^\d{4}-\d{2}/, rowKey(row));
		}
	});

	for (const entry of CASES) {
		test(`${entry.row.join(' ')}: ${entry.units ?? 'unknown'}`, () => {
			const [product] = entry.row;
			const estimate = VIDEO.includes(product) ? estimateCost('/unused', entry.body, product as VideoProduct) : estimateCost(product, entry.body);
			assert.equal(estimate.units ?? null, entry.units, estimate.basis);
			if (entry.units !== null) assert.equal(estimate.pack, entry.pack);
			assert.ok(estimate.basis.length > 0);
		});
	}

	test('new-path model ids are priced like their legacy names; an unknown model or unpriced product is unknown', () => {
		assert.equal(estimateCost('/x', t2v('kling-3.0', 'pro', 10, { sound: 'on' }), 'textToVideo').units, 12);
		assert.equal(estimateCost('/x', t2v('kling-v9', 'pro', 10), 'textToVideo').units, undefined);
		assert.match(estimateCost('/x', t2v('kling-v9', 'pro', 10), 'textToVideo').basis, /no price is known for kling-v9/);
		assert.equal(estimateCost('/v1/videos/effects', { effect_scene: 'x' }).units, undefined);
		assert.equal(estimateCost('/v1/images/generations', { model_name: 'kling-v9', prompt: 'x' }).units, undefined);
		// Series "auto": Kling decides 2–9 images, so the estimate is the most it can cost.
		assert.equal(estimateCost('/v1/images/omni-image', { model_name: 'kling-v3-omni', resolution: '1k', result_type: 'series', series_amount: 'auto' }).units, 72);
		// Motion control without a duration: the output follows the reference video.
		assert.equal(estimateCost('/x', { model_name: 'kling-v3', mode: 'std' }, 'motionControl').units, undefined);
	});

	test('cost: the estimate beside the bill, and a difference is visible in the JSON and the summary', () => {
		const estimate = { units: 6, pack: 'video' as const, basis: 'b', source: 's' };
		const cost = costJson(estimate, { task_id: 't', task_status: 'succeed', final_unit_deduction: '4.5' });
		assert.deepEqual(cost, { estimate_units: 6, pack_type: 'video', billed_units: 4.5, billed_cash: null, source: 's', basis: 'b', difference_units: -1.5 });
		assert.match(costSentence(cost), /4\.5 units billed \(video pack\), estimated 6 units, 1\.5 less than estimated/);
		const newApi = costJson(estimate, { billing: [{ charge_type: 'unit', amount: '6', package_type: 'video' }] });
		assert.equal(newApi.billed_units, 6);
		assert.equal(newApi.difference_units, 0);
		const cash = costJson(estimate, { billing: [{ charge_type: 'cash', cash_type: 'balance', amount: '0.84', currency: 'USD', list_price: '0.84' }] });
		assert.deepEqual([cash.billed_cash, cash.currency, cash.billed_units], [0.84, 'USD', null]);
	});

	test('RunBudget: reservations in item order; the run never passes the budget; unknown prices only when allowed', () => {
		const budget = new RunBudget(20, (itemIndex) => itemIndex === 4);
		const eight = { units: 8, basis: 'b' };
		assert.deepEqual([0, 1, 2].map((index) => budget.reserve(index, eight)), [true, true, false]);
		assert.equal(budget.reserve(3, { units: 4, basis: 'b' }), true, 'a smaller later item still fits');
		assert.equal(budget.reservedUnits, 20);
		assert.equal(budget.reserve(4, { basis: 'unknown' }), true, 'allowed for item 4');
		assert.equal(budget.reserve(5, { basis: 'unknown' }), false);
		assert.deepEqual([budget.covers(0, eight), budget.covers(2, eight), budget.covers(3, eight)], [true, false, false], 'a reservation covers its own estimate only');
		assert.deepEqual(budget.refusedItems(), [2, 5]);
	});
});

let emulator: KlingEmulator;
let receiver: CallbackReceiver;
before(async () => {
	emulator = await startEmulator({ submittedMs: 60, processingMs: 120 });
	receiver = await new CallbackReceiver().start();
});
after(async () => {
	await receiver.stop();
	await emulator.stop();
});
beforeEach(() => {
	emulator.reset();
	receiver.refuse = undefined;
});

/** Image 3.0, one image per item: 8 units each (https://kling.ai/document-api/pricing/base/video). */
const images = (costControl: IDataObject, extra: IDataObject = {}): IDataObject => ({
	resource: 'image',
	operation: 'generate',
	model: 'kling-v3',
	prompt: '={{ "frame " + $json.index }}',
	costControl,
	waitOptions: { pollIntervalSeconds: 0.02 },
	...extra,
});
const itemsOf = (count: number) => Array.from({ length: count }, (_, index) => ({ json: { index } }));

async function run(parameters: IDataObject, count: number, options: { continueOnFail?: boolean; preset?: 'singapore' | 'beijing' } = {}) {
	return await runKling({
		parameters,
		credentials: credentialsFor(options.preset ?? 'singapore', emulator),
		network: networkFor(emulator),
		items: itemsOf(count),
		continueOnFail: options.continueOnFail,
	});
}

const sentPrompts = () => emulator.submits().map((submit) => String(submit.body?.prompt)).sort();

describe('Run Budget (Units)', () => {
	test('a budget that admits 3 of 5 items: the run stops before any request, naming the budget, the estimate and items 3 and 4', async () => {
		const result = await run(images({ runBudgetUnits: 24 }), 5);
		const error = result.error('Kling');
		assert.ok(error, 'the run fails');
		assert.match(error.message, /Run Budget of 24 units: item 3 was refused because its estimate is 8 units/);
		assert.match(String(error.description), /Items left out: 3, 4\./);
		assert.match(String(error.description), /Nothing was sent to Kling/);
		assert.equal(emulator.requests.length, 0, 'no request at all');
	});

	test('with Continue On Fail: items 0–2 are sent and billed, items 3 and 4 are error rows that were never sent', async () => {
		const result = await run(images({ runBudgetUnits: 24 }), 5, { continueOnFail: true });
		assert.equal(result.error('Kling'), undefined);
		assert.deepEqual(sentPrompts(), ['frame 0', 'frame 1', 'frame 2']);
		assert.deepEqual(result.kling.map((item) => item.pairedItem), [0, 1, 2, 3, 4].map((item) => ({ item })));
		for (const index of [3, 4]) {
			assert.match(String(result.kling[index].json.error), new RegExp(`Run Budget of 24 units: item ${index} was refused`));
			assert.match(String(result.kling[index].json.description), /Items left out: 3, 4\./);
		}
		const billed = result.kling.slice(0, 3).map((item) => (item.json.cost as IDataObject).billed_units as number);
		assert.deepEqual(billed, [8, 8, 8]);
	});

	test('concurrency 10 cannot pass the budget: 10 items of 8 units under 40 units send exactly 5, billed 40', async () => {
		const result = await run(images({ runBudgetUnits: 40 }, { waitOptions: { pollIntervalSeconds: 0.02, concurrency: 10 } }), 10, { continueOnFail: true });
		assert.equal(emulator.submits().length, 5);
		assert.deepEqual(sentPrompts(), ['frame 0', 'frame 1', 'frame 2', 'frame 3', 'frame 4'], 'the first five in item order, whatever the timing');
		const charged = result.kling.reduce((sum, item) => sum + Number((item.json.cost as IDataObject | undefined)?.billed_units ?? 0), 0);
		assert.equal(charged, 40);
		assert.equal(result.kling.filter((item) => item.json.error).length, 5);
	});

	test('an unknown price is refused under a budget unless Allow Unknown Prices is on', async () => {
		const unknownModel = { model: '__custom__', modelId: 'kling-v2-new' };
		const refused = await run(images({ runBudgetUnits: 1000 }, unknownModel), 1);
		assert.match(String(refused.error('Kling')?.message), /Run Budget of 1000 units: item 0 was refused because its price is unknown/);
		assert.match(String(refused.error('Kling')?.description), /Allow Unknown Prices/);
		assert.equal(emulator.requests.length, 0);
		const allowed = await run(images({ runBudgetUnits: 1000, allowUnknownPrices: true }, unknownModel), 1, { continueOnFail: true });
		assert.equal(emulator.submits().length, 1, 'sent once allowed');
		assert.equal((allowed.kling[0].json.cost as IDataObject).estimate_units, null);
	});

	test('without a budget nothing changes: every item is sent', async () => {
		await run(images({}), 3);
		assert.equal(emulator.submits().length, 3);
	});

	test('park mode: the budget holds before anything is sent; the parked items carry their estimate', async () => {
		const session = new ParkSession({
			credentials: credentialsFor('custom', emulator),
			waitingBaseUrl: receiver.waitingBaseUrl,
			continueOnFail: true,
			items: [0, 1, 2, 3, 4].map((index) => ({ index })),
			parameters: { ...images({ runBudgetUnits: 16 }), waitMode: 'park', waitOptions: { concurrency: 5 } },
		});
		receiver.sessions.set(session.executionId, session);
		await session.start();
		assert.equal(emulator.submits().length, 2);
		const output = session.output('Kling');
		assert.deepEqual(output.map((item) => (item.json.cost as IDataObject | undefined)?.estimate_units ?? null), [8, 8, null, null, null]);
		assert.match(String(output[2].json.error), /Run Budget of 16 units: item 2 was refused/);
		assert.match(String(output[4].json.description), /Items left out: 2, 3, 4\./);
		const deadline = Date.now() + 8_000;
		while (session.waiting && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
		await receiver.settled();
		assert.equal(session.waiting, false, 'resumed on Kling’s callbacks');
		const resumed = session.output('Kling');
		assert.deepEqual(
			resumed.slice(0, 2).map((item) => [(item.json.cost as IDataObject).estimate_units, (item.json.cost as IDataObject).billed_units]),
			[[8, 8], [8, 8]],
			'the estimate survives the wait and meets Kling’s bill',
		);
		assert.equal(emulator.submits().length, 2);
	});
});

describe('Estimate Only', () => {
	test('returns each item’s estimate and the checked request; no create request is sent', async () => {
		const result = await run(
			{ resource: 'video', operation: 'textToVideo', model: 'kling-v3', prompt: '={{ "shot " + $json.index }}', mode: 'pro', duration: '10', options: { sound: true }, costControl: { estimateOnly: true } },
			2,
		);
		assert.equal(result.error('Kling'), undefined);
		assert.equal(emulator.requests.length, 0, 'nothing was sent to Kling');
		const [first] = result.kling;
		assert.equal(first.json.estimate_only, true);
		assert.equal((first.json.cost as IDataObject).estimate_units, 12);
		assert.equal((first.json.cost as IDataObject).pack_type, 'video');
		assert.equal((first.json.request as IDataObject).route, '/v1/videos/text2video');
		assert.equal(((first.json.request as IDataObject).body as IDataObject).prompt, 'shot 0');
		assert.match(String(first.json.summary), /Estimate only, nothing was sent to Kling: 12 units \(video pack\)/);
	});

	test('under a budget it says which items would be refused, still sending nothing', async () => {
		const result = await run(images({ runBudgetUnits: 16, estimateOnly: true }), 3);
		assert.equal(emulator.requests.length, 0);
		assert.deepEqual(result.kling.map((item) => (item.json.cost as IDataObject).within_budget), [true, true, false]);
	});
});

describe('cost on every result matches what the emulator billed', () => {
	test('legacy route: final_unit_deduction of each task is the item’s billed_units; the summary says it', async () => {
		const result = await run(images({}, { options: { n: 2 } }), 2);
		assert.equal(result.error('Kling'), undefined);
		const billedByTask = new Map(emulator.createdTasks().map((task) => [task.task_id, String(emulator.taskObject(task).final_unit_deduction)]));
		for (const item of result.kling) {
			const cost = item.json.cost as IDataObject;
			assert.equal(String(cost.billed_units), billedByTask.get(String(item.json.task_id)));
			assert.deepEqual([cost.estimate_units, cost.billed_units, cost.pack_type, cost.difference_units], [16, 16, 'image', 0]);
			assert.match(String(item.json.summary), /cost: 16 units billed \(image pack\), estimated 16 units/);
		}
		assert.equal(chargesOf(emulator).length, 0, 'no synchronous charges');
	});

	test('a priced synchronous call (Text to Speech) carries its estimate and Kling’s final_unit_deduction', async () => {
		const result = await run({ resource: 'audio', operation: 'textToSpeech', text: 'hello', voiceId: 'oversea_male1', downloadResults: false }, 1);
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		const cost = result.kling[0].json.cost as IDataObject;
		assert.deepEqual([cost.estimate_units, cost.billed_units, cost.pack_type, cost.difference_units], [0.05, Number(result.kling[0].json.final_unit_deduction), 'audio', 0]);
	});

	test('new standard: billing[] of the task is the item’s billed_units', async () => {
		const result = await run(
			{ resource: 'video', operation: 'textToVideo', model: 'kling-v3', prompt: 'waves', mode: 'std', duration: '5', waitOptions: { pollIntervalSeconds: 0.02 }, downloadResults: false },
			1,
			{ preset: 'beijing' },
		);
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		const cost = result.kling[0].json.cost as IDataObject;
		assert.deepEqual([cost.estimate_units, cost.billed_units, cost.pack_type], [3, 3, 'video']);
	});
});
