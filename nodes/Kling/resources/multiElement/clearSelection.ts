import { sessionField, sessionId, sessionOperation } from './session';

export const clearSelection = sessionOperation(
	{
		value: 'clearSelection',
		name: 'Clear Selection',
		action: 'Clear every mark of a session',
		description: 'Remove every point marked in the session',
		fields: [sessionField],
	},
	'clear-selection',
	(context, itemIndex) => ({ session_id: sessionId(context, itemIndex) }),
);
