import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { GENERATION4_LIMITS, GENERATION4_OPERATIONS } from '../kling/generation4';
import { inputRefused } from '../transport/errors';
import { checkInputUrl, defaultMaxBytes } from './urlCheck';
import { validateAudioBytes, validateImageBytes } from './validation';

export type MediaKind = 'image' | 'audio';

/**
 * Image and audio inputs: a URL, a Base64 string or a binary property of the incoming item, turned
 * into what Kling accepts (a URL, or raw Base64 without a data: prefix), checked before sending.
 */
export type ImageSource = 'none' | 'url' | 'base64' | 'binary';

const SOURCE_OPTIONS = [
	{ name: 'Binary File', value: 'binary', description: 'A binary property of the incoming item' },
	{ name: 'URL', value: 'url', description: 'A public URL Kling can fetch' },
	{ name: 'Base64', value: 'base64', description: 'Base64 text; a data: prefix is removed' },
];

interface ImageFieldOptions {
	name: string;
	kind?: MediaKind;
	displayName: string;
	/** Label of the "no image" choice; leave out when the image is required. */
	noneLabel?: string;
	defaultSource?: ImageSource;
	description?: string;
}

/** The source selector and the value field(s) for one image input named `name`. */
export function imageInputFields(options: ImageFieldOptions): INodeProperties[] {
	const sourceName = `${options.name}Source`;
	const sourceOptions = options.noneLabel
		? [{ name: options.noneLabel, value: 'none' }, ...SOURCE_OPTIONS]
		: SOURCE_OPTIONS;
	const required = !options.noneLabel;
	const defaultSource = options.defaultSource ?? (options.noneLabel ? 'none' : 'binary');
	return [
		{
			displayName: `${options.displayName} Source`,
			name: sourceName,
			type: 'options',
			options: sourceOptions,
			default: defaultSource,
			description: options.description,
		},
		{
			displayName: `${options.displayName} Binary Field`,
			name: options.name,
			type: 'string',
			default: 'data',
			required,
			hint: `The name of the incoming item’s binary property that holds the ${options.kind ?? 'image'}`,
			displayOptions: { show: { [sourceName]: ['binary'] } },
		},
		{
			displayName: `${options.displayName} URL`,
			name: options.name,
			type: 'string',
			default: '',
			required,
			placeholder: options.kind === 'audio' ? 'https://example.com/voice.mp3' : 'https://example.com/image.png',
			displayOptions: { show: { [sourceName]: ['url'] } },
		},
		{
			displayName: `${options.displayName} Base64`,
			name: options.name,
			type: 'string',
			default: '',
			required,
			typeOptions: { rows: 2 },
			displayOptions: { show: { [sourceName]: ['base64'] } },
		},
	];
}

/** A list of images (e.g. subject images): each entry picks its own source. */
export function imageListField(options: {
	name: string;
	displayName: string;
	itemName: string;
	description?: string;
}): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: `Add ${options.itemName}`,
		default: {},
		description: options.description,
		options: [
			{
				displayName: options.itemName,
				name: 'images',
				values: [
					{
						displayName: 'Source',
						name: 'source',
						type: 'options',
						options: SOURCE_OPTIONS,
						default: 'binary',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: 'data',
						description: 'The binary property name, the URL, or the Base64 text, depending on Source',
					},
				],
			},
		],
	};
}

const DATA_URL_PREFIX = /^data:[^;,]*(;[^,]*)?,/i;
const BASE64_TEXT = /^[A-Za-z0-9+/]+={0,2}$/;

/** Operations whose images go to Kling's video API, where the new standard takes frames up to 50 MB. */
const VIDEO_PRODUCT_OPERATIONS = new Set(['imageToVideo', 'omniVideo', 'motionControl']);

/**
 * Turns one image or audio input into a Kling value; validates it before anything is sent. `label`
 * is the input's name in the editor (e.g. "Start Frame"): every error names it, never the API field.
 */
