/**
 * Kling is a Java service: it reads and writes ids as 64-bit longs, exactly, in JSON numbers. The
 * emulator does the same — integers beyond 2^53 are BigInts here — so a client that rounds an id
 * (JavaScript's JSON.parse does) is caught sending a different number.
 */
// The look-behind runs only where 16 digits follow, so a long run of spaces stays linear.
const UNSAFE_INTEGER = /"(?:[^"\\]|\\.)*"|(?=-?\d{16})(?<=[:,[]\s*)-?\d{16,}(?=\s*[,\]}])/g;
const TAG = '\u0000bigint:';

/** JSON.parse with integers beyond 2^53 as BigInt. */
export function parseExactJson(text: string): unknown {
	// The tag travels escaped: a raw U+0000 is not allowed inside a JSON string.
	const tagged = text.replace(UNSAFE_INTEGER, (token) => (token.startsWith('"') || Number.isSafeInteger(Number(token)) ? token : `"\\u0000bigint:${token}"`));
	return JSON.parse(tagged, (_key, value: unknown) => (typeof value === 'string' && value.startsWith(TAG) ? BigInt(value.slice(TAG.length)) : value));
}

/** JSON.stringify that writes a BigInt as a JSON number with all its digits. */
export function stringifyExactJson(value: unknown): string {
	// The holder's own value is checked: a library may have given BigInt a toJSON that makes it a string first.
	const text = JSON.stringify(value, function (this: Record<string, unknown>, key: string, entry: unknown) {
		const original = this[key];
		return typeof original === 'bigint' ? `${TAG}${original}` : entry;
	});
	return text === undefined ? text : text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}
