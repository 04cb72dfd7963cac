/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node:test and node:assert run outside n8n */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { isPrivateHost, looksLike, MAX_REDIRECTS, REDIRECTS } from '../../nodes/Kling/transport/fileFetch';

/** The host is given as the URL parser writes it (new URL(...).hostname). */
const hostOf = (url: string) => new URL(url).hostname;

describe('isPrivateHost', () => {
	test('localhost names, with any case and a trailing dot, and an empty host', () => {
		for (const host of ['localhost', 'LOCALHOST', 'localhost.', 'app.localhost', 'a.b.Localhost', '']) assert.equal(isPrivateHost(host), true, host);
		assert.equal(isPrivateHost('localhost.example.com'), false);
		assert.equal(isPrivateHost('notlocalhost'), false);
	});

	test('IPv4: 10/8, 172.16/12, 192.168/16, 127/8, 169.254/16 and 0/8 are private; their neighbours are not', () => {
		for (const host of ['10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255', '192.168.1.1', '127.0.0.1', '127.5.6.7', '169.254.169.254', '0.0.0.0']) {
			assert.equal(isPrivateHost(host), true, host);
		}
		for (const host of ['11.0.0.1', '9.255.255.255', '172.15.0.1', '172.32.0.1', '192.169.0.1', '169.253.0.1', '169.255.0.1', '8.8.8.8', '1.0.0.1', '128.0.0.1']) {
			assert.equal(isPrivateHost(host), false, host);
		}
	});

	test('IPv4 as the URL parser writes short and hex forms', () => {
		assert.equal(isPrivateHost(hostOf('http://127.1/')), true);
		assert.equal(isPrivateHost(hostOf('http://0x7f000001/')), true);
		assert.equal(isPrivateHost(hostOf('http://2130706433/')), true);
		assert.equal(isPrivateHost(hostOf('http://0x08080808/')), false);
	});

	test('IPv6: loopback, unspecified, unique-local fc00::/7 and link-local fe80::/10, with or without brackets', () => {
		for (const host of ['::1', '[::1]', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'FE80::abcd', 'febf::1', hostOf('http://[::1]:8080/'), hostOf('http://[fd00::5]/')]) {
			assert.equal(isPrivateHost(host), true, host);
		}
		for (const host of ['2001:db8::1', '2606:4700::1111', 'fec0::1', 'fe00::1', 'fbff::1', '[2a00:1450::1]']) assert.equal(isPrivateHost(host), false, host);
	});

	test('IPv4-mapped IPv6 follows the IPv4 address, in hex and dotted form', () => {
		assert.equal(isPrivateHost(hostOf('http://[::ffff:127.0.0.1]/')), true, 'the URL parser writes ::ffff:7f00:1');
		assert.equal(isPrivateHost('::ffff:7f00:1'), true);
		assert.equal(isPrivateHost('::ffff:c0a8:101'), true, '192.168.1.1');
		assert.equal(isPrivateHost('::ffff:10.1.2.3'), true);
		assert.equal(isPrivateHost('::ffff:808:808'), false, '8.8.8.8');
		assert.equal(isPrivateHost('::ffff:8.8.8.8'), false);
	});

	test('host names are not resolved: a public-looking name is not private', () => {
		for (const host of ['example.com', 'api-singapore.klingai.com', '10.0.0.1.nip.io']) assert.equal(isPrivateHost(host), false, host);
	});
});

const bytes = (...parts: Array<number[] | string>) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));

describe('looksLike', () => {
	const png = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	const jpeg = bytes([0xff, 0xd8, 0xff, 0xe0]);
	const gif = bytes('GIF89a');
	const webp = bytes('RIFF', [0, 0, 0, 0], 'WEBP');
	const avif = bytes([0, 0, 0, 0x20], 'ftypavif');
	const heic = bytes([0, 0, 0, 0x20], 'ftypheic');
	const mp4 = bytes([0, 0, 0, 0x20], 'ftypisom');
	const webm = bytes([0x1a, 0x45, 0xdf, 0xa3]);
	const avi = bytes('RIFF', [0, 0, 0, 0], 'AVI ');
	const id3 = bytes('ID3', [4, 0]);
	const mpegFrame = bytes([0xff, 0xfb, 0x90]);
	const wav = bytes('RIFF', [0, 0, 0, 0], 'WAVE');
	const ogg = bytes('OggS');
	const flac = bytes('fLaC');
	const m4a = bytes([0, 0, 0, 0x20], 'ftypM4A ');
	const html = bytes('<!DOCTYPE html><html>');
	const json = bytes('{"code":0}');

	test('images: PNG, JPEG, GIF, WebP and the image ISO brands', () => {
		for (const head of [png, jpeg, gif, webp, avif, heic]) assert.equal(looksLike('image', head), true, head.toString('latin1'));
		for (const head of [mp4, webm, avi, wav, id3, html, json, Buffer.alloc(0)]) assert.equal(looksLike('image', head), false, head.toString('latin1'));
	});

	test('videos: any ISO media box, Matroska/WebM and AVI', () => {
		for (const head of [mp4, m4a, webm, avi]) assert.equal(looksLike('video', head), true, head.toString('latin1'));
		for (const head of [png, jpeg, webp, wav, id3, html, json, Buffer.alloc(0)]) assert.equal(looksLike('video', head), false, head.toString('latin1'));
	});

	test('audio: ID3, an MPEG frame sync, WAVE, Ogg, FLAC and ISO media (m4a)', () => {
		for (const head of [id3, mpegFrame, wav, ogg, flac, m4a]) assert.equal(looksLike('audio', head), true, head.toString('latin1'));
		for (const head of [png, webp, avi, html, json, bytes([0xff]), Buffer.alloc(0)]) assert.equal(looksLike('audio', head), false, head.toString('latin1'));
	});
});

describe('redirects', () => {
	test('only 301, 302, 303, 307 and 308 are followed, at most 5 times', () => {
		assert.deepEqual([...REDIRECTS].sort(), [301, 302, 303, 307, 308]);
		assert.equal(MAX_REDIRECTS, 5);
	});
});
