import type { INodeProperties } from 'n8n-workflow';

/** The option's label, as errors name it. */
export const ADDITIONAL_BODY_FIELDS_LABEL = 'Additional Body Fields (JSON)';

/**
 * An escape hatch in the Options of every create operation: request fields Kling released after
 * this version of the node, merged into the body actually sent (task/bodyExtras.ts).
 */
export const additionalBodyFieldsField: INodeProperties = {
	displayName: ADDITIONAL_BODY_FIELDS_LABEL,
	name: 'additionalBodyFields',
	type: 'json',
	default: '{}',
	placeholder: '{ "new_kling_field": "value" }',
	description:
		'Request fields Kling added after this version of the node, as a JSON object. They are added to the body as sent (on Kling’s new API, { "settings": { … } } adds to the settings); a field the node sets, External Task ID and Callback URL cannot be changed here. The price estimate does not see them.',
};
