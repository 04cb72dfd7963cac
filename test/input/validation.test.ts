/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { INode } from 'n8n-workflow';

import {
	audioFormat,
	imageFacts,
	multiShotProblem,
	parseElementIds,
	promptLimitOf,
	validateAudioBytes,
	validateBody,
	validateImageBytes,
	videoCapabilityProblem,
	type FieldRule,
} from '../../nodes/Kling/input/validation';

const node: INode = { id: 'n', name: 'Kling', type: 'n8n-nodes-kling.kling', typeVersion: 1, position: [0, 0], parameters: {} };

/** The message validateBody refuses with, or undefined when the body passes. */
function refusal(body: Record<string, unknown>, rules: FieldRule[]): string | undefined {
	try {
		validateBody(node, body as never, rules, 0);
		return undefined;
	} catch (error) {
		return (error as Error).message;
	}
}

function png(width: number, height: number, size = 33): Buffer {
	const bytes = Buffer.alloc(size);
	Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
	bytes.writeUInt32BE(13, 8);
	bytes.write('IHDR', 12, 'ascii');
	bytes.writeUInt32BE(width, 16);
	bytes.writeUInt32BE(height, 20);
	return bytes;
}

/** A JPEG with an APP0 and a Huffman table (0xC4, not a frame) before its baseline frame header. */
function jpeg(width: number, height: number, frameMarker = 0xc0): Buffer {
	const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
	const dht = Buffer.from([0xff, 0xc4, 0x00, 0x04, 0x00, 0x00]);
	const sof = Buffer.from([0xff, frameMarker, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
	return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, dht, sof, Buffer.alloc(16)]);
}

describe('validateBody', () => {
	test('a required field: missing, empty text or an empty list is refused with its editor label; the message says nothing was sent', () => {
		for (const prompt of [undefined, null, '', '   ', []]) {
			const message = refusal({ prompt }, [{ field: 'prompt', required: true }]);
			assert.match(String(message), /^Invalid input: Prompt is required\. Nothing was sent to Kling\.$/, String(prompt));
		}
		assert.equal(refusal({}, [{ field: 'prompt', maxLength: 5 }]), undefined, 'an optional field may be missing');
	});

	test('the error carries the item index', () => {
		try {
			validateBody(node, {}, [{ field: 'prompt', required: true }], 3);
			assert.fail('refused');
		} catch (error) {
			assert.equal((error as { context?: { itemIndex?: number } }).context?.itemIndex, 3);
		}
	});

	test('maxLength counts characters, not UTF-16 units', () => {
		assert.equal(refusal({ prompt: '😀😀😀' }, [{ field: 'prompt', maxLength: 3 }]), undefined);
		assert.match(String(refusal({ prompt: 'abcd' }, [{ field: 'prompt', maxLength: 3 }])), /Prompt is 4 characters long; Kling allows at most 3/);
	});

	test('numbers: not a number, not whole, out of range', () => {
		const rule: FieldRule = { field: 'duration', min: 3, max: 15, integer: true };
		assert.match(String(refusal({ duration: 'ten' }, [rule])), /Duration \(Seconds\) must be a number, got "ten"/);
		assert.match(String(refusal({ duration: 5.5 }, [rule])), /Duration \(Seconds\) must be a whole number, got 5\.5/);
		assert.match(String(refusal({ duration: 16 }, [rule])), /Duration \(Seconds\) is 16; Kling allows 3 to 15/);
		assert.match(String(refusal({ duration: 2 }, [rule])), /is 2; Kling allows 3 to 15/);
		assert.equal(refusal({ duration: '15' }, [rule]), undefined, 'a number given as text');
		assert.match(String(refusal({ cfg_scale: 2 }, [{ field: 'cfg_scale', max: 1 }])), /CFG Scale is 2; Kling allows -∞ to 1/);
	});

	test('oneOf names the values as the editor shows them', () => {
		assert.match(String(refusal({ mode: 'ultra' }, [{ field: 'mode', oneOf: ['std', 'pro'] }])), /Resolution is "ultra"; Kling allows 720p \(Standard\), 1080p \(Professional\)/);
		assert.match(String(refusal({ model_name: 'kling-v1' }, [{ field: 'model_name', oneOf: ['kling-v3'] }])), /Model is Kling 1\.0; Kling allows Kling 3\.0/);
		assert.match(String(refusal({ resolution: '8k' }, [{ field: 'resolution', oneOf: ['1k', '2k'] }])), /Resolution is 8K; Kling allows 1K, 2K/);
		assert.equal(refusal({ mode: 'pro' }, [{ field: 'mode', oneOf: ['std', 'pro'] }]), undefined);
	});

	test('list sizes: entry and entries', () => {
		assert.match(String(refusal({ image_list: [1] }, [{ field: 'image_list', minItems: 2 }])), /Images has 1 entry; Kling needs at least 2/);
		assert.match(String(refusal({ image_list: [1, 2, 3, 4, 5] }, [{ field: 'image_list', maxItems: 4 }])), /Images has 5 entries; Kling allows at most 4/);
	});

	test('excludes and requires name both fields', () => {
		assert.match(String(refusal({ image: 'a', image_tail: 'b' }, [{ field: 'image_tail', excludes: ['image'] }])), /End Frame cannot be combined with Image/);
		assert.match(String(refusal({ image_fidelity: 0.5 }, [{ field: 'image_fidelity', requires: ['image'] }])), /Image Fidelity needs Image to be set as well/);
		assert.equal(refusal({ image_fidelity: 0.5, image: 'a' }, [{ field: 'image_fidelity', requires: ['image'] }]), undefined);
	});

	test('a rule with "when" applies only for those values, and the message says when', () => {
		const rule: FieldRule = { field: 'image', required: true, when: { field: 'model_name', oneOf: ['kling-v2-6'] } };
		assert.equal(refusal({ model_name: 'kling-v3' }, [rule]), undefined);
		assert.match(String(refusal({ model_name: 'kling-v2-6' }, [rule])), /Image is required when Model is Kling 2\.6/);
	});

	test('a nested path is read, a check rule speaks for itself, and a rule label names the field in every rule of the operation', () => {
		assert.match(String(refusal({ input: { text: '' } }, [{ field: 'input.text', required: true }])), /Text is required/);
		assert.match(String(refusal({ a: 1 }, [{ field: 'a', check: (body) => (body.a === 1 ? 'one is not allowed' : undefined) }])), /^Invalid input: one is not allowed\./);
		const rules: FieldRule[] = [
			{ field: 'image', label: 'Source Image' },
			{ field: 'image_tail', excludes: ['image'] },
		];
		assert.match(String(refusal({ image: 'a', image_tail: 'b' }, rules)), /End Frame cannot be combined with Source Image/);
		assert.match(String(refusal({ mystery: 'x' }, [{ field: 'mystery', oneOf: ['y'] }])), /"mystery" is "x"/, 'an unknown field is quoted');
	});
});

