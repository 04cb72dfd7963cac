/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test runs outside n8n */
/**
 * The emulator's result files are media a player opens: an MP4 whose box tree a browser can start
 * (ftyp, moov before mdat, one H.264 video track), images at the aspect ratio and count asked for,
 * MP3 and WAV of a few seconds whose frames decode on their own. The browser check
 * (scripts/browser-check.mjs) then plays them in Chromium inside n8n's editor.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';

import { audioDurationMs } from '../../nodes/Kling/input/audioDuration';
import { KlingEmulator, TEST_KEYS } from '../support/emulator/kling-emulator';
import { DEMO_VIDEO, makeMp4 } from '../support/emulator/media';

interface Box {
	type: string;
	start: number;
	end: number;
	/** Where the payload starts (after the 8-byte header). */
	body: number;
}

/** The boxes between `start` and `end` (ISO/IEC 14496-12 §4.2: 32-bit size + type; no 64-bit sizes here). */
function boxes(bytes: Buffer, start = 0, end = bytes.length): Box[] {
	const found: Box[] = [];
	for (let offset = start; offset < end; ) {
		assert.ok(offset + 8 <= end, `a box header at ${offset} runs past its parent (${end})`);
		const size = bytes.readUInt32BE(offset);
		assert.ok(size >= 8 && offset + size <= end, `box at ${offset} has size ${size}, its parent ends at ${end}`);
		found.push({ type: bytes.toString('latin1', offset + 4, offset + 8), start: offset, end: offset + size, body: offset + 8 });
		offset += size;
	}
	return found;
}

function child(bytes: Buffer, parent: Box, type: string, skip = 0): Box {
	const found = boxes(bytes, parent.body + skip, parent.end).find((candidate) => candidate.type === type);
	assert.ok(found, `${parent.type} has no ${type} box`);
	return found;
}

/** The top-level boxes but `free` (which players skip). */
const mainBoxes = (bytes: Buffer) => boxes(bytes).map((candidate) => candidate.type).filter((type) => type !== 'free');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('emulator media: an MP4 a player can start', () => {
	const mp4 = makeMp4('task-1-0', 256 * 1024);
	const top = boxes(mp4);

	test('top level: ftyp first, moov before mdat (faststart), a free box last', () => {
		assert.deepEqual(top.map((candidate) => candidate.type).filter((type) => type !== 'free'), ['ftyp', 'moov', 'mdat']);
		assert.equal(top[top.length - 1].type, 'free');
		assert.equal(mp4.length, 256 * 1024, 'padded to the size asked for');
	});

	test('one H.264 video track of the demo size and length, chunks inside mdat', () => {
		const moov = top.find((candidate) => candidate.type === 'moov')!;
		const mdat = top.find((candidate) => candidate.type === 'mdat')!;
		const mvhd = child(mp4, moov, 'mvhd');
		const timescale = mp4.readUInt32BE(mvhd.body + 12);
		const duration = mp4.readUInt32BE(mvhd.body + 16);
		assert.equal(duration / timescale, DEMO_VIDEO.seconds);
		const traks = boxes(mp4, moov.body, moov.end).filter((candidate) => candidate.type === 'trak');
		assert.equal(traks.length, 1, 'one track: video only');
		const tkhd = child(mp4, traks[0], 'tkhd');
		assert.deepEqual([mp4.readUInt32BE(tkhd.end - 8) / 65536, mp4.readUInt32BE(tkhd.end - 4) / 65536], [DEMO_VIDEO.width, DEMO_VIDEO.height]);
		const mdia = child(mp4, traks[0], 'mdia');
		assert.equal(mp4.toString('latin1', child(mp4, mdia, 'hdlr').body + 8, child(mp4, mdia, 'hdlr').body + 12), 'vide');
		const stbl = child(mp4, child(mp4, mdia, 'minf'), 'stbl');
		// stsd: version/flags + entry count, then the sample entries.
		const avc1 = child(mp4, child(mp4, stbl, 'stsd'), 'avc1', 8);
		assert.deepEqual([mp4.readUInt16BE(avc1.body + 24), mp4.readUInt16BE(avc1.body + 26)], [DEMO_VIDEO.width, DEMO_VIDEO.height]);
		// VisualSampleEntry is 78 bytes, then avcC: version, profile, compatibility, level.
		const avcC = child(mp4, avc1, 'avcC', 78);
		const codec = `avc1.${mp4.subarray(avcC.body + 1, avcC.body + 4).toString('hex').toUpperCase()}`;
		assert.equal(codec, DEMO_VIDEO.codec);
		assert.ok([0x42, 0x4d].includes(mp4[avcC.body + 1]), 'Baseline or Main profile');
		const stco = child(mp4, stbl, 'stco');
		const chunks = mp4.readUInt32BE(stco.body + 4);
		assert.ok(chunks >= 1);
		for (let index = 0; index < chunks; index++) {
			const offset = mp4.readUInt32BE(stco.body + 8 + index * 4);
			assert.ok(offset >= mdat.body && offset < mdat.end, `chunk ${index} at ${offset} lies outside mdat`);
		}
		const stsz = child(mp4, stbl, 'stsz');
		assert.equal(mp4.readUInt32BE(stsz.body + 8), DEMO_VIDEO.seconds * 15, 'samples: 15 frames a second');
	});

	test('deterministic per seed, different between seeds, small when no size is asked', () => {
		assert.equal(sha256(makeMp4('a')), sha256(makeMp4('a')));
		assert.notEqual(sha256(makeMp4('a')), sha256(makeMp4('b')));
		assert.ok(makeMp4('a').length < 64 * 1024, `${makeMp4('a').length} bytes`);
		assert.deepEqual(mainBoxes(makeMp4('a', 100)), ['ftyp', 'moov', 'mdat'], 'too small a size: the whole clip');
	});
});

