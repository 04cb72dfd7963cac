import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { CustomOperation } from '../../task/operation';
import { syncDownloadFields } from '../../fields/syncDownloadFields';
import { downloadSyncFiles, paidSyncCall, readSyncDownload, syncExecutor } from '../../task/syncCall';
import { validateBody, type FieldRule } from '../../input/validation';
import { voiceBody, voiceFields } from '../../fields/videoFields';
import { additionalBodyFieldsField } from '../../fields/additionalBodyFields';
import { mergeBodyExtras, offeredLabels, readBodyExtras } from '../../task/bodyExtras';

const rules: FieldRule[] = [
	{ field: 'text', required: true, maxLength: 1000 },
	{ field: 'voice_id', required: true },
	{ field: 'voice_language', required: true, oneOf: ['zh', 'en'] },
	{ field: 'voice_speed', min: 0.8, max: 2 },
];

/**
 * Kling's TTS is synchronous (https://kling.ai/document-api/api/video/avatar/text-to-speech): the audio is in the answer to the one POST.
 * There is no task route to poll, no callback and no external_task_id, so none is sent.
 */
async function speak(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const options = (this.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
	const extras = readBodyExtras(this.getNode(), options.additionalBodyFields, itemIndex);
	const body: IDataObject = { text: this.getNodeParameter('text', itemIndex), ...voiceBody(this, itemIndex) };
	validateBody(this.getNode(), body, rules, itemIndex);
	// Options › Additional Body Fields: part of the one body that is paid for and remembered against a resend.
	const sent = mergeBodyExtras(this.getNode(), body, extras, offeredLabels({ fields: textToSpeech.fields, optionalFields: [], commonOptions: [] }), itemIndex);
	const data = await paidSyncCall.call(this, '/v1/audio/tts', sent, itemIndex);
	const { download, binaryPropertyName } = readSyncDownload(this, itemIndex);
	if (!download) return { json: data, pairedItem: { item: itemIndex } };
	const audios = ((data.task_result as IDataObject | undefined)?.audios as IDataObject[] | undefined) ?? [];
	const name = String(data.task_id ?? audios[0]?.id ?? 'tts');
	const { binary, files } = await downloadSyncFiles.call(this, name, data.task_result as IDataObject, binaryPropertyName, itemIndex);
	return { json: { ...data, files }, binary, pairedItem: { item: itemIndex } };
}

export const textToSpeech: CustomOperation = {
	kind: 'custom',
	resource: 'audio',
	value: 'textToSpeech',
	name: 'Text to Speech',
	action: 'Convert text to speech',
	description: 'Speak a text with a Kling voice at once (no task to wait for); the audio ID can feed Avatar and Lip Sync',
	fields: [
		{
			displayName: 'Text',
			name: 'text',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			required: true,
			description: 'At most 1000 characters',
		},
		...voiceFields().map((field) =>
			field.name === 'voiceId'
				? { ...field, description: 'A voice of Kling’s TTS voice guide, e.g. oversea_male1 (TTS has its own voices; custom and preset voice IDs do not work here)' }
				: field,
		),
		{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [additionalBodyFieldsField] },
		...syncDownloadFields('the speech'),
	],
	execute: syncExecutor(speak),
};
