/**
 * The fast path of a JSON schema of `$.x` mappings over a payload that holds one object: the structural index
 * (wasm/structural-index.ts, WebAssembly SIMD) lists where the quotes, `:` `,` `{` `}` are, so that the members
 * are walked from offset to offset instead of byte by byte; only names, mapped values and the short runs
 * between offsets are read.
 *
 * It decodes only payloads it can prove valid with the same rules as the general decoder (JsonRecordDecoder)
 * and with the same row: ASCII without escapes or raw control characters in strings, one object, scalar
 * member values (mapped: strings and numbers; unmapped: also true/false/null, with the general decoder's lax
 * rules for unmapped numbers), no coercion failure. For anything else it answers null and emits nothing, and
 * the general decoder decodes the payload from its start, errors included: the fast path never decides an
 * error, so the error behaviour is the general decoder's by construction.
 */
import type { Value } from '../types/sql-type.js';
import { latin1Text } from './byte-text.js';
import { FAILED, type ColumnCoercer, type Coerced } from './column-coercer.js';
import type { Terminal } from './path-trie.js';
import { MAX_INDEXED_BYTES, StructuralIndex } from './wasm/structural-index.js';

const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA = 0x2c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const MINUS = 0x2d;
const MAX_PREDICTED = 64;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** A member name of the schema (raw UTF-8 bytes) and the column it maps to. */
export interface FlatKey {
  readonly bytes: Uint8Array;
  readonly terminal: Terminal;
}

interface Prediction {
  readonly bytes: Uint8Array;
  readonly terminal: Terminal | null;
}

let shared: StructuralIndex | null | undefined;

export class FlatJsonFastPath {
  /** The name last seen at each member position, as in TrieNode.order (records of a stream share a layout). */
  private readonly order: (Prediction | undefined)[] = [];

  private constructor(
    private readonly index: StructuralIndex,
    private readonly keys: readonly FlatKey[],
    private readonly coercer: ColumnCoercer,
    private readonly nullRow: readonly Value[],
  ) {}

  /** The fast path, or null where WebAssembly SIMD is not available (the general decoder then does it all). */
  static create(keys: readonly FlatKey[], coercer: ColumnCoercer, nullRow: readonly Value[]): FlatJsonFastPath | null {
    // One index for every decoder of the process: the index is used only between two statements of
    // decodeRow (no callback runs in between), so sharing it is safe also when a callback decodes again.
    if (shared === undefined) shared = StructuralIndex.create();
    return shared === null ? null : new FlatJsonFastPath(shared, keys, coercer, nullRow);
  }

  /**
   * The row of `buf` when it holds one flat object that this path can decode exactly as the general decoder
   * would; null otherwise (nothing has been emitted or changed but name predictions).
   */
  decodeRow(buf: Uint8Array): Value[] | null {
    const len = buf.length;
    if (len === 0 || len > MAX_INDEXED_BYTES) return null;
    const n = this.index.index(buf);
    if (n < 2) return null;
    const P = this.index.positions;
    const open = P[0];
    const close = P[n - 1];
    if (buf[open] !== LBRACE || buf[close] !== RBRACE || !spaces(buf, 0, open) || !spaces(buf, close + 1, len)) return null;
    const row = this.nullRow.slice();
    if (n === 2) return spaces(buf, open + 1, close) ? row : null;
    const co = this.coercer;
    let i = 1;
    for (let member = 0; ; member++) {
      // P[i] the name's opening quote, P[i + 1] its closing one, P[i + 2] the ':', P[i + 3] the value's
      // opening quote or the delimiter after a scalar.
      if (i + 3 >= n) return null;
      const qo = P[i];
      const qc = P[i + 1];
      const colon = P[i + 2];
      if (buf[qo] !== QUOTE || !spaces(buf, P[i - 1] + 1, qo) || buf[colon] !== COLON || !spaces(buf, qc + 1, colon)) return null;
      const t = this.match(buf, qo + 1, qc, member);
      let vs = colon + 1;
      while (isSpace(buf[vs])) vs++;
      const next = P[i + 3];
      let v: Coerced = null;
      if (buf[vs] === QUOTE) {
        if (next !== vs || i + 5 >= n) return null;
        const ve = P[i + 4];
        if (!spaces(buf, ve + 1, P[i + 5])) return null;
        if (t !== null) v = co.fromText(t.column, buf, vs + 1, ve, true, 'JSON string');
        i += 5;
      } else {
        const d = buf[next];
        if (d !== COMMA && d !== RBRACE) return null;
        let ve = next;
        while (ve > vs && isSpace(buf[ve - 1])) ve--;
        if (ve === vs) return null;
        const c = buf[vs];
        if (c === MINUS || (c >= 0x30 && c <= 0x39)) {
          if (t !== null) {
            const num = strictNumber(buf, vs, ve);
            if (Number.isNaN(num)) return null;
            v = Math.abs(num) <= t.plainNumberMax ? num : co.fromNumberBytes(t.column, num, buf, vs, ve, 'JSON number');
          } else if (numberRunEnd(buf, vs + 1) !== ve) {
            return null;
          }
        } else if (t !== null || !isLiteral(buf, vs, ve)) {
          // A mapped literal is rare: the general decoder takes it.
          return null;
        }
        i += 3;
      }
      if (t !== null) {
        if (v === FAILED) return null;
        row[t.column] = v;
      }
      const d = buf[P[i]];
      if (d === COMMA) {
        i++;
        continue;
      }
      return d === RBRACE && i === n - 1 ? row : null;
    }
  }

