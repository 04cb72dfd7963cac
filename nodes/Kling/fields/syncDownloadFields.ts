import type { INodeProperties } from 'n8n-workflow';

/** "Download Files" and the binary property name, for synchronous endpoints that return files. */
export function syncDownloadFields(what: string, defaultProperty = 'data'): INodeProperties[] {
	return [
		{
			displayName: 'Download Files',
			name: 'downloadResults',
			type: 'boolean',
			default: true,
			description: `Whether to download ${what} as binary data for the next nodes`,
		},
		{
			displayName: 'Binary Property',
			name: 'binaryPropertyName',
			type: 'string',
			default: defaultProperty,
			description: 'Name of the first file; further files get _1, _2, … appended',
			displayOptions: { show: { downloadResults: [true] } },
		},
	];
}
