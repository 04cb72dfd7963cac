import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidInput } from '../../transport/errors';
import { sessionField, sessionId } from './session';

/** §5.16: one frame per call, up to 10 points per frame, coordinates in [0, 1] from the top left. */
const MAX_POINTS = 10;

export const selectionFields: INodeProperties[] = [
	sessionField,
	{
		displayName: 'Frame Index',
		name: 'frameIndex',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'The frame to mark (at most 10 different frames per session)',
	},
	{
		displayName: 'Points',
		name: 'points',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Point',
		default: {},
		description: 'Clicks on the element, as fractions of the frame’s width and height (0–1, from the top left); at most 10',
		options: [
			{
				displayName: 'Point',
				name: 'point',
				values: [
					{ displayName: 'X', name: 'x', type: 'number', typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 4 }, default: 0.5 },
					{ displayName: 'Y', name: 'y', type: 'number', typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 4 }, default: 0.5 },
				],
			},
		],
	},
];

export function selectionBody(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const node = context.getNode();
	const points = ((context.getNodeParameter('points.point', itemIndex, []) as IDataObject[]) ?? []).map((point) => ({
		x: Number(point.x),
		y: Number(point.y),
	}));
	const frameIndex = Number(context.getNodeParameter('frameIndex', itemIndex, 0));
	if (!points.length || points.length > MAX_POINTS) {
		throw invalidInput(node, `Invalid input: "points" has ${points.length} entries; Kling needs 1 to ${MAX_POINTS}`, itemIndex);
	}
	const outside = points.find((point) => !(point.x >= 0 && point.x <= 1 && point.y >= 0 && point.y <= 1));
	if (outside) throw invalidInput(node, `Invalid input: point (${outside.x}, ${outside.y}) is outside 0–1`, itemIndex);
	if (!Number.isInteger(frameIndex) || frameIndex < 0) {
		throw invalidInput(node, `Invalid input: "frame_index" must be a whole number ≥ 0, got ${frameIndex}`, itemIndex);
	}
	return { session_id: sessionId(context, itemIndex), frame_index: frameIndex, points };
}

/** The PNG masks Kling returns inline (Base64) become binaries `mask`, `mask_1`, …; the JSON keeps the rest. */
export async function masksAsBinary(context: IExecuteFunctions, data: IDataObject) {
	const res = (data.res as IDataObject | undefined) ?? {};
	const masks = (res.rle_mask_list as IDataObject[] | undefined) ?? [];
	const binary: IBinaryKeyData = {};
	for (const [position, mask] of masks.entries()) {
		const png = (mask.png_mask as IDataObject | undefined)?.base64;
		if (typeof png !== 'string' || !png) continue;
		const name = position === 0 ? 'mask' : `mask_${position}`;
		const fileName = `mask_${String(res.frame_index ?? 0)}_${String(mask.object_id ?? position)}.png`;
		binary[name] = await context.helpers.prepareBinaryData(Buffer.from(png, 'base64'), fileName, 'image/png');
		delete (mask.png_mask as IDataObject).base64;
	}
	return { binary };
}
