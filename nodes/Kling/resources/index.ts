import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	costControlField,
	downloadResultsField,
	taskRequestOptions,
	waitForCompletionField,
	waitOptionsField,
} from '../fields/commonFields';
import { additionalBodyFieldsField } from '../fields/additionalBodyFields';
import { checkInputUrlsField, hasMediaUrlInput } from '../input/mediaInput';
import type { KlingOperation, KlingResource, TaskOperation } from '../task/operation';
import { withParkMode } from '../park/parkMode';
import { parkNoticeField, waitModeField } from '../fields/parkFields';
import { taskExecutor } from '../task/runTaskOperation';
import { TIMING_PARAMETER } from '../transport/timing';
import { getBalanceLedger } from './account/getBalanceLedger';
import { getCosts } from './account/getCosts';
import { getPackageLedger } from './account/getPackageLedger';
import { textToAudio } from './audio/textToAudio';
import { textToSpeech } from './audio/textToSpeech';
import { videoToAudio } from './audio/videoToAudio';
import { create as createElement } from './element/create';
import { deleteElement } from './element/delete';
import { generateViews } from './element/generateViews';
import { get as getElement } from './element/get';
import { list as listElements } from './element/list';
import { listPresets as listPresetElements } from './element/listPresets';
import { expand } from './image/expand';
import { generate } from './image/generate';
import { image4 } from './image/image4';
import { longImage4 } from './image/longImage4';
import { multiImageToImage } from './image/multiImageToImage';
import { omniImage } from './image/omniImage';
import { recognize } from './image/recognize';
import { virtualTryOn } from './image/virtualTryOn';
import { get as getTask } from './task/get';
import { list as listTasks } from './task/list';
import { addSelection } from './multiElement/addSelection';
import { clearSelection } from './multiElement/clearSelection';
import { create as createEditedVideo } from './multiElement/create';
import { deleteSelection } from './multiElement/deleteSelection';
import { previewSelection } from './multiElement/previewSelection';
import { startSession } from './multiElement/startSession';
import { advancedLipSync } from './video/advancedLipSync';
import { avatar } from './video/avatar';
import { effects } from './video/effects';
import { extend } from './video/extend';
import { identifyFaces } from './video/identifyFaces';
import { imageToVideo } from './video/imageToVideo';
import { kling4Edit } from './video/kling4Edit';
import { kling4Reference } from './video/kling4Reference';
import { kling4Video } from './video/kling4Video';
import { lipSync } from './video/lipSync';
import { motionControl } from './video/motionControl';
import { multiImageToVideo } from './video/multiImageToVideo';
import { omniVideo } from './video/omniVideo';
import { textToVideo } from './video/textToVideo';
import { create as createVoice } from './voice/create';
import { deleteVoice } from './voice/delete';
import { get as getVoice } from './voice/get';
import { list as listVoices } from './voice/list';
import { listPresets as listPresetVoices } from './voice/listPresets';

/** Every operation of the node, by resource; a resource without an entry fails to compile. */
export const OPERATIONS: Record<KlingResource, KlingOperation[]> = {
	image: [generate, image4, longImage4, multiImageToImage, virtualTryOn, expand, omniImage, recognize],
	video: [
		textToVideo,
		imageToVideo,
		kling4Video,
		kling4Reference,
		kling4Edit,
		identifyFaces,
		advancedLipSync,
		lipSync,
		effects,
		avatar,
		omniVideo,
		motionControl,
		// Retired (their only models left Kling on 2026-09-15): last, and marked in their names.
		multiImageToVideo,
		extend,
	],
	multiElement: [startSession, addSelection, deleteSelection, clearSelection, previewSelection, createEditedVideo],
	audio: [textToAudio, videoToAudio, textToSpeech],
	element: [createElement, generateViews, getElement, listElements, listPresetElements, deleteElement],
	voice: [createVoice, getVoice, listVoices, listPresetVoices, deleteVoice],
	task: [getTask, listTasks],
	account: [getCosts, getBalanceLedger, getPackageLedger],
};

const RESOURCE_NAMES: Record<KlingResource, string> = {
	image: 'Image',
	video: 'Video',
	multiElement: 'Multi-Element Edit',
	audio: 'Audio',
	element: 'Element',
	voice: 'Voice',
	task: 'Task',
	account: 'Account',
};

const byDisplayName = (a: { displayName: string }, b: { displayName: string }) =>
	a.displayName.localeCompare(b.displayName);

function optionsCollection(operation: TaskOperation): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			...operation.optionalFields,
			...operation.commonOptions.map((name) => taskRequestOptions[name]),
			...(hasMediaUrlInput(operation.fields) ? [checkInputUrlsField] : []),
			additionalBodyFieldsField,
		].sort(byDisplayName),
	};
}

function operationProperties(operation: KlingOperation): INodeProperties[] {
	const fields =
		operation.kind === 'task'
			? [
					...operation.fields,
					optionsCollection(operation),
					waitForCompletionField,
					waitModeField,
					parkNoticeField,
					downloadResultsField,
					waitOptionsField,
					costControlField,
				]
			: operation.fields;
	return updateDisplayOptions({ show: { resource: [operation.resource], operation: [operation.value] } }, fields);
}

const activeResources = (Object.keys(OPERATIONS) as KlingResource[]).filter((resource) => OPERATIONS[resource].length);

export const nodeProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: activeResources.map((resource) => ({ name: RESOURCE_NAMES[resource], value: resource })),
		default: 'image',
	},
	...activeResources.map((resource): INodeProperties => {
		const [firstOperation] = OPERATIONS[resource];
		const defaultOperation = firstOperation.value;
		return {
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: OPERATIONS[resource].map((operation) => ({
				name: operation.name,
				value: operation.value,
				action: operation.action,
				description: operation.description,
				routing: operation.kind === 'routed' ? operation.routing : undefined,
			})),
			default: defaultOperation,
		};
	}),
	...activeResources.flatMap((resource) => OPERATIONS[resource].flatMap(operationProperties)),
	// Never shown: lets tests and benchmarks run the policies faster without touching their constants.
	{ displayName: 'Timing', name: TIMING_PARAMETER, type: 'hidden', default: {} },
];

/** "Video: Text to Video" for each resource and operation the node has, as the canvas shows it under the node. */
export const OPERATION_LABELS: Record<string, string> = Object.fromEntries(
	activeResources.flatMap((resource) =>
		OPERATIONS[resource].map((operation) => [`${resource}:${operation.value}`, `${RESOURCE_NAMES[resource]}: ${operation.name}`]),
	),
);

/** The node's subtitle: the labels of the chosen resource and operation, never their internal values. */
export const nodeSubtitle = `={{ (${JSON.stringify(OPERATION_LABELS)})[$parameter["resource"] + ":" + $parameter["operation"]] || "" }}`;

type Executor = (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;

/** Create and custom operations run as n8n customOperations; routed ones stay pure routing. */
export const customOperations: Record<string, Record<string, Executor>> = Object.fromEntries(
	activeResources.map((resource) => [
		resource,
		Object.fromEntries(
			OPERATIONS[resource].flatMap((operation): Array<[string, Executor]> => {
				if (operation.kind === 'task') return [[operation.value, withParkMode(operation, taskExecutor(operation))]];
				if (operation.kind === 'custom') return [[operation.value, operation.execute]];
				return [];
			}),
		),
	]),
);