describe('imageFacts', () => {
	test('a PNG header gives its size', () => {
		assert.deepEqual(imageFacts(png(1024, 768)), { format: 'png', width: 1024, height: 768 });
	});

	test('a JPEG frame header is found past other segments (a Huffman table is no frame), baseline or progressive', () => {
		assert.deepEqual(imageFacts(jpeg(640, 480)), { format: 'jpeg', width: 640, height: 480 });
		assert.deepEqual(imageFacts(jpeg(300, 2000, 0xc2)), { format: 'jpeg', width: 300, height: 2000 });
	});

	test('anything else, or a truncated header, is not read', () => {
		assert.equal(imageFacts(png(1, 1).subarray(0, 20)), undefined);
		assert.equal(imageFacts(jpeg(640, 480).subarray(0, 20)), undefined);
		assert.equal(imageFacts(Buffer.from('GIF89a..........................')), undefined);
		assert.equal(imageFacts(Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.alloc(20, 0x11)])), undefined, 'no marker where one must be');
		assert.equal(imageFacts(Buffer.alloc(0)), undefined);
	});
});

describe('validateImageBytes', () => {
	const check = (bytes: Buffer, maxBytes?: number) => () => validateImageBytes(node, 'Start Frame', bytes, 0, maxBytes);

	test('a good JPEG or PNG passes, the aspect ratio up to 2.5:1 either way', () => {
		assert.doesNotThrow(check(png(1024, 1024)));
		assert.doesNotThrow(check(jpeg(300, 750)));
		assert.doesNotThrow(check(png(750, 300)));
	});

	test('empty, not an image, too small a side, too wide an aspect ratio', () => {
		assert.throws(check(Buffer.alloc(0)), (error: Error) => error.message === 'Invalid input: Start Frame is empty. Nothing was sent to Kling.');
		assert.throws(check(Buffer.from('<html>not an image at all</html>')), /Start Frame is not a JPEG or PNG image; Kling accepts only \.jpg, \.jpeg and \.png/);
		assert.throws(check(png(299, 1000)), /Start Frame is 299×1000 px; Kling needs at least 300 px on each side/);
		assert.throws(check(jpeg(300, 751)), /Start Frame has an aspect ratio of 2\.50:1; Kling allows between 1:2\.5 and 2\.5:1/);
		assert.throws(check(png(1000, 300)), /aspect ratio of 3\.33:1/);
	});

	test('at most 10 MB by default; the maxBytes parameter sets another limit and the message names it', () => {
		const eleven = png(1024, 1024, 11 * 1024 * 1024);
		assert.throws(check(eleven), /Start Frame is 11\.0 MB; Kling allows at most 10 MB/);
		assert.doesNotThrow(check(eleven, 30 * 1024 * 1024));
		assert.doesNotThrow(check(png(1024, 1024, 10 * 1024 * 1024)), 'exactly 10 MB passes');
		assert.throws(check(png(1024, 1024, 31 * 1024 * 1024), 30 * 1024 * 1024), /is 31\.0 MB; Kling allows at most 30 MB/);
	});
});

