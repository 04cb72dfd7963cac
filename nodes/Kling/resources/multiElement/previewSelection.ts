import type { IDataObject } from 'n8n-workflow';

import { syncDownloadFields } from '../../fields/syncDownloadFields';
import { downloadSyncFiles, readSyncDownload } from '../../task/syncCall';
import { sessionField, sessionId, sessionOperation } from './session';

export const previewSelection = sessionOperation(
	{
		value: 'previewSelection',
		name: 'Preview Selection',
		action: 'Preview the marked elements',
		description: 'A video of the marked elements tracked through the clip, its cover image and the per-frame masks',
		fields: [sessionField, ...syncDownloadFields('the preview video, its cover and the mask result')],
	},
	'preview-selection',
	(context, itemIndex) => ({ session_id: sessionId(context, itemIndex) }),
	async (context, data, itemIndex) => {
		const { download, binaryPropertyName } = readSyncDownload(context, itemIndex);
		const res = (data.res as IDataObject | undefined) ?? {};
		if (!download) return {};
		const urls = [res.video, res.video_cover, res.tracking_output].filter((url) => typeof url === 'string' && url);
		const result = { videos: urls.slice(0, 1).map((url) => ({ url })), images: urls.slice(1).map((url, index) => ({ url, index })) };
		const { binary, files } = await downloadSyncFiles.call(context, `preview_${String(data.session_id ?? itemIndex)}`, result, binaryPropertyName, itemIndex);
		return { json: { files }, binary };
	},
);
