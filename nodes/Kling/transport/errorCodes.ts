/** Kling's service codes (https://kling.ai/document-api/guides/get-started/quick-start): what each means, what to do, and whether to retry. */
export type RetryPolicy = 'final' | 'resign' | 'backoff';

export interface KlingCodeInfo {
	meaning: string;
	action: string;
	retry: RetryPolicy;
	/** True when Kling guarantees no task was created, so a submit may be sent again. */
	taskNotCreated: boolean;
}

const code = (meaning: string, action: string, retry: RetryPolicy, taskNotCreated: boolean): KlingCodeInfo => ({
	meaning,
	action,
	retry,
	taskNotCreated,
});

export const KLING_CODES: Record<number, KlingCodeInfo> = {
	1000: code('Authentication failed', 'Check the key in the Kling API credential (Credentials › Kling API)', 'final', true),
	1001: code('The Authorization header is empty', 'Fill in the key in the Kling API credential', 'final', true),
	1002: code(
		'The Authorization token is invalid',
		'Check the key, and that the Provider matches the region or reseller that issued it',
		'final',
		true,
	),
	1003: code(
		'The token is not valid yet',
		'The machine clock running n8n is probably ahead; sync it with NTP',
		'resign',
		true,
	),
	1004: code('The token has expired', 'The machine clock running n8n is probably behind; sync it with NTP', 'resign', true),
	1100: code('The Kling account has a problem', 'Check the account in the Kling console; Kling support can say what is wrong with it', 'final', true),
	1101: code('The Kling account is in arrears', 'Pay the open balance in the Kling console (Billing); then run the workflow again', 'final', true),
	1102: code(
		'The resource pack is used up or has expired',
		'Top up the resource pack of this kind of task in the Kling console: a video pack for videos, speech, voices and avatars; an image pack for images and virtual try-on (units of one kind do not pay for the other). Account › Get Package Ledger shows what is left',
		'final',
		true,
	),
	1103: code(
		'The account has no permission for this endpoint or model',
		'This account may not use this operation or model: enable it in the Kling console, or choose another model',
		'final',
		true,
	),
	1200: code('Invalid request parameters', 'Check the fields named in the message', 'final', true),
	1201: code('Invalid parameter value', 'Check the field named in the message', 'final', true),
	1202: code('Invalid request method', 'This looks like a bug in the node; please report it', 'final', true),
	1203: code(
		'The requested resource does not exist',
		'Check the model name, or the task id and that it belongs to this operation',
		'final',
		true,
	),
	1300: code('Kling platform policy was triggered', 'Kling refused this input by its platform rules: change the prompt or the input files', 'final', true),
	1301: code(
		'Kling content-safety policy was triggered',
		'Kling’s content safety refused the input: change the prompt or the input images, video or audio (faces of public figures, violence and adult content are refused). Sending the same input again fails the same way',
		'final',
		true,
	),
	1302: code('Requests are too fast (rate limit)', 'Slow down; the node retries with backoff', 'backoff', true),
	1303: code(
		'Too many tasks running at once for your resource pack',
		'The account’s task limit is reached: every resource pack allows a number of tasks at once per model (other workflows and API keys of the account count too). The node waits and retries; lower Concurrency in the Wait Options, or buy a pack with a higher limit',
		'backoff',
		true,
	),
	1304: code('The IP whitelist policy blocked the request', 'Add this n8n server’s public IP address to the IP whitelist in the Kling console, or ask Kling support', 'final', true),
	5000: code('Kling internal server error', 'Try again later', 'backoff', false),
	5001: code('Kling is temporarily unavailable (maintenance)', 'Try again later', 'backoff', true),
	5002: code('Kling internal timeout', 'Try again later', 'backoff', false),
};

export function describeKlingCode(klingCode: number | undefined): KlingCodeInfo | undefined {
	return klingCode === undefined ? undefined : KLING_CODES[klingCode];
}
