/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { pngItem } from '../../support/fixtures';
import { fieldSummary, operationOption, sentBody, useEmulator } from '../helpers';

const emulator = useEmulator();
const base = { resource: 'image', operation: 'recognize' };

describe('Image › Recognize (synchronous)', () => {
	test('descriptor: an image and the download of the segmentation images', () => {
		assert.equal(operationOption('image', 'recognize')?.name, 'Recognize');
		assert.deepEqual(fieldSummary('image', 'recognize'), { imageSource: 'binary', image: 'data', downloadResults: true, binaryPropertyName: 'data' });
	});

	test('minimal and full: exactly { image }, as raw Base64 from a binary or as a URL, in one request', async () => {
		const item = pngItem({ photo: {} });
		assert.deepEqual(await sentBody(emulator(), { ...base, image: 'photo', downloadResults: false }, { items: [item] }), { image: item.binary.photo.base64 });
		assert.equal(emulator().requests.length, 1);
		assert.deepEqual(await sentBody(emulator(), { ...base, imageSource: 'url', image: 'https://cdn.example.com/p.png' }), { image: 'https://cdn.example.com/p.png' });
	});

	test('rejected before paying: not an image', async () => {
		await assert.rejects(sentBody(emulator(), { ...base, imageSource: 'url', image: 'ftp://x' }), /must be an http\(s\) URL/);
		assert.equal(emulator().requests.length, 0);
	});
});
