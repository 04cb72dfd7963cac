import { invalidInput } from '../../transport/errors';
import { klingVideoBody, klingVideoFields } from '../../fields/videoFields';
import { sessionOperation } from './session';

export const startSession = sessionOperation(
	{
		value: 'startSession',
		name: 'Start Session',
		action: 'Start a multi-element editing session',
		description: 'Prepare a video for adding, swapping or removing elements; returns the session (valid 24 hours)',
		fields: klingVideoFields('MP4 or MOV, 2–5 s or 7–10 s, sides 720–2160 px, 24/30/60 fps'),
	},
	'init-selection',
	(context, itemIndex) => {
		const body = klingVideoBody(context, itemIndex);
		if (!body.video_id && !body.video_url) {
			throw invalidInput(context.getNode(), 'Invalid input: a Video ID or a Video URL is required', itemIndex, 'Nothing was sent to Kling.');
		}
		return body;
	},
);
