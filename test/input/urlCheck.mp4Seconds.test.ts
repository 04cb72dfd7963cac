/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { mp4Seconds } from '../../nodes/Kling/input/urlCheck';

/** An ftyp box, then a moov box holding an mvhd of the given version (ISO/IEC 14496-12 §8.2.2). */
function mp4(version: 0 | 1, timescale: number, duration: number): Buffer {
	const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x14]), Buffer.from('ftypisom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isom')]);
	const fields = version === 1 ? Buffer.alloc(8 + 8 + 4 + 8) : Buffer.alloc(4 + 4 + 4 + 4);
	if (version === 1) {
		fields.writeBigUInt64BE(1n, 0); // creation
		fields.writeBigUInt64BE(2n, 8); // modification
		fields.writeUInt32BE(timescale, 16);
		fields.writeBigUInt64BE(BigInt(duration), 20);
	} else {
		fields.writeUInt32BE(1, 0);
		fields.writeUInt32BE(2, 4);
		fields.writeUInt32BE(timescale, 8);
		fields.writeUInt32BE(duration, 12);
	}
	const rest = Buffer.alloc(80); // rate, volume, matrix, next track id
	const mvhdBody = Buffer.concat([Buffer.from([version, 0, 0, 0]), fields, rest]);
	const mvhd = Buffer.concat([Buffer.alloc(4), Buffer.from('mvhd'), mvhdBody]);
	mvhd.writeUInt32BE(mvhd.length, 0);
	const moov = Buffer.concat([Buffer.alloc(4), Buffer.from('moov'), mvhd]);
	moov.writeUInt32BE(moov.length, 0);
	return Buffer.concat([ftyp, moov]);
}

describe('mp4Seconds', () => {
	test('a version 0 movie header: duration / timescale', () => {
		assert.equal(mp4Seconds(mp4(0, 1000, 12_500)), 12.5);
		assert.equal(mp4Seconds(mp4(0, 600, 3600)), 6);
	});

	test('a version 1 movie header reads the 64-bit fields', () => {
		assert.equal(mp4Seconds(mp4(1, 90_000, 2_700_000)), 30);
		assert.equal(mp4Seconds(mp4(1, 1, 2 ** 33)), 2 ** 33, 'beyond 32 bits');
	});

	test('no movie header, a header cut short, or a zero timescale give no length', () => {
		assert.equal(mp4Seconds(Buffer.from('not a movie at all, just text')), undefined);
		assert.equal(mp4Seconds(Buffer.alloc(0)), undefined);
		const whole = mp4(0, 1000, 5000);
		const at = whole.indexOf('mvhd');
		assert.equal(mp4Seconds(whole.subarray(0, at + 22)), undefined, 'the duration field is not all there');
		assert.equal(mp4Seconds(whole.subarray(0, at + 24)), 5, 'just enough');
		const cutV1 = mp4(1, 1000, 5000);
		assert.equal(mp4Seconds(cutV1.subarray(0, cutV1.indexOf('mvhd') + 34)), undefined);
		assert.equal(mp4Seconds(mp4(0, 0, 5000)), undefined);
		assert.equal(mp4Seconds(Buffer.from('mvhd0000000000000000000000000000')), undefined, '"mvhd" with no box size before it');
	});
});
