import { sessionOperation } from './session';
import { masksAsBinary, selectionBody, selectionFields } from './selection';

export const addSelection = sessionOperation(
	{
		value: 'addSelection',
		name: 'Add Selection',
		action: 'Mark an element in a video frame',
		description: 'Mark the element to edit by clicking points on one frame; returns its mask as a PNG',
		fields: selectionFields,
	},
	'add-selection',
	selectionBody,
	masksAsBinary,
);
