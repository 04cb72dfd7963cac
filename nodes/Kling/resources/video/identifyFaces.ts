import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { CustomOperation } from '../../task/operation';
import { syncDownloadFields } from '../../fields/syncDownloadFields';
import { downloadSyncFiles, inputBinary, paidSyncCall, readSyncDownload, syncExecutor } from '../../task/syncCall';
import { validateBody, type FieldRule } from '../../input/validation';
import { klingVideoBody, klingVideoFields } from '../../fields/videoFields';

const rules: FieldRule[] = [
	{
		field: 'video_id',
		check: (body) => (body.video_id || body.video_url ? undefined : 'a Video ID or a Video URL is required'),
	},
	{
		field: 'video_url',
		check: (body) =>
			body.video_url && !/^https?:\/\/\S+$/i.test(String(body.video_url))
				? `Video URL must be an http(s) URL Kling can reach, got "${String(body.video_url).slice(0, 80)}"`
				: undefined,
	},
];

/**
 * Face detection for lip sync (https://kling.ai/document-api/api/video/lip-sync): synchronous and paid (0.05 units), so it is
 * sent once. The answer's session_id and face_data feed Video › Lip Sync; the input item's
 * binaries (e.g. the audio to speak) are passed on with the face images added.
 */
async function identify(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const body = klingVideoBody(this, itemIndex);
	validateBody(this.getNode(), body, rules, itemIndex);
	const data = await paidSyncCall.call(this, '/v1/videos/identify-face', body, itemIndex);
	const faces = (data.face_data as IDataObject[] | undefined) ?? [];
	const json: IDataObject = { ...data, faces: faces.length };
	const binary = inputBinary(this, itemIndex);
	const { download, binaryPropertyName } = readSyncDownload(this, itemIndex, 'face');
	if (download && faces.length) {
		const images = faces.map((face, index) => ({ url: face.face_image, index }));
		const downloaded = await downloadSyncFiles.call(this, `face_${String(data.session_id)}`, { images }, binaryPropertyName, itemIndex);
		Object.assign(binary, downloaded.binary);
		json.files = downloaded.files;
	}
	return { json, binary: Object.keys(binary).length ? binary : undefined, pairedItem: { item: itemIndex } };
}

export const identifyFaces: CustomOperation = {
	kind: 'custom',
	resource: 'video',
	value: 'identifyFaces',
	name: 'Identify Faces',
	action: 'Identify the faces in a video',
	description: 'Find the faces in a video for Lip Sync; returns the session and each face with when it appears',
	fields: [
		...klingVideoFields('MP4 or MOV, 2–60 s, 720p or 1080p, sides 512–2160 px, at most 100 MB'),
		...syncDownloadFields('an image of each face', 'face'),
	],
	execute: syncExecutor(identify),
};
