/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test infrastructure: prepares the process before n8n-core loads */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core's InstanceSettings writes ~/.n8n/config (with an encryption key) unless told otherwise.
const ownFolder = !process.env.N8N_USER_FOLDER;
export const userFolder = process.env.N8N_USER_FOLDER ?? mkdtempSync(join(tmpdir(), 'kling-n8n-user-'));
process.env.N8N_USER_FOLDER = userFolder;
// The binary store lives in here (benchmarks write GiB-sized files): leave nothing behind.
if (ownFolder) process.on('exit', () => rmSync(userFolder, { recursive: true, force: true }));
process.env.N8N_ENCRYPTION_KEY ??= 'kling-test-encryption-key';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
