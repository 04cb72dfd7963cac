import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import { invalidInput } from '../transport/errors';
import { findVideoModel, RESOLUTION_OF_MODE, type VideoProduct } from '../kling/models';
import { checkedNumber } from '../input/numbers';
import { findPrice, isPricedProduct, type PackType, type PriceRow, type PriceVariant, type PricedProduct } from '../kling/prices';
import type { KlingTask } from '../kling/taskShape';

/**
 * The price of one item before it is paid, from the price table (prices.ts) and the validated
 * request body (legacy shape), and what Kling billed for it afterwards.
 */
export interface Estimate {
	/** Units of the resource pack; undefined = unknown (no price row, or a length Kling decides). */
	units?: number;
	pack?: PackType;
	/** How it was computed, or why it is unknown. */
	basis: string;
	/** The price row's source and date. */
	source?: string;
}

const round = (units: number) => Math.round(units * 1000) / 1000;

function unknown(basis: string, row?: PriceRow): Estimate {
	return { basis: row?.note ? `${basis}; ${row.note}` : basis, pack: row?.pack, source: row ? `${row.source}, ${row.date}` : undefined };
}

function priced(row: PriceRow | undefined, quantity: number, what: string, label: string): Estimate {
	if (!row) return unknown(`no price is known for ${label}`);
	if (row.units === null) return unknown(`no unit price from Kling for ${label}`, row);
	const per = { second: 'unit/s', image: 'units/image', call: 'units/call', fiveSeconds: 'units per 5 s' }[row.per];
	return { units: round(row.units * quantity), pack: row.pack, basis: `${label}: ${row.units} ${per} × ${what}`, source: `${row.source}, ${row.date}` };
}

const has = (value: unknown) => (Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null && value !== '');

const VIDEO_PRODUCT_NAMES: Record<VideoProduct, string> = {
	textToVideo: 'Video › Text to Video',
	imageToVideo: 'Video › Image to Video',
	omniVideo: 'Video › Omni Video',
	motionControl: 'Video › Motion Control',
};

function videoEstimate(product: VideoProduct, body: IDataObject): Estimate {
	const typed = String(body.model_name ?? '');
	const model = findVideoModel(typed)?.id ?? typed;
	const resolution = RESOLUTION_OF_MODE[String(body.mode ?? 'std')] ?? String(body.mode);
	const videoInput = Array.isArray(body.video_list) && body.video_list.length > 0;
	let variant: PriceVariant = body.sound === 'on' ? 'audio' : 'silent';
	if (has(body.voice_list)) variant = 'voice';
	if (model === 'kling-3.0-turbo') variant = 'audio';
	if (product === 'omniVideo' && videoInput) variant = 'videoInput';
	const label = `${model} (${VIDEO_PRODUCT_NAMES[product]}) ${resolution}${variant === 'silent' ? '' : ` ${variant === 'videoInput' ? 'with video input' : variant === 'voice' ? 'with voice control' : 'with audio'}`}`;
	const row = findPrice(product, model, resolution, variant);
	if (!row || row.units === null) return priced(row, 0, '', label);
	const seconds = Number(body.duration);
	if (!has(body.duration) || !Number.isFinite(seconds)) return unknown(`${label}: the length follows the input video, so Kling decides the seconds billed`, row);
	return priced(row, seconds, `${seconds} s`, label);
}

/** Images of an image task: n, or the series amount ("auto" is priced at its maximum, 9). */
function imageCount(body: IDataObject): { count: number; what: string } {
	if (body.result_type === 'series') {
		if (body.series_amount === 'auto' || body.series_amount === undefined) return { count: 9, what: 'up to 9 series images (auto)' };
		const count = Number(body.series_amount);
		return { count, what: `${count} series images` };
	}
	const count = Number(body.n ?? 1);
	return { count, what: `${count} image${count === 1 ? '' : 's'}` };
}

const PRODUCT_NAMES: Record<string, string> = {
	'/v1/images/generations': 'Image › Generate',
	'/v1/images/omni-image': 'Image › Omni Image',
	'/v1/images/multi-image2image': 'Image › Multi-Image to Image',
	'/v1/images/editing/expand': 'Image › Expand',
	'/v1/general/ai-multi-shot': 'Element › Generate Views',
	'/v1/audio/text-to-audio': 'Audio › Text to Audio',
	'/v1/audio/video-to-audio': 'Audio › Video to Audio',
	'/v1/audio/tts': 'Audio › Text to Speech',
	'/v1/videos/identify-face': 'Video › Identify Faces',
	'/v1/videos/image-recognize': 'Image › Recognize',
	'/v1/general/custom-voices': 'Voice › Create',
};

