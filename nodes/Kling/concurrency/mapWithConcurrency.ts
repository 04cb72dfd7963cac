/**
 * Runs `worker` over every item with at most `limit` at once; results keep the input order.
 * After a failure no new item starts, the running ones finish (they may be paid tasks), and the
 * first error is thrown together with what did finish.
 */
export class PoolError<R> extends Error {
	constructor(
		readonly cause: unknown,
		readonly finished: Array<R | undefined>,
	) {
		super((cause as Error)?.message ?? String(cause));
	}
}

export async function mapWithConcurrency<T, R>(
	items: readonly T[],
	limit: number,
	worker: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R | undefined>(items.length);
	let next = 0;
	let failure: { error: unknown } | undefined;
	const lanes = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, async () => {
		while (next < items.length && !failure) {
			const index = next++;
			try {
				results[index] = await worker(items[index], index);
			} catch (error) {
				failure ??= { error };
			}
		}
	});
	await Promise.all(lanes);
	if (failure) throw new PoolError(failure.error, results);
	return results as R[];
}
