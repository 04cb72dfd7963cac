/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { IDataObject, INode } from 'n8n-workflow';

import { GENERATION4_LIMITS } from '../../nodes/Kling/kling/generation4';
import {
	generation4Body,
	generation4Of,
	generation4Rules,
	inputOf,
	nonEnglishPromptNotice,
	promptReferences,
	REFERENCE_HELP,
	REFERENCE_IDS,
	type Generation4Input,
	type Generation4InputType,
} from '../../nodes/Kling/input/generation4Input';
import { validateBody } from '../../nodes/Kling/input/validation';

const node: INode = { id: 'n', name: 'Kling', type: 'n8n-nodes-kling.kling', typeVersion: 1, position: [0, 0], parameters: {} };

/** The message the 4.0 checks refuse an item with, or undefined when it passes. */
function refusal(model: string, prompt: string, inputs: Generation4Input[], settings: IDataObject = {}): string | undefined {
	try {
		validateBody(node, generation4Body(model, prompt, inputs, settings), generation4Rules, 0);
		return undefined;
	} catch (error) {
		return (error as Error).message;
	}
}

const many = (type: Generation4InputType, count: number, value: Partial<Generation4Input> = {}) =>
	Array.from({ length: count }, (_, index) => inputOf(type, index + 1, { url: `https://files.example.com/${type}/${index + 1}`, ...value }));

describe('promptReferences', () => {
	test('@names at the start or after a non-word character, in order', () => {
		assert.deepEqual(promptReferences('@first walks to @last, then (@image01) and "@video2".'), ['first', 'last', 'image01', 'video2']);
		assert.deepEqual(promptReferences('@element1\n@voice_1'), ['element1', 'voice_1']);
	});

	test('an e-mail address, a doubled @ and a bare @ are no references', () => {
		assert.deepEqual(promptReferences('write to team@example.com'), []);
		assert.deepEqual(promptReferences('@@first and @ alone'), []);
		assert.deepEqual(promptReferences(''), []);
	});
});

describe('REFERENCE_IDS', () => {
	const limits: Record<Generation4InputType, number> = {
		first_frame: 1,
		middle_frame: GENERATION4_LIMITS.middleFrames,
		last_frame: 1,
		refer_image: GENERATION4_LIMITS.images,
		feature_video: GENERATION4_LIMITS.videos,
		base_video: 1,
		element: GENERATION4_LIMITS.elements,
		voice: GENERATION4_LIMITS.voices,
		style_refer_image: 1,
		subject_refer_image: 1,
	};
	const all = Object.entries(limits).flatMap(([type, count]) => Array.from({ length: count }, (_, index) => REFERENCE_IDS[type as Generation4InputType](index + 1)));

	test('every ID of every count up to the limits is distinct and no ID is the start of another', () => {
		assert.equal(new Set(all).size, all.length);
		for (const a of all) for (const b of all) if (a !== b) assert.ok(!b.startsWith(a), `@${a} is the start of @${b}`);
	});

	test('reference images are numbered with two digits; every ID is a single prompt token and is read back by promptReferences', () => {
		assert.equal(REFERENCE_IDS.refer_image(1), 'image01');
		assert.equal(REFERENCE_IDS.refer_image(10), 'image10');
		for (const id of all) assert.deepEqual(promptReferences(`see @${id}.`), [id]);
	});

	test('the help text names the ranges the IDs take', () => {
		for (const id of ['@first', '@middle1', `@middle${GENERATION4_LIMITS.middleFrames}`, '@last', '@image01', '@image10', '@video1', `@video${GENERATION4_LIMITS.videos}`, '@base', '@element1', `@element${GENERATION4_LIMITS.elements}`, '@voice1', `@voice${GENERATION4_LIMITS.voices}`]) {
			assert.ok(REFERENCE_HELP.includes(id), id);
		}
	});

	test('inputOf gives an input its ID by type and position', () => {
		assert.deepEqual(inputOf('middle_frame', 3, { url: 'u' }), { type: 'middle_frame', id: 'middle3', url: 'u' });
		assert.deepEqual(inputOf('element', 2, { element_id: '9' }), { type: 'element', id: 'element2', element_id: '9' });
	});
});

