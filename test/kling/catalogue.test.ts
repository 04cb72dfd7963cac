/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { INodeProperties } from 'n8n-workflow';

import { OPERATIONS } from '../../nodes/Kling/resources';
import { FAMILY_KEYS, KLING_ROUTES, NEW_PRODUCT_PATH, routeFacts, routeFactsOf } from '../../nodes/Kling/kling/catalogue';
import { CUSTOM_MODEL } from '../../nodes/Kling/fields/commonFields';
import { IMAGE_MODEL_TABLE, TRY_ON_MODEL_TABLE, VIDEO_MODEL_TABLE, capabilitiesOf, currentModels, type VideoProduct } from '../../nodes/Kling/kling/models';
import type { KlingOperation, TaskOperation } from '../../nodes/Kling/task/operation';
import { routeOverrideFor } from '../../nodes/Kling/transport/provider';
import { packTypeOf, slotsFor } from '../../nodes/Kling/concurrency/taskSlots';
import { NEW_TASKS_PATH, submitRequestFor, type SubmitRequest } from '../../nodes/Kling/task/apiStandardAdapter';
import { TASK_FAMILIES } from '../../nodes/Kling/input/taskType';
import { taskFamilyField } from '../../nodes/Kling/fields/taskTypeField';
import { autoPollDelayMs } from '../../nodes/Kling/task/waitForTask';
import { findGeneration4Model } from '../../nodes/Kling/kling/generation4';

const operations: KlingOperation[] = Object.values(OPERATIONS).flat();
const taskOperations = operations.filter((operation): operation is TaskOperation => operation.kind === 'task');
const PRODUCTS: VideoProduct[] = ['textToVideo', 'imageToVideo', 'omniVideo', 'motionControl'];

const apiKey = { provider: 'singapore', authType: 'apiKey', apiKey: 'key' };
const accessKey = { provider: 'singapore', authType: 'accessKey', accessKey: 'ak', secretKey: 'sk' };

/** The models an operation's Model menu offers (without "Other"). */
function menuModels(operation: TaskOperation): string[] {
	const field = operation.fields.find((candidate: INodeProperties) => candidate.name === 'model' && candidate.type === 'options');
	return ((field?.options ?? []) as Array<{ value: unknown }>).map((option) => String(option.value)).filter((value) => value !== CUSTOM_MODEL);
}

