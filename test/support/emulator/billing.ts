/**
 * Kling's deduction ledgers (https://kling.ai/document-api/llms.txt): `POST /account/billing/balance` (cash) and
 * `/account/billing/package` (units). Every finished task and every synchronous paid call of an
 * account is a row; pages follow an opaque cursor that overrides every other field.
 */
import type { KlingEmulator } from './kling-emulator';
import type { EndpointAnswer, EndpointRequest } from './syncEndpoints';
import { type FieldSpec, validateRequest } from './routes';

interface Charge {
	account: string;
	taskId: string;
	productFunction: string;
	units: number;
	at: number;
}

const charges = new WeakMap<KlingEmulator, Charge[]>();

/**
 * What Kling bills for a task created on a legacy route, from the price list (https://kling.ai/document-api/pricing/base/video,
 * 2026-09), written here from the contract on its own: the emulator never reads the node's table.
 * Undefined for products the list does not price (the caller bills one unit per slot then).
 */
export function legacyListPrice(path: string, body: Record<string, unknown>): number | undefined {
	const model = String(body.model_name ?? '');
	const seconds = Number(body.duration);
	const perSecond = (rate: number | undefined) => (rate === undefined || !Number.isFinite(seconds) ? undefined : Math.round(rate * seconds * 1000) / 1000);
	// Columns: std (720p), pro (1080p), 4k.
	const column = body.mode === '4k' ? 2 : body.mode === 'pro' ? 1 : 0;
	const sound = body.sound === 'on';
	const images = Number(body.n ?? 1);
	switch (path) {
		case '/v1/videos/text2video':
		case '/v1/videos/image2video': {
			const voice = Array.isArray(body.voice_list) && body.voice_list.length > 0;
			const rates: Record<string, Array<number | undefined>> = {
				'kling-v3': sound ? [0.9, 1.2, 3] : [0.6, 0.8, 3],
				'kling-v2-6': voice ? [undefined, 1.2] : sound ? [undefined, 1.0] : [0.3, 0.5],
				'kling-v2-5-turbo': [0.3, 0.5],
			};
			return perSecond(rates[model]?.[column]);
		}
		case '/v1/videos/omni-video': {
			const video = Array.isArray(body.video_list) && body.video_list.length > 0;
			const rates: Record<string, Array<number | undefined>> = {
				'kling-v3-omni': video ? [0.9, 1.2, 3] : sound ? [0.8, 1.0, 3] : [0.6, 0.8, 3],
				'kling-video-o1': video ? [0.9, 1.2] : [0.6, 0.8],
			};
			return perSecond(rates[model]?.[column]);
		}
		case '/v1/images/generations':
			if (model === 'kling-v3') return 8 * images;
			if (model === 'kling-v2-1') return (body.image ? 8 : 4) * images;
			return undefined;
		case '/v1/images/omni-image': {
			const count = body.result_type === 'series' ? (body.series_amount === 'auto' ? 9 : Number(body.series_amount ?? 4)) : images;
			if (model === 'kling-v3-omni') return (body.resolution === '4k' ? 16 : 8) * count;
			if (model === 'kling-image-o1' && body.resolution !== '4k') return 8 * count;
			return undefined;
		}
		case '/v1/images/multi-image2image':
			return model === 'kling-v2-1' ? 16 * images : undefined;
		case '/v1/images/editing/expand':
			return 8 * images;
		case '/v1/general/ai-multi-shot':
			return 20;
		case '/v1/audio/text-to-audio':
		case '/v1/audio/video-to-audio':
			return 0.25;
		case '/v1/general/custom-voices':
			return 0.05;
		default:
			return undefined;
	}
}

export function recordCharge(emulator: KlingEmulator, account: string, charge: Omit<Charge, 'account' | 'at'>): void {
	const list = charges.get(emulator) ?? [];
	list.push({ ...charge, account, at: Date.now() });
	charges.set(emulator, list);
}

/** Every charge since the last reset: what the account paid for, call by call. */
export function chargesOf(emulator: KlingEmulator): readonly Charge[] {
	return charges.get(emulator) ?? [];
}

/** Called by the emulator's reset: a new test starts with an empty ledger. */
export function forgetCharges(emulator: KlingEmulator): void {
	charges.delete(emulator);
}

const PRODUCT_FUNCTIONS: Record<string, string> = {
	'/v1/images/generations': 'Image Generation',
	'/v1/images/omni-image': 'Omni Image',
	'/v1/videos/text2video': 'Text to Video',
	'/v1/videos/image2video': 'Image to Video',
	'/v1/videos/effects': 'Video Effects',
	'/v1/videos/advanced-lip-sync': 'Lip Sync',
};

