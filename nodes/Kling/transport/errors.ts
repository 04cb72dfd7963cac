import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { describeKlingCode } from './errorCodes';

/** What identifies a paid task; every error raised after a submit carries it. */
export interface TaskContext {
	taskId?: string;
	externalTaskId?: string;
}

export interface KlingFailure {
	httpStatus?: number;
	klingCode?: number;
	klingMessage?: string;
	requestId?: string;
}

function taskSuffix(task: TaskContext): string {
	const parts = [];
	if (task.taskId) parts.push(`task_id ${task.taskId}`);
	if (task.externalTaskId) parts.push(`external_task_id ${task.externalTaskId}`);
	return parts.length ? ` [${parts.join(', ')}]` : '';
}

/** An error for a Kling API answer that was not success: code, meaning, advice, request id. */
export function klingApiError(node: INode, failure: KlingFailure, itemIndex?: number): NodeApiError {
	const info = describeKlingCode(failure.klingCode);
	const headline =
		failure.klingCode !== undefined
			? `Kling error ${failure.klingCode}: ${info?.meaning ?? 'Unknown error code'}`
			: `Kling request failed${failure.httpStatus ? ` with HTTP ${failure.httpStatus}` : ''}`;
	const detail = failure.klingMessage && failure.klingMessage !== info?.meaning ? ` — ${failure.klingMessage}` : '';
	const description = [info?.action, failure.requestId ? `Kling request_id: ${failure.requestId}` : undefined]
		.filter(Boolean)
		.join('. ');
	const error = new NodeApiError(node, { ...failure } as JsonObject, {
		message: `${headline}${detail}`,
		description: description || undefined,
		httpCode: failure.httpStatus !== undefined ? String(failure.httpStatus) : undefined,
		itemIndex,
	});
	Object.assign(error.context, failure);
	return error;
}

export function networkError(node: INode, reason: string, itemIndex?: number): NodeOperationError {
	// Not a NodeApiError: that class rewrites network messages and would drop what we say here.
	return new NodeOperationError(node, `Could not reach Kling: ${reason}`, {
		itemIndex,
		description: 'The request was retried with backoff first. Check the network, or try again later.',
	});
}

/** Names the task in the message and keeps the ids in the error's context, so nothing paid for is lost. */
export function withTaskContext<E extends Error>(error: E, task: TaskContext): E {
	const suffix = taskSuffix(task);
	if (suffix && !error.message.includes(suffix)) error.message += suffix;
	const context = (error as unknown as { context?: Record<string, unknown> }).context;
	if (context) Object.assign(context, task);
	else Object.assign(error, { context: { ...task } });
	return error;
}

export function invalidInput(node: INode, message: string, itemIndex: number, description?: string) {
	return withoutEchoedCause(new NodeOperationError(node, message, { itemIndex, description }));
}

/**
 * n8n wraps a message string in a cause with the same text, and its error reporter logs an error
 * and then each cause: the message would reach the console twice. The cause adds nothing, so it goes.
 */
function withoutEchoedCause(error: NodeOperationError): NodeOperationError {
	const cause = (error as { cause?: unknown }).cause;
	if (cause instanceof Error && cause.message === error.message) delete (error as { cause?: unknown }).cause;
	return error;
}

export const NOTHING_SENT = 'Nothing was sent to Kling.';

/** An input refused before any request: the message itself says that nothing was sent (and nothing paid). */
export function inputRefused(node: INode, message: string, itemIndex: number, description?: string) {
	const sentence = /[.!?]$/.test(message) ? message : `${message}.`;
	return withoutEchoedCause(new NodeOperationError(node, `${sentence} ${NOTHING_SENT}`, { itemIndex, description: description ?? NOTHING_SENT }));
}

export function errorContext(error: unknown): Record<string, unknown> {
	const context = (error as { context?: Record<string, unknown> } | undefined)?.context;
	return context ?? {};
}

type Flag = 'cancelled' | 'ambiguousSubmit' | 'retryableDownload';

function flaggedError(node: INode, flag: Flag, message: string, itemIndex?: number): NodeOperationError {
	const error = new NodeOperationError(node, message, { itemIndex });
	error.context[flag] = true;
	return error;
}

const hasFlag = (error: unknown, flag: Flag) => errorContext(error)[flag] === true;

export const cancelledError = (node: INode) => flaggedError(node, 'cancelled', 'The execution was cancelled');
export const isCancellation = (error: unknown) => hasFlag(error, 'cancelled');

/** A submit that ended without an answer: the task may or may not exist. */
export const ambiguousSubmitError = (node: INode, reason: string, itemIndex?: number) =>
	flaggedError(
		node,
		'ambiguousSubmit',
		`The submit to Kling ended without a clear answer (${reason}); the task may or may not exist`,
		itemIndex,
	);
export const isAmbiguousSubmit = (error: unknown) => hasFlag(error, 'ambiguousSubmit');

export const retryableDownloadError = (node: INode, reason: string) =>
	flaggedError(node, 'retryableDownload', `Could not download a result file: ${reason}`);
export const isRetryableDownload = (error: unknown) => hasFlag(error, 'retryableDownload');

/** n8n shows NodeApiError/NodeOperationError with their context; anything else is wrapped into one. */
export function asNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error);
}
