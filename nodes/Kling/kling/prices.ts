/**
 * Kling's price list, one row per product × model × resolution × variant: how many resource-pack
 * units one second, one image or one call costs, and which pack pays. Every row names its source
 * and date. A product or model without a row has no known price: its estimate is "unknown", never
 * a guess. A new price is a new row (or a changed number and date).
 */
export type PackType = 'video' | 'image' | 'audio';
export type PriceUnit = 'second' | 'image' | 'call' | 'fiveSeconds';
/** What changes the price besides model and resolution. */
export type PriceVariant = 'silent' | 'audio' | 'voice' | 'videoInput' | 'textToImage' | 'imageToImage' | 'any';

/** Priced products: a video product, or the route of a create endpoint / synchronous paid call. */
export type PricedProduct =
	| 'textToVideo'
	| 'imageToVideo'
	| 'omniVideo'
	| 'motionControl'
	| '/v1/videos/avatar/image2video'
	| '/v1/videos/advanced-lip-sync'
	| '/v1/images/generations'
	| '/v1/images/omni-image'
	| '/v1/images/multi-image2image'
	| '/v1/images/editing/expand'
	| '/v1/general/ai-multi-shot'
	| '/v1/audio/text-to-audio'
	| '/v1/audio/video-to-audio'
	| '/v1/audio/tts'
	| '/v1/videos/identify-face'
	| '/v1/videos/image-recognize'
	| '/v1/general/custom-voices';

export interface PriceRow {
	product: PricedProduct;
	/** The model as the node sends it on the legacy routes (new-path ids are matched through the model table); '*' = any. */
	model: string;
	/** '720p' | '1080p' | '4k' for video, '1k' | '2k' | '4k' for images; '*' = any. */
	resolution: string;
	variant: PriceVariant;
	/** Units per `per`; null = sold, but no price from Kling is known (the estimate is "unknown"). */
	units: number | null;
	per: PriceUnit;
	pack: PackType;
	source: string;
	/** When the source published the price. */
	date: string;
	/** What a third party charges where Kling publishes no unit price (never used as an estimate). */
	note?: string;
}

const LIST = 'Kling price list (https://kling.ai/document-api/pricing/base/video)';
const LIST_DATE = '2026-09';
const THIRD_PARTY = 'third-party cash prices only (fal, WaveSpeed, PiAPI; no official Kling 4.0 unit price published)';
const THIRD_PARTY_DATE = '2026-12-05';

type Cell = [resolution: string, units: number];

function videoRows(product: PricedProduct, model: string, variant: PriceVariant, cells: Cell[]): PriceRow[] {
	return cells.map(([resolution, units]) => ({ product, model, resolution, variant, units, per: 'second', pack: 'video', source: LIST, date: LIST_DATE }));
}

function flat(product: PricedProduct, model: string, resolution: string, variant: PriceVariant, units: number, per: PriceUnit, pack: PackType, source = LIST): PriceRow {
	return { product, model, resolution, variant, units, per, pack, source, date: LIST_DATE };
}

const BOTH: PricedProduct[] = ['textToVideo', 'imageToVideo'];

