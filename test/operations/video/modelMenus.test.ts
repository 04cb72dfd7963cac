/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { Kling } from '../../../nodes/Kling/Kling.node';
import { KlingTrigger } from '../../../nodes/KlingTrigger/KlingTrigger.node';
import { KlingApi } from '../../../credentials/KlingApi.credentials';
import { OPERATIONS } from '../../../nodes/Kling/resources';
import { currentModels, RESOLUTION_OF_MODE, type VideoProduct, VIDEO_MODEL_TABLE } from '../../../nodes/Kling/kling/models';
import { loadOptions } from '../../support/harness/loadOptions';
import { KLING_NODE_TYPE, testNode } from '../../support/harness/n8n';
import { operationOption, visibleFields } from '../helpers';

const MODE_OF_RESOLUTION = Object.fromEntries(Object.entries(RESOLUTION_OF_MODE).map(([mode, resolution]) => [resolution, mode]));
const VIDEO_PRODUCTS: VideoProduct[] = ['textToVideo', 'imageToVideo', 'omniVideo', 'motionControl'];

/** The values a menu offers: the static list, or what its loadOptions method answers for these parameters. */
async function offered(field: INodeProperties, parameters: IDataObject): Promise<string[]> {
	const method = field.typeOptions?.loadOptionsMethod as 'videoResolutions' | 'videoDurations' | undefined;
	if (!method) return (field.options as Array<{ value: string }>).map((option) => String(option.value));
	return (await loadOptions(method, parameters)).map((option) => String(option.value));
}

const field = (operation: string, name: string, values: IDataObject = {}) =>
	visibleFields('video', operation, values).find((property) => property.name === name);

describe('Video menus follow the chosen model (the model table)', () => {
	for (const product of VIDEO_PRODUCTS) {
		for (const model of currentModels(product)) {
			test(`${product} × ${model.name}: Resolution and Duration offer exactly what the table allows`, async () => {
				const capabilities = model.products[product]!;
				const parameters = { resource: 'video', operation: product, model: model.id };
				const mode = field(product, 'mode', { model: model.id });
				assert.ok(mode, 'a Resolution field');
				assert.deepEqual(await offered(mode, parameters), capabilities.resolutions.map((resolution) => MODE_OF_RESOLUTION[resolution]));
				assert.ok((mode.typeOptions?.loadOptionsDependsOn ?? []).includes('model'), 'reloaded when the model changes');
				const duration = field(product, 'duration', { model: model.id });
				if (capabilities.durations.length === 0) {
					assert.equal(duration, undefined, 'no Duration where the output follows the input video');
				} else {
					assert.ok(duration, 'a Duration field');
					assert.deepEqual(await offered(duration, parameters), capabilities.durations.map(String));
					assert.ok((duration.typeOptions?.loadOptionsDependsOn ?? []).includes('model'));
				}
			});
		}
	}

	test('a model typed under "Other" gets its own row; an unknown ID or an expression gets every value', async () => {
		const typed = { resource: 'video', operation: 'textToVideo', model: '__custom__', modelId: 'kling-v2-6' };
		assert.deepEqual((await loadOptions('videoResolutions', typed)).map((option) => option.value), ['std', 'pro']);
		assert.deepEqual((await loadOptions('videoDurations', typed)).map((option) => option.value), ['5', '10']);
		for (const model of ['={{ $json.model }}', 'kling-9.9']) {
			const parameters = { resource: 'video', operation: 'textToVideo', model: '__custom__', modelId: model };
			assert.deepEqual((await loadOptions('videoResolutions', parameters)).map((option) => option.value), ['std', 'pro', '4k']);
			assert.equal((await loadOptions('videoDurations', parameters)).length, 13);
		}
	});

	test('defaults are values every current model offers', () => {
		for (const product of VIDEO_PRODUCTS) {
			for (const model of currentModels(product)) {
				const capabilities = model.products[product]!;
				const mode = field(product, 'mode', { model: model.id })!;
				assert.ok(capabilities.resolutions.includes(RESOLUTION_OF_MODE[String(mode.default)]), `${product} ${model.id} resolution default`);
				const duration = field(product, 'duration', { model: model.id });
				if (duration) assert.ok(capabilities.durations.includes(Number(duration.default)), `${product} ${model.id} duration default`);
			}
		}
	});

	test('endpoints without a model menu offer only 720p and 1080p (no 4K)', async () => {
		for (const [resource, operation] of [['video', 'avatar'], ['video', 'multiImageToVideo'], ['multiElement', 'create']]) {
			const mode = visibleFields(resource, operation).find((property) => property.name === 'mode')!;
			assert.deepEqual(await offered(mode, { resource, operation }), ['std', 'pro'], `${resource} ${operation}`);
		}
	});
});

