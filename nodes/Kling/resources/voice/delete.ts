import type { RoutedOperation } from '../../shared/operation';
import { voiceLocator } from '../../shared/pickers';
import { unwrapKlingEnvelope } from '../../shared/routedResponse';

export const deleteVoice: RoutedOperation = {
	kind: 'routed',
	resource: 'voice',
	value: 'delete',
	name: 'Delete',
	action: 'Delete a custom voice',
	description: 'Delete one of your custom voices (presets cannot be deleted)',
	routing: {
		request: { method: 'POST', url: '/v1/general/delete-voices', ignoreHttpStatusErrors: true },
		output: { postReceive: [unwrapKlingEnvelope] },
	},
	fields: [
		{
			...voiceLocator('voice', 'Voice'),
			required: true,
			routing: { send: { type: 'body', property: 'voice_id', value: '={{ String($value).trim() }}' } },
		},
	],
};