describe('generation4Rules', () => {
	test('a body without a 4.0 request is not checked here', () => {
		assert.doesNotThrow(() => validateBody(node, { model_name: 'kling-v3', prompt: '' }, generation4Rules, 0));
		assert.equal(generation4Of({ prompt: 'x' }), undefined);
	});

	test('a good request passes', () => {
		const inputs = [...many('first_frame', 1), ...many('middle_frame', 2), ...many('last_frame', 1), ...many('refer_image', 2)];
		assert.equal(refusal('kling-4.0', '@first to @middle1, @middle2, @last with @image01 and @image02', inputs, { duration: 10, resolution: '1080p', aspect_ratio: '16:9' }), undefined);
	});

	test('the prompt: required, at most the model’s length, naming only this item’s inputs', () => {
		assert.match(String(refusal('kling-4.0', '  ', [])), /^Invalid input: "Prompt" is required\. Nothing was sent to Kling\.$/);
		assert.match(String(refusal('kling-4.0', 'x'.repeat(26_001), [])), /"Prompt" has 26001 characters; Kling 4\.0 takes at most 26000/);
		assert.equal(refusal('kling-4.0', 'x'.repeat(26_000), []), undefined);
		const message = String(refusal('kling-4.0', '@image01 and @image02', many('refer_image', 1)));
		assert.match(message, /"Prompt" names @image02, which is not one of this item's inputs \(@image01\)/);
		assert.ok(message.includes(REFERENCE_HELP));
		assert.match(String(refusal('kling-4.0', '@first', [])), /not one of this item's inputs \(none\)/);
	});

	test('keyframes: a last or middle frame needs a first frame; at most 8 middle frames; 10 images in all on video', () => {
		assert.match(String(refusal('kling-4.0', 'p', many('last_frame', 1))), /"Last Frame" needs a "First Frame"/);
		assert.match(String(refusal('kling-4.0', 'p', many('middle_frame', 1))), /"Middle Frames" need a "First Frame"/);
		assert.match(String(refusal('kling-4.0', 'p', [...many('first_frame', 1), ...many('middle_frame', 9)])), /"Middle Frames" has 9 images; Kling 4\.0 takes at most 8/);
		assert.match(
			String(refusal('kling-4.0', 'p', [...many('first_frame', 1), ...many('middle_frame', 8), ...many('last_frame', 1), ...many('refer_image', 1)])),
			/Keyframes and "Reference Images" together have 11 images; Kling 4\.0 takes at most 10/,
		);
	});

	test('Kling 4.0 Flash takes only a prompt', () => {
		assert.match(String(refusal('kling-4.0-flash', 'p', many('refer_image', 1))), /Kling 4\.0 Flash takes only a prompt/);
		assert.equal(refusal('kling-4.0-flash', 'p', [], { duration: 20 }), undefined);
	});

	test('videos: at most 5, each 3–30 s (the model’s longest at most), 30 s in all', () => {
		assert.match(String(refusal('kling-4.0', 'p', [...many('feature_video', 5), ...many('base_video', 1)])), /"Reference Videos" and the video to edit together are 6; Kling 4\.0 takes at most 5/);
		assert.match(String(refusal('kling-4.0', 'p', many('feature_video', 1, { seconds: 2.5 }))), /"Reference Videos" \(@video1\) lasts 2\.5 s; Kling 4\.0 takes videos of 3 to 30 s/);
		assert.match(String(refusal('kling-4.0', 'p', many('base_video', 1, { seconds: 31 }))), /"Video URL" lasts 31 s/);
		assert.match(String(refusal('kling-4.0', 'p', many('feature_video', 2, { seconds: 15.5 }))), /last 31 s together; Kling 4\.0 takes at most 30 s in all/);
		assert.equal(refusal('kling-4.0', 'p', many('feature_video', 2, { seconds: 15 })), undefined, 'exactly 30 s in all');
		assert.equal(refusal('kling-4.0', 'p', many('feature_video', 5)), undefined, 'lengths not read are not checked');
	});

	test('elements, voices and the number of contents', () => {
		assert.match(String(refusal('kling-4.0', 'p', many('element', 8, { url: undefined, element_id: '1' }))), /"Element IDs" has 8 IDs; Kling 4\.0 takes at most 7/);
		assert.match(String(refusal('kling-4.0', 'p', many('voice', 4, { url: undefined, voice_id: 'v' }))), /"Voice IDs" has 4 IDs; Kling 4\.0 takes at most 3/);
		assert.match(
			String(refusal('kling-4.0', 'p', [...many('refer_image', 10), ...many('element', 6, { url: undefined, element_id: '1' })])),
			/This item has 16 inputs; Kling 4\.0 takes at most 15 besides the prompt/,
		);
	});

	test('Image 4.0: reference images and elements at most 10 together; keyframe counts do not apply', () => {
		assert.match(
			String(refusal('kling-image-4.0', 'p', [...many('refer_image', 6), ...many('element', 5, { url: undefined, element_id: '1' })])),
			/"Reference Images" and "Element IDs" together have 11 entries; Kling Image 4\.0 takes at most 10/,
		);
		assert.equal(refusal('kling-image-4.0', 'p', many('refer_image', 10), { resolution: '8k', aspect_ratio: 'auto' }), undefined);
	});

	test('settings: duration, resolution (opt-in ones included) and aspect ratio of the model', () => {
		assert.match(String(refusal('kling-4.0', 'p', [], { duration: 31 })), /"Duration" must be a whole number of seconds from 3 to 30 for Kling 4\.0, got 31/);
		assert.match(String(refusal('kling-4.0', 'p', [], { duration: 5.5 })), /got 5\.5/);
		assert.match(String(refusal('kling-4.0-flash', 'p', [], { duration: 21 })), /from 3 to 20 for Kling 4\.0 Flash/);
		assert.equal(refusal('kling-4.0', 'p', [], { resolution: '4k HDR' }), undefined, 'an opt-in resolution');
		assert.match(String(refusal('kling-4.0', 'p', [], { resolution: '8k' })), /"Resolution" 8k is not offered by Kling 4\.0 \(720p, 1080p, 4k, 1080p HDR, 4k HDR\)/);
		assert.match(String(refusal('kling-4.0-flash', 'p', [], { resolution: '1080p' })), /not offered by Kling 4\.0 Flash \(720p\)/);
		assert.match(String(refusal('kling-4.0', 'p', [], { aspect_ratio: '5:4' })), /"Aspect Ratio" 5:4 is not offered by Kling 4\.0/);
		assert.equal(refusal('kling-long-image-4.0', 'p', [], { aspect_ratio: '1:8' }), undefined, 'a model without a ratio list leaves it to Kling');
	});

	test('a model the table does not know is checked only for what the request must hold', () => {
		assert.equal(refusal('kling-4.5', 'p', [], { duration: 99, resolution: '16k' }), undefined);
		assert.match(String(refusal('kling-4.5', 'p', many('last_frame', 1))), /"Last Frame" needs a "First Frame"/);
	});

	test('a long prompt with non-English text gets a notice, not an error', () => {
		const long = 'é'.repeat(11_001);
		assert.match(String(nonEnglishPromptNotice(generation4Body('kling-4.0', long, [], {}))), /11001 characters and text that is not English; Kling 4\.0 is reported to take at most 11000/);
		assert.equal(nonEnglishPromptNotice(generation4Body('kling-4.0', 'e'.repeat(11_001), [], {})), undefined);
		assert.equal(nonEnglishPromptNotice(generation4Body('kling-4.0', 'é'.repeat(11_000), [], {})), undefined);
		assert.equal(refusal('kling-4.0', long, []), undefined);
	});
});
