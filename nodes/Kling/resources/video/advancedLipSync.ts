import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { audioDurationMs } from '../../input/audioDuration';
import { invalidInput } from '../../transport/errors';
import { imageInputFields, resolveImageParameter } from '../../input/mediaInput';
import type { TaskOperation } from '../../task/operation';

/** §5.13: the spoken part is 2–60 s and must overlap the face's time on screen by at least 2 s. */
const MIN_SPEECH_MS = 2_000;
const MAX_SPEECH_MS = 60_000;

const audioFields: INodeProperties[] = (() => {
	const [source, ...values] = imageInputFields({ name: 'audio', displayName: 'Audio', kind: 'audio' });
	return [
		{
			...source,
			options: [
				...(source.options ?? []),
				{ name: 'Kling Audio ID', value: 'audioId', description: 'An audio Text to Speech made in the last 30 days' },
			],
			description: 'MP3, WAV, M4A or AAC, 2–60 s, at most 5 MB; or the ID of a Kling Text to Speech audio',
		},
		...values,
		{
			displayName: 'Audio ID',
			name: 'audioId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 867283741759111202',
			displayOptions: { show: { audioSource: ['audioId'] } },
		},
	];
})();

const faceFields: INodeProperties[] = [
	{
		displayName: 'Session ID',
		name: 'sessionId',
		type: 'string',
		default: '={{ $json.session_id }}',
		required: true,
		description: 'From Video › Identify Faces (valid 24 hours); by default the session of the incoming item',
	},
	{
		displayName: 'Face',
		name: 'face',
		type: 'options',
		options: [
			{ name: 'First Face', value: 'first', description: 'The first face Identify Faces found (the incoming item’s face_data)' },
			{ name: 'Face Number', value: 'number', description: 'The N-th face of the incoming item’s face_data (its face images are face, face_1, …)' },
			{ name: 'Face ID', value: 'id', description: 'A face_id from Identify Faces' },
		],
		default: 'first',
		description: 'Whose lips move; Kling syncs one person per task',
	},
	{
		displayName: 'Face Number',
		name: 'faceNumber',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		displayOptions: { show: { face: ['number'] } },
	},
	{
		displayName: 'Face ID',
		name: 'faceId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { face: ['id'] } },
	},
];

const timingFields: INodeProperties[] = [
	{
		displayName: 'Audio Start (Ms)',
		name: 'audioStartMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Where in the audio the spoken part starts',
	},
	{
		displayName: 'Audio End (Ms)',
		name: 'audioEndMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			'Where in the audio the spoken part ends; 0 = the end of the audio (read from an MP3 or WAV file; give it for URLs, audio IDs and M4A/AAC)',
	},
	{
		displayName: 'Insert Audio At',
		name: 'insertAt',
		type: 'options',
		options: [
			{ name: 'When the Face Appears', value: 'faceStart', description: 'The face’s start_time from Identify Faces (0 when unknown)' },
			{ name: 'Custom Time', value: 'custom' },
		],
		default: 'faceStart',
	},
	{
		displayName: 'Insert At (Ms)',
		name: 'insertAtMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Where in the video the spoken part starts',
		displayOptions: { show: { insertAt: ['custom'] } },
	},
];

interface ChosenFace {
	face_id: string;
	start_time?: number;
	end_time?: number;
}

function chooseFace(context: IExecuteFunctions, itemIndex: number): ChosenFace {
	const how = context.getNodeParameter('face', itemIndex) as 'first' | 'number' | 'id';
	const faces = (context.getInputData()[itemIndex]?.json.face_data as ChosenFace[] | undefined) ?? [];
	if (how === 'id') {
		const id = String(context.getNodeParameter('faceId', itemIndex, '')).trim();
		return faces.find((face) => String(face.face_id) === id) ?? { face_id: id };
	}
	const number = how === 'first' ? 1 : Number(context.getNodeParameter('faceNumber', itemIndex, 1));
	const face = faces[number - 1];
	if (!face) {
		throw invalidInput(
			context.getNode(),
			faces.length
				? `Invalid input: face ${number} was asked for, but Identify Faces found ${faces.length}`
				: 'Invalid input: the incoming item has no face_data; put Video › Identify Faces before this node, or choose Face: Face ID',
			itemIndex,
			'Nothing was sent to Kling.',
		);
	}
	return { ...face, face_id: String(face.face_id) };
}

/** The audio as Kling takes it, and its length when the file says (for "Audio End: 0"). */
async function chooseAudio(context: IExecuteFunctions, itemIndex: number): Promise<{ audio: IDataObject; lengthMs?: number }> {
	const source = context.getNodeParameter('audioSource', itemIndex) as string;
	if (source === 'audioId') return { audio: { audio_id: String(context.getNodeParameter('audioId', itemIndex, '')).trim() } };
	const soundFile = await resolveImageParameter.call(context, itemIndex, 'audio', 'Audio', 'audio');
	const lengthMs = source === 'url' || !soundFile ? undefined : audioDurationMs(Buffer.from(soundFile, 'base64'));
	return { audio: { sound_file: soundFile }, lengthMs };
}

