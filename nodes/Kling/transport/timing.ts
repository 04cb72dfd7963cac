import type { IDataObject } from 'n8n-workflow';

import { DOWNLOAD_POLICY, POLL_SCHEDULE, REQUEST_POLICY, SUBMIT_LOOKUP_DELAYS_MS } from '../kling/constants';

/**
 * Every timing the request, submit, wait and download policies use. Production runs on the frozen
 * constants; tests and benchmarks run the same code faster by passing other values through the
 * node's hidden `timing` parameter (never shown in the editor), so no shared constant is mutated.
 */
export interface Timing {
	requestTimeoutMs: number;
	readMaxRetries: number;
	submitMaxRetries: number;
	backoffBaseMs: number;
	backoffMaxMs: number;
	retryBudgetMs: number;
	slotWaitBudgetMs: number;
	slotBackoffMaxMs: number;
	submitLookupDelaysMs: readonly number[];
	/** Scales the automatic poll schedule (benchmarks run time-scaled tasks). */
	pollTimeScale: number;
	downloadTimeoutMs: number;
	downloadMaxRetries: number;
	downloadBackoffBaseMs: number;
	downloadBackoffMaxMs: number;
}

export const DEFAULT_TIMING: Readonly<Timing> = Object.freeze({
	requestTimeoutMs: REQUEST_POLICY.requestTimeoutMs,
	readMaxRetries: REQUEST_POLICY.readMaxRetries,
	submitMaxRetries: REQUEST_POLICY.submitMaxRetries,
	backoffBaseMs: REQUEST_POLICY.backoffBaseMs,
	backoffMaxMs: REQUEST_POLICY.backoffMaxMs,
	retryBudgetMs: REQUEST_POLICY.retryBudgetMs,
	slotWaitBudgetMs: REQUEST_POLICY.slotWaitBudgetMs,
	slotBackoffMaxMs: REQUEST_POLICY.slotBackoffMaxMs,
	submitLookupDelaysMs: SUBMIT_LOOKUP_DELAYS_MS,
	pollTimeScale: POLL_SCHEDULE.timeScale,
	downloadTimeoutMs: DOWNLOAD_POLICY.timeoutMs,
	downloadMaxRetries: DOWNLOAD_POLICY.maxRetries,
	downloadBackoffBaseMs: DOWNLOAD_POLICY.backoffBaseMs,
	downloadBackoffMaxMs: DOWNLOAD_POLICY.backoffMaxMs,
});

/** The name of the hidden node parameter that carries timing overrides. */
export const TIMING_PARAMETER = 'timing';

interface ParameterReader {
	getNodeParameter(name: string, ...rest: unknown[]): unknown;
	getInputData?: unknown;
}

/** The timing for this node run: the defaults, with any override from the hidden parameter. */
export function timingOf(context: ParameterReader): Timing {
	let override: unknown;
	try {
		// IExecuteFunctions takes an item index; single-item, webhook and load-options contexts do not.
		override =
			typeof context.getInputData === 'function'
				? context.getNodeParameter(TIMING_PARAMETER, 0, {})
				: context.getNodeParameter(TIMING_PARAMETER, {});
	} catch {
		override = undefined;
	}
	if (!override || typeof override !== 'object') return DEFAULT_TIMING;
	const timing: Timing = { ...DEFAULT_TIMING };
	for (const [key, value] of Object.entries(override as IDataObject)) {
		if (!(key in DEFAULT_TIMING)) continue;
		if (key === 'submitLookupDelaysMs') {
			if (Array.isArray(value)) timing.submitLookupDelaysMs = value.map(Number).filter((n) => n >= 0);
		} else if (typeof value === 'number' && value >= 0) {
			(timing as unknown as Record<string, number>)[key] = value;
		}
	}
	return timing;
}