  /** The terminal of the name in bytes [ks, ke) (null when unmapped); the name predicted for the position first. */
  private match(buf: Uint8Array, ks: number, ke: number, member: number): Terminal | null {
    const len = ke - ks;
    const predicted = member < MAX_PREDICTED ? this.order[member] : undefined;
    if (predicted !== undefined && predicted.bytes.length === len && sameBytes(predicted.bytes, buf, ks, len)) return predicted.terminal;
    let terminal: Terminal | null = null;
    for (const k of this.keys) {
      if (k.bytes.length === len && sameBytes(k.bytes, buf, ks, len)) {
        terminal = k.terminal;
        break;
      }
    }
    // A copy (never Buffer#slice, a view): the caller may reuse the payload's buffer.
    if (member < MAX_PREDICTED) this.order[member] = { bytes: new Uint8Array(buf.subarray(ks, ke)), terminal };
    return terminal;
  }
}

function sameBytes(kb: Uint8Array, buf: Uint8Array, at: number, len: number): boolean {
  let j = 0;
  while (j < len && kb[j] === buf[at + j]) j++;
  return j === len;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Only JSON whitespace in [from, to). */
function spaces(buf: Uint8Array, from: number, to: number): boolean {
  for (let p = from; p < to; p++) if (!isSpace(buf[p])) return false;
  return true;
}

/** The general decoder's rule for an unmapped number: a run of number characters (not validated further). */
function numberRunEnd(buf: Uint8Array, p: number): number {
  let c = buf[p];
  while ((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === MINUS || c === 0x2b) c = buf[++p];
  return p;
}

const LITERALS = ['true', 'false', 'null'].map((w) => [...w].map((ch) => ch.charCodeAt(0)));

function isLiteral(buf: Uint8Array, s: number, e: number): boolean {
  for (const w of LITERALS) if (w.length === e - s && w.every((b, j) => buf[s + j] === b)) return true;
  return false;
}

/**
 * A JSON number that is exactly the bytes [s, e), by the JSON grammar, with the general decoder's value
 * (exact up to 15 significant digits and powers of ten up to 22, Number() beyond); NaN when it is not one.
 */
export function strictNumber(buf: Uint8Array, s: number, e: number): number {
  let p = s;
  const neg = buf[p] === MINUS;
  if (neg) p++;
  let c = buf[p];
  let m = 0;
  let digits = 0;
  if (c === 0x30) {
    c = buf[++p];
  } else if (c >= 0x31 && c <= 0x39) {
    do {
      m = m * 10 + (c - 0x30);
      digits++;
      c = buf[++p];
    } while (c >= 0x30 && c <= 0x39);
  } else {
    return NaN;
  }
  let fraction = 0;
  if (c === 0x2e) {
    c = buf[++p];
    if (!(c >= 0x30 && c <= 0x39)) return NaN;
    do {
      m = m * 10 + (c - 0x30);
      digits++;
      fraction++;
      c = buf[++p];
    } while (c >= 0x30 && c <= 0x39);
  }
  let exp = 0;
  if (c === 0x65 || c === 0x45) {
    c = buf[++p];
    let expNeg = false;
    if (c === 0x2b || c === MINUS) {
      expNeg = c === MINUS;
      c = buf[++p];
    }
    if (!(c >= 0x30 && c <= 0x39)) return NaN;
    do {
      if (exp < 100_000) exp = exp * 10 + (c - 0x30);
      c = buf[++p];
    } while (c >= 0x30 && c <= 0x39);
    if (expNeg) exp = -exp;
  }
  if (p !== e) return NaN;
  if (digits <= 15) {
    const e10 = exp - fraction;
    let v: number;
    if (e10 === 0) v = m;
    else if (e10 < 0 && e10 >= -22) v = m / POW10[-e10];
    else if (e10 > 0 && e10 <= 22) v = m * POW10[e10];
    else return Number(latin1Text(buf, s, e));
    return neg ? -v : v;
  }
  return Number(latin1Text(buf, s, e));
}
