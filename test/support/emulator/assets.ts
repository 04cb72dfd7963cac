/**
 * Kling's element and voice libraries (https://kling.ai/document-api/llms.txt): custom ones are created as tasks
 * (their results built here), presets are fixed lists, deletes are immediate. Lists answer in
 * Kling's task shape: each entry a task whose task_result holds the element or voice.
 */
import type { KlingEmulator } from './kling-emulator';
import type { EndpointAnswer, EndpointRequest } from './syncEndpoints';
import { type FieldSpec, validateRequest } from './routes';

export const ELEMENTS_ROUTE = '/v1/general/advanced-custom-elements';
export const VOICES_ROUTE = '/v1/general/custom-voices';

const deletedElements = new Set<string>();
const deletedVoices = new Set<string>();

/** Element ids are Kling longs of 18 digits, like Kling's own (beyond 2^53: JSON carries them as exact numbers). */
export const elementIdOf = (taskId: string) => 829_000_000_000_000_000n + (BigInt(taskId) % 1_000_000_000n);
export const voiceIdOf = (taskId: string) => `85${taskId.slice(2)}`;

export function elementResult(task: { task_id: string; body: Record<string, unknown> }) {
	const body = task.body;
	const elementId = elementIdOf(task.task_id);
	return {
		elements: [
			{
				element_id: elementId,
				element_name: body.element_name,
				element_description: body.element_description,
				reference_type: body.reference_type,
				element_image_list: body.element_image_list ?? {},
				element_video_list: body.element_video_list ?? {},
				element_voice_info: body.element_voice_id ? { voice_id: body.element_voice_id, owned_by: '10001' } : {},
				tag_list: body.tag_list ?? [],
				owned_by: '10001',
				status: deletedElements.has(String(elementId)) ? 'deleted' : 'succeed',
			},
		],
	};
}

export function voiceResult(task: { task_id: string; body: Record<string, unknown> }, urls: string[]) {
	const voiceId = voiceIdOf(task.task_id);
	if (deletedVoices.has(voiceId)) return { voices: [] };
	return { voices: [{ voice_id: voiceId, voice_name: task.body.voice_name, trial_url: urls[0], owned_by: '10001' }] };
}

const PRESET_ELEMENTS = [
	{ element_id: 900_000_000_001, element_name: 'Grace', element_description: 'A young woman in a trench coat', reference_type: 'image_refer' },
	{ element_id: 900_000_000_002, element_name: 'Armored Youth', element_description: 'A boy in silver armour', reference_type: 'video_refer' },
];
const PRESET_VOICES = [
	{ voice_id: '829824295735410756', voice_name: 'Warm Narrator' },
	{ voice_id: '829824295735410757', voice_name: 'Bright Host' },
];

function presetList(request: EndpointRequest, kind: 'elements' | 'voices', maxPageSize: number): EndpointAnswer {
	const pageNum = Number(request.url.searchParams.get('pageNum') ?? 1);
	const pageSize = Number(request.url.searchParams.get('pageSize') ?? 30);
	if (!Number.isInteger(pageNum) || pageNum < 1 || pageNum > 1000) return { code: 1201, message: 'pageNum is invalid' };
	if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxPageSize) return { code: 1201, message: 'pageSize is invalid' };
	const tasks =
		kind === 'elements'
			? PRESET_ELEMENTS.map((element, index) => ({
					task_id: `7000000000000000${index}`,
					task_status: 'succeed',
					task_status_msg: '',
					task_info: {},
					task_result: { elements: [{ ...element, element_image_list: {}, element_video_list: {}, element_voice_info: {}, tag_list: [], owned_by: 'kling', status: 'succeed' }] },
					created_at: 1_780_000_000_000,
					updated_at: 1_780_000_000_000,
				}))
			: PRESET_VOICES.map((voice, index) => ({
					task_id: `7100000000000000${index}`,
					task_status: 'succeed',
					task_status_msg: '',
					task_result: { voices: [{ ...voice, trial_url: `https://p1.kling.example/voices/${voice.voice_id}.mp3`, owned_by: 'kling' }] },
					created_at: 1_780_000_000_000,
					updated_at: 1_780_000_000_000,
				}));
	return { code: 0, data: tasks.slice((pageNum - 1) * pageSize, pageNum * pageSize) };
}

function deleteAsset(emulator: KlingEmulator, request: EndpointRequest, kind: 'element' | 'voice'): EndpointAnswer {
	const field = kind === 'element' ? 'element_id' : 'voice_id';
	const fields: Record<string, FieldSpec> = { [field]: { type: 'string', required: true } };
	const problem = request.body ? validateRequest({ path: '', result: 'custom', fields }, request.body) : 'the request body is not JSON';
	if (problem) return { code: 1201, message: problem };
	const id = String(request.body![field]).trim();
	const route = kind === 'element' ? ELEMENTS_ROUTE : VOICES_ROUTE;
	const owner = [...emulator.tasks.values()].find(
		(task) =>
			task.credentialKey === request.account &&
			task.route.path === route &&
			emulator.statusOf(task) === 'succeed' &&
			(kind === 'element' ? String(elementIdOf(task.task_id)) === id : voiceIdOf(task.task_id) === id),
	);
	if (!owner) return { code: 1201, message: `${field} ${id} is not a custom ${kind} of this account` };
	if (kind === 'element') deletedElements.add(id);
	else deletedVoices.add(id);
	return { code: 0, data: { task_id: owner.task_id, task_status: 'succeed' } };
}

/** Answers the preset lists and the deletes; undefined for every other path. */
export function assetEndpoint(emulator: KlingEmulator, request: EndpointRequest): EndpointAnswer | undefined {
	const { method, klingPath } = request;
	if (method === 'GET' && klingPath === '/v1/general/advanced-presets-elements') return presetList(request, 'elements', 500);
	if (method === 'GET' && klingPath === '/v1/general/presets-voices') return presetList(request, 'voices', 1000);
	if (method === 'POST' && klingPath === '/v1/general/delete-advanced-elements') return deleteAsset(emulator, request, 'element');
	if (method === 'POST' && klingPath === '/v1/general/delete-voices') return deleteAsset(emulator, request, 'voice');
	return undefined;
}
