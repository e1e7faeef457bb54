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

const INITIAL_SLOTS = 4096; // powers of two
const MAX_SLOTS = 65536;
const MAX_CACHED = 24;

/**
 * Decodes short ASCII strings through a two-way set-associative cache keyed by a hash of every byte, so that
 * repeated values (tickers, sectors, event types, join keys) reuse one string: no allocation, no native call,
 * and the string's own hash is already computed when the engine groups or joins by it. The table starts small
 * and doubles (up to MAX_SLOTS) whenever it has evicted a quarter as many strings as it has slots: a column of
 * many distinct values (a 10,000-symbol join key) then stops evicting its own values, while a column of few
 * keeps a small table. A miss costs the hash more than a plain decode.
 */
export class AsciiStringCache {
  private strings: (string | undefined)[] = new Array<string | undefined>(INITIAL_SLOTS);
  private hashes = new Int32Array(INITIAL_SLOTS);
  /** Selects the even slot of a two-slot set. */
  private mask = INITIAL_SLOTS - 2;
  private evictions = 0;
  /** How many lookups decoded their bytes afresh (for tests and benchmarks). */
  misses = 0;

  /** The ASCII bytes [start, end) as a string. */
  text(buf: Uint8Array, start: number, end: number): string {
    const len = end - start;
    if (len > MAX_CACHED || len === 0) return len === 0 ? '' : latin1Text(buf, start, end);
    // FNV-1a over every byte: values that differ in one position (S01234 / S01284) get different sets.
    let h = 0x811c9dc5 ^ len;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    h ^= h >>> 13;
    const slot = h & this.mask;
    const strings = this.strings;
    const a = strings[slot];
    if (a !== undefined && this.hashes[slot] === h && a.length === len && sameBytes(a, buf, start, len)) return a;
    const b = strings[slot + 1];
    if (b !== undefined && this.hashes[slot + 1] === h && b.length === len && sameBytes(b, buf, start, len)) return b;
    this.misses++;
    const fresh = latin1Text(buf, start, end);
    if (b !== undefined && ++this.evictions > this.mask >> 2 && this.mask < MAX_SLOTS - 2) this.grow();
    this.store(fresh, h);
    return fresh;
  }

  /** Puts `text` first in its set; the string there moves to the second slot (the one there is dropped). */
  private store(text: string, h: number): void {
    const slot = h & this.mask;
    const strings = this.strings;
    const hashes = this.hashes;
    if (strings[slot] !== undefined) {
      strings[slot + 1] = strings[slot];
      hashes[slot + 1] = hashes[slot];
    }
    strings[slot] = text;
    hashes[slot] = h;
  }

  /** Doubles the table, keeping every cached string (each goes to the set of its hash under the new mask). */
  private grow(): void {
    const strings = this.strings;
    const hashes = this.hashes;
    const size = strings.length * 2;
    this.strings = new Array<string | undefined>(size);
    this.hashes = new Int32Array(size);
    this.mask = size - 2;
    this.evictions = 0;
    // Second slots first, so that each set's most recent string stays first after the move.
    for (let i = 1; i < strings.length; i += 2) if (strings[i] !== undefined) this.store(strings[i] as string, hashes[i]);
    for (let i = 0; i < strings.length; i += 2) if (strings[i] !== undefined) this.store(strings[i] as string, hashes[i]);
  }
}

function sameBytes(s: string, buf: Uint8Array, start: number, len: number): boolean {
  let i = 0;
  while (i < len && s.charCodeAt(i) === buf[start + i]) i++;
  return i === len;
}
