// A scripted OpenAI-compatible chat model for the AI Agent check (`npm run e2e:agent`): no model
// weights, no network. POST /v1/chat/completions answers the first turn with one call of the Kling
// tool (a prompt and an image URL), and the turn after the tool result with a text that quotes the
// result URL it found in that tool result. Every request is kept, so the check can show exactly
// what the model was sent (tool schema, tool output).
import { createServer } from 'node:http';

const RESULT_URL = /https?:\/\/[^\s"'\\)]+\/results\/[^\s"'\\)]+/g;

function toolCallFor(tool, script) {
	const properties = tool?.function?.parameters?.properties ?? {};
	const args = {};
	for (const name of Object.keys(properties)) {
		if (/image|url/i.test(name)) args[name] = script.imageUrl;
		else if (/prompt|description|text/i.test(name)) args[name] = script.prompt;
		else args[name] = properties[name].type === 'number' ? 1 : '';
	}
	return { id: 'call_kling_1', type: 'function', function: { name: tool.function.name, arguments: JSON.stringify(args) } };
}

/** The assistant message for this turn: a Kling tool call first, then a text about the tool's result. */
function reply(body, script) {
	const messages = body.messages ?? [];
	const toolResults = messages.filter((message) => message.role === 'tool');
	if (toolResults.length === 0) {
		const tools = body.tools ?? [];
		const tool = tools.find((candidate) => /kling/i.test(candidate.function?.name ?? '')) ?? tools[0];
		if (!tool) return { role: 'assistant', content: 'No tool was offered to me.' };
		return { role: 'assistant', content: null, tool_calls: [toolCallFor(tool, script)] };
	}
	const seen = String(toolResults.at(-1).content ?? '');
	const urls = [...new Set(seen.match(RESULT_URL) ?? [])];
	return {
		role: 'assistant',
		content: urls.length
			? `Done. Your image: ${urls.join(' ')}`
			: `The Kling tool answered without a result URL: ${seen.slice(0, 300)}`,
	};
}

function completion(message) {
	return {
		id: `chatcmpl-scripted-${Date.now()}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: 'scripted-kling-agent',
		choices: [{ index: 0, message, finish_reason: message.tool_calls ? 'tool_calls' : 'stop', logprobs: null }],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

/** The same answer as server-sent events, for clients that ask for a stream. */
function streamChunks(message) {
	const base = { id: `chatcmpl-scripted-${Date.now()}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: 'scripted-kling-agent' };
	const delta = message.tool_calls
		? { role: 'assistant', content: null, tool_calls: message.tool_calls.map((call, index) => ({ index, ...call })) }
		: { role: 'assistant', content: message.content };
	return [
		{ ...base, choices: [{ index: 0, delta, finish_reason: null }] },
		{ ...base, choices: [{ index: 0, delta: {}, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 } },
	];
}

/**
 * Starts the scripted model on 127.0.0.1:`port` (0 = any free port).
 * `script`: { prompt, imageUrl } — what the model asks the Kling tool for.
 */
export function startScriptedOpenAi(port, script) {
	const requests = [];
	const server = createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
			if (req.method === 'GET' && path.endsWith('/models')) {
				res.writeHead(200, { 'content-type': 'application/json' });
				return void res.end(JSON.stringify({ object: 'list', data: [{ id: 'scripted-kling-agent', object: 'model', owned_by: 'kling-tests' }] }));
			}
			if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
				res.writeHead(404, { 'content-type': 'application/json' });
				return void res.end(JSON.stringify({ error: { message: `no route ${req.method} ${path}` } }));
			}
			let body;
			try {
				body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
			} catch {
				res.writeHead(400, { 'content-type': 'application/json' });
				return void res.end(JSON.stringify({ error: { message: 'body is not JSON' } }));
			}
			const message = reply(body, script);
			requests.push({ body, answer: message });
			if (body.stream) {
				res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
				for (const chunk of streamChunks(message)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
				return void res.end('data: [DONE]\n\n');
			}
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(completion(message)));
		});
	});
	return new Promise((resolve) => {
		server.listen(port, '127.0.0.1', () => {
			resolve({
				url: `http://127.0.0.1:${server.address().port}/v1`,
				requests,
				stop: () => new Promise((done) => server.close(done)),
			});
		});
	});
}