describe('audio', () => {
	test('audioFormat tells mp3, wav, m4a and aac from their first bytes', () => {
		assert.equal(audioFormat(Buffer.from('RIFF\0\0\0\0WAVEfmt ')), 'wav');
		assert.equal(audioFormat(Buffer.from('ID3\x04\0')), 'mp3');
		assert.equal(audioFormat(Buffer.from([0xff, 0xfb, 0x90, 0x00])), 'mp3');
		assert.equal(audioFormat(Buffer.from([0xff, 0xf1, 0x50, 0x80])), 'aac');
		assert.equal(audioFormat(Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypM4A ')])), 'm4a');
		assert.equal(audioFormat(Buffer.from('OggS\0\0\0\0')), undefined);
	});

	test('validateAudioBytes: empty, over 5 MB, not audio', () => {
		const check = (bytes: Buffer) => () => validateAudioBytes(node, 'Audio', bytes, 0);
		assert.throws(check(Buffer.alloc(0)), /Audio is empty/);
		assert.throws(check(Buffer.concat([Buffer.from('ID3'), Buffer.alloc(5 * 1024 * 1024)])), /Audio is 5\.0 MB; Kling allows at most 5 MB/);
		assert.throws(check(Buffer.from('<html></html>')), /Audio is not mp3, wav, m4a or aac audio/);
		assert.doesNotThrow(check(Buffer.from('ID3\x04\0\0\0')));
	});
});

describe('element ids, multi-shot and prompt limits', () => {
	test('element ids are whole numbers kept exact beyond 2^53', () => {
		const list = parseElementIds(node, ' 829836802793406551, 12\n34 ', 'element_list', 0);
		assert.deepEqual(
			list.map((entry) => String(entry.element_id)),
			['829836802793406551', '12', '34'],
		);
		assert.throws(() => parseElementIds(node, '12, abc', 'element_list', 0), /Element IDs has "abc", which is not an element ID \(a number\)/);
	});

	test('multi-shot: a shot type is needed; custom shots are 1–6 whose durations add up to the duration', () => {
		assert.equal(multiShotProblem({}), undefined);
		assert.match(String(multiShotProblem({ multi_shot: true })), /Shot Type is required/);
		assert.equal(multiShotProblem({ multi_shot: true, shot_type: 'intelligence' }), undefined);
		assert.match(String(multiShotProblem({ multi_shot: true, shot_type: 'customize', multi_prompt: [] })), /Shots has 0 shots; Kling allows 1 to 6/);
		const shots = (durations: number[]) => durations.map((duration, index) => ({ index: index + 1, prompt: 'p', duration }));
		assert.match(String(multiShotProblem({ multi_shot: true, shot_type: 'customize', duration: 10, multi_prompt: shots([3, 3]) })), /add up to 6 s but Duration is 10 s/);
		assert.equal(multiShotProblem({ multi_shot: true, shot_type: 'customize', duration: 10, multi_prompt: shots([4, 6]) }), undefined);
		assert.match(String(multiShotProblem({ multi_shot: true, shot_type: 'customize', multi_prompt: shots([2, 3]).map((shot, i) => (i === 1 ? { ...shot, prompt: 'x'.repeat(513) } : shot)) })), /shot 2 is longer than 512/);
	});

	test('the legacy routes take 2500 prompt characters; the new API the model’s own limit', () => {
		assert.equal(promptLimitOf('kling-v3', 'textToVideo', 'legacy'), 2500);
		assert.equal(promptLimitOf('kling-v3', 'textToVideo', 'new'), 3072);
		assert.equal(promptLimitOf('unknown-model', 'textToVideo', 'new'), undefined);
	});

	test('video capabilities: a missing model, a model without the product, a resolution, a duration, an end frame at 720p', () => {
		assert.match(String(videoCapabilityProblem({}, 'textToVideo')), /Model is required/);
		assert.match(String(videoCapabilityProblem({ model_name: 'kling-v3-omni' }, 'textToVideo')), /Model Kling 3\.0 Omni has no text to video; models with it: /);
		assert.equal(videoCapabilityProblem({ model_name: 'typed-in-model' }, 'textToVideo'), undefined, 'an unknown model is left to Kling');
		assert.equal(videoCapabilityProblem({ model_name: 'kling-v1' }, 'textToVideo'), undefined, 'a retired model is left to Kling');
		assert.match(String(videoCapabilityProblem({ model_name: 'kling-v2-6', mode: '4k' }, 'textToVideo')), /Resolution 4K is not available for Kling 2\.6 text to video/);
		assert.match(String(videoCapabilityProblem({ model_name: 'kling-v2-6', duration: 7 }, 'textToVideo')), /Duration 7 s is not available for Kling 2\.6 text to video; allowed: 5, 10 s/);
		assert.match(String(videoCapabilityProblem({ model_name: 'kling-v2-6', mode: 'std', image_tail: 'x' }, 'imageToVideo')), /An End Frame on Kling 2\.6 needs Resolution 1080p \(Professional\)/);
		assert.equal(videoCapabilityProblem({ model_name: 'kling-v3', mode: 'pro', duration: 15, sound: 'on' }, 'textToVideo'), undefined);
	});
});
