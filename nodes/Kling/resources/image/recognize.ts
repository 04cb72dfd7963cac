import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { imageInputFields, resolveImageParameter } from '../../input/mediaInput';
import type { CustomOperation } from '../../task/operation';
import { syncDownloadFields } from '../../fields/syncDownloadFields';
import { downloadSyncFiles, paidSyncCall, readSyncDownload, syncExecutor } from '../../task/syncCall';

/**
 * Image recognition (https://kling.ai/document-api/llms.txt): synchronous and paid (0.1 units), so sent once. Kling
 * answers with one segmentation image per kind (subject, head, face, clothing) it found.
 */
async function recognizeImage(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const image = await resolveImageParameter.call(this, itemIndex, 'image', 'Image');
	const data = await paidSyncCall.call(this, '/v1/videos/image-recognize', { image }, itemIndex);
	const { download, binaryPropertyName } = readSyncDownload(this, itemIndex);
	const images = (((data.task_result as IDataObject | undefined)?.images as IDataObject[] | undefined) ?? []).filter(
		(entry) => entry.is_contain !== false && entry.url,
	);
	if (!download || !images.length) return { json: data, pairedItem: { item: itemIndex } };
	const { binary, files } = await downloadSyncFiles.call(this, `recognize_${itemIndex}`, { images }, binaryPropertyName, itemIndex);
	// Name each file after what it shows, so the next node can pick e.g. the face segmentation.
	files.forEach((file, position) => (file.type = images[position].type));
	return { json: { ...data, files }, binary, pairedItem: { item: itemIndex } };
}

export const recognize: CustomOperation = {
	kind: 'custom',
	resource: 'image',
	value: 'recognize',
	name: 'Recognize',
	action: 'Recognize subjects, heads, faces and clothing in an image',
	description: 'Segment an image at once (no task to wait for): subject, head with hair, face, clothing',
	fields: [...imageInputFields({ name: 'image', displayName: 'Image' }), ...syncDownloadFields('each segmentation image')],
	execute: syncExecutor(recognizeImage),
};