describe('the Kling catalogue', () => {
	test('every task operation names a catalogue route, and its options match the route facts', () => {
		assert.ok(taskOperations.length >= 20, `${taskOperations.length} task operations`);
		for (const operation of taskOperations) {
			const label = `${operation.resource} › ${operation.value}`;
			const facts = routeFactsOf(operation.taskPath);
			assert.ok(facts, `${label}: ${operation.taskPath} is not in the catalogue`);
			// 'credential': offered, and sent only where the credential says the host takes it (Kling 4.0).
			assert.equal(operation.commonOptions.includes('externalTaskId'), facts.externalTaskId !== false, `${label}: external_task_id`);
			assert.equal(operation.commonOptions.includes('callbackUrl'), facts.callbackUrl !== false, `${label}: callback_url`);
			assert.equal(operation.videoProduct, facts.newStandard?.product, `${label}: product on the new API`);
		}
	});

	test('every family but /tasks is created by exactly one operation; the Task Type list is the catalogue', () => {
		for (const facts of routeFacts()) {
			const creators = taskOperations.filter((operation) => operation.taskPath === facts.path);
			if (facts.generation4) assert.ok(creators.length >= 1, `${facts.path}: no operation`);
			else assert.equal(creators.length, facts.path === NEW_TASKS_PATH ? 0 : 1, `${facts.path}: ${creators.length} operations`);
		}
		assert.deepEqual(TASK_FAMILIES.map((family) => family.path), routeFacts().map((facts) => facts.path));
		assert.deepEqual((taskFamilyField.options as Array<{ value: string }>).map((option) => option.value), routeFacts().map((facts) => facts.path));
		assert.equal(new Set(routeFacts().map((facts) => facts.path)).size, FAMILY_KEYS.length, 'one entry per route');
	});

	test('pack type, slots and poll schedule come from the entry', () => {
		const firstPoll = { image: 2_000, tryOn: 5_000, audio: 3_000, general: 3_000, video: 45_000 };
		for (const facts of routeFacts()) {
			assert.equal(packTypeOf(facts.path), facts.pack, facts.path);
			assert.equal(autoPollDelayMs(facts.path, 0), firstPoll[facts.poll], facts.path);
			assert.equal(slotsFor(facts.path, { n: 3 }), facts.pack === 'image' ? 3 : 1, facts.path);
		}
		// A new-API create route is a video product's.
		assert.equal(packTypeOf('/text-to-video/kling-3.0'), 'video');
	});

	test('a reseller route quirk is a fact of its entry', () => {
		const quirk = KLING_ROUTES.imageMultiImage.resellerRoute;
		assert.deepEqual(routeOverrideFor({ [quirk.credentialField]: quirk.value }, KLING_ROUTES.imageMultiImage.path), {
			path: quirk.path,
			renameFields: quirk.renameFields,
		});
		assert.equal(routeOverrideFor({}, KLING_ROUTES.imageMultiImage.path), undefined);
		for (const facts of routeFacts()) {
			if (!facts.resellerRoute) assert.equal(routeOverrideFor({ multiImageRoute: 'legacyGenerations' }, facts.path), undefined, facts.path);
		}
	});

	test('every video product has one route on each standard', () => {
		for (const product of PRODUCTS) {
			assert.match(NEW_PRODUCT_PATH[product], /^\/[a-z-]+$/, product);
			assert.equal(routeFacts().filter((facts) => facts.newStandard?.product === product).length, 1, product);
		}
	});

	test('every operation × model of its menu: the model is in the model table and goes to a catalogue route', () => {
		let pairs = 0;
		for (const operation of taskOperations) {
			const label = `${operation.resource} › ${operation.value}`;
			const facts = routeFactsOf(operation.taskPath)!;
			for (const model of menuModels(operation)) {
				pairs++;
				const product = operation.videoProduct;
				if (facts.generation4) {
					assert.equal(findGeneration4Model(model)?.product, facts.generation4, `${label}: ${model} is not a ${facts.generation4} row of the 4.0 table`);
					continue;
				}
				if (!product) {
					const table = facts.pack === 'tryOn' ? TRY_ON_MODEL_TABLE : IMAGE_MODEL_TABLE;
					if (operation.resource === 'image') assert.ok(table.some((row) => row.id === model), `${label}: ${model}`);
					continue;
				}
				const row = VIDEO_MODEL_TABLE.find((candidate) => candidate.id === model);
				assert.ok(row && capabilitiesOf(model, product), `${label}: ${model} has no ${product} row`);
				for (const credentials of [apiKey, accessKey]) {
					let request: SubmitRequest;
					try {
						request = submitRequestFor(credentials, operation, { model_name: model, prompt: 'p' });
					} catch {
						// Only a new-API-only model refuses an AK/SK credential.
						assert.ok(credentials === accessKey && !row.legacyName, `${label}: ${model} refused`);
						continue;
					}
					const expected: string = request.standard === 'new' ? `${NEW_PRODUCT_PATH[product]}/${row.newPath}` : facts.path;
					assert.equal(request.route, expected, `${label}: ${model}`);
				}
			}
		}
		assert.ok(pairs >= 19, `${pairs} operation × model pairs`);
	});

	test('a video model row is in the menu of every product it has: adding a model is one row', () => {
		for (const product of PRODUCTS) {
			const operation = taskOperations.find((candidate) => candidate.videoProduct === product);
			assert.ok(operation, product);
			assert.deepEqual(menuModels(operation), currentModels(product).map((model) => model.id), product);
		}
	});
});

describe('the Kling 4.0 operation list', () => {
	test('GENERATION4_OPERATIONS names exactly the operations whose family is a 4.0 one (their longer default Timeout, their 30 MB images)', async () => {
		const { GENERATION4_OPERATIONS } = await import('../../nodes/Kling/kling/generation4');
		const fromCatalogue = taskOperations.filter((operation) => routeFactsOf(operation.taskPath)?.generation4).map((operation) => operation.value);
		assert.deepEqual([...GENERATION4_OPERATIONS].sort(), fromCatalogue.sort());
	});
});
