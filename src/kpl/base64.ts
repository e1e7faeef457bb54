import { Buffer } from 'node:buffer';
import { CodecError } from '../errors.js';

/**
 * Decodes standard, padded base64 (RFC 4648 §4, as Lambda delivers record data) and rejects anything else.
 * Node's own decoder silently skips characters outside the alphabet, accepts the URL-safe alphabet and
 * missing padding, so a corrupt payload would decode to fewer or different bytes without an error.
 *
 * The check stays at native speed: the decoded length must be exactly what the text's length and padding
 * promise (any skipped character makes it shorter), and the two URL-safe characters are looked for apart.
 *
 * @throws CodecError saying what is wrong (length, character, padding).
 * @example decodeBase64('84mawg==') // Uint8Array [0xf3, 0x89, 0x9a, 0xc2]
 */
export function decodeBase64(text: string): Buffer {
  if (typeof text !== 'string') throw new CodecError(`base64 data must be a string; received ${typeof text}`);
  const length = text.length;
  if (length % 4 !== 0) throw new CodecError(`base64 data length ${length} is not a multiple of 4`);
  let padding = 0;
  if (length > 0 && text.charCodeAt(length - 1) === 0x3d) padding = text.charCodeAt(length - 2) === 0x3d ? 2 : 1;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== (length / 4) * 3 - padding || text.indexOf('-') >= 0 || text.indexOf('_') >= 0) {
    throw new CodecError(`base64 data has a character outside the standard alphabet or misplaced padding at offset ${firstBadOffset(text)}`);
  }
  return bytes;
}

/** True when `text` is standard padded base64 (see decodeBase64). */
export function isBase64(text: string): boolean {
  try {
    decodeBase64(text);
    return true;
  } catch {
    return false;
  }
}

/** Only for the error message, so the slow scan runs only on the error path. */
function firstBadOffset(text: string): number {
  const end = text.length;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const alphabet = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f;
    if (alphabet) continue;
    if (c === 0x3d && (i === end - 1 || (i === end - 2 && text.charCodeAt(end - 1) === 0x3d))) continue;
    return i;
  }
  return end;
}
