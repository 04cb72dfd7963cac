/* eslint-disable @n8n/community-nodes/no-restricted-globals -- benchmark code runs outside n8n */
/** The emulator in its own process, so the node's CPU and event loop are measured alone. */
import { KlingEmulator } from '../test/support/emulator/kling-emulator';

async function main() {
	const options = JSON.parse(process.argv[2] ?? '{}') as ConstructorParameters<typeof KlingEmulator>[0];
	const emulator = await new KlingEmulator(options).start();
	process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);
	process.on('message', (message) => {
		if (message === 'stats') {
			process.send?.({ requests: emulator.requests.length, fileRequests: emulator.fileRequests.length, tasks: emulator.tasks.size });
		}
	});
	process.on('disconnect', () => void emulator.stop().then(() => process.exit(0)));
}

void main();
