/**
 * Tunables of the request, wait and download policies, in one place. They are frozen: tests and
 * benchmarks pass other timings through the node's hidden `timing` parameter (timing.ts).
 */
export const REQUEST_POLICY = Object.freeze({
	/** Per-request timeout for Kling API calls (not downloads). */
	requestTimeoutMs: 60_000,
	/** Retries of status, list and other read requests on network errors, 408, 429 and 5xx. */
	readMaxRetries: 5,
	/** Retries of a submit that Kling answered with "task not created" (1302/1303/5001), or that never connected. */
	submitMaxRetries: 8,
	/** Kling asks for at least 1 s before retrying a throttled request. */
	backoffBaseMs: 1_000,
	backoffMaxMs: 30_000,
	/** No single request keeps retrying longer than this. */
	retryBudgetMs: 5 * 60_000,
	/** How long a submit answered 1303 (account's task limit reached) keeps waiting for a free slot. */
	slotWaitBudgetMs: 15 * 60_000,
	/**
	 * Longest pause between 1303 retries: a slot frees when any task of the account ends (seconds
	 * apart), so a waiting submit checks again within seconds instead of backing off to 30 s.
	 */
	slotBackoffMaxMs: 4_000,
});

/** After an ambiguous submit: pauses between looking the task up by its external id. */
export const SUBMIT_LOOKUP_DELAYS_MS: readonly number[] = Object.freeze([1_000, 2_000, 3_000]);
/** A submit is sent at most this often, and resent only after Kling said the task does not exist. */
export const MAX_SUBMIT_SENDS = 2;

/**
 * Automatic polling: the first check when a task of that kind could plausibly be done, then an
 * interval that grows with the time already waited (detection delay ≤ ~10 % of the run time for a
 * lone task), so a 10-minute video needs about 30 status requests and a 20-second image is seen
 * quickly. These curves are the prior: the process poller (task/statusPoller.ts) learns the first check per
 * route and model from the run times it has seen, and shortens the interval when one batched
 * request answers many waiting tasks.
 */
export const POLL_SCHEDULE = Object.freeze({
	// Images and audio take seconds to a minute: status reads are free, so notice the end within ~5 %.
	image: { firstPollMs: 2_000, minIntervalMs: 1_000, growth: 0.05, maxIntervalMs: 10_000 },
	tryOn: { firstPollMs: 5_000, minIntervalMs: 1_000, growth: 0.05, maxIntervalMs: 10_000 },
	audio: { firstPollMs: 3_000, minIntervalMs: 1_000, growth: 0.05, maxIntervalMs: 10_000 },
	// Elements, voices and AI multi-shot (/v1/general/*) are built in seconds (an element about 5 s).
	general: { firstPollMs: 3_000, minIntervalMs: 1_000, growth: 0.05, maxIntervalMs: 10_000 },
	// Kling videos take minutes; polling before ~45 s only spends requests.
	video: { firstPollMs: 45_000, minIntervalMs: 2_000, growth: 0.095, maxIntervalMs: 60_000 },
	// Turbo, Flash and Lite video models finish in seconds to a minute: checked from 10 s.
	fastVideo: { firstPollMs: 10_000, minIntervalMs: 2_000, growth: 0.095, maxIntervalMs: 60_000 },
	// Kling 4.0 videos take 5–15 minutes (Oxen, Replicate): first checked at 60 s, then a slower-growing curve.
	slowVideo: { firstPollMs: 60_000, minIntervalMs: 2_000, growth: 0.08, maxIntervalMs: 60_000 },
	// Kling Image 4.0: one 2K image in about 45 s, a series or 8K in minutes (Replicate).
	image4: { firstPollMs: 20_000, minIntervalMs: 2_000, growth: 0.06, maxIntervalMs: 30_000 },
	/** The growth an interval never goes below however many tasks a request answers (end noticed within ~3 %). */
	batchedGrowth: 0.03,
	/** The shortest pause between two rounds of the process poller. */
	minRoundMs: 500,
	/**
	 * Once a task has ended, the tasks of the same route and model still waiting are checked from
	 * their own start plus the run time seen, at this interval (or 1 % of that run time, if longer),
	 * until the run time seen plus 3 % has passed for them; then the curve again. Once per task.
	 */
	siblingIntervalMs: 250,
	/** 1 in production; benchmarks run tasks time-scaled and scale the schedule with them. */
	timeScale: 1,
});

export const WAIT_DEFAULTS = {
	/** 0 = automatic (POLL_SCHEDULE). */
	pollIntervalSeconds: 0,
	timeoutMinutes: 15,
	/** Items running at once; Kling's smallest resource packs allow about five parallel tasks. */
	concurrency: 5,
};

export const DOWNLOAD_POLICY = Object.freeze({
	timeoutMs: 10 * 60_000,
	maxRetries: 3,
	backoffBaseMs: 500,
	backoffMaxMs: 5_000,
});

export const KLING_LIMITS = {
	promptLength: 2500,
	imageBytes: 10 * 1024 * 1024,
	audioBytes: 5 * 1024 * 1024,
	imageMinSidePx: 300,
	imageMaxAspectRatio: 2.5,
	imageCount: { min: 1, max: 9 },
	pageSize: { min: 1, max: 500 },
	pageNum: { min: 1, max: 1000 },
};

/** The Wait Mode that parks the execution until Kling calls back. */
export const PARK_MODE = 'park';
