import type { IDataObject } from 'n8n-workflow';

import type { KlingEmulator } from '../../support/emulator/kling-emulator';
import { credentialsFor, networkFor } from '../../support/fixtures';
import { runKling } from '../../support/harness/n8n';

/** Runs a Multi-Element Edit operation on a fresh session (or the given one); returns its output and the request it sent. */
export async function onSession(emulator: KlingEmulator, parameters: IDataObject, session?: string) {
	const sessionId = session ?? (await startSession(emulator));
	emulator.requests.length = 0;
	const result = await runKling({
		parameters: { resource: 'multiElement', ...parameters },
		credentials: credentialsFor('singapore', emulator),
		network: networkFor(emulator),
		items: [{ json: { session_id: sessionId } }],
	});
	return { result, sessionId, request: emulator.requests.find((request) => request.method === 'POST') };
}

export async function startSession(emulator: KlingEmulator): Promise<string> {
	const started = await runKling({
		parameters: { resource: 'multiElement', operation: 'startSession', videoSource: 'url', video: 'https://cdn.example.com/5s.mp4' },
		credentials: credentialsFor('singapore', emulator),
		network: networkFor(emulator),
	});
	return String(started.kling[0].json.session_id);
}
