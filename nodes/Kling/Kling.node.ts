import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { customOperations, nodeProperties, nodeSubtitle } from './resources';
import { searchEffectScenes } from './resources/video/effects';
import { videoLoadOptions } from './fields/videoFields';
import { searchElements, searchVoices } from './fields/pickers';
import { parkWaitingTooltip, parkWebhook, parkWebhooks } from './park/parkMode';

export class Kling implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kling',
		name: 'kling',
		icon: { light: 'file:../../icons/kling.svg', dark: 'file:../../icons/kling.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: nodeSubtitle,
		description: 'Generate images, videos and audio with Kling AI and get the files as binary data',
		defaults: { name: 'Kling' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'klingApi', required: true }],
		requestDefaults: {
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
			json: true,
		},
		// Park mode: Kling's callbacks resume the waiting execution through this restart webhook.
		webhooks: parkWebhooks,
		waitingNodeTooltip: parkWaitingTooltip,
		properties: nodeProperties,
	};

	customOperations = customOperations;

	/**
	 * Live lists for the editor: resource locators (elements and voices from the account, effect
	 * scenes) and the video menus that follow the chosen model (resolutions, durations).
	 */
	methods = { listSearch: { searchEffectScenes, searchElements, searchVoices }, loadOptions: videoLoadOptions };
	webhook = parkWebhook;
}
