/**
 * The length of an audio file, read from its headers (WAV) or frames (MP3) without decoding it,
 * so a lip-sync crop can default to "the whole audio" and be checked before paying. Undefined
 * when the format does not say (M4A/AAC, or a broken file): then the user gives the end time.
 */
const BITRATES_KBPS: Record<string, number[]> = {
	'1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
	'1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
	'1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
	'2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
	'2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
	'2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

interface Mp3Frame {
	bytes: number;
	seconds: number;
}

function mp3Frame(bytes: Buffer, offset: number): Mp3Frame | undefined {
	if (offset + 4 > bytes.length || bytes[offset] !== 0xff || (bytes[offset + 1] & 0xe0) !== 0xe0) return undefined;
	const versionBits = (bytes[offset + 1] >> 3) & 3; // 3 = MPEG 1, 2 = MPEG 2, 0 = MPEG 2.5
	const layer = 4 - ((bytes[offset + 1] >> 1) & 3); // 1, 2 or 3
	const bitrateIndex = bytes[offset + 2] >> 4;
	const rateIndex = (bytes[offset + 2] >> 2) & 3;
	const padding = (bytes[offset + 2] >> 1) & 1;
	if (versionBits === 1 || layer === 4 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
	const bitrate = BITRATES_KBPS[`${versionBits === 3 ? 1 : 2}-${layer}`][bitrateIndex] * 1000;
	const sampleRate = SAMPLE_RATES[versionBits][rateIndex];
	const samples = layer === 1 ? 384 : layer === 3 && versionBits !== 3 ? 576 : 1152;
	const length = layer === 1 ? (Math.floor((12 * bitrate) / sampleRate) + padding) * 4 : Math.floor((samples / 8) * bitrate / sampleRate) + padding;
	return length > 4 ? { bytes: length, seconds: samples / sampleRate } : undefined;
}

function mp3Seconds(bytes: Buffer): number | undefined {
	let offset = 0;
	if (bytes.toString('latin1', 0, 3) === 'ID3' && bytes.length >= 10) {
		const size = ((bytes[6] & 0x7f) << 21) | ((bytes[7] & 0x7f) << 14) | ((bytes[8] & 0x7f) << 7) | (bytes[9] & 0x7f);
		offset = 10 + size + (bytes[5] & 0x10 ? 10 : 0);
	}
	let seconds = 0;
	let frames = 0;
	while (offset < bytes.length) {
		const frame = mp3Frame(bytes, offset);
		if (!frame) {
			// Tolerate junk between frames (e.g. a trailing ID3v1 tag), but not a file with no frames.
			offset++;
			continue;
		}
		seconds += frame.seconds;
		frames++;
		offset += frame.bytes;
	}
	return frames ? seconds : undefined;
}

function wavSeconds(bytes: Buffer): number | undefined {
	let byteRate: number | undefined;
	for (let offset = 12; offset + 8 <= bytes.length; ) {
		const id = bytes.toString('latin1', offset, offset + 4);
		const size = bytes.readUInt32LE(offset + 4);
		if (id === 'fmt ' && offset + 16 <= bytes.length) byteRate = bytes.readUInt32LE(offset + 16);
		if (id === 'data') return byteRate ? Math.min(size, bytes.length - offset - 8) / byteRate : undefined;
		offset += 8 + size + (size % 2);
	}
	return undefined;
}

/** Milliseconds of audio in an MP3 or WAV file; undefined for other formats. */
export function audioDurationMs(bytes: Buffer): number | undefined {
	const isWav = bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WAVE';
	const isMp3 = bytes.toString('latin1', 0, 3) === 'ID3' || mp3Frame(bytes, 0) !== undefined;
	const seconds = isWav ? wavSeconds(bytes) : isMp3 ? mp3Seconds(bytes) : undefined;
	return seconds === undefined ? undefined : Math.round(seconds * 1000);
}
