// `npm run e2e:agent`: the Kling node as an AI Agent tool in a real n8n. Manual Trigger → AI Agent
// with an OpenAI Chat Model whose base URL is a scripted OpenAI-compatible server on 127.0.0.1
// (test/support/scriptedOpenAi.mjs) and the Kling node attached as a tool (`usableAsTool` → n8n's
// synthetic type CUSTOM.klingTool). The scripted model calls the tool once (image generate with a
// prompt and an image URL) and then answers with the result URL it saw in the tool's output.
// Checks: the emulator received the tool's submit; the agent's answer contains the result URL.
// Prints the JSON the model was given as the tool result, to judge what a model can work with.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { CREDENTIAL, EMULATOR_PORT, N8N, N8N_VERSION, NODE, STATE, buildPackage, ensureRuntime, n8n, n8nEnv, parseRun, prepareState } from '../test/support/realN8n.mjs';
import { startScriptedOpenAi } from '../test/support/scriptedOpenAi.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OPENAI_PORT = Number(process.env.SCRIPTED_OPENAI_PORT ?? 0);
const WORKFLOW_ID = 'klingAgentTool01';
const OPENAI_CREDENTIAL = { id: 'scriptedOpenAi01', name: 'Scripted OpenAI (local)' };
// KLING_AGENT_PROMPT with "[fail]" in it makes the emulator fail the task: shows what the model gets then.
const PROMPT = process.env.KLING_AGENT_PROMPT ?? 'a lighthouse at dawn, watercolour, seen from the beach';
// Agent 3.x runs tools through the workflow engine; older agent versions call the tool node directly.
const AGENT_VERSION = Number(process.env.KLING_AGENT_VERSION ?? 3.1);

const log = (message) => console.log(`[kling agent] ${message}`);

/** Manual Trigger → AI Agent ← OpenAI Chat Model, ← Kling Tool (prompt and image URL chosen by the model). */
function agentWorkflow() {
	return {
		id: WORKFLOW_ID,
		name: 'Kling as an AI Agent tool (e2e)',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'a1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'a2',
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: AGENT_VERSION,
				position: [220, 0],
				parameters: {
					promptType: 'define',
					text: `Make me an image: ${PROMPT}. Start from my sketch. Reply with the link to the image.`,
					options: {},
				},
			},
			{
				id: 'a3',
				name: 'OpenAI Chat Model',
				type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				typeVersion: 1.3,
				position: [120, 220],
				parameters: {
					model: { __rl: true, mode: 'id', value: 'scripted-kling-agent' },
					responsesApiEnabled: false,
					options: {},
				},
				credentials: { openAiApi: OPENAI_CREDENTIAL },
			},
			{
				id: 'a4',
				name: 'Kling',
				type: 'CUSTOM.klingTool',
				typeVersion: 1,
				position: [360, 220],
				parameters: {
					resource: 'image',
					operation: 'generate',
					prompt: "={{ $fromAI('prompt', 'What the image should show', 'string') }}",
					imageSource: 'url',
					image: "={{ $fromAI('image_url', 'URL of the image to start from', 'string') }}",
				},
				credentials: { klingApi: CREDENTIAL },
			},
		],
		connections: {
			Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
			Kling: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
	};
}

function importAgent(openAiUrl) {
	const dir = join(STATE, 'import-agent');
	mkdirSync(dir, { recursive: true });
	writeFileSync(
		join(dir, 'credentials.json'),
		JSON.stringify([{ ...OPENAI_CREDENTIAL, type: 'openAiApi', data: { apiKey: 'sk-scripted-not-a-secret', url: openAiUrl, header: false } }]),
	);
	writeFileSync(join(dir, 'workflow.json'), JSON.stringify(agentWorkflow()));
	for (const args of [
		['import:credentials', `--input=${join(dir, 'credentials.json')}`],
		['import:workflow', `--input=${join(dir, 'workflow.json')}`],
	]) {
		const result = n8n(args);
		if (result.status !== 0) throw new Error(`n8n ${args[0]} failed:\n${result.stdout}\n${result.stderr}`);
	}
}

/** `n8n execute` without blocking this process: the emulator and the scripted model live here. */
function execute(id) {
	return new Promise((resolve) => {
		const child = spawn(NODE, [N8N, 'execute', `--id=${id}`, '--rawOutput'], { env: { ...n8nEnv(), N8N_LOG_LEVEL: 'info' } });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (data) => (stdout += data));
		child.stderr.on('data', (data) => (stderr += data));
		child.once('exit', (status) => resolve({ status, stdout, stderr }));
	});
}

