import type { IExecuteFunctions } from 'n8n-workflow';

import { routeFacts } from '../kling/catalogue';
import { invalidInput } from '../transport/errors';

/** Every Kling task family: its route (submit, get and list share it) and a label for the editor. */
export const TASK_FAMILIES = routeFacts().map((facts) => ({ path: facts.path, name: facts.label }));

const FAMILY_PATHS: readonly string[] = TASK_FAMILIES.map((family) => family.path);

/** The Task Type of one item: one of the known families (set by expression, it could be anything). */
export function taskFamilyOf(this: IExecuteFunctions, itemIndex: number): string {
	const value = this.getNodeParameter('taskFamily', itemIndex) as unknown;
	const family = typeof value === 'string' ? value.trim() : '';
	if (FAMILY_PATHS.includes(family)) return family;
	const shown = typeof value === 'string' ? `"${value.length > 120 ? `${value.slice(0, 120)}…` : value}"` : String(value);
	throw invalidInput(
		this.getNode(),
		`Invalid input: "Task Type" is ${shown}; it must be one of the task types of the list, e.g. "${FAMILY_PATHS[0]}"`,
		itemIndex,
		`Task types: ${FAMILY_PATHS.join(', ')}. Nothing was sent to Kling.`,
	);
}
