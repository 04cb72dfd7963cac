/**
 * Kling's synchronous endpoints (https://kling.ai/document-api/api/video/lip-sync, §5.15, §5.16, §5.17): the answer carries the
 * result, there is no task, no callback and no external_task_id (so those fields are unknown
 * parameters here). Face and editing sessions live 24 hours at Kling; here, for the process.
 */
import type { KlingEmulator } from './kling-emulator';
import { makeMp3, makeMp4, makePng } from './media';
import { type FieldSpec, validateRequest } from './routes';
import { recordCharge } from './billing';

export interface EndpointAnswer {
	code: number;
	data?: unknown;
	message?: string;
}

export interface EndpointRequest {
	method: string;
	klingPath: string;
	url: URL;
	body?: Record<string, unknown>;
	account: string;
}

interface FaceSession {
	account: string;
	videoMs: number;
	faces: Array<{ face_id: string; start_time: number; end_time: number }>;
}
interface EditSession {
	account: string;
	durationMs: number;
	totalFrames: number;
	frames: Map<number, Array<{ x: number; y: number }>>;
}

const faceSessions = new Map<string, FaceSession>();
const editSessions = new Map<string, EditSession>();
/** TTS audio id → length in ms; advanced lip sync accepts these as audio_id. */
const ttsAudios = new Map<string, number>();
let nextId = 850_000_000_000_000_000n;
const newId = () => String(nextId++);

const fail = (message: string): EndpointAnswer => ({ code: 1201, message });
const ok = (data: unknown): EndpointAnswer => ({ code: 0, data });
const deduction = (units: string) => ({ final_unit_deduction: units, final_balance_deduction: { quota: '0', list_price: '0' } });

function serve(emulator: KlingEmulator, name: string, bytes: Buffer, mimeType: string): string {
	const url = `${emulator.filesUrl}/sync/${name}`;
	emulator.extraFiles.set(url, { bytes, mimeType });
	return url;
}

function invalid(fields: Record<string, FieldSpec>, body: Record<string, unknown> | undefined): string | undefined {
	if (!body) return 'the request body is not JSON';
	return validateRequest({ path: '', result: 'custom', fields }, body);
}

const present = (value: unknown) => value !== undefined && value !== null && value !== '';
const videoFields: Record<string, FieldSpec> = { video_id: { type: 'string' }, video_url: { type: 'string' } };

/** A video given as video_id (a finished Kling video of this account) xor video_url; its length in ms. */
function videoLength(emulator: KlingEmulator, account: string, body: Record<string, unknown>): number | string {
	if (present(body.video_id) === present(body.video_url)) return 'exactly one of video_id and video_url is required';
	if (present(body.video_url)) {
		return /^https?:\/\/\S+$/.test(String(body.video_url)) ? 5_000 : 'video_url must be an http(s) URL';
	}
	const task = [...emulator.tasks.values()].find(
		(candidate) =>
			candidate.credentialKey === account &&
			`video-${candidate.task_id}` === body.video_id &&
			emulator.statusOf(candidate) === 'succeed',
	);
	return task ? 5_100 : `video_id ${String(body.video_id)} is not a Kling video of this account`;
}

function tts(emulator: KlingEmulator, request: EndpointRequest): EndpointAnswer {
	const problem = invalid(
		{
			text: { type: 'string', required: true, maxLength: 1000 },
			voice_id: { type: 'string', required: true },
			voice_language: { type: 'string', required: true, enum: ['zh', 'en'] },
			voice_speed: { type: 'number', min: 0.8, max: 2 },
		},
		request.body,
	);
	if (problem) return fail(problem);
	const body = request.body!;
	if (String(body.voice_id).startsWith('preset_')) return fail('Voice id not found');
	const taskId = newId();
	const seconds = Math.min(60, Math.max(2, Math.ceil(String(body.text).length / 15)));
	const url = serve(emulator, `${taskId}/speech.mp3`, makeMp3(`tts-${taskId}`, seconds), 'audio/mpeg');
	const audioId = `tts-audio-${taskId}`;
	ttsAudios.set(audioId, seconds * 1000);
	recordCharge(emulator, request.account, { taskId, productFunction: 'TTS', units: 0.05 });
	const now = Date.now();
	return ok({
		task_id: taskId,
		task_status: 'succeed',
		task_status_msg: '',
		task_result: { audios: [{ id: audioId, url, duration: String(seconds) }] },
		...deduction('0.05'),
		created_at: now,
		updated_at: now,
	});
}

