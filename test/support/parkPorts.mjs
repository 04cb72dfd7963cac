// The ports of the two park checks (`npm run e2e:park` and bench/park.mjs; run them one at a time):
// n8n 5760, with its webhooks addressed there, the emulator's API 5761 and files 5762, the task-runner
// broker 5763. realN8n.mjs reads them when it is loaded: import this module before it.
process.env.N8N_PORT ??= '5760';
process.env.KLING_EMULATOR_PORT ??= '5761';
process.env.N8N_RUNNERS_BROKER_PORT ??= '5763';
process.env.WEBHOOK_URL ??= `http://127.0.0.1:${process.env.N8N_PORT}/`;
process.env.N8N_LOG_LEVEL ??= 'error';
