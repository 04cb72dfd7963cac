import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyRouting,
} from 'n8n-workflow';

import type { TaskPath } from '../kling/catalogue';
import type { VideoProduct } from '../kling/models';
import type { FieldRule } from '../input/validation';

export type KlingResource = 'image' | 'video' | 'multiElement' | 'audio' | 'element' | 'voice' | 'task' | 'account';

interface OperationBase {
	resource: KlingResource;
	/** The operation parameter's value, e.g. "generate". */
	value: string;
	/** Title Case label shown in the editor. */
	name: string;
	action: string;
	description: string;
	/** Operation-specific fields; the resource/operation display rules are added by the registry. */
	fields: INodeProperties[];
}

/** A create endpoint: submit a paid task, then optionally wait and download its files. */
export interface TaskOperation extends OperationBase {
	kind: 'task';
	/** The catalogue's route of the task family, e.g. /v1/images/generations (submit, get and list share it). */
	taskPath: TaskPath;
	/** Optional Kling fields, shown in the operation's Options collection (merged with the common ones). */
	optionalFields: INodeProperties[];
	/** Which common options Kling has on this endpoint. */
	commonOptions: Array<'callbackUrl' | 'externalTaskId' | 'watermark'>;
	/** Maps the parameters of one item to Kling's request body (image inputs already resolved). */
	buildBody: (this: IExecuteFunctions, itemIndex: number, options: IDataObject) => Promise<IDataObject>;
	/** Limits checked on the body before anything is sent. */
	rules: readonly FieldRule[];
	/** A video product Kling offers on both API standards: the standard is chosen per credential and model. */
	videoProduct?: VideoProduct;
}

/** A plain call with no task behind it: pure declarative routing. */
export interface RoutedOperation extends OperationBase {
	kind: 'routed';
	routing: INodePropertyRouting;
}

/** A free call that needs code (e.g. reading a task with an optional wait and download). */
export interface CustomOperation extends OperationBase {
	kind: 'custom';
	execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;
}

export type KlingOperation = TaskOperation | RoutedOperation | CustomOperation;
