/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test infrastructure: runs outside n8n, reads its committed demo clip */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** A valid RGB PNG: a diagonal gradient between two colours that depend on the seed. */
export function makePng(width: number, height: number, seed = 'kling'): Buffer {
	const digest = createHash('sha256').update(seed).digest();
	const from = [digest[0], digest[1], digest[2]];
	const to = [255 - digest[0], digest[3], 255 - digest[2]];
	const rows = Array.from({ length: height }, (_, y) => {
		const row = Buffer.alloc(1 + width * 3);
		for (let x = 0; x < width; x++) {
			const t = (x / Math.max(1, width - 1) + y / Math.max(1, height - 1)) / 2;
			for (let c = 0; c < 3; c++) row[1 + x * 3 + c] = Math.round(from[c] + (to[c] - from[c]) * t);
		}
		return row;
	});
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		pngChunk('IDAT', deflateSync(Buffer.concat(rows))),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

/**
 * Width × height of a result image for Kling's `aspect_ratio` ("16:9", "9:16", …): the shorter side is
 * `shortSide` px, the longer one follows the ratio (16:9 at 360 → 640×360). Anything else is square.
 */
export function imageSize(aspectRatio: unknown, shortSide: number): { width: number; height: number } {
	const match = typeof aspectRatio === 'string' ? /^(\d+):(\d+)$/.exec(aspectRatio) : null;
	const [across, down] = match ? [Number(match[1]), Number(match[2])] : [1, 1];
	if (!across || !down) return { width: shortSide, height: shortSide };
	return across >= down
		? { width: Math.round((shortSide * across) / down), height: shortSide }
		: { width: shortSide, height: Math.round((shortSide * down) / across) };
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

/** A file of test/support/emulator/assets, read next to this module or, compiled, from the source tree. */
function asset(name: string): Buffer {
	for (const dir of [join(__dirname, 'assets'), join(__dirname, '..', '..', '..', '..', 'test', 'support', 'emulator', 'assets')]) {
		if (existsSync(join(dir, name))) return readFileSync(join(dir, name));
	}
	throw new Error(`test/support/emulator/assets/${name} is missing`);
}

/**
 * The demo clip every video result starts with: 3 s of 640×360 H.264 (Constrained Baseline, yuv420p,
 * 15 fps, no audio), `moov` before `mdat` so a player starts before the download ends. Made once with
 * Debian 12's ffmpeg 5.1 (not needed to run anything) by:
 *   ffmpeg -f lavfi -i "gradients=s=640x360:r=15:d=3:speed=0.03:c0=0x2b1055:c1=0x7597de:c2=0xff6f61:c3=0x1f9d8a:n=4:seed=7" \
 *     -vf "drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf:text='Kling emulator':fontsize=40:fontcolor=white:x=(w-tw)/2:y=(h-th)/2-20,
 *          drawtext=fontfile=…same font…:text='demo clip %{eif\:t\:d}.%{eif\:mod(t*10,10)\:d} s':fontsize=22:fontcolor=white@0.9:x=(w-tw)/2:y=(h/2)+30" \
 *     -t 3 -c:v libx264 -profile:v baseline -level 3.0 -pix_fmt yuv420p -crf 32 -preset veryslow -x264-params no-info=1 \
 *     -map_metadata -1 -fflags +bitexact -flags:v +bitexact -movflags +faststart -an demo-640x360.mp4
 */
export const DEMO_VIDEO = { width: 640, height: 360, seconds: 3, codec: 'avc1.42C01E' } as const;
let demoClip: Buffer | undefined;
export const demoMp4 = (): Buffer => (demoClip ??= asset('demo-640x360.mp4'));

/**
 * A playable MP4: the demo clip, then a `free` box (which players skip) naming the seed and padded so
 * the file is `bytes` long; never shorter than the clip plus that box. Deterministic per seed.
 */
export function makeMp4(seed: string, bytes = 0): Buffer {
	const clip = demoMp4();
	const tag = Buffer.from(`kling-emulator ${seed}\n`, 'utf8');
	const payload = Buffer.alloc(Math.max(tag.length, bytes - clip.length - 8));
	const digest = createHash('sha256').update(seed).digest();
	for (let i = tag.length; i < payload.length; i++) payload[i] = digest[i % digest.length] ^ (i & 0xff);
	tag.copy(payload);
	return Buffer.concat([clip, box('free', payload)]);
}

/**
 * One MPEG-1 Layer III frame (32 kbit/s, 44.1 kHz, mono, 1152 samples = 26.1 ms) of a 459.375 Hz tone:
 * 12 whole periods per frame, encoded without the bit reservoir, so the frame decodes on its own and
 * repeating it plays a steady tone. Cut from the steady middle of
 *   ffmpeg -f lavfi -i sine=frequency=459.375:sample_rate=44100:duration=2 -af volume=2 -ac 1 \
 *     -c:a libmp3lame -b:a 32k -reservoir 0 -write_xing 0 -id3v2_version 0 tone.mp3
 */
const TONE_FRAME = Buffer.from(
	'//sQxAADw9jPCgvUpoB7GeFBepTQ+EesAGDwnhEmAyW+Fjv/Gf/Ch//jfp9H/8b/9P/jX+EesAGDwnhEmAyW+Fjv/Gf/Ch//jfp9H/8b/9P/jXTEFNRTMuMTAwAAAAAAAAAAAAAAAAA=',
	'base64',
);

/** An ID3v2.3 tag whose title (TIT2) is the seed: what makes two files differ. */
function id3Title(seed: string): Buffer {
	const text = Buffer.concat([Buffer.from([0]), Buffer.from(seed.slice(0, 64), 'latin1')]);
	const frameHeader = Buffer.alloc(10);
	frameHeader.write('TIT2', 0, 'latin1');
	frameHeader.writeUInt32BE(text.length, 4);
	const frames = Buffer.concat([frameHeader, text]);
	const size = frames.length;
	const header = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, (size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f]);
	return Buffer.concat([header, frames]);
}

/** How long the emulator's audio results play when the request names no duration. */
export const DEMO_AUDIO_SECONDS = 3;

/** An MP3 that plays a tone: two frames (52 ms) by default, or `seconds` long; the seed is its ID3 title. */
export function makeMp3(seed: string, seconds?: number): Buffer {
	const frames = seconds === undefined ? 2 : Math.ceil((seconds * 44_100) / 1152);
	return Buffer.concat([id3Title(seed), ...Array.from({ length: frames }, () => TONE_FRAME)]);
}

/** 8 kHz 16-bit mono PCM of a tone (its pitch and lowest bits depend on the seed): 50 ms by default, or `seconds` long. */
export function makeWav(seed: string, seconds?: number): Buffer {
	const samples = Buffer.alloc(seconds === undefined ? 800 : Math.round(seconds * 16_000));
	const hertz = 330 + (createHash('sha256').update(seed).digest()[0] % 12) * 55;
	// The seed's bytes ride in the lowest bits of the first samples (inaudible): no two seeds share a file.
	const mark = Buffer.from(seed.slice(0, 64), 'utf8');
	for (let i = 0; i < samples.length / 2; i++) {
		samples.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * hertz * i) / 8000)) + (i < mark.length ? mark[i] & 0x0f : 0), i * 2);
	}
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
