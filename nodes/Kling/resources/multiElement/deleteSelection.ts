import { sessionOperation } from './session';
import { masksAsBinary, selectionBody, selectionFields } from './selection';

export const deleteSelection = sessionOperation(
	{
		value: 'deleteSelection',
		name: 'Delete Selection',
		action: 'Unmark points in a video frame',
		description: 'Remove points marked by Add Selection (the same frame and exactly the same coordinates)',
		fields: selectionFields,
	},
	'delete-selection',
	selectionBody,
	masksAsBinary,
);
