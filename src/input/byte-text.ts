/**
 * Text from byte ranges of a Uint8Array without wrapping it in a Buffer first. Node's Buffer prototype has
 * native `latin1Slice`/`utf8Slice` that accept any Uint8Array and skip the encoding dispatch of
 * `toString`; where a runtime lacks them, TextDecoder does the same job.
 */
import { Buffer } from 'node:buffer';

type Slice = (this: Uint8Array, start: number, end: number) => string;
const proto = Buffer.prototype as unknown as { latin1Slice?: Slice; utf8Slice?: Slice };
const utf8Decoder = new TextDecoder('utf-8');

const nativeLatin1 = proto.latin1Slice;
const nativeUtf8 = proto.utf8Slice;

/** The bytes [start, end) as Latin-1 (one char per byte: exact for ASCII). */
export const latin1Text: (buf: Uint8Array, start: number, end: number) => string =
  typeof nativeLatin1 === 'function'
    ? (buf, start, end) => nativeLatin1.call(buf, start, end)
    : (buf, start, end) => String.fromCharCode(...buf.subarray(start, end));

/** The bytes [start, end) decoded as UTF-8 (invalid sequences become U+FFFD). */
export const utf8Text: (buf: Uint8Array, start: number, end: number) => string =
  typeof nativeUtf8 === 'function'
    ? (buf, start, end) => nativeUtf8.call(buf, start, end)
    : (buf, start, end) => utf8Decoder.decode(buf.subarray(start, end));

/** The payload as a Buffer (a view of the same memory for a Uint8Array; encoded for a string). */
export function toBuffer(payload: Uint8Array | string): Buffer {
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  if (Buffer.isBuffer(payload)) return payload;
  return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
}

const CACHE_SIZE = 4096; // a power of two
const MAX_CACHED = 24;

/**
 * Decodes short ASCII strings through a small direct-mapped cache, so that repeated values (tickers,
 * sectors, event types) reuse one string: no allocation, no native call, and the string's hash is already
 * computed when the engine groups by it. A miss costs a comparison more than a plain decode.
 */
export class AsciiStringCache {
  private readonly strings: (string | undefined)[] = new Array<string | undefined>(CACHE_SIZE);

  /** The ASCII bytes [start, end) as a string. */
  text(buf: Uint8Array, start: number, end: number): string {
    const len = end - start;
    if (len > MAX_CACHED || len === 0) return len === 0 ? '' : latin1Text(buf, start, end);
    // The slot comes from the length and four sampled bytes, not a hash of every byte: the comparison
    // below is then the only pass over the bytes.
    const h = Math.imul(len, 0x9e3779b1) ^ Math.imul(buf[start], 0x85ebca6b) ^ Math.imul(buf[end - 1], 0xc2b2ae35) ^
      Math.imul(buf[start + (len >> 1)], 0x27d4eb2f) ^ Math.imul(buf[start + (len >> 2)], 0x165667b1);
    const slot = (h ^ (h >>> 15)) & (CACHE_SIZE - 1);
    const s = this.strings[slot];
    if (s !== undefined && s.length === len) {
      let i = 0;
      while (i < len && s.charCodeAt(i) === buf[start + i]) i++;
      if (i === len) return s;
    }
    const fresh = latin1Text(buf, start, end);
    this.strings[slot] = fresh;
    return fresh;
  }
}
