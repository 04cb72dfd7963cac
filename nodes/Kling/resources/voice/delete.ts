import type { CustomOperation } from '../../task/operation';
import { deleteExecute } from '../../task/pagedList';
import { voiceLocator } from '../../fields/pickers';

export const deleteVoice: CustomOperation = {
	kind: 'custom',
	resource: 'voice',
	value: 'delete',
	name: 'Delete',
	action: 'Delete a custom voice',
	description: 'Delete one of your custom voices (presets cannot be deleted)',
	execute: deleteExecute('/v1/general/delete-voices', 'voice_id', 'voice'),
	fields: [
		{
			...voiceLocator('voice', 'Voice'),
			required: true,
		},
	],
};