/** The estimate for one validated request body on a route (video products by product, the rest by route). */
export function estimateCost(taskPath: string, body: IDataObject, videoProduct?: VideoProduct): Estimate {
	if (videoProduct) return videoEstimate(videoProduct, body);
	if (!isPricedProduct(taskPath)) return unknown(`no price is known for ${taskPath} (this product is not in the price list)`);
	const product: PricedProduct = taskPath;
	const model = String(body.model_name ?? '*');
	switch (product) {
		case '/v1/images/generations':
		case '/v1/images/omni-image':
		case '/v1/images/multi-image2image':
		case '/v1/images/editing/expand': {
			const resolution = String(body.resolution ?? '1k');
			const variant: PriceVariant = product === '/v1/images/generations' ? (has(body.image) ? 'imageToImage' : 'textToImage') : 'any';
			const { count, what } = imageCount(body);
			const name = PRODUCT_NAMES[product];
			const label = `${model === '*' ? name : `${model} (${name})`}${product === '/v1/images/omni-image' ? ` ${resolution}` : ''}${variant === 'any' || model !== 'kling-v2-1' ? '' : variant === 'imageToImage' ? ' image to image' : ' text to image'}`;
			return priced(findPrice(product, model, resolution, variant), count, what, label);
		}
		case '/v1/videos/avatar/image2video':
			return unknown(`avatar ${RESOLUTION_OF_MODE[String(body.mode ?? 'std')] ?? body.mode}: the length follows the audio, so Kling decides the seconds billed`, findPrice(product, '*', RESOLUTION_OF_MODE[String(body.mode ?? 'std')] ?? '', 'any'));
		case '/v1/videos/advanced-lip-sync': {
			const face = ((body.face_choose as IDataObject[] | undefined) ?? [])[0] ?? {};
			const end = Number(face.sound_end_time);
			const begin = Number(face.sound_start_time ?? 0);
			if (!Number.isFinite(end) || end <= begin) return unknown('lip sync: the length follows the audio, so Kling decides the seconds billed', findPrice(product, '*', '*', 'any'));
			const blocks = Math.ceil((end - begin) / 5000);
			return priced(findPrice(product, '*', '*', 'any'), blocks, `${blocks} × 5 s`, 'advanced lip sync');
		}
		default:
			return priced(findPrice(product, model, '*', 'any'), 1, '1 call', PRODUCT_NAMES[product] ?? product);
	}
}

/** What Kling billed for a task: legacy `final_unit_deduction` / `final_balance_deduction`, new `billing[]`. */
export function billedOf(task: IDataObject): { units?: number; cash?: number; currency?: string; pack?: string } {
	const billed: { units?: number; cash?: number; currency?: string; pack?: string } = {};
	const add = (key: 'units' | 'cash', value: unknown) => {
		const amount = Number(value);
		if (value !== undefined && value !== null && value !== '' && Number.isFinite(amount)) billed[key] = round((billed[key] ?? 0) + amount);
	};
	if (Array.isArray(task.billing)) {
		for (const charge of task.billing as IDataObject[]) {
			if (charge.charge_type === 'unit') {
				add('units', charge.amount);
				if (charge.package_type) billed.pack = String(charge.package_type);
			} else if (charge.charge_type === 'cash') {
				add('cash', charge.amount);
				if (charge.currency) billed.currency = String(charge.currency);
			}
		}
		return billed;
	}
	add('units', task.final_unit_deduction);
	const balance = task.final_balance_deduction as IDataObject | undefined;
	if (balance && Number(balance.quota) > 0) add('cash', balance.quota);
	return billed;
}

/** The `cost` of an item's JSON: the estimate, and what Kling billed once the task has ended. */
export function costJson(estimate: Estimate | undefined, task?: KlingTask | IDataObject): IDataObject {
	const billed = task ? billedOf(task as IDataObject) : {};
	const cost: IDataObject = {
		estimate_units: estimate?.units ?? null,
		pack_type: billed.pack ?? estimate?.pack ?? null,
		billed_units: billed.units ?? null,
		billed_cash: billed.cash ?? null,
		source: estimate?.source ?? null,
		basis: estimate?.basis ?? 'not estimated',
	};
	if (billed.currency) cost.currency = billed.currency;
	if (billed.units !== undefined && estimate?.units !== undefined) cost.difference_units = round(billed.units - estimate.units);
	return cost;
}

/** The cost in the summary line: billed and estimated, and the difference when they disagree. */
export function costSentence(cost: IDataObject | undefined): string {
	if (!cost) return '';
	const notEstimated = cost.basis === 'not estimated';
	if (notEstimated && (cost.billed_units === null || cost.billed_units === undefined) && (cost.billed_cash === null || cost.billed_cash === undefined)) return '';
	const estimate = notEstimated ? 'not estimated here' : cost.estimate_units === null || cost.estimate_units === undefined ? 'price unknown' : `estimated ${cost.estimate_units} units`;
	const pack = cost.pack_type ? ` (${cost.pack_type} pack)` : '';
	const cash = cost.billed_cash !== null && cost.billed_cash !== undefined ? `${cost.billed_cash}${cost.currency ? ` ${cost.currency}` : ''} billed` : '';
	if (cost.billed_units === null || cost.billed_units === undefined) return cash ? `; cost: ${cash}, ${estimate}` : `; cost: ${estimate}${pack}, not billed yet`;
	const difference = Number(cost.difference_units ?? 0);
	const note = difference ? `, ${difference > 0 ? `${difference} more` : `${-difference} less`} than estimated` : '';
	return `; cost: ${cost.billed_units} units billed${pack}, ${estimate}${note}${cash ? `, ${cash}` : ''}`;
}