export const advancedLipSync: TaskOperation = {
	kind: 'task',
	resource: 'video',
	value: 'advancedLipSync',
	name: 'Lip Sync',
	action: 'Lip-sync a face in a video',
	description: 'Make a face found by Identify Faces speak an audio file, URL or Kling audio',
	taskPath: '/v1/videos/advanced-lip-sync',
	fields: [...faceFields, ...audioFields, ...timingFields],
	optionalFields: [
		{
			displayName: 'Audio Volume',
			name: 'soundVolume',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 1 },
			default: 1,
			description: 'Volume of the inserted audio (0–2)',
		},
		{
			displayName: 'Original Audio Volume',
			name: 'originalAudioVolume',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 1 },
			default: 1,
			description: 'Volume of the video’s own sound (0–2); no effect on a silent video',
		},
	],
	commonOptions: ['callbackUrl', 'externalTaskId', 'watermark'],
	async buildBody(itemIndex, options) {
		const node = this.getNode();
		const face = chooseFace(this, itemIndex);
		const { audio, lengthMs } = await chooseAudio(this, itemIndex);
		const start = Number(this.getNodeParameter('audioStartMs', itemIndex, 0));
		const givenEnd = Number(this.getNodeParameter('audioEndMs', itemIndex, 0));
		if (!givenEnd && lengthMs === undefined) {
			throw invalidInput(
				node,
				'Invalid input: "sound_end_time" is needed: the length of this audio is unknown (a URL, a Kling audio ID or M4A/AAC); set Audio End (Ms)',
				itemIndex,
				'Nothing was sent to Kling.',
			);
		}
		const end = givenEnd || (lengthMs as number);
		if (lengthMs !== undefined && end > lengthMs) {
			throw invalidInput(node, `Invalid input: "sound_end_time" is ${end} ms but the audio is ${lengthMs} ms long`, itemIndex, 'Nothing was sent to Kling.');
		}
		const insert =
			this.getNodeParameter('insertAt', itemIndex) === 'custom'
				? Number(this.getNodeParameter('insertAtMs', itemIndex, 0))
				: Number(face.start_time ?? 0);
		// (A too short or too long clip is the rules' to report, with the allowed range.)
		const clipFits = end - start >= MIN_SPEECH_MS && end - start <= MAX_SPEECH_MS;
		if (clipFits && face.start_time !== undefined && face.end_time !== undefined) {
			const overlap = Math.min(insert + (end - start), Number(face.end_time)) - Math.max(insert, Number(face.start_time));
			if (overlap < MIN_SPEECH_MS) {
				throw invalidInput(
					node,
					`Invalid input: the audio (${insert}–${insert + end - start} ms in the video) overlaps face ${face.face_id} (${face.start_time}–${face.end_time} ms) by ${Math.max(0, overlap)} ms; Kling needs at least ${MIN_SPEECH_MS} ms`,
					itemIndex,
					'Nothing was sent to Kling.',
				);
			}
		}
		const choice: IDataObject = {
			face_id: face.face_id,
			...audio,
			sound_start_time: start,
			sound_end_time: end,
			sound_insert_time: insert,
		};
		if (options.soundVolume !== undefined) choice.sound_volume = options.soundVolume;
		if (options.originalAudioVolume !== undefined) choice.original_audio_volume = options.originalAudioVolume;
		return { session_id: String(this.getNodeParameter('sessionId', itemIndex, '')).trim(), face_choose: [choice] };
	},
	rules: [
		{ field: 'session_id', required: true },
		{
			field: 'face_choose',
			check: (body) => {
				const [choice] = body.face_choose as IDataObject[];
				if (!choice.face_id) return '"face_choose[0].face_id" is required';
				if (Boolean(choice.audio_id) === Boolean(choice.sound_file)) return 'exactly one of "audio_id" and "sound_file" is required';
				const start = Number(choice.sound_start_time);
				const length = Number(choice.sound_end_time) - start;
				if (start < 0) return `Audio Start (Ms) is ${start}; it cannot be negative`;
				if (length < MIN_SPEECH_MS || length > MAX_SPEECH_MS) {
					return `the spoken part (Audio End − Audio Start) is ${length} ms; Kling allows ${MIN_SPEECH_MS} to ${MAX_SPEECH_MS} ms`;
				}
				for (const field of ['sound_volume', 'original_audio_volume']) {
					const volume = choice[field];
					if (volume !== undefined && (Number(volume) < 0 || Number(volume) > 2)) return `"${field}" is ${String(volume)}; Kling allows 0 to 2`;
				}
				return undefined;
			},
		},
	],
};