const FILTER_KEYS = { balance: ['api_key_name'], package: ['api_key_name', 'product_type', 'package_name', 'package_id'] };

function rows(emulator: KlingEmulator, account: string, kind: 'balance' | 'package', start: number, end: number, filters: Array<{ key: string; values: string[] }>) {
	const fromTasks: Charge[] = [...emulator.tasks.values()]
		.filter((task) => task.credentialKey === account && emulator.statusOf(task) === 'succeed')
		.map((task) => ({
			account,
			taskId: task.task_id,
			productFunction: PRODUCT_FUNCTIONS[task.route.path] ?? task.route.path,
			units: legacyListPrice(task.route.path, task.body) ?? task.slots,
			at: task.createdAt,
		}));
	const all = [...fromTasks, ...(charges.get(emulator) ?? []).filter((charge) => charge.account === account)]
		.filter((charge) => charge.at >= start && charge.at <= end)
		.sort((a, b) => b.at - a.at);
	let balance = 1000;
	const productType = (charge: Charge) => (/image/i.test(charge.productFunction) ? 'image' : 'video');
	const detail = all.map((charge) => {
		const base = {
			task_id: charge.taskId,
			api_key_name: 'default',
			product_function: charge.productFunction,
			model_name: '',
			resolution: '720p',
			duration: '',
			refer_video_input: false,
			video_sound: 'off',
			voice_control: false,
			deduction_time: String(charge.at),
		};
		const before = balance;
		balance -= charge.units;
		return kind === 'balance'
			? { ...base, cash_type: 'balance', balance_before_deduction: before, deduction_amount: charge.units, balance_after_deduction: balance, list_price: charge.units, currency: 'USD' }
			: { ...base, package_id: `pack-${productType(charge)}-1`, product_type: productType(charge), unit_before_deduction: before, deduction_amount: charge.units, unit_after_deduction: balance };
	});
	return detail.filter((row) =>
		filters.every((filter) => filter.values.length === 0 || filter.values.includes(String((row as Record<string, unknown>)[filter.key] ?? ''))),
	);
}

function ledger(emulator: KlingEmulator, request: EndpointRequest, kind: 'balance' | 'package'): EndpointAnswer {
	const fields: Record<string, FieldSpec> = {
		start_time: { type: 'integer' },
		end_time: { type: 'integer' },
		limit: { type: 'integer', min: 1, max: 500 },
		cursor: { type: 'string' },
		filters: {
			type: 'array',
			items: { key: { type: 'string', required: true, enum: FILTER_KEYS[kind] }, values: { type: 'array', required: true } },
		},
	};
	const problem = request.body ? validateRequest({ path: '', result: 'custom', fields }, request.body) : 'the request body is not JSON';
	if (problem) return { code: 1201, message: problem };
	let query = request.body as { start_time?: number; end_time?: number; limit?: number; filters?: Array<{ key: string; values: string[] }>; offset?: number };
	if (query && typeof (query as { cursor?: string }).cursor === 'string' && (query as { cursor?: string }).cursor) {
		try {
			query = JSON.parse(Buffer.from(String((query as { cursor?: string }).cursor), 'base64url').toString()) as typeof query;
		} catch {
			return { code: 1201, message: 'cursor is invalid' };
		}
	} else {
		if (query.start_time === undefined || query.end_time === undefined) return { code: 1201, message: 'start_time and end_time are required without a cursor' };
		if (query.start_time >= query.end_time) return { code: 1201, message: 'start_time must be earlier than end_time' };
		const keys = (query.filters ?? []).map((filter) => filter.key);
		if (keys.includes('package_name') && keys.includes('package_id')) return { code: 1201, message: 'package_name and package_id are mutually exclusive' };
	}
	const limit = query.limit ?? 500;
	const offset = query.offset ?? 0;
	const all = rows(emulator, request.account, kind, query.start_time!, query.end_time!, query.filters ?? []);
	const detail = all.slice(offset, offset + limit);
	const hasMore = offset + limit < all.length;
	const nextCursor = hasMore ? Buffer.from(JSON.stringify({ ...query, offset: offset + limit })).toString('base64url') : '';
	return { code: 0, data: { result: { detail, count: detail.length }, next_cursor: nextCursor, has_more: hasMore } };
}

/** Answers the two ledger routes; undefined for every other path. */
export function billingEndpoint(emulator: KlingEmulator, request: EndpointRequest): EndpointAnswer | undefined {
	if (request.method !== 'POST') return undefined;
	if (request.klingPath === '/account/billing/balance') return ledger(emulator, request, 'balance');
	if (request.klingPath === '/account/billing/package') return ledger(emulator, request, 'package');
	return undefined;
}