function identifyFace(emulator: KlingEmulator, request: EndpointRequest): EndpointAnswer {
	const problem = invalid(videoFields, request.body);
	if (problem) return fail(problem);
	const videoMs = videoLength(emulator, request.account, request.body!);
	if (typeof videoMs === 'string') return fail(videoMs);
	const sessionId = newId();
	// A URL that mentions two people has two faces; every other video one, on screen throughout.
	const count = String(request.body!.video_url ?? '').includes('two-people') ? 2 : 1;
	const faces = Array.from({ length: count }, (_, index) => ({ face_id: String(index), start_time: index * 1_000, end_time: videoMs }));
	faceSessions.set(sessionId, { account: request.account, videoMs, faces });
	recordCharge(emulator, request.account, { taskId: sessionId, productFunction: 'Face Recognition', units: 0.05 });
	return ok({
		session_id: sessionId,
		...deduction('0.05'),
		face_data: faces.map((face, index) => ({
			...face,
			face_image: serve(emulator, `${sessionId}/face-${index}.png`, makePng(320, 320, `face-${sessionId}-${index}`), 'image/png'),
		})),
	});
}

function imageRecognize(emulator: KlingEmulator, request: EndpointRequest): EndpointAnswer {
	const problem = invalid({ image: { type: 'image', required: true } }, request.body);
	if (problem) return fail(problem);
	const id = newId();
	recordCharge(emulator, request.account, { taskId: id, productFunction: 'Image Recognition', units: 0.1 });
	const images = ['object_seg', 'head_seg', 'face_seg', 'cloth_seg'].map((type) => ({
		type,
		is_contain: type !== 'cloth_seg',
		url: type === 'cloth_seg' ? '' : serve(emulator, `${id}/${type}.png`, makePng(320, 320, `${type}-${id}`), 'image/png'),
	}));
	return ok({ ...deduction('0.1'), task_result: { images } });
}

const selectionFields: Record<string, FieldSpec> = {
	session_id: { type: 'string', required: true },
	frame_index: { type: 'integer', required: true, min: 0 },
	points: {
		type: 'array',
		required: true,
		minItems: 1,
		maxItems: 10,
		items: { x: { type: 'number', required: true, min: 0, max: 1 }, y: { type: 'number', required: true, min: 0, max: 1 } },
	},
};

function editSession(request: EndpointRequest): EditSession | string {
	const session = editSessions.get(String(request.body?.session_id));
	return session && session.account === request.account ? session : `session_id ${String(request.body?.session_id)} is invalid or expired`;
}

function multiElements(emulator: KlingEmulator, request: EndpointRequest, step: string): EndpointAnswer {
	const body = request.body;
	if (step === 'init-selection') {
		const problem = invalid(videoFields, body);
		if (problem) return fail(problem);
		const length = videoLength(emulator, request.account, body!);
		if (typeof length === 'string') return fail(length);
		const sessionId = newId();
		editSessions.set(sessionId, { account: request.account, durationMs: 5_000, totalFrames: 150, frames: new Map() });
		const normalized = serve(emulator, `${sessionId}/normalized.mp4`, makeMp4(`normalized-${sessionId}`), 'video/mp4');
		return ok({ status: 0, session_id: sessionId, ...deduction('0'), fps: 30, original_duration: 5_000, width: 1280, height: 720, total_frame: 150, normalized_video: normalized });
	}
	const problem = invalid(step === 'add-selection' || step === 'delete-selection' ? selectionFields : { session_id: { type: 'string', required: true } }, body);
	if (problem) return fail(problem);
	const session = editSession(request);
	if (typeof session === 'string') return fail(session);
	const sessionId = String(body!.session_id);
	if (step === 'clear-selection') {
		session.frames.clear();
		return ok({ status: 0, session_id: sessionId, ...deduction('0') });
	}
	if (step === 'preview-selection') {
		if (!session.frames.size) return fail('no selection has been added to this session');
		return ok({
			status: 0,
			session_id: sessionId,
			...deduction('0'),
			res: {
				video: serve(emulator, `${sessionId}/preview.mp4`, makeMp4(`preview-${sessionId}`), 'video/mp4'),
				video_cover: serve(emulator, `${sessionId}/cover.png`, makePng(320, 320, `cover-${sessionId}`), 'image/png'),
				tracking_output: serve(emulator, `${sessionId}/tracking.png`, makePng(320, 320, `tracking-${sessionId}`), 'image/png'),
			},
		});
	}
	const frame = Number(body!.frame_index);
	const points = body!.points as Array<{ x: number; y: number }>;
	if (frame >= session.totalFrames) return fail(`frame_index ${frame} is beyond the video's ${session.totalFrames} frames`);
	const marked = session.frames.get(frame) ?? [];
	if (step === 'add-selection') {
		if (!session.frames.has(frame) && session.frames.size >= 10) return fail('at most 10 frames can be marked');
		if (marked.length + points.length > 10) return fail('at most 10 points per frame');
		session.frames.set(frame, [...marked, ...points]);
	} else {
		const key = (point: { x: number; y: number }) => `${point.x},${point.y}`;
		const missing = points.find((point) => !marked.some((candidate) => key(candidate) === key(point)));
		if (missing) return fail(`point ${key(missing)} was not marked on frame ${frame}`);
		const left = marked.filter((candidate) => !points.some((point) => key(point) === key(candidate)));
		if (left.length) session.frames.set(frame, left);
		else session.frames.delete(frame);
	}
	const png = makePng(320, 320, `mask-${sessionId}-${frame}-${(session.frames.get(frame) ?? []).length}`).toString('base64');
	return ok({
		status: 0,
		session_id: sessionId,
		...deduction('0'),
		res: {
			frame_index: frame,
			rle_mask_list: session.frames.has(frame)
				? [{ object_id: 0, rle_mask: { size: [720, 1280], counts: 'P0Q1' }, png_mask: { size: [720, 1280], base64: png } }]
				: [],
		},
	});
}

