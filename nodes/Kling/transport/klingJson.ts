import type { IDataObject } from 'n8n-workflow';

/**
 * Kling's ids are Java longs (element ids such as 829836802793406551), which JSON carries as
 * numbers. A JavaScript number holds integers exactly only up to 2^53, so JSON.parse would round
 * such an id and a workflow would send a different element to a paid task. Answers are therefore
 * parsed here, with integers beyond 2^53 kept as their exact digits (a string), and requests carry
 * such ids back as JSON numbers with the same digits.
 */

// A JSON string is skipped whole, so digits inside strings (task ids) are never touched; an integer
// is a value after `:` `[` or `,` and before `,` `]` `}`. The look-behind over whitespace runs only
// where 16 digits follow: tried at every position, it made a long run of spaces cost quadratic time.
const LONG_INTEGER_IN_JSON = /"(?:[^"\\]|\\.)*"|(?=-?\d{16})(?<=[:,[]\s*)-?\d{16,}(?=\s*[,\]}])/g;

/** JSON.parse, except that an integer beyond 2^53 becomes a string of its exact digits. */
export function parseKlingJson(text: string): unknown {
	return JSON.parse(
		text.replace(LONG_INTEGER_IN_JSON, (token) =>
			token.startsWith('"') || Number.isSafeInteger(Number(token)) ? token : `"${token}"`,
		),
	);
}

const MARKER = '\u0000kling-long:';

/** An integer id too large for a JavaScript number, written into a request as a JSON number. */
class LongInteger {
	constructor(readonly digits: string) {}

	toJSON(): string {
		return `${MARKER}${this.digits}`;
	}

	toString(): string {
		return this.digits;
	}
}

/** An element id as Kling's long: a number when exact, else its digits sent as a JSON number. */
export function klingLong(digits: string): number {
	const value = Number(digits);
	return (Number.isSafeInteger(value) ? value : new LongInteger(digits)) as unknown as number;
}

/** The request body as JSON text when it holds an id beyond 2^53; otherwise the body unchanged. */
export function serializeKlingBody(body: IDataObject | undefined): IDataObject | string | undefined {
	if (!body) return body;
	const text = JSON.stringify(body);
	if (!text.includes('\\u0000kling-long:')) return body;
	return text.replace(/"\\u0000kling-long:(\d+)"/g, '$1');
}
