// `npm run e2e:instances`: the node's derived external_task_id is unique per n8n installation. Two
// separate n8n installations (two user folders: each its own sqlite database and its own generated
// encryption key, so its own instance id) hold the same workflow (same workflow id, same node ids; a
// Manual Trigger and Kling Image › Generate, waiting for the result) with the same Kling credential; only
// the prompt differs: "a red cat" in A, "a blue dog" in B. Each runs it once with `n8n execute`, against
// one Kling emulator in this process, so both runs have the same execution id in their own database.
// Checked, with the emulator refusing a taken external_task_id (as Kling's new API does) and with it
// accepting one: Kling created exactly two tasks; each installation's output is its own prompt's task,
// its binary byte-equal to that task's file; the two external_task_ids and the two n8n_instance parts
// differ while workflow, node and execution ids are equal.
// Ports: n8n 5790 and 5792 (task-runner brokers 5791 and 5793), the emulator's API 5795 and files 5796.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';

process.env.KLING_EMULATOR_PORT ??= '5795';
process.env.N8N_LOG_LEVEL ??= 'error';
const BASE_PORT = Number(process.env.E2E_INSTANCES_N8N_PORT ?? 5790);
const { binaryFile, buildPackage, CREDENTIAL, emulatorCredential, ensureRuntime, N8N, n8n, n8nEnv, NODE, parseRun, prepareState, RUNTIME, sha256, startEmulatorHere } =
	await import('../test/support/realN8n.mjs');

const log = (message) => console.log(`[e2e:instances] ${message}`);
const failures = [];
const check = (label, ok, detail = '') => {
	if (!ok) failures.push(`${label}${detail ? `: ${detail}` : ''}`);
	log(`${ok ? 'ok  ' : 'FAIL'} ${label}${detail && !ok ? ` — ${detail}` : ''}`);
};