export const PRICE_TABLE: readonly PriceRow[] = [
	// Video, units per second of output.
	...BOTH.flatMap((product) => [
		...videoRows(product, 'kling-3.0-turbo', 'audio', [['720p', 0.8], ['1080p', 1.0]]),
		...videoRows(product, 'kling-v3', 'silent', [['720p', 0.6], ['1080p', 0.8], ['4k', 3.0]]),
		...videoRows(product, 'kling-v3', 'audio', [['720p', 0.9], ['1080p', 1.2], ['4k', 3.0]]),
		...videoRows(product, 'kling-v2-6', 'silent', [['720p', 0.3], ['1080p', 0.5]]),
		...videoRows(product, 'kling-v2-6', 'audio', [['1080p', 1.0]]),
		...videoRows(product, 'kling-v2-5-turbo', 'silent', [['720p', 0.3], ['1080p', 0.5]]),
	]),
	// Voice control: 2.6 image to video only (https://kling.ai/document-api/guides/capability-map/video).
	...videoRows('imageToVideo', 'kling-v2-6', 'voice', [['1080p', 1.2]]),
	...videoRows('motionControl', 'kling-v3', 'any', [['720p', 0.9], ['1080p', 1.2]]),
	...videoRows('motionControl', 'kling-v2-6', 'any', [['720p', 0.5], ['1080p', 0.8]]),
	...videoRows('omniVideo', 'kling-v3-omni', 'silent', [['720p', 0.6], ['1080p', 0.8], ['4k', 3.0]]),
	...videoRows('omniVideo', 'kling-v3-omni', 'audio', [['720p', 0.8], ['1080p', 1.0], ['4k', 3.0]]),
	...videoRows('omniVideo', 'kling-v3-omni', 'videoInput', [['720p', 0.9], ['1080p', 1.2], ['4k', 3.0]]),
	...videoRows('omniVideo', 'kling-video-o1', 'silent', [['720p', 0.6], ['1080p', 0.8]]),
	...videoRows('omniVideo', 'kling-video-o1', 'videoInput', [['720p', 0.9], ['1080p', 1.2]]),
	// Avatar: std = 720p, pro = 1080p; the length follows the audio.
	...videoRows('/v1/videos/avatar/image2video', '*', 'any', [['720p', 0.4], ['1080p', 0.8]]),
	// Kling 4.0: sold by third parties per second in cash; Kling's unit price is not published.
	...(['textToVideo', 'imageToVideo', 'omniVideo'] as PricedProduct[]).map(
		(product): PriceRow => ({
			product,
			model: 'kling-4.0',
			resolution: '*',
			variant: 'any',
			units: null,
			per: 'second',
			pack: 'video',
			source: THIRD_PARTY,
			date: THIRD_PARTY_DATE,
			note: 'resellers charge about $0.157/s at 720p and $0.235/s at 1080p; Kling’s unit price is not published',
		}),
	),
	// Per call or per 5 s.
	flat('/v1/videos/advanced-lip-sync', '*', '*', 'any', 0.5, 'fiveSeconds', 'video'),
	flat('/v1/audio/text-to-audio', '*', '*', 'any', 0.25, 'call', 'audio'),
	flat('/v1/audio/video-to-audio', '*', '*', 'any', 0.25, 'call', 'audio'),
	flat('/v1/audio/tts', '*', '*', 'any', 0.05, 'call', 'audio'),
	flat('/v1/videos/identify-face', '*', '*', 'any', 0.05, 'call', 'video'),
	flat('/v1/videos/image-recognize', '*', '*', 'any', 0.1, 'call', 'image'),
	flat('/v1/general/custom-voices', '*', '*', 'any', 0.05, 'call', 'audio'),
	// Images (image pack), units per image.
	flat('/v1/images/generations', 'kling-v3', '*', 'any', 8, 'image', 'image'),
	flat('/v1/images/generations', 'kling-v2-1', '*', 'textToImage', 4, 'image', 'image'),
	flat('/v1/images/generations', 'kling-v2-1', '*', 'imageToImage', 8, 'image', 'image'),
	flat('/v1/images/omni-image', 'kling-v3-omni', '1k', 'any', 8, 'image', 'image'),
	flat('/v1/images/omni-image', 'kling-v3-omni', '2k', 'any', 8, 'image', 'image'),
	flat('/v1/images/omni-image', 'kling-v3-omni', '4k', 'any', 16, 'image', 'image'),
	flat('/v1/images/omni-image', 'kling-image-o1', '1k', 'any', 8, 'image', 'image'),
	flat('/v1/images/omni-image', 'kling-image-o1', '2k', 'any', 8, 'image', 'image'),
	flat('/v1/images/multi-image2image', 'kling-v2-1', '*', 'any', 16, 'image', 'image'),
	flat('/v1/images/editing/expand', '*', '*', 'any', 8, 'image', 'image'),
	flat('/v1/general/ai-multi-shot', '*', '*', 'any', 20, 'call', 'image'),
];

/** The row for a product, model, resolution and variant; exact matches win over '*'. */
export function findPrice(product: PricedProduct, model: string, resolution: string, variant: PriceVariant): PriceRow | undefined {
	const matches = PRICE_TABLE.filter(
		(row) =>
			row.product === product &&
			(row.model === model || row.model === '*') &&
			(row.resolution === resolution || row.resolution === '*') &&
			(row.variant === variant || row.variant === 'any'),
	);
	const score = (row: PriceRow) => (row.model === model ? 4 : 0) + (row.resolution === resolution ? 2 : 0) + (row.variant === variant ? 1 : 0);
	return matches.sort((a, b) => score(b) - score(a))[0];
}

/** Whether any row prices this product (a product without rows, e.g. effects, is unpriced). */
export const isPricedProduct = (product: string): product is PricedProduct => PRICE_TABLE.some((row) => row.product === product);