describe('emulator media: task results', () => {
	let emulator: KlingEmulator;
	before(async () => (emulator = await new KlingEmulator({ submittedMs: 5, processingMs: 5 }).start()));
	after(async () => await emulator.stop());
	beforeEach(() => emulator.reset());

	async function results(path: string, body: object): Promise<Buffer[]> {
		const headers = { 'content-type': 'application/json', authorization: `Bearer ${TEST_KEYS.singapore.apiKey}`, 'x-emulated-origin': 'https://api-singapore.klingai.com' };
		const submitted = (await (await fetch(`${emulator.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as { code: number; message: string; data: { task_id: string } };
		assert.equal(submitted.code, 0, `${path}: ${submitted.message}`);
		const task = emulator.tasks.get(submitted.data.task_id)!;
		return await Promise.all(task.files.map(async (file) => Buffer.from(await (await fetch(file.url)).arrayBuffer())));
	}
	const pngSize = (png: Buffer) => `${png.readUInt32BE(16)}×${png.readUInt32BE(20)}`;

	test('images come at the aspect ratio and in the number asked for', async () => {
		const cases: Array<[object, string[]]> = [
			[{ aspect_ratio: '16:9', n: 3 }, ['640×360', '640×360', '640×360']],
			[{ aspect_ratio: '9:16', n: 2 }, ['360×640', '360×640']],
			[{ aspect_ratio: '1:1' }, ['360×360']],
			[{ aspect_ratio: '21:9' }, ['840×360']],
			[{}, ['640×360']],
		];
		for (const [fields, sizes] of cases) {
			const images = await results('/v1/images/generations', { model_name: 'kling-v3', prompt: 'a lighthouse at dusk', ...fields });
			assert.deepEqual(images.map(pngSize), sizes, JSON.stringify(fields));
			assert.equal(new Set(images.map(sha256)).size, images.length, 'each image its own bytes');
		}
	});

	/** Each MP3 frame's header (MPEG-1 Layer III) and main_data_begin: 0 means it needs no earlier frame to decode. */
	function mp3Frames(mp3: Buffer): Array<{ bytes: number; mainDataBegin: number }> {
		const frames = [];
		let offset = 10 + ((mp3[6] << 21) | (mp3[7] << 14) | (mp3[8] << 7) | mp3[9]);
		while (offset < mp3.length) {
			assert.equal(mp3.readUInt16BE(offset) & 0xfffe, 0xfffa, `an MPEG-1 Layer III frame at ${offset}`);
			const kbps = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320][mp3[offset + 2] >> 4];
			assert.equal((mp3[offset + 2] >> 2) & 3, 0, '44.1 kHz');
			const bytes = Math.floor((144 * kbps * 1000) / 44_100) + ((mp3[offset + 2] >> 1) & 1);
			frames.push({ bytes, mainDataBegin: (mp3[offset + 4] << 1) | (mp3[offset + 5] >> 7) });
			offset += bytes;
		}
		assert.equal(offset, mp3.length, 'the last frame ends with the file');
		return frames;
	}

	function assertTone(wav: Buffer) {
		const samples = wav.subarray(44);
		let energy = 0;
		for (let i = 0; i + 1 < samples.length; i += 2) energy += samples.readInt16LE(i) ** 2;
		assert.ok(Math.sqrt(energy / (samples.length / 2)) > 1000, 'the WAV is a tone, not silence');
	}

	test('a video result is the demo clip', async () => {
		const [video] = await results('/v1/videos/text2video', { model_name: 'kling-v2-6', prompt: 'waves on a beach', mode: 'pro' });
		assert.deepEqual(mainBoxes(video), ['ftyp', 'moov', 'mdat']);
	});

	test('audio results last the seconds asked for (3 s without), in MP3 frames that decode on their own', async () => {
		for (const [path, body, seconds] of [
			['/v1/audio/text-to-audio', { prompt: 'rain on a tin roof', duration: 5 }, 5],
			['/v1/audio/video-to-audio', { video_url: 'https://example.com/clip.mp4' }, 3],
		] as const) {
			const files = await results(path, body);
			const [mp3, wav] = files.slice(-2);
			assert.ok(Math.abs((audioDurationMs(mp3) ?? 0) - seconds * 1000) < 30, `${path}: MP3 of ${audioDurationMs(mp3)} ms`);
			assert.equal(audioDurationMs(wav), seconds * 1000, `${path}: WAV`);
			assert.deepEqual(new Set(mp3Frames(mp3).map((frame) => frame.mainDataBegin)), new Set([0]));
			assertTone(wav);
		}
	});
});
