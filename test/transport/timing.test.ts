/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { DOWNLOAD_POLICY, POLL_SCHEDULE, REQUEST_POLICY, SUBMIT_LOOKUP_DELAYS_MS } from '../../nodes/Kling/kling/constants';
import { DEFAULT_TIMING, TIMING_PARAMETER, timingOf } from '../../nodes/Kling/transport/timing';

/** A context with an item index (IExecuteFunctions) or without (webhook, load options). */
function executeContext(value: unknown) {
	const calls: unknown[][] = [];
	return {
		calls,
		getInputData: () => [{ json: {} }],
		getNodeParameter: (...args: unknown[]) => {
			calls.push(args);
			return value;
		},
	};
}

describe('timingOf', () => {
	test('the defaults are the frozen policy constants', () => {
		assert.ok(Object.isFrozen(DEFAULT_TIMING));
		assert.equal(DEFAULT_TIMING.requestTimeoutMs, REQUEST_POLICY.requestTimeoutMs);
		assert.equal(DEFAULT_TIMING.submitMaxRetries, REQUEST_POLICY.submitMaxRetries);
		assert.equal(DEFAULT_TIMING.submitLookupDelaysMs, SUBMIT_LOOKUP_DELAYS_MS);
		assert.equal(DEFAULT_TIMING.pollTimeScale, POLL_SCHEDULE.timeScale);
		assert.equal(DEFAULT_TIMING.downloadTimeoutMs, DOWNLOAD_POLICY.timeoutMs);
	});

	test('no override, an empty or a non-object one gives the defaults themselves', () => {
		for (const value of [undefined, null, '', 'fast', 5]) assert.equal(timingOf(executeContext(value)), DEFAULT_TIMING, String(value));
	});

	test('an execute context is asked with an item index; other contexts without', () => {
		const execute = executeContext({});
		timingOf(execute);
		assert.deepEqual(execute.calls, [[TIMING_PARAMETER, 0, {}]]);
		const calls: unknown[][] = [];
		timingOf({ getNodeParameter: (...args: unknown[]) => (calls.push(args), {}) });
		assert.deepEqual(calls, [[TIMING_PARAMETER, {}]]);
	});

	test('a parameter that cannot be read gives the defaults', () => {
		const timing = timingOf({
			getNodeParameter: () => {
				throw new Error('no such parameter');
			},
		});
		assert.equal(timing, DEFAULT_TIMING);
	});

	test('known keys with numbers ≥ 0 override; unknown keys, negative numbers and text are ignored; the defaults stay untouched', () => {
		const timing = timingOf(
			executeContext({ requestTimeoutMs: 50, readMaxRetries: 0, backoffBaseMs: -1, backoffMaxMs: '9', somethingElse: 1, pollTimeScale: 0.01 }),
		);
		assert.equal(timing.requestTimeoutMs, 50);
		assert.equal(timing.readMaxRetries, 0);
		assert.equal(timing.backoffBaseMs, DEFAULT_TIMING.backoffBaseMs);
		assert.equal(timing.backoffMaxMs, DEFAULT_TIMING.backoffMaxMs);
		assert.equal(timing.pollTimeScale, 0.01);
		assert.ok(!('somethingElse' in timing));
		assert.equal(DEFAULT_TIMING.requestTimeoutMs, REQUEST_POLICY.requestTimeoutMs);
	});

	test('submitLookupDelaysMs takes an array of numbers ≥ 0; anything else keeps the default', () => {
		assert.deepEqual(timingOf(executeContext({ submitLookupDelaysMs: [0, '5', -1, 10] })).submitLookupDelaysMs, [0, 5, 10]);
		assert.deepEqual(timingOf(executeContext({ submitLookupDelaysMs: [] })).submitLookupDelaysMs, []);
		assert.equal(timingOf(executeContext({ submitLookupDelaysMs: 5 })).submitLookupDelaysMs, SUBMIT_LOOKUP_DELAYS_MS);
	});
});
