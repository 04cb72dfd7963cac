/** Shared by the image and video operations that take one. */
export const negativePromptField = {
	displayName: 'Negative Prompt',
	name: 'negativePrompt',
	type: 'string' as const,
	typeOptions: { rows: 2 },
	default: '',
	description: 'What the image should not contain (at most 2500 characters)',
};
