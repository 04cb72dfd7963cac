/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test infrastructure: runs outside n8n */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

/** Real, decodable media bytes for results and inputs; deterministic per seed so tests can compare. */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(bytes: Buffer): number {
	let crc = 0xffffffff;
	for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
	const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typeAndData));
	return Buffer.concat([length, typeAndData, crc]);
}

/** A valid RGB PNG whose colour depends on the seed. */
export function makePng(width: number, height: number, seed = 'kling'): Buffer {
	const [r, g, b] = createHash('sha256').update(seed).digest();
	const row = Buffer.alloc(1 + width * 3);
	for (let x = 0; x < width; x++) row.set([r, (g + x) & 0xff, b], 1 + x * 3);
	const raw = Buffer.concat(Array.from({ length: height }, () => row));
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		pngChunk('IDAT', deflateSync(raw)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

/** A JPEG stream with a real SOF0 frame header (the part Kling-side checks read). */
export function makeJpegHeader(width: number, height: number): Buffer {
	const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0, 0, 0, 0, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
	sof.writeUInt16BE(height, 5);
	sof.writeUInt16BE(width, 7);
	const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
	return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}

function box(type: string, payload: Buffer): Buffer {
	const size = Buffer.alloc(4);
	size.writeUInt32BE(8 + payload.length);
	return Buffer.concat([size, Buffer.from(type, 'ascii'), payload]);
}

/** An ISO-BMFF (MP4) file: ftyp + free + mdat, with seed-dependent payload of about `bytes` bytes. */
export function makeMp4(seed: string, bytes = 4096): Buffer {
	const ftyp = box('ftyp', Buffer.concat([Buffer.from('isom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2mp41')]));
	const payload = Buffer.alloc(Math.max(0, bytes - ftyp.length - 8));
	const digest = createHash('sha256').update(seed).digest();
	for (let i = 0; i < payload.length; i++) payload[i] = digest[i % digest.length] ^ (i & 0xff);
	return Buffer.concat([ftyp, box('mdat', payload)]);
}

/** MPEG-1 layer III frames at 128 kbit/s, 44.1 kHz (26.1 ms each): two by default, or `seconds` long. */
export function makeMp3(seed: string, seconds?: number): Buffer {
	const frame = Buffer.alloc(417);
	frame.set([0xff, 0xfb, 0x90, 0x64]);
	frame.write(seed.slice(0, 64), 8, 'utf8');
	const frames = seconds === undefined ? 2 : Math.ceil((seconds * 44_100) / 1152);
	return Buffer.concat([Buffer.from('ID3\u0003\u0000\u0000\u0000\u0000\u0000\u0000', 'binary'), ...Array.from({ length: frames }, () => frame)]);
}

/** 8 kHz 16-bit mono PCM: 50 ms by default, or `seconds` long. */
export function makeWav(seed: string, seconds?: number): Buffer {
	const samples = Buffer.alloc(seconds === undefined ? 800 : Math.round(seconds * 16_000));
	samples.write(seed.slice(0, 64), 0, 'utf8');
	const header = Buffer.alloc(44);
	header.write('RIFF', 0);
	header.writeUInt32LE(36 + samples.length, 4);
	header.write('WAVEfmt ', 8);
	header.writeUInt32LE(16, 16);
	header.writeUInt16LE(1, 20);
	header.writeUInt16LE(1, 22);
	header.writeUInt32LE(8000, 24);
	header.writeUInt32LE(16000, 28);
	header.writeUInt16LE(2, 32);
	header.writeUInt16LE(16, 34);
	header.write('data', 36);
	header.writeUInt32LE(samples.length, 40);
	return Buffer.concat([header, samples]);
}
