import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodeProperties,
} from 'n8n-workflow';

import { klingRequest } from '../transport/request';
import { elementListOf } from '../input/validation';

/**
 * Elements and voices picked from the account: a resource locator with "From List" (loaded live
 * from Kling: the account's own and Kling's presets) and "By ID" (free text or an expression).
 * Any operation that sends element_list or a voice_id uses these fields.
 */
export const ELEMENT_ROUTES = { custom: '/v1/general/advanced-custom-elements', presets: '/v1/general/advanced-presets-elements' } as const;
export const VOICE_ROUTES = { custom: '/v1/general/custom-voices', presets: '/v1/general/presets-voices' } as const;

/** Kling's largest page for element lists; voice lists allow 1000 but 500 keeps both the same. */
const PICKER_PAGE_SIZE = 500;

/** A pick from one of Kling's live lists (elements, voices), or an ID typed in. */
function idLocator(
	name: string,
	displayName: string,
	description: string | undefined,
	list: {
		searchListMethod: string;
		placeholder: string;
		/** Element ids are numbers (checked as typed); voice ids are strings Kling defines. */
		numericIdName?: string;
	},
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: list.placeholder,
				typeOptions: { searchListMethod: list.searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 829836802793406551',
				...(list.numericIdName && {
					validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: `${list.numericIdName} is a number` } }],
				}),
			},
		],
	};
}

export const elementLocator = (name: string, displayName: string, description?: string) =>
	idLocator(name, displayName, description, { searchListMethod: 'searchElements', placeholder: 'Select an element…', numericIdName: 'An element ID' });

export const voiceLocator = (name: string, displayName: string, description?: string) =>
	idLocator(name, displayName, description, { searchListMethod: 'searchVoices', placeholder: 'Select a voice…' });

/** Several elements (element_list): each entry is an element picked from the list or given by ID. */
export function elementListField(description: string): INodeProperties {
	return {
		displayName: 'Elements',
		name: 'elements',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Element',
		default: {},
		description,
		options: [{ displayName: 'Element', name: 'element', values: [elementLocator('element', 'Element')] }],
	};
}

/** A resource locator's value (or a plain string from an expression), trimmed. */
export function locatorValue(value: unknown): string {
	if (value && typeof value === 'object' && 'value' in value) return String((value as IDataObject).value ?? '').trim();
	return String(value ?? '').trim();
}

/** The Elements field as Kling's element_list: [{ element_id }], ids as exact longs. */
export function readElementList(context: IExecuteFunctions, itemIndex: number, field = 'element_list'): IDataObject[] {
	const entries = (context.getNodeParameter('elements.element', itemIndex, []) as IDataObject[]) ?? [];
	const ids = entries.map((entry) => locatorValue(entry.element)).filter(Boolean);
	return elementListOf(context.getNode(), ids, field, itemIndex);
}

/**
 * The request module expects an execution context; a list search has no execution to cancel, so
 * it runs with no cancel signal (its reads are still retried and explained like every read).
 */
function asRequestContext(context: ILoadOptionsFunctions): IExecuteFunctions {
	return Object.assign(Object.create(context) as object, { getExecutionCancelSignal: () => undefined }) as IExecuteFunctions;
}

async function listPage(context: ILoadOptionsFunctions, path: string): Promise<IDataObject[]> {
	const data = await klingRequest.call(asRequestContext(context), {
		method: 'GET',
		path,
		qs: { pageNum: 1, pageSize: PICKER_PAGE_SIZE },
	});
	return Array.isArray(data) ? (data as IDataObject[]) : [];
}

/** Every asset (`elements` or `voices`) in a page of Kling's task-shaped list answers. */
function assetsOf(tasks: IDataObject[], key: 'elements' | 'voices'): IDataObject[] {
	return tasks.flatMap((task) => ((task.task_result as IDataObject | undefined)?.[key] as IDataObject[] | undefined) ?? []);
}

function matches(filter: string | undefined, ...texts: unknown[]): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return texts.some((text) => String(text ?? '').toLowerCase().includes(needle));
}

export async function searchElements(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const [custom, presets] = await Promise.all([listPage(this, ELEMENT_ROUTES.custom), listPage(this, ELEMENT_ROUTES.presets)]);
	const results: INodeListSearchItems[] = [];
	for (const [tasks, origin] of [
		[custom, 'yours'],
		[presets, 'Kling preset'],
	] as const) {
		for (const element of assetsOf(tasks, 'elements')) {
			if (element.status === 'deleted') continue;
			if (!matches(filter, element.element_name, element.element_description, element.element_id)) continue;
			results.push({ name: `${String(element.element_name)} (${origin})`, value: String(element.element_id) });
		}
	}
	return { results };
}

export async function searchVoices(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const [custom, presets] = await Promise.all([listPage(this, VOICE_ROUTES.custom), listPage(this, VOICE_ROUTES.presets)]);
	const results: INodeListSearchItems[] = [];
	for (const [tasks, origin] of [
		[custom, 'yours'],
		[presets, 'Kling preset'],
	] as const) {
		for (const voice of assetsOf(tasks, 'voices')) {
			if (!matches(filter, voice.voice_name, voice.voice_id)) continue;
			results.push({ name: `${String(voice.voice_name)} (${origin})`, value: String(voice.voice_id), url: voice.trial_url as string | undefined });
		}
	}
	return { results };
}