export async function resolveImage(
	this: IExecuteFunctions,
	itemIndex: number,
	source: ImageSource,
	value: string,
	label: string,
	kind: MediaKind = 'image',
): Promise<string | undefined> {
	const node = this.getNode();
	const operation = String(this.getNodeParameter('operation', itemIndex, ''));
	// Kling 4.0 takes images up to 30 MB.
	const imageMaxBytes = GENERATION4_OPERATIONS.includes(operation) ? GENERATION4_LIMITS.imageBytes : undefined;
	const validateBytes =
		kind === 'audio'
			? validateAudioBytes
			: (n: typeof node, shown: string, bytes: Buffer, item: number) => validateImageBytes(n, shown, bytes, item, imageMaxBytes);
	const trimmed = (value ?? '').trim();
	if (source === 'none') return undefined;
	const shownLabel = source === 'url' ? `${label} URL` : source === 'base64' ? `${label} Base64` : label;
	if (!trimmed) throw inputRefused(node, `Invalid input: ${shownLabel} is empty`, itemIndex);
	if (source === 'url') {
		if (!/^https?:\/\/\S+$/i.test(trimmed)) {
			throw inputRefused(
				node,
				`Invalid input: ${shownLabel} must be an http(s) URL Kling can reach, got "${trimmed.slice(0, 80)}"`,
				itemIndex,
			);
		}
		await checkInputUrl.call(this, itemIndex, trimmed, shownLabel, {
			kind,
			maxBytes: kind === 'image' && imageMaxBytes ? imageMaxBytes : defaultMaxBytes(kind, VIDEO_PRODUCT_OPERATIONS.has(operation)),
		});
		return trimmed;
	}
	if (source === 'base64') {
		const payload = trimmed.replace(DATA_URL_PREFIX, '').replace(/\s+/g, '');
		if (payload.length % 4 === 1 || !BASE64_TEXT.test(payload)) {
			throw inputRefused(node, `Invalid input: ${shownLabel} is not valid Base64`, itemIndex);
		}
		validateBytes(node, shownLabel, Buffer.from(payload, 'base64'), itemIndex);
		return payload;
	}
	const item = this.getInputData()[itemIndex];
	if (!item?.binary?.[trimmed]) {
		const available = Object.keys(item?.binary ?? {});
		throw inputRefused(
			node,
			`Invalid input: ${label} should come from binary property "${trimmed}", which the input item does not have`,
			itemIndex,
			available.length ? `Binary properties on this item: ${available.join(', ')}` : 'The input item has no binary data.',
		);
	}
	const bytes = await this.helpers.getBinaryDataBuffer(itemIndex, trimmed);
	validateBytes(node, label, bytes, itemIndex);
	return bytes.toString('base64');
}

export async function resolveImageParameter(
	this: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	kind: MediaKind = 'image',
): Promise<string | undefined> {
	const source = this.getNodeParameter(`${name}Source`, itemIndex, 'none') as ImageSource;
	if (source === 'none') return undefined;
	const value = this.getNodeParameter(name, itemIndex, '') as string;
	return await resolveImage.call(this, itemIndex, source, value, label, kind);
}

export async function resolveImageList(
	this: IExecuteFunctions,
	itemIndex: number,
	name: string,
	/** The label of one entry, e.g. "Reference Image"; errors say "Reference Image 2". */
	itemLabel: string,
): Promise<string[]> {
	const entries = (this.getNodeParameter(`${name}.images`, itemIndex, []) as IDataObject[]) ?? [];
	const images: string[] = [];
	for (const [position, entry] of entries.entries()) {
		const image = await resolveImage.call(
			this,
			itemIndex,
			entry.source as ImageSource,
			String(entry.value ?? ''),
			`${itemLabel} ${position + 1}`,
		);
		if (image) images.push(image);
	}
	return images;
}

/** The Options entry that switches the URL pre-check off, for hosts that refuse a partial read. */
export const checkInputUrlsField: INodeProperties = {
	displayName: 'Check Input URLs',
	name: 'checkInputUrls',
	type: 'boolean',
	default: true,
	description:
		'Whether to read the start of each image, audio or video URL before paying (at most 64 KB): a missing file, a web page, a file too large or an image Kling will refuse fails the item and nothing is sent to Kling. Switch off for hosts that refuse such reads.',
};

/** Whether these fields offer an image or audio input given by URL (then the Options get "Check Input URLs"). */
export function hasMediaUrlInput(fields: INodeProperties[]): boolean {
	return fields.some((field) => {
		if (field.type === 'fixedCollection') {
			return ((field.options ?? []) as Array<{ values?: INodeProperties[] }>).some((option) => hasMediaUrlInput(option.values ?? []));
		}
		const isSource = field.name === 'source' || field.name.endsWith('Source');
		const values = ((field.options ?? []) as Array<{ value?: unknown }>).map((option) => option.value);
		// The image and audio source selectors (URL, Base64, binary) and a video given by URL; not a voice recording's.
		return isSource && values.includes('url') && (values.includes('base64') || field.name === 'videoSource');
	});
}