async function main() {
	const started = Date.now();
	ensureRuntime();
	buildPackage();
	prepareState();
	log(`runtime, build and n8n state ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
	const require = createRequire(import.meta.url);
	const { KlingEmulator } = require(join(ROOT, '.test-build', 'test', 'support', 'emulator', 'kling-emulator.js'));
	const emulator = await new KlingEmulator({ submittedMs: 300, processingMs: 700 }).start({ api: EMULATOR_PORT, files: EMULATOR_PORT + 1 });
	const sketchUrl = `${emulator.filesUrl}/samples/agent-sketch.png`;
	const model = await startScriptedOpenAi(OPENAI_PORT, { prompt: PROMPT, imageUrl: sketchUrl });
	const problems = [];
	try {
		importAgent(model.url);
		const executeStarted = Date.now();
		const result = await execute(WORKFLOW_ID);
		const executeSeconds = ((Date.now() - executeStarted) / 1000).toFixed(1);
		const run = parseRun(result.stdout);
		const runData = run?.data?.resultData?.runData ?? {};
		if (result.status !== 0 || !run) problems.push(`n8n execute exited ${result.status}: ${(result.stdout + result.stderr).slice(-2000)}`);
		if (run?.data?.resultData?.error) problems.push(`execution error: ${run.data.resultData.error.message}`);

		const submits = emulator.submits().filter((request) => request.klingPath === '/v1/images/generations');
		if (submits.length !== 1) problems.push(`the emulator saw ${submits.length} image submits (expected 1)`);
		const submit = submits[0];
		if (submit && submit.body?.prompt !== PROMPT) problems.push(`submitted prompt was ${JSON.stringify(submit.body?.prompt)}`);
		if (submit && submit.body?.image !== sketchUrl) problems.push(`submitted image was ${JSON.stringify(submit.body?.image)}`);
		const resultUrls = emulator.createdTasks().flatMap((task) => task.files.map((file) => file.url));

		const answer = String(runData['AI Agent']?.at(-1)?.data?.main?.[0]?.[0]?.json?.output ?? '');
		if (resultUrls.length === 0) problems.push('no task was created, so there is no result URL');
		else if (!resultUrls.every((url) => answer.includes(url))) problems.push(`the agent's answer lacks the result URL: ${JSON.stringify(answer)}`);

		const toolTurn = model.requests.find((request) => request.body.messages?.some((message) => message.role === 'tool'));
		const toolOutput = String(toolTurn?.body.messages.findLast((message) => message.role === 'tool')?.content ?? '');
		const offeredTool = model.requests[0]?.body.tools?.find((tool) => /kling/i.test(tool.function?.name ?? ''));
		for (const line of result.stderr.split('\n').filter((text) => /binary|tool/i.test(text))) log(`n8n says: ${line.trim()}`);
		log(`n8n ${N8N_VERSION}, AI Agent v${AGENT_VERSION}; n8n execute ${executeSeconds} s; model turns: ${model.requests.length}; Kling API requests: ${emulator.requests.length} (${submits.length} submit); file downloads: ${emulator.fileRequests.filter((request) => request.url.includes('/results/')).length}`);
		log(`Kling API requests: ${emulator.requests.map((request) => `${request.method} ${request.url}`).join(', ')}`);
		log(`tool offered to the model: ${JSON.stringify(offeredTool ?? null)}`);
		log(`tool output the model saw (${toolOutput.length} characters): ${toolOutput.slice(0, 4000)}`);
		log(`agent's answer: ${JSON.stringify(answer)}`);
		if (!toolTurn) problems.push('the model never received a tool result');
	} finally {
		await model.stop();
		await emulator.stop();
	}
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	if (problems.length) {
		console.log(`e2e:agent FAIL (${seconds} s)\n  ${problems.join('\n  ')}`);
		process.exitCode = 1;
	} else {
		console.log(`e2e:agent ok (${seconds} s): the AI Agent called the Kling tool, the emulator saw its submit, the answer carries the result URL`);
	}
}

main().catch((error) => {
	console.error(`[kling agent] ${error.stack ?? error.message}`);
	process.exit(1);
});
