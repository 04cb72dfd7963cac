/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
/**
 * Options › Additional Body Fields (JSON): fields Kling released after this package, merged into the
 * body actually sent (after the new-API conversion), never over a field the node manages.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { INodeProperties } from 'n8n-workflow';

import { OPERATIONS, nodeProperties } from '../../nodes/Kling/resources/index';
import { credentialsFor, fastWait, networkFor } from '../support/fixtures';
import { runKling } from '../support/harness/n8n';
import { sentBody, useEmulator, withoutDerivedId } from '../operations/helpers';

const emulator = useEmulator();
const t2v = { resource: 'video', operation: 'textToVideo', prompt: 'waves at dusk' };
const API_KEY = { preset: 'beijing' as const };
const NOTHING_SENT = /Nothing was sent to Kling\./;
const withExtras = (extras: unknown, options: Record<string, unknown> = {}) => ({ ...t2v, options: { ...options, additionalBodyFields: extras } });

describe('Additional Body Fields (JSON)', () => {
	test('descriptor: every create operation has the option in its Options (Text to Speech too); other synchronous calls have none', () => {
		for (const operation of Object.values(OPERATIONS).flat()) {
			const options = nodeProperties.find(
				(property) =>
					property.name === 'options' &&
					property.displayOptions?.show?.resource?.includes(operation.resource) &&
					property.displayOptions?.show?.operation?.includes(operation.value),
			);
			const names = ((options?.options ?? []) as INodeProperties[]).map((option) => option.name);
			if (operation.kind === 'task' || `${operation.resource}:${operation.value}` === 'audio:textToSpeech') {
				const field = (options?.options as INodeProperties[]).find((option) => option.name === 'additionalBodyFields');
				assert.equal(field?.displayName, 'Additional Body Fields (JSON)', `${operation.resource}:${operation.value}`);
				assert.equal(field?.type, 'json');
			} else {
				assert.ok(!names.includes('additionalBodyFields'), `${operation.resource}:${operation.value} has no create body to extend`);
			}
		}
	});

	test('legacy: a field the node does not know reaches Kling; the strict emulator refuses it with 1201, which proves it was sent', async () => {
		await assert.rejects(sentBody(emulator(), withExtras('{"brand_new_field": 7}')), /unknown parameter brand_new_field/);
		const submits = emulator().submits();
		assert.equal(submits.length, 1);
		assert.equal(submits[0].klingPath, '/v1/videos/text2video');
		assert.deepEqual(withoutDerivedId(submits[0].body), {
			model_name: 'kling-v3',
			mode: 'std',
			duration: '5',
			prompt: 'waves at dusk',
			brand_new_field: 7,
			external_task_id: '<derived>',
		});
	});

	test('legacy: a Kling field Text to Video does not offer (cfg_scale) is accepted; as a JSON string or an object', async () => {
		for (const extras of ['{"cfg_scale": 0.5}', { cfg_scale: 0.5 }]) {
			emulator().reset();
			const body = await sentBody(emulator(), withExtras(extras));
			assert.deepEqual(withoutDerivedId(body), {
				model_name: 'kling-v3',
				mode: 'std',
				duration: '5',
				prompt: 'waves at dusk',
				cfg_scale: 0.5,
				external_task_id: '<derived>',
			});
			assert.equal(emulator().createdTasks().length, 1, 'Kling made the task');
		}
	});

	test('new API (Kling 3.0 with an API key): the extra goes into the settings the node built, beside its own', async () => {
		await assert.rejects(
			sentBody(emulator(), withExtras('{"settings": {"brand_new_setting": true}, "brand_new_top": "x"}', { externalTaskId: 'extras-new' }), API_KEY),
			/unknown parameter (settings\.brand_new_setting|brand_new_top)/,
		);
		const [submit] = emulator().submits();
		assert.equal(submit.klingPath, '/text-to-video/kling-3.0');
		assert.deepEqual(submit.body, {
			prompt: 'waves at dusk',
			settings: { resolution: '720p', duration: 5, multi_shot: false, brand_new_setting: true },
			options: { external_task_id: 'extras-new' },
			brand_new_top: 'x',
		});
	});

	test('a field the node manages is refused before paying, naming the option, the key and the field', async () => {
		const refusals: Array<[unknown, RegExp, typeof API_KEY | undefined]> = [
			['{"duration": "10"}', /Additional Body Fields \(JSON\): "duration" is set by the node — use the Duration field/, undefined],
			['{"model_name": "kling-v2-6"}', /Additional Body Fields \(JSON\): "model_name" is set by the node — use the Model field/, undefined],
			['{"negative_prompt": "rain"}', /Additional Body Fields \(JSON\): "negative_prompt" is set by the node — use the Negative Prompt field/, undefined],
			[{ prompt: 'other' }, /Additional Body Fields \(JSON\): "prompt" is set by the node — use the Prompt field/, undefined],
			['{"settings": {"duration": 10}}', /Additional Body Fields \(JSON\): "settings\.duration" is set by the node — use the Duration field/, API_KEY],
			['{"settings": "flat"}', /Additional Body Fields \(JSON\): "settings" is set by the node/, API_KEY],
			['{"options": {"watermark_info": {"enabled": true}}}', /"options\.watermark_info" is set by the node — use the Watermarked Copy field/, API_KEY],
		];
		for (const [extras, message, preset] of refusals) {
			await assert.rejects(sentBody(emulator(), withExtras(extras), preset), (error: Error) => {
				assert.match(error.message, message);
				assert.match(error.message, NOTHING_SENT);
				return true;
			});
		}
		assert.equal(emulator().requests.length, 0, 'nothing reached Kling');
	});

	test('external_task_id and callback_url are the node’s, at the top level or in options', async () => {
		const refusals: Array<[string, RegExp, typeof API_KEY | undefined]> = [
			['{"external_task_id": "mine"}', /"external_task_id" is managed by the node — use Options › External Task ID/, undefined],
			['{"callback_url": "https://example.com/hook"}', /"callback_url" is managed by the node — use Options › Callback URL/, undefined],
			['{"options": {"callback_url": "https://example.com/hook"}}', /"options\.callback_url" is managed by the node — use Options › Callback URL/, API_KEY],
			['{"options": {"external_task_id": "mine"}}', /"options\.external_task_id" is managed by the node — use Options › External Task ID/, API_KEY],
		];
		for (const [extras, message, preset] of refusals) {
			await assert.rejects(sentBody(emulator(), withExtras(extras), preset), (error: Error) => {
				assert.match(error.message, /^Additional Body Fields \(JSON\): /);
				assert.match(error.message, message);
				assert.match(error.message, NOTHING_SENT);
				return true;
			});
		}
		assert.equal(emulator().requests.length, 0, 'nothing reached Kling');
	});

	test('invalid JSON, or JSON that is not an object, is refused before paying; empty means nothing', async () => {
		const refusals: Array<[unknown, RegExp]> = [
			['{"cfg_scale": ', /Additional Body Fields \(JSON\) is not valid JSON: /],
			['[1, 2]', /Additional Body Fields \(JSON\) must be a JSON object \{ … \}, got an array/],
			['"cfg_scale"', /Additional Body Fields \(JSON\) must be a JSON object \{ … \}, got a string/],
			['42', /Additional Body Fields \(JSON\) must be a JSON object \{ … \}, got a number/],
		];
		for (const [extras, message] of refusals) {
			await assert.rejects(sentBody(emulator(), withExtras(extras)), (error: Error) => {
				assert.match(error.message, message);
				assert.match(error.message, NOTHING_SENT);
				return true;
			});
		}
		assert.equal(emulator().requests.length, 0, 'nothing reached Kling');
		const plain = withoutDerivedId(await sentBody(emulator(), t2v));
		for (const empty of ['', '   ', '{}', {}]) {
			emulator().reset();
			assert.deepEqual(withoutDerivedId(await sentBody(emulator(), withExtras(empty))), plain, JSON.stringify(empty));
		}
	});

	test('Text to Speech (a synchronous create): an unknown field reaches Kling; a field the node sets is refused with nothing sent', async () => {
		const tts = { resource: 'audio', operation: 'textToSpeech', text: 'Welcome!', voiceId: 'oversea_male1' };
		await assert.rejects(sentBody(emulator(), { ...tts, options: { additionalBodyFields: '{"brand_new_field": "x"}' } }), /brand_new_field/);
		assert.deepEqual(emulator().submits()[0].body, { text: 'Welcome!', voice_id: 'oversea_male1', voice_language: 'en', voice_speed: 1, brand_new_field: 'x' });
		emulator().reset();
		await assert.rejects(
			sentBody(emulator(), { ...tts, options: { additionalBodyFields: '{"voice_speed": 2}' } }),
			/Additional Body Fields \(JSON\): "voice_speed" is set by the node — use the Voice Speed field\. Nothing was sent to Kling\./,
		);
		await assert.rejects(sentBody(emulator(), { ...tts, options: { additionalBodyFields: '{' } }), /Additional Body Fields \(JSON\) is not valid JSON.*Nothing was sent to Kling/);
		assert.equal(emulator().requests.length, 0);
	});

	test('Estimate Only shows the extras in the checked request; the estimate itself is unchanged', async () => {
		const estimate = async (options: Record<string, unknown>) => {
			const result = await runKling({
				parameters: { ...t2v, options, costControl: { estimateOnly: true } },
				credentials: credentialsFor('singapore', emulator()),
				network: networkFor(emulator()),
			});
			assert.equal(result.error('Kling'), undefined);
			return result.kling[0].json as { request: { body: Record<string, unknown> }; cost: unknown };
		};
		const plain = await estimate({});
		const extended = await estimate({ additionalBodyFields: '{"cfg_scale": 0.5}' });
		assert.equal(extended.request.body.cfg_scale, 0.5);
		assert.deepEqual(extended.cost, plain.cost);
		assert.equal(emulator().requests.length, 0);
	});

	test('a resend after Kling said "no such task" sends the very same body, extras included', async () => {
		emulator().injectFault({ method: 'POST', path: '/v1/videos/text2video', reset: 'beforeCreate' });
		const result = await runKling({
			parameters: { ...withExtras('{"cfg_scale": 0.25}'), waitForCompletion: false, waitOptions: fastWait },
			timing: { requestTimeoutMs: 400 },
			credentials: credentialsFor('singapore', emulator()),
			network: networkFor(emulator()),
		});
		assert.equal(result.error('Kling'), undefined, result.error('Kling')?.message);
		const submits = emulator().submits();
		assert.equal(submits.length, 2, 'sent again after the lookup said "no such task"');
		assert.equal(submits[0].body?.cfg_scale, 0.25);
		assert.deepEqual(submits[1].body, submits[0].body);
		assert.equal(emulator().createdTasks().length, 1);
	});
});