function costOptions(context: IExecuteFunctions, itemIndex: number): IDataObject {
	return ((context.getNodeParameter('costControl', itemIndex, {}) as IDataObject | null) ?? {}) as IDataObject;
}

export function isEstimateOnly(context: IExecuteFunctions, itemIndex: number): boolean {
	return costOptions(context, itemIndex).estimateOnly === true;
}

/**
 * The budget of one node run: one reservation per item, taken in item order before anything is
 * sent. An item may be sent only while it holds a reservation that covers its estimate.
 */
export class RunBudget {
	private reserved = 0;
	private readonly held = new Map<number, number>();
	private readonly refused = new Map<number, Estimate>();

	constructor(
		readonly limit: number,
		private readonly allowUnknown: (itemIndex: number) => boolean,
	) {}

	/** Reserves the item's estimate; false when it would take the run past the budget (or its price is unknown). */
	reserve(itemIndex: number, estimate: Estimate): boolean {
		if (estimate.units === undefined) {
			if (!this.allowUnknown(itemIndex)) {
				this.refused.set(itemIndex, estimate);
				return false;
			}
			this.held.set(itemIndex, 0);
			return true;
		}
		if (this.reserved + estimate.units > this.limit + 1e-9) {
			this.refused.set(itemIndex, estimate);
			return false;
		}
		this.reserved = round(this.reserved + estimate.units);
		this.held.set(itemIndex, estimate.units);
		return true;
	}

	/** Whether the item may be sent: it holds a reservation that covers this estimate. */
	covers(itemIndex: number, estimate: Estimate): boolean {
		const held = this.held.get(itemIndex);
		if (held === undefined) return false;
		return estimate.units === undefined ? this.allowUnknown(itemIndex) : estimate.units <= held + 1e-9;
	}

	get reservedUnits(): number {
		return this.reserved;
	}

	refusedItems(): number[] {
		return [...this.refused.keys()].sort((a, b) => a - b);
	}

	refusal(node: INode, itemIndex: number, estimate: Estimate): Error {
		const left = this.refusedItems();
		const leftOut = left.length ? left : [itemIndex];
		const price = estimate.units === undefined ? `its price is unknown (${estimate.basis})` : `its estimate is ${estimate.units} units (${estimate.basis})`;
		return invalidInput(
			node,
			`Run Budget of ${this.limit} units: item ${itemIndex} was refused because ${price}; ${this.reserved} units are already reserved by the other items of this run`,
			itemIndex,
			`Items left out: ${leftOut.join(', ')}. ${
				estimate.units === undefined ? 'Turn on Cost Control › Allow Unknown Prices to run items whose price is unknown, or ' : ''
			}raise the Run Budget (Units) or send fewer items. Nothing was sent to Kling for this item.`,
		);
	}
}

/** The estimate kept in an item's `cost` (park mode carries it across the wait). */
export function estimateFromCostJson(cost: unknown): Estimate | undefined {
	if (!cost || typeof cost !== 'object') return undefined;
	const json = cost as IDataObject;
	if (json.basis === undefined || json.basis === 'not estimated') return undefined;
	const units = typeof json.estimate_units === 'number' ? json.estimate_units : undefined;
	return { units, pack: (json.pack_type as PackType | null) ?? undefined, basis: String(json.basis), source: (json.source as string | null) ?? undefined };
}

const budgets = new WeakMap<IExecuteFunctions, RunBudget>();

/** The Run Budget of this node run, read once from the first item (it counts across all items). */
export function readRunBudget(context: IExecuteFunctions): RunBudget | undefined {
	if (!context.getInputData().length) return undefined;
	const options = costOptions(context, 0);
	if (options.runBudgetUnits === undefined || options.runBudgetUnits === null || options.runBudgetUnits === '') return undefined;
	const limit = checkedNumber(context.getNode(), options.runBudgetUnits, { label: 'Run Budget (Units)', min: 0, nothingSent: true }, 0);
	return new RunBudget(limit, (itemIndex) => costOptions(context, itemIndex).allowUnknownPrices === true);
}

export function rememberBudget(context: IExecuteFunctions, budget: RunBudget): void {
	budgets.set(context, budget);
}

export function budgetOf(context: IExecuteFunctions): RunBudget | undefined {
	return budgets.get(context);
}
