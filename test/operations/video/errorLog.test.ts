/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { Container } from '@n8n/di';
import { ErrorReporter } from 'n8n-core';

import { sentBody, useEmulator } from '../helpers';

const emulator = useEmulator();

describe('n8n’s console', () => {
	test('a validation error is logged once (n8n’s error reporter logs an error and each of its causes)', async () => {
		const reporter = Container.get(ErrorReporter) as unknown as { logger: { error: (message: string) => void } };
		const lines: string[] = [];
		const original = reporter.logger;
		reporter.logger = { ...original, error: (message: string) => lines.push(message) } as typeof original;
		try {
			await assert.rejects(
				sentBody(emulator(), { resource: 'video', operation: 'textToVideo', model: 'kling-v2-6', prompt: 'x', duration: '7' }),
				/Duration 7 s is not available for Kling 2\.6/,
			);
		} finally {
			reporter.logger = original;
		}
		const logged = lines.filter((line) => line.includes('Duration 7 s is not available'));
		assert.equal(logged.length, 1, logged.join('\n---\n'));
		assert.equal(emulator().requests.length, 0);
	});
});