/** Cross-field rules of POST /v1/videos/advanced-lip-sync (§5.13). */
export function advancedLipSyncProblem(body: Record<string, unknown>): string | undefined {
	const session = faceSessions.get(String(body.session_id));
	if (!session) return `session_id ${String(body.session_id)} is invalid or expired`;
	const [choice] = body.face_choose as Array<Record<string, unknown>>;
	const face = session.faces.find((candidate) => candidate.face_id === choice.face_id);
	if (!face) return `face_id ${String(choice.face_id)} is not in session ${String(body.session_id)}`;
	if (present(choice.audio_id) === present(choice.sound_file)) return 'exactly one of audio_id and sound_file is required';
	const start = Number(choice.sound_start_time);
	const end = Number(choice.sound_end_time);
	const insert = Number(choice.sound_insert_time);
	if (present(choice.audio_id)) {
		const length = ttsAudios.get(String(choice.audio_id));
		if (length === undefined) return `audio_id ${String(choice.audio_id)} not found`;
		if (end > length) return 'sound_end_time is later than the end of the audio';
	}
	if (end - start < 2_000) return 'the cropped sound is shorter than 2 seconds';
	if (end - start > 60_000) return 'the cropped sound is longer than 60 seconds';
	if (insert + (end - start) > session.videoMs) return 'the inserted sound ends after the video';
	const overlap = Math.min(insert + end - start, face.end_time) - Math.max(insert, face.start_time);
	return overlap < 2_000 ? 'the sound overlaps the face for less than 2 seconds' : undefined;
}

/** Cross-field rules of POST /v1/videos/multi-elements (§5.16). */
export function multiElementsProblem(body: Record<string, unknown>): string | undefined {
	const session = editSessions.get(String(body.session_id));
	if (!session) return `session_id ${String(body.session_id)} is invalid or expired`;
	const images = (body.image_list as unknown[] | undefined)?.length ?? 0;
	const [min, max] = ({ addition: [1, 2], swap: [1, 1], removal: [0, 0] } as Record<string, number[]>)[String(body.edit_mode)];
	if (images < min || images > max) return `image_list must hold ${min}-${max} images for edit_mode ${String(body.edit_mode)}`;
	if (body.edit_mode !== 'addition' && !session.frames.size) return 'mark the element with add-selection first';
	const duration = String(body.duration ?? '5');
	const fits = duration === '5' ? session.durationMs >= 2_000 && session.durationMs <= 5_000 : session.durationMs >= 7_000 && session.durationMs <= 10_000;
	return fits ? undefined : `duration ${duration} does not fit the ${session.durationMs / 1000} s session video`;
}

/** Answers the synchronous routes; undefined for every other path. */
export function syncEndpoint(emulator: KlingEmulator, request: EndpointRequest): EndpointAnswer | undefined {
	if (request.method !== 'POST') return undefined;
	if (request.klingPath === '/v1/audio/tts') return tts(emulator, request);
	if (request.klingPath === '/v1/videos/identify-face') return identifyFace(emulator, request);
	if (request.klingPath === '/v1/videos/image-recognize') return imageRecognize(emulator, request);
	const step = /^\/v1\/videos\/multi-elements\/(init-selection|add-selection|delete-selection|clear-selection|preview-selection)$/.exec(request.klingPath);
	return step ? multiElements(emulator, request, step[1]) : undefined;
}