describe('Labels', () => {
	test('retired operations are marked and listed last; no current one is', () => {
		const retired = ['multiImageToVideo', 'extend'];
		const video = OPERATIONS.video.map((operation) => operation.value);
		assert.deepEqual(video.slice(-retired.length), retired);
		for (const resource of Object.keys(OPERATIONS) as Array<keyof typeof OPERATIONS>) {
			for (const operation of OPERATIONS[resource]) {
				const option = operationOption(resource, operation.value)!;
				const isRetired = resource === 'video' && retired.includes(operation.value);
				assert.equal(/\(Retired\)$/.test(option.name), isRetired, `${resource} ${operation.value}: ${option.name}`);
				assert.equal(/retired/i.test(option.action), isRetired, option.action);
			}
		}
	});

	test('the subtitle shows the resource and operation labels, never their values', async () => {
		const kling = new Kling();
		for (const resource of Object.keys(OPERATIONS) as Array<keyof typeof OPERATIONS>) {
			for (const operation of OPERATIONS[resource]) {
				const node = testNode('Kling', KLING_NODE_TYPE, { resource, operation: operation.value });
				const nodeTypes = { getByName: () => kling, getByNameAndVersion: () => kling, getKnownTypes: () => ({}) };
				const workflow = new Workflow({ id: 'wf-subtitle', nodes: [node], connections: {}, active: false, nodeTypes });
				await workflow.expression.acquireIsolate?.();
				let subtitle: unknown;
				try {
					subtitle = workflow.expression.getSimpleParameterValue(node, kling.description.subtitle!, 'internal', {});
				} finally {
					await workflow.expression.releaseIsolate?.();
				}
				const option = operationOption(resource, operation.value)!;
				assert.match(String(subtitle), new RegExp(`^[A-Z][A-Za-z -]+: ${option.name.replace(/[()]/g, '\\$&')}$`));
				if (operation.value !== option.name) assert.ok(!String(subtitle).includes(`: ${operation.value}`), String(subtitle));
			}
		}
	});

	test('model descriptions say what a user chooses by: quality, resolutions, length, sound, units per second', () => {
		for (const product of VIDEO_PRODUCTS) {
			const model = visibleFields('video', product).find((property) => property.name === 'model')!;
			for (const option of (model.options as Array<{ value: string; description?: string }>).filter((entry) => entry.value !== '__custom__')) {
				const description = String(option.description);
				assert.doesNotMatch(description, /\bAPI\b/, `${product} ${option.value}: ${description}`);
				assert.match(description, /\d+p–(\d+p|4K)/, description);
				assert.match(description, /units per second$/, description);
				if (product !== 'motionControl') {
					assert.match(description, / s;/, description);
					assert.match(description, /sound|silent/, description);
				}
			}
		}
		const turbo = visibleFields('video', 'textToVideo').find((property) => property.name === 'model')!;
		const v26 = (turbo.options as Array<{ value: string; description?: string }>).find((entry) => entry.value === 'kling-v2-6')!;
		assert.equal(v26.description, 'Good quality for less; 720p–1080p, 5 or 10 s; sound at 1080p; 0.3–1.2 units per second');
		assert.equal(VIDEO_MODEL_TABLE.length > 0, true);
	});

	test('Shot Type and Shots come right after Multi-Shot in the Options', () => {
		for (const product of ['textToVideo', 'imageToVideo', 'omniVideo']) {
			const options = visibleFields('video', product).find((property) => property.name === 'options')!;
			const names = (options.options as INodeProperties[]).map((option) => option.name);
			const at = names.indexOf('multiShot');
			assert.deepEqual(names.slice(at, at + 3), ['multiShot', 'shotType', 'shots'], product);
		}
	});

	test('the node search entry (one for Kling and Kling Trigger, with the Trigger’s description) names both', () => {
		// n8n 2.41's node creator merges "…klingTrigger" into "…kling" and shows the Trigger's description.
		const description = new KlingTrigger().description.description;
		assert.match(description, /image, video and audio generation/);
		assert.match(description, /starts the workflow when a Kling task ends/);
		assert.match(new Kling().description.description, /Generate images, videos and audio/);
	});

	test('credential: the Access Key option does not claim "official only" where custom hosts offer it; 401 advice fits every host', () => {
		const credential = new KlingApi();
		const authType = credential.properties.find((property) => property.name === 'authType')!;
		assert.ok(authType.displayOptions?.show?.provider?.includes('custom'));
		const accessKey = (authType.options as Array<{ value: string; description: string }>).find((option) => option.value === 'accessKey')!;
		assert.doesNotMatch(accessKey.description, /official kling only/i);
		assert.match(accessKey.description, /custom host/);
		const unauthorized = credential.test.rules!.find((rule) => rule.type === 'responseCode' && rule.properties.value === 401)!;
		assert.doesNotMatch(String((unauthorized.properties as { message: string }).message), /Singapore|Beijing/);
	});
});
