/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/node-usable-as-tool -- benchmark code runs outside n8n */
/**
 * One 1 GiB result download, in its own process so its peak RSS is its own:
 * `streamed` is the Kling node's download; `buffered` is the same file fetched as one Buffer.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { TEST_KEYS } from '../test/support/emulator/kling-emulator';
import { startEmulator } from '../test/support/fixtures';
import { runKlingItems } from './workflows';

class BufferedDownload implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Buffered Download',
		name: 'bufferedDownload',
		group: ['transform'],
		version: 1,
		description: 'Downloads the first video URL into one Buffer',
		defaults: { name: 'Buffered Download' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const [item] = this.getInputData();
		const url = (item.json.task_result as { videos: Array<{ url: string }> }).videos[0].url;
		const body = (await this.helpers.httpRequest({ url, encoding: 'arraybuffer' })) as ArrayBuffer;
		const data = await this.helpers.prepareBinaryData(Buffer.from(body), 'video.mp4', 'video/mp4');
		return [[{ json: { bytes: data.bytes }, binary: { data } }]];
	}
}

async function main() {
	const mode = process.argv[2] as 'streamed' | 'buffered';
	const size = Number(process.argv[3]);
	const emulator = await startEmulator({ submittedMs: 5, processingMs: 5, videoBytes: size });
	const credentials = { provider: 'custom', baseUrl: `${emulator.url}/custom/kling`, authType: 'apiKey', apiKey: TEST_KEYS.custom.apiKey };
	const parameters = { resource: 'video', operation: 'textToVideo', prompt: 'a long film', waitOptions: { pollIntervalSeconds: 0.01 } };
	// Warm up n8n-core and the binary store with a small file, so the peak measured is the download's.
	emulator.videoBytes = 1024;
	await runKlingItems({ parameters, credentials, items: 1 });
	emulator.videoBytes = size;
	global.gc?.();
	const baseline = process.memoryUsage().rss;
	let peak = baseline;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
	const started = Date.now();
	const run = await runKlingItems({
		parameters: mode === 'streamed' ? parameters : { ...parameters, downloadResults: false },
		credentials,
		items: 1,
		next: mode === 'buffered' ? { type: 'bench.bufferedDownload', nodeType: new BufferedDownload() } : undefined,
	});
	clearInterval(sampler);
	const output = run.output(mode === 'streamed' ? 'Kling' : 'Next');
	const stored = output[0]?.binary?.data?.bytes;
	await emulator.stop();
	process.stdout.write(
		`${JSON.stringify({ mode, size, stored, peakGrowthBytes: peak - baseline, seconds: (Date.now() - started) / 1000, error: run.error('Kling')?.message ?? run.error('Next')?.message })}\n`,
	);
}

void main();
