import type { INodeProperties } from 'n8n-workflow';

import { PARK_MODE } from '../kling/constants';

export const waitModeField: INodeProperties = {
	displayName: 'Wait Mode',
	name: 'waitMode',
	type: 'options',
	options: [
		{
			name: 'Poll Kling',
			value: 'poll',
			description: 'The execution keeps running and checks each task until it ends',
		},
		{
			name: 'Park Until Kling Calls Back',
			value: PARK_MODE,
			description:
				'Submit, store the execution as waiting (no process holds it) and resume when Kling reports that every task has ended',
		},
	],
	default: 'poll',
	displayOptions: { show: { waitForCompletion: [true] } },
};

export const parkNoticeField: INodeProperties = {
	displayName:
		'Kling calls this execution back at its resume URL (/webhook-waiting/…), built from n8n’s WEBHOOK_URL setting: that must be a public address Kling can reach. Manual test runs park and resume too. Timeout (Minutes) in Wait Options is the deadline (0 = none): after it every item goes on with its task_id and park.status "not collected" — collect those with Task › Get.',
	name: 'parkNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { waitForCompletion: [true], waitMode: [PARK_MODE] } },
};