const WORKFLOW_ID = 'klingTwoInstance1';
const KLING_NODE = 'Generate Image';
/** The one workflow both installations hold; only the prompt text differs. */
const workflow = (prompt) => ({
	id: WORKFLOW_ID,
	name: 'two installations, one workflow',
	nodes: [
		{ id: '7f0e2e00-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: '7f0e2e00-0000-4000-8000-000000000002',
			name: KLING_NODE,
			type: 'CUSTOM.kling',
			typeVersion: 1,
			position: [240, 0],
			parameters: { resource: 'image', operation: 'generate', prompt, waitForCompletion: true },
			credentials: { klingApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
		},
	],
	connections: { Start: { main: [[{ node: KLING_NODE, type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
	active: false,
	pinData: {},
});

const INSTANCES = [
	{ name: 'A', prompt: 'a red cat', port: BASE_PORT },
	{ name: 'B', prompt: 'a blue dog', port: BASE_PORT + 2 },
];

/** A fresh user folder with the package, the emulator's credential and the workflow; n8n generates its encryption key. */
function prepareInstance(instance) {
	instance.state = join(RUNTIME, 'state', 'instances', instance.name);
	instance.env = n8nEnv({
		N8N_USER_FOLDER: instance.state,
		N8N_CUSTOM_EXTENSIONS: join(instance.state, 'custom'),
		// Unset: each installation creates its own key on first use (in <folder>/.n8n/config).
		N8N_ENCRYPTION_KEY: undefined,
		N8N_PORT: String(instance.port),
		N8N_RUNNERS_BROKER_PORT: String(instance.port + 1),
	});
	prepareState({ state: instance.state, env: instance.env, importExamples: false });
	const credentials = join(instance.state, 'credentials.json');
	const workflowFile = join(instance.state, 'workflow.json');
	writeFileSync(credentials, JSON.stringify([emulatorCredential()]));
	writeFileSync(workflowFile, JSON.stringify(workflow(instance.prompt)));
	for (const args of [
		['import:credentials', `--input=${credentials}`],
		['import:workflow', `--input=${workflowFile}`],
	]) {
		const result = n8n(args, { env: instance.env });
		if (result.status !== 0) throw new Error(`instance ${instance.name}: n8n ${args[0]} failed:\n${result.stdout}\n${result.stderr}`);
	}
}

const EXECUTE_TIMEOUT_MS = 120_000;

/** `n8n execute` without blocking this process (the emulator lives here); stopped after EXECUTE_TIMEOUT_MS. */
function spawnExecute(env) {
	return new Promise((resolve) => {
		// --rawOutput prints the run through n8n's logger at level info.
		const child = spawn(NODE, [N8N, 'execute', `--id=${WORKFLOW_ID}`, '--rawOutput'], { env: { ...env, N8N_LOG_LEVEL: 'info' } });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (data) => (stdout += data));
		child.stderr.on('data', (data) => (stderr += data));
		const timer = setTimeout(() => child.kill('SIGKILL'), EXECUTE_TIMEOUT_MS);
		child.once('close', (status, signal) => {
			clearTimeout(timer);
			resolve({ status: status ?? signal, stdout, stderr });
		});
	});
}

/** `n8n execute` of the workflow in one installation: the Kling node's output item. */
async function execute(instance) {
	const result = await spawnExecute(instance.env);
	const resultData = parseRun(result.stdout ?? '')?.data?.resultData;
	const problem =
		result.status !== 0 || !resultData
			? `n8n execute exited ${result.status}: ${`${result.stdout}\n${result.stderr}`.slice(-1500)}`
			: resultData.error
				? `execution error: ${resultData.error.message}`
				: '';
	const runs = resultData?.runData?.[KLING_NODE] ?? [];
	return { problem, item: runs[runs.length - 1]?.data?.main?.[0]?.[0] };
}

/** '' when every file of the item is a stored binary byte-equal to one of `task`'s files. */
function filesOfTask(emulator, instance, item, task) {
	const files = item.json.files ?? [];
	if (!files.length) return 'no files';
	for (const file of files) {
		if (!task.files.some((candidate) => candidate.url === file.url)) return `${file.url} is not a file of task ${task.task_id}`;
		const binary = item.binary?.[file.binaryProperty];
		const stored = binary?.id ? binaryFile(binary.id, instance.state) : undefined;
		if (!stored) return `${file.binaryProperty} is not in the installation's binary store`;
		if (sha256(stored) !== sha256(emulator.fileBytes(file.url))) return `${file.binaryProperty} differs from task ${task.task_id}'s file`;
	}
	return '';
}

async function round(emulator, uniqueExternalIds) {
	emulator.reset();
	emulator.behaviour.uniqueExternalIds = uniqueExternalIds;
	const label = `Kling ${uniqueExternalIds ? 'refuses' : 'accepts'} a taken external_task_id`;
	log(`--- ${label}`);
	const outputs = [];
	for (const instance of INSTANCES) {
		const started = Date.now();
		const output = await execute(instance);
		log(`instance ${instance.name} ("${instance.prompt}"): n8n execute ${((Date.now() - started) / 1000).toFixed(1)} s, task ${output.item?.json.task_id}, external_task_id ${output.item?.json.external_task_id}`);
		outputs.push(output);
	}
	const tasks = emulator.createdTasks();
	check(`${label}: the two runs created exactly 2 tasks at Kling`, tasks.length === 2, `${tasks.length} tasks: ${tasks.map((task) => `${task.task_id} "${task.body.prompt}"`).join(', ')}`);
	INSTANCES.forEach((instance, index) => {
		const { problem, item } = outputs[index];
		const own = tasks.filter((task) => task.body.prompt === instance.prompt);
		const task = own[0];
		const detail =
			problem ||
			(!item ? 'no output item' : '') ||
			(own.length !== 1 ? `${own.length} tasks with its prompt` : '') ||
			(item.json.task_id !== task.task_id ? `output task ${item.json.task_id}, its prompt's task is ${task.task_id}` : '') ||
			(task.body.external_task_id !== item.json.external_task_id ? `task sent with ${task.body.external_task_id}, output says ${item.json.external_task_id}` : '') ||
			filesOfTask(emulator, instance, item, task);
		check(`${label}: instance ${instance.name}'s output is the "${instance.prompt}" task, its binary that task's file`, !detail, detail);
	});
	const [a, b] = outputs.map((output) => output.item?.json ?? {});
	const [partsA, partsB] = [a.external_task_id_parts ?? {}, b.external_task_id_parts ?? {}];
	check(`${label}: the two external_task_ids differ`, a.external_task_id && b.external_task_id && a.external_task_id !== b.external_task_id, `${a.external_task_id} / ${b.external_task_id}`);
	check(`${label}: the n8n_instance parts differ`, partsA.n8n_instance && partsB.n8n_instance && partsA.n8n_instance !== partsB.n8n_instance, `${partsA.n8n_instance} / ${partsB.n8n_instance}`);
	const differing = ['workflow_id', 'node_id', 'execution_id', 'run_index', 'item_index'].filter((part) => partsA[part] === undefined || partsA[part] !== partsB[part]);
	check(`${label}: workflow, node, execution, run and item ids are equal (execution ${partsA.execution_id} in both)`, differing.length === 0, `differ: ${differing.join(', ')}`);
}

async function main() {
	const started = Date.now();
	ensureRuntime();
	buildPackage();
	for (const instance of INSTANCES) prepareInstance(instance);
	log(`prepared ${INSTANCES.length} installations in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	const emulator = await startEmulatorHere({ submittedMs: 200, processingMs: 400 });
	try {
		// Each round runs the workflow once more in both installations: execution 1, then execution 2.
		await round(emulator, true);
		await round(emulator, false);
	} finally {
		await emulator.stop();
	}
	log(`${failures.length ? `${failures.length} FAILED` : 'all passed'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	if (failures.length) process.exitCode = 1;
}

main().catch((error) => {
	console.error(`[e2e:instances] ${error.stack ?? error.message}`);
	process.exit(1);
});
