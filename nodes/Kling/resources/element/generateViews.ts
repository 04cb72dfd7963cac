import type { TaskOperation } from '../../task/operation';
import { imageInputFields, resolveImageParameter } from '../../input/mediaInput';

/**
 * AI multi-shot (https://kling.ai/document-api/llms.txt): from one frontal image Kling draws three candidate sets of
 * other views (url_1..url_3 each), e.g. for the "Other Views" of Element › Create.
 */
export const generateViews: TaskOperation = {
	kind: 'task',
	resource: 'element',
	value: 'generateViews',
	name: 'Generate Views',
	action: 'Generate element views from a frontal image',
	description: 'AI multi-shot: three sets of other views of a subject from its frontal image, for creating an element',
	taskPath: '/v1/general/ai-multi-shot',
	fields: [...imageInputFields({ name: 'frontalImage', displayName: 'Frontal Image' })],
	optionalFields: [],
	commonOptions: ['callbackUrl', 'externalTaskId'],
	async buildBody(itemIndex) {
		return { element_frontal_image: await resolveImageParameter.call(this, itemIndex, 'frontalImage', 'Frontal Image') };
	},
	rules: [{ field: 'element_frontal_image', required: true }],
};
