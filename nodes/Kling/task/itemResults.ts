import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError, errorContext, invalidInput, isCancellation } from '../transport/errors';
import { checkedNumber } from '../input/numbers';
import { mapWithConcurrency, PoolError } from '../concurrency/mapWithConcurrency';

/**
 * The item pool of every operation: at most `concurrency` items at once, results in input order,
 * `pairedItem` kept. With "Continue On Fail" a failing item becomes an error row that keeps its
 * ids; otherwise the first failure stops the node, naming the tasks the other items finished.
 */
export function failureItem(error: unknown, itemIndex: number): INodeExecutionData {
	const context = errorContext(error);
	const json: IDataObject = { error: (error as Error).message };
	for (const key of ['taskId', 'externalTaskId', 'klingCode', 'klingMessage', 'requestId', 'httpStatus']) {
		if (context[key] !== undefined) json[key] = context[key] as IDataObject[string];
	}
	const description = (error as { description?: string }).description;
	if (description) json.description = description;
	return { json, pairedItem: { item: itemIndex } };
}

/** A failing item stops the node; the tasks other items already finished must still be findable. */
function withOtherTasks<E extends Error>(error: E, finished: Array<INodeExecutionData | undefined>): E {
	const taskIds = finished.map((item) => item?.json.task_id).filter(Boolean);
	if (taskIds.length && error && typeof error === 'object') {
		const described = error as Error & { description?: string | null };
		const note = `Tasks that other items of this run finished: ${taskIds.join(', ')}`;
		described.description = described.description ? `${described.description}\n${note}` : note;
	}
	return error;
}

export async function runItems(
	this: IExecuteFunctions,
	concurrency: number,
	perItem: (itemIndex: number) => Promise<INodeExecutionData>,
	/** Items already known to be bad (checked before any request): they fail without running. */
	rejected: Map<number, Error> = new Map(),
): Promise<INodeExecutionData[][]> {
	if (rejected.size && !this.continueOnFail()) throw asNodeError(this.getNode(), rejected.values().next().value);
	// A NaN or fractional limit would start no lane at all and leave every item without a result.
	const limit = checkedNumber(this.getNode(), concurrency, { label: 'Concurrency', integer: true, min: 1 }, 0);
	try {
		const results = await mapWithConcurrency(this.getInputData(), limit, async (_item, itemIndex) => {
			try {
				const early = rejected.get(itemIndex);
				if (early) throw early;
				return await perItem(itemIndex);
			} catch (error) {
				if (this.continueOnFail() && !isCancellation(error)) return failureItem(error, itemIndex);
				throw asNodeError(this.getNode(), error);
			}
		});
		return [results];
	} catch (error) {
		if (!(error instanceof PoolError)) throw asNodeError(this.getNode(), error);
		throw withOtherTasks(asNodeError(this.getNode(), error.cause), error.finished);
	}
}

/**
 * A user-set External Task ID names one task. Two items of one run with the same id would both
 * claim it, so every item sharing an id is rejected before anything is sent.
 */
export function rejectSharedExternalIds(
	context: IExecuteFunctions,
	idOfItem: (itemIndex: number) => string | undefined,
): Map<number, Error> {
	const itemsById = new Map<string, number[]>();
	context.getInputData().forEach((_item, itemIndex) => {
		const id = idOfItem(itemIndex);
		if (id) itemsById.set(id, [...(itemsById.get(id) ?? []), itemIndex]);
	});
	const rejected = new Map<number, Error>();
	for (const [id, items] of itemsById) {
		if (items.length < 2) continue;
		for (const itemIndex of items) {
			rejected.set(
				itemIndex,
				invalidInput(
					context.getNode(),
					`Invalid input: External Task ID "${id}" is set on items ${items.join(', ')} of this run`,
					itemIndex,
					'An External Task ID names exactly one Kling task. Make it unique per item (e.g. with an expression such as {{ $json.id }}) or leave it empty. Nothing was sent.',
				),
			);
		}
	}
	return rejected;
}
