import type { INodeProperties } from 'n8n-workflow';

import { routeFacts } from '../kling/catalogue';

const defaultFamily = routeFacts()[0].path;

export const taskFamilyField: INodeProperties = {
	displayName: 'Task Type',
	name: 'taskFamily',
	type: 'options',
	options: routeFacts().map((facts) => ({ name: facts.label, value: facts.path, description: facts.path })),
	default: defaultFamily,
	description: 'The operation that created the task; Kling keeps each kind of task under its own route',
};
