/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- a standalone test server, run outside n8n */
/**
 * The Kling emulator as a process, for `npm start` and the end-to-end checks: API on
 * 127.0.0.1:$KLING_EMULATOR_PORT (default 5680), result files on the next port.
 */
import { KlingEmulator } from './kling-emulator';

async function main() {
	const api = Number(process.env.KLING_EMULATOR_PORT ?? 5680);
	const emulator = await new KlingEmulator({
		submittedMs: Number(process.env.KLING_EMULATOR_SUBMITTED_MS ?? 1500),
		processingMs: Number(process.env.KLING_EMULATOR_PROCESSING_MS ?? 3500),
		...(process.env.KLING_EMULATOR_VIDEO_PROCESSING_MS ? { videoProcessingMs: Number(process.env.KLING_EMULATOR_VIDEO_PROCESSING_MS) } : {}),
		videoBytes: 512 * 1024,
		// The example credential's custom host is Kling-compatible on both standards, so Kling 4.0 runs there too.
		customHostServesNewStandard: true,
	}).start({ api, files: api + 1 });
	console.log(`Kling emulator: API ${emulator.url} (custom preset prefix /custom/kling), files ${emulator.filesUrl}`);
	const stop = () => void emulator.stop().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	process.on('disconnect', stop);
}

void main();
