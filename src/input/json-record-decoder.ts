/**
 * The JSON hot path: a byte-level scanner that walks each document once over the UTF-8 bytes, guided by the
 * trie of mapped paths. Members outside the trie are skipped without being materialised or validated
 * beyond their delimiting (README, "Unmapped content");
 * numbers are parsed from the bytes; strings are decoded only when a column maps them (ASCII without escapes
 * takes the cheapest decode). JSON.parse is used only for rare shapes: a mapped string or key with escapes
 * (decoded by JSON.parse of that one string) and an object/array mapped as text (re-serialised compactly).
 */
import { Buffer } from 'node:buffer';
import { CodecError, ExecutionError } from '../errors.js';
import type { SqlType, Value } from '../types/sql-type.js';
import { latin1Text, utf8Text } from './byte-text.js';
import type { Coerced } from './column-coercer.js';
import { ColumnCoercer, FAILED, REAL_MAX } from './column-coercer.js';
import type { InputDecoder } from './input-decoder.js';
import { InputErrorNames } from './input-decoder.js';
import type { PathSegment } from './json-path.js';
import { formatJsonPath } from './json-path.js';
import type { Terminal, TrieNode } from './path-trie.js';
import { buildTrie } from './path-trie.js';
import { FlatJsonFastPath } from './json-flat-fast-path.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;

const K_STRING = 1;
const K_NUMBER = 2;
const K_TRUE = 3;
const K_FALSE = 4;
const K_NULL = 5;
const K_OBJECT = 6;
const K_ARRAY = 7;
const KIND_NAMES = ['', 'string', 'number', 'boolean', 'boolean', 'null', 'object', 'array'];

/** scanString flags */
const ESCAPED = 1;
const NON_ASCII = 2;

const EMPTY = new Uint8Array(0);
/** Byte classes inside a string: 0 plain ASCII, 1 quote, 2 backslash, 3 control character, 4 non-ASCII. */
const STRING_CLASS = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_CLASS[c] = 3;
for (let c = 0x80; c < 0x100; c++) STRING_CLASS[c] = 4;
STRING_CLASS[QUOTE] = 1;
STRING_CLASS[BACKSLASH] = 2;

/**
 * Bytes that stop the skip of an unmapped string: the quote, the backslash (the byte after it is stepped over)
 * and control characters, which cannot be in a string: an unclosed string then fails at the end of its line
 * instead of running into the next document of an NDJSON payload.
 */
const STRING_STOP = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_STOP[c] = 1;
STRING_STOP[QUOTE] = 1;
STRING_STOP[BACKSLASH] = 1;

/**
 * Bytes outside strings in a skipped container: 0 those that may appear there (whitespace, ',', ':', and the
 * characters of numbers and of true/false/null), 1 the quote, 2 an opening and 3 a closing bracket, 4 anything
 * else, which no JSON text has outside a string: an error found right where it is, as a strict scan would.
 */
const CONTAINER_CLASS = new Uint8Array(256).fill(4);
for (const ch of ' \t\r\n,:0123456789+-.eEtrufalsn') CONTAINER_CLASS[ch.charCodeAt(0)] = 0;
CONTAINER_CLASS[QUOTE] = 1;
CONTAINER_CLASS[LBRACE] = 2;
CONTAINER_CLASS[LBRACKET] = 2;
CONTAINER_CLASS[RBRACE] = 3;
CONTAINER_CLASS[RBRACKET] = 3;

/** Member positions and name lengths for which names are predicted (TrieNode.order). */
const MAX_PREDICTED = 64;
const MAX_PREDICTED_KEY = 64;

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const TRUE_BYTES = [0x74, 0x72, 0x75, 0x65];
const FALSE_BYTES = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL_BYTES = [0x6e, 0x75, 0x6c, 0x6c];

/** A syntax error in a document; `pos` is where the scanner stopped. */
class JsonSyntaxFault extends CodecError {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

/** A well-formed document (or row) that is not an object or array; the scanner is already past it. */
class NotContainerFault extends CodecError {}

/**
 * How deeply an object or array mapped as text may nest. Its text is produced by JSON.parse + JSON.stringify,
 * which recurse once per level; past this depth the document is refused (INPUT_PARSE_ERROR naming the limit),
 * the same on every host, instead of depending on the call stack left.
 */
export const MAX_MAPPED_JSON_DEPTH = 1000;

/** A mapped object or array nests deeper than MAX_MAPPED_JSON_DEPTH. */
class DepthFault extends CodecError {}

function describeByte(c: number | undefined): string {
  if (c === undefined) return 'the end of the record';
  if (c >= 0x20 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

export interface JsonDecoderSpec {
  readonly names: readonly string[];
  readonly types: readonly SqlType[];
  /** Column paths, relative to the row (the record row path already removed). */
  readonly paths: readonly (readonly PathSegment[])[];
  /** The record row path's segments (empty for `$`). */
  readonly rowPath: readonly PathSegment[];
  /**
   * Whether one-object payloads of a `$.x` schema take the WebAssembly structural-index fast path
   * (json-flat-fast-path.ts). Off by default: measured, it is slower than the byte scanner on one ~100-byte
   * record per payload (docs/benchmarks.md, "Input mapping"); kept, tested, for batch-level decoding.
   */
  readonly structuralIndex?: boolean;
}

/** Decodes JSON record payloads into rows; one instance per schema. */
export class JsonRecordDecoder implements InputDecoder {
  readonly columns: readonly { name: string; type: SqlType }[];
  private readonly coercer: ColumnCoercer;
  private readonly root: TrieNode;
  private readonly rowPath: readonly PathSegment[];
  private readonly rowPathText: string;
  private readonly width: number;
  private readonly nullRow: Value[];
  private readonly inFlatten: boolean[];
  private readonly flattenColumns: number[];
  /** Rows are whole documents whose members map straight to columns (`$.x` only): decode's fast path applies. */
  private readonly flat: boolean;
  /** The structural-index fast path for flat schemas (null: not flat, turned off, or no WebAssembly SIMD). */
  private readonly fast: FlatJsonFastPath | null;

  private buf: Uint8Array = EMPTY;
  private pos = 0;
  private end = 0;
  private stack = new Uint8Array(64);

  // State of the row node being scanned.
  private row: Value[] = [];
  private rowErrors: (string | null)[] | null = null;
  private elem: Value[] = [];
  private elemErrors: (string | null)[] | null = null;
  private readonly elems: Value[][] = [];
  private readonly elemErrorList: ((string | null)[] | null)[] = [];

  // Rows of the current document, emitted only once the whole document is known to be valid JSON. Counters
  // instead of array lengths: shrinking an array's length is costly on this path.
  private readonly pendingRows: (Value[] | null)[] = [];
  private readonly pendingErrors: (string | null)[] = [];
  private pendingCount = 0;
  private elemCount = 0;

  /** Set while decode runs; a callback that decodes again meanwhile is served by `nested`. */
  private busy = false;
  private nested: JsonRecordDecoder | null = null;

  constructor(
    private readonly spec: JsonDecoderSpec,
    private readonly onMappingError: (column: number, message: string) => never,
  ) {
    this.columns = spec.names.map((name, i) => ({ name, type: spec.types[i] }));
    this.coercer = new ColumnCoercer(spec.names, spec.types);
    const trie = buildTrie(
      spec.paths,
      spec.types.map((t) => (t.kind === 'DOUBLE' ? Number.MAX_VALUE : t.kind === 'REAL' ? REAL_MAX : -1)),
      onMappingError,
    );
    this.root = trie.root;
    this.inFlatten = [...trie.inFlatten];
    this.flattenColumns = this.inFlatten.flatMap((f, i) => (f ? [i] : []));
    this.rowPath = spec.rowPath;
    this.rowPathText = formatJsonPath(spec.rowPath);
    this.width = spec.names.length;
    this.nullRow = spec.names.map(() => null);
    this.flat = this.rowPath.length === 0 && this.root.terminals.length === 0 && !this.root.walksArrays && this.root.keys.every((k) => k.node.leaf !== null);
    this.fast =
      this.flat && spec.structuralIndex === true
        ? FlatJsonFastPath.create(this.root.keys.map((k) => ({ bytes: k.bytes, terminal: k.node.leaf as Terminal })), this.coercer, this.nullRow)
        : null;
  }

  decode(
    payload: Uint8Array | string,
    onRow: (row: Value[]) => void,
    onError: (error: ExecutionError, raw: Uint8Array | string) => void,
  ): void {
    if (this.busy) {
      // Called again from inside onRow/onError: the scanner state is in use, so a twin decodes this one.
      this.nested ??= new JsonRecordDecoder(this.spec, this.onMappingError);
      this.nested.decode(payload, onRow, onError);
      return;
    }
    // Strings are encoded once; bytes are scanned as they are (any Uint8Array, no Buffer wrapper).
    const buf = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
    if (this.fast !== null) {
      // One flat object that the structural index proves valid: decoded from its offsets. Anything else
      // (null, nothing emitted) is decoded below from the start, errors included.
      const row = this.fast.decodeRow(buf);
      if (row !== null) {
        onRow(row);
        return;
      }
    }
    const end = buf.length;
    this.buf = buf;
    this.end = end;
    let pos = 0;
    if (buf[0] === 0xef && end >= 3 && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3; // UTF-8 byte order mark
    if (this.flat && buf[pos] === LBRACE) {
      // The common case first: objects with `$.x` mappings, one row each, nothing wrong; each row goes out as
      // soon as its document is read. Anything else (an error, a failed coercion, text between documents) goes
      // to the general loop below, from the start of that document, which it scans again.
      this.busy = true;
      let fallThrough = false;
      try {
        while (true) {
          const row = this.nullRow.slice();
          this.row = row;
          this.rowErrors = null;
          this.pos = pos;
          let ok = false;
          try {
            this.scanObject(this.root);
            ok = this.rowErrors === null;
          } catch {
            // reported by the general loop
          }
          if (!ok) {
            fallThrough = true;
            break;
          }
          let p = this.pos;
          let c = buf[p];
          while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++p];
          onRow(row);
          pos = p;
          if (p >= end) break;
          if (c !== LBRACE) {
            fallThrough = true;
            break;
          }
        }
      } finally {
        this.busy = false;
        this.row = [];
        if (!fallThrough) this.buf = EMPTY;
      }
      if (!fallThrough) return;
    }
    const rows = this.pendingRows;
    const errors = this.pendingErrors;
    this.busy = true;
    let documents = 0;
    try {
      while (true) {
        let c = buf[pos];
        while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++pos];
        if (pos >= end) break;
        documents++;
        const docStart = pos;
        this.pos = pos;
        let failure: string | null = null;
        let resume = 0;
        this.pendingCount = 0;
        try {
          this.scanDocument();
        } catch (e) {
          if (e instanceof JsonSyntaxFault) {
            failure = `record is not valid JSON: ${e.message}`;
            resume = this.recover(docStart, e.pos);
          } else if (e instanceof NotContainerFault) {
            failure = e.message;
            resume = this.pos;
          } else if (e instanceof DepthFault) {
            failure = e.message;
            resume = this.recover(docStart, Math.max(this.pos, docStart + 1));
            if (resume <= docStart) resume = end;
          } else {
            // Not a fault of the scanner's own (a JSON.parse of a mapped container's text that the lax skip let
            // through, or a stack overflow): still reported as a bad document, never thrown, and decoding goes
            // on after it as for any bad document, so that the documents after it are not lost.
            failure = `record could not be decoded: ${e instanceof Error ? e.message : String(e)}`;
            resume = this.recover(docStart, Math.max(this.pos, docStart + 1));
            if (resume <= docStart) resume = end;
          }
        }
        if (failure === null) {
          pos = this.pos;
          const count = this.pendingCount;
          this.pendingCount = 0;
          for (let i = 0; i < count; i++) {
            const err = errors[i];
            const row = rows[i];
            rows[i] = null;
            if (err === null && row !== null) onRow(row);
            else onError(new ExecutionError(InputErrorNames.COERCION, err ?? 'row could not be decoded'), this.raw(payload, docStart, pos));
          }
        } else {
          onError(new ExecutionError(InputErrorNames.PARSE, failure), this.raw(payload, docStart, this.trimEnd(docStart, resume)));
          pos = resume;
        }
      }
      // A record with no document at all would otherwise leave no trace: it is an error with its bytes.
      if (documents === 0) onError(new ExecutionError(InputErrorNames.PARSE, emptyRecordMessage(end)), typeof payload === 'string' ? payload : payload.subarray(0, end));
    } finally {
      for (let i = 0; i < this.pendingCount; i++) rows[i] = null;
      this.pendingCount = 0;
      this.buf = EMPTY;
      this.busy = false;
    }
  }

  private raw(payload: Uint8Array | string, start: number, end: number): Uint8Array | string {
    if (typeof payload === 'string') return utf8Text(this.buf, start, end);
    return payload.subarray(start, end);
  }

  private trimEnd(start: number, end: number): number {
    const buf = this.buf;
    while (end > start && (buf[end - 1] === 0x20 || buf[end - 1] === 0x0a || buf[end - 1] === 0x0d || buf[end - 1] === 0x09)) end--;
    return end;
  }

  private fault(expected: string): JsonSyntaxFault {
    const p = this.pos;
    return new JsonSyntaxFault(`expected ${expected} at byte ${p}, found ${describeByte(p < this.end ? this.buf[p] : undefined)}`, p);
  }

  /**
   * Where to go on after a bad document that starts at `start` and failed at `failedAt`: after its closing
   * bracket when brackets balance beyond the failure; otherwise at the next line (or at the failure, when a
   * new document starts a line there); for text that does not even start like a document, after leftover
   * separators, else at the next line.
   */
  private recover(start: number, failedAt: number): number {
    const buf = this.buf;
    const end = this.end;
    const c0 = buf[start];
    if (c0 === LBRACE || c0 === LBRACKET) {
      // A document cannot have a '{' or '[' where this one failed; when that bracket starts a line, the
      // failed document was cut short and a new one starts there.
      let lineStart = failedAt;
      while (lineStart > start + 1 && buf[lineStart - 1] !== 0x0a) lineStart--;
      if (buf[lineStart - 1] === 0x0a) {
        let q = lineStart;
        while (q < failedAt && (buf[q] === 0x20 || buf[q] === 0x09 || buf[q] === 0x0d)) q++;
        if (q === failedAt && (buf[q] === LBRACE || buf[q] === LBRACKET)) return lineStart;
      }
      let depth = 0;
      let p = start;
      while (p < end) {
        const c = buf[p];
        if (c === QUOTE) {
          p++;
          while (p < end && buf[p] !== QUOTE && buf[p] >= 0x20) p += buf[p] === BACKSLASH ? 2 : 1;
          // A raw control character (a line break) cannot be inside a string: the quotes are broken.
          if (p >= end || buf[p] !== QUOTE) break;
        } else if (c === LBRACE || c === LBRACKET) depth++;
        else if (c === RBRACE || c === RBRACKET) {
          depth--;
          if (depth === 0) break;
        }
        p++;
      }
      if (depth === 0 && p < end && p + 1 > failedAt) return p + 1;
      const nl = buf.indexOf(0x0a, Math.max(failedAt, start + 1));
      return nl < 0 ? end : nl + 1;
    }
    // Leftover separators or closers (`,{...}`, `}{...}`) right before a document: go on at that document.
    // Anything else: at the next line, since a '{' inside unknown text is not safely a document start.
    let p = start;
    while (p < end && (buf[p] === COMMA || buf[p] === RBRACE || buf[p] === RBRACKET || buf[p] === 0x20 || buf[p] === 0x09 || buf[p] === 0x0d)) p++;
    if (p > start && (buf[p] === LBRACE || buf[p] === LBRACKET)) return p;
    const nl = buf.indexOf(0x0a, start);
    return nl < 0 ? end : nl + 1;
  }

  /** Scans one document from this.pos, leaving its rows in pending. */
  private scanDocument(): void {
    const c = this.buf[this.pos];
    if (c !== LBRACE && c !== LBRACKET) {
      const kind = this.skipValue();
      throw new NotContainerFault(`record is a JSON ${KIND_NAMES[kind]}, not an object or array`);
    }
    if (this.rowPath.length === 0) this.scanRow();
    else this.navigate(0);
  }

  /** Follows the record row path; every value it reaches is a row. */
  private navigate(k: number): void {
    const buf = this.buf;
    if (k === this.rowPath.length) {
      const c = buf[this.pos];
      if (c === LBRACE || c === LBRACKET) this.scanRow();
      else {
        const kind = this.skipValue();
        this.pushPending(null, `the row at ${this.rowPathText} is a JSON ${KIND_NAMES[kind]}, not an object or array`);
      }
      return;
    }
    const seg = this.rowPath[k];
    const c = buf[this.pos];
    if (seg.kind === 'key') {
      if (c !== LBRACE) {
        this.skipValue();
        return;
      }
      this.pos++;
      if (this.wsThen() === RBRACE) {
        this.pos++;
        return;
      }
      while (true) {
        if (buf[this.pos] !== QUOTE) throw this.fault('a member name in double quotes');
        const ks = this.pos;
        const flags = this.scanString();
        const name = flags & ESCAPED ? this.decodeEscaped(ks, this.pos) : utf8Text(buf, ks + 1, this.pos - 1);
        if (this.wsThen() !== COLON) throw this.fault("':'");
        this.pos++;
        this.wsThen();
        if (name === seg.name) this.navigate(k + 1);
        else this.skipValue();
        const d = this.wsThen();
        if (d === COMMA) {
          this.pos++;
          this.wsThen();
          continue;
        }
        if (d === RBRACE) {
          this.pos++;
          return;
        }
        throw this.fault("',' or '}'");
      }
    }
    if (c !== LBRACKET) {
      this.skipValue();
      return;
    }
    this.pos++;
    if (this.wsThen() === RBRACKET) {
      this.pos++;
      return;
    }
    for (let i = 0; ; i++) {
      if (seg.kind === 'all' || seg.index === i) this.navigate(k + 1);
      else this.skipValue();
      const d = this.wsThen();
      if (d === COMMA) {
        this.pos++;
        this.wsThen();
        continue;
      }
      if (d === RBRACKET) {
        this.pos++;
        return;
      }
      throw this.fault("',' or ']'");
    }
  }

  /** Skips whitespace at this.pos and returns the next byte. */
  private wsThen(): number {
    const buf = this.buf;
    let p = this.pos;
    let c = buf[p];
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++p];
    this.pos = p;
    return c;
  }

  /** Scans one row node (the value at this.pos) with the column trie, then queues its row(s). */
  private scanRow(): void {
    // slice() of an all-NULL template: a packed array, cheaper to make and to read than a filled new Array.
    const row = this.nullRow.slice();
    this.row = row;
    this.rowErrors = null;
    this.elemCount = 0;
    this.scanNode(this.root);
    const n = this.elemCount;
    if (n === 0) {
      // Also: an empty or missing flattened array still gives one row, with NULL in the flattened columns.
      this.pushPending(row, this.rowErrors === null ? null : firstError(this.rowErrors));
      return;
    }
    const elems = this.elems;
    const flat = this.flattenColumns;
    for (let e = 0; e < n; e++) {
      const r = e === n - 1 ? row : row.slice();
      const values = elems[e];
      for (const col of flat) r[col] = values[col];
      this.pushPending(r, this.rowErrorFor(e));
    }
  }

  private pushPending(row: Value[] | null, error: string | null): void {
    const i = this.pendingCount++;
    this.pendingRows[i] = row;
    this.pendingErrors[i] = error;
  }

  private rowErrorFor(e: number): string | null {
    const rowErrors = this.rowErrors;
    const elemErrors = this.elemErrorList[e];
    if (rowErrors === null && elemErrors === null) return null;
    for (let col = 0; col < this.width; col++) {
      const err = this.inFlatten[col] ? elemErrors?.[col] : rowErrors?.[col];
      if (err) return err;
    }
    return null;
  }

  /** Scans the value at this.pos with trie node `node`, capturing its terminals. */
  private scanNode(node: TrieNode): void {
    const buf = this.buf;
    const start = this.pos;
    const c = buf[start];
    let kind: number;
    let num = 0;
    let flags = 0;
    // Only the last occurrence of the array counts (as with duplicate member names in JSON.parse).
    if (node.flatten !== null) this.elemCount = 0;
    if (c === QUOTE) {
      flags = this.scanString();
      kind = K_STRING;
    } else if (c === LBRACE) {
      if (node.keys.length > 0) this.scanObject(node);
      else if (node.terminals.length > 0) this.validateContainer();
      else this.skipContainer();
      kind = K_OBJECT;
    } else if (c === LBRACKET) {
      if (node.walksArrays) this.scanArray(node);
      else if (node.terminals.length > 0) this.validateContainer();
      else this.skipContainer();
      kind = K_ARRAY;
    } else if (c === MINUS || (c >= 0x30 && c <= 0x39)) {
      num = this.scanNumber();
      kind = K_NUMBER;
    } else {
      kind = this.scanLiteral();
    }
    const terminals = node.terminals;
    for (let i = 0; i < terminals.length; i++) this.capture(terminals[i], kind, start, this.pos, num, flags);
  }

  /** scanNode for a leaf with one plain terminal: scalars are coerced straight from the bytes. */
  private scanLeaf(node: TrieNode): void {
    const buf = this.buf;
    const start = this.pos;
    const c = buf[start];
    const t = node.leaf as Terminal;
    const co = this.coercer;
    let v: Coerced;
    if (c === QUOTE) {
      const flags = this.scanString();
      v =
        flags === 0
          ? co.fromText(t.column, buf, start + 1, this.pos - 1, true, 'JSON string')
          : (flags & ESCAPED) === 0
            ? co.fromText(t.column, buf, start + 1, this.pos - 1, false, 'JSON string')
            : (flags & NON_ASCII) !== 0 && co.isCharacter(t.column) && !co.validUtf8(buf, start, this.pos)
              ? co.notUtf8(t.column, 'JSON string', buf, start + 1, this.pos - 1)
              : co.fromString(t.column, this.decodeEscaped(start, this.pos), 'JSON string');
    } else if (c === MINUS || (c >= 0x30 && c <= 0x39)) {
      const num = this.scanNumber();
      // REAL/DOUBLE take a number in their range as it is: no coercion call on the commonest numeric columns.
      v = Math.abs(num) <= t.plainNumberMax ? num : co.fromNumberBytes(t.column, num, buf, start, this.pos, 'JSON number');
    } else {
      this.scanNode(node);
      return;
    }
    if (v !== FAILED && !t.inFlatten && this.rowErrors === null) this.row[t.column] = v;
    else this.store(t, v);
  }

  private scanObject(node: TrieNode): void {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos + 1;
    let c = buf[pos];
    // Whitespace tests start with one comparison (c <= 0x20): between tokens there is usually none.
    if (c <= 0x20) while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++pos];
    if (c === RBRACE) {
      this.pos = pos + 1;
      return;
    }
    const order = node.order;
    for (let member = 0; ; member++) {
      if (c !== QUOTE) {
        this.pos = pos;
        throw this.fault('a member name in double quotes');
      }
      const ks = pos + 1;
      let p = -1;
      let child: TrieNode | null = null;
      const predicted = member < MAX_PREDICTED ? order[member] : undefined;
      if (predicted !== undefined) {
        // Same raw bytes followed by a quote: the same (already validated) name.
        const kb = predicted.bytes;
        const len = kb.length;
        if (ks + len < end && buf[ks + len] === QUOTE) {
          let j = 0;
          while (j < len && kb[j] === buf[ks + j]) j++;
          if (j === len) {
            p = ks + len;
            child = predicted.node;
          }
        }
      }
      if (p < 0) {
        child = this.matchName(node, ks, member);
        p = this.pos;
      }
      pos = p + 1;
      c = buf[pos];
      if (c !== COLON) {
        while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++pos];
        if (c !== COLON) {
          this.pos = pos;
          throw this.fault("':'");
        }
      }
      c = buf[++pos];
      if (c <= 0x20) while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++pos];
      if (child === null) {
        // Unmapped: the commonest kinds are skipped right here, with the least work that finds their end.
        if (c === QUOTE) {
          p = pos + 1;
          while (p < end && STRING_STOP[buf[p]] === 0) p++;
          pos = buf[p] === QUOTE ? p + 1 : this.skipString(p);
        } else if (c === MINUS || (c >= 0x30 && c <= 0x39)) {
          pos = skipNumberToken(buf, pos + 1);
        } else {
          this.pos = pos;
          this.skipValue();
          pos = this.pos;
        }
      } else {
        this.pos = pos;
        if (child.leaf !== null) this.scanLeaf(child);
        else this.scanNode(child);
        pos = this.pos;
      }
      c = buf[pos];
      if (c === COMMA) {
        c = buf[++pos];
        if (c <= 0x20) while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++pos];
        continue;
      }
      if (c === RBRACE) {
        this.pos = pos + 1;
        return;
      }
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++pos];
      if (c === COMMA) {
        c = buf[++pos];
        if (c <= 0x20) while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++pos];
        continue;
      }
      if (c === RBRACE) {
        this.pos = pos + 1;
        return;
      }
      this.pos = pos;
      throw this.fault("',' or '}'");
    }
  }

  /**
   * The slow path of a member name (not the predicted one), kept out of scanObject so that the hot loop stays
   * small enough for the compiler to inline the value scanners: scans and validates the name at `ks`, finds
   * its child in the trie (null when unmapped), records it as the prediction for position `member`, and
   * leaves this.pos at the closing quote.
   */
  private matchName(node: TrieNode, ks: number, member: number): TrieNode | null {
    const buf = this.buf;
    const end = this.end;
    let p = ks;
    let escaped = false;
    while (true) {
      while (p < end && STRING_CLASS[buf[p]] === 0) p++;
      if (p >= end) {
        this.pos = p;
        throw this.fault("'\"' closing the member name");
      }
      const b = buf[p];
      if (b === QUOTE) break;
      if (b === BACKSLASH) {
        escaped = true;
        p = this.skipEscape(p);
      } else if (b >= 0x80) {
        p++;
      } else {
        this.pos = p;
        throw this.fault('a character (control characters must be escaped)');
      }
    }
    let child: TrieNode | null = null;
    if (!escaped) {
      // Length first, then the bytes: no key string is built.
      const len = p - ks;
      const keys = node.keys;
      for (let i = 0; i < keys.length; i++) {
        const kb = keys[i].bytes;
        if (kb.length === len) {
          let j = 0;
          while (j < len && kb[j] === buf[ks + j]) j++;
          if (j === len) {
            child = keys[i].node;
            break;
          }
        }
      }
    } else {
      child = node.byName.get(this.decodeEscaped(ks - 1, p + 1)) ?? null;
    }
    // A copy of the bytes: the caller may reuse the payload's buffer.
    if (member < MAX_PREDICTED && p - ks <= MAX_PREDICTED_KEY) node.order[member] = { bytes: new Uint8Array(buf.subarray(ks, p)), node: child };
    this.pos = p;
    return child;
  }

  private scanArray(node: TrieNode): void {
    const buf = this.buf;
    const flatten = node.flatten;
    const elementNodes = node.elementNodes;
    let pos = this.pos + 1;
    let c = buf[pos];
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++pos];
    if (c === RBRACKET) {
      this.pos = pos + 1;
      return;
    }
    for (let i = 0; ; i++) {
      this.pos = pos;
      const en = i < elementNodes.length ? elementNodes[i] : flatten;
      if (flatten !== null) {
        this.elem = this.nullRow.slice();
        this.elemErrors = null;
      }
      if (en === null) this.skipValue();
      else this.scanNode(en);
      if (flatten !== null) {
        const k = this.elemCount++;
        this.elems[k] = this.elem;
        this.elemErrorList[k] = this.elemErrors;
      }
      pos = this.pos;
      c = buf[pos];
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++pos];
      if (c === COMMA) {
        c = buf[++pos];
        while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++pos];
        continue;
      }
      if (c === RBRACKET) {
        this.pos = pos + 1;
        return;
      }
      this.pos = pos;
      throw this.fault("',' or ']'");
    }
  }

  /**
   * Skips the unmapped value at this.pos with the least work that still finds its end, and returns its kind.
   * Deliberately lax (see README, "Unmapped content"): a string is stepped over to its closing quote (escapes
   * are jumped, not checked; raw control characters pass), a number is its run of number characters, a
   * container is bracket counting; only the literals true/false/null are checked whole (they are short).
   */
  private skipValue(): number {
    const buf = this.buf;
    const c = buf[this.pos];
    if (c === QUOTE) {
      this.pos = this.skipString(this.pos + 1);
      return K_STRING;
    }
    if (c === LBRACE) {
      this.skipContainer();
      return K_OBJECT;
    }
    if (c === LBRACKET) {
      this.skipContainer();
      return K_ARRAY;
    }
    if (c === MINUS || (c >= 0x30 && c <= 0x39)) {
      this.pos = skipNumberToken(buf, this.pos + 1);
      return K_NUMBER;
    }
    return this.scanLiteral();
  }

  /**
   * The position after the closing quote of the string whose content starts at `p`. Escapes are stepped over
   * (the byte after a backslash is never the closing quote) without being checked; a control character is an
   * error (see STRING_STOP).
   */
  private skipString(p: number): number {
    const buf = this.buf;
    const end = this.end;
    while (true) {
      while (p < end && STRING_STOP[buf[p]] === 0) p++;
      const c = buf[p];
      if (c === QUOTE) return p + 1;
      if (c === BACKSLASH && p + 1 < end && buf[p + 1] >= 0x20) {
        p += 2;
        continue;
      }
      this.pos = c === BACKSLASH ? p + 1 : p;
      throw this.fault(p >= end ? "'\"' closing the string" : 'a character (control characters must be escaped)');
    }
  }

  /**
   * Skips an unmapped object or array by counting brackets (their kinds must match), stepping over strings:
   * the least work that finds where it ends. Without recursion: any depth fits in `stack`.
   */
  private skipContainer(): void {
    const buf = this.buf;
    const end = this.end;
    let stack = this.stack;
    let depth = 0;
    let p = this.pos;
    while (p < end) {
      const c = buf[p];
      const k = CONTAINER_CLASS[c];
      if (k === 0) {
        p++;
        continue;
      }
      if (k === 1) {
        p = this.skipString(p + 1);
        continue;
      }
      if (k === 2) {
        if (depth === stack.length) {
          const bigger = new Uint8Array(stack.length * 2);
          bigger.set(stack);
          this.stack = stack = bigger;
        }
        stack[depth++] = c;
      } else if (k === 3) {
        if (stack[depth - 1] !== c - 2) {
          this.pos = p;
          throw this.fault(stack[depth - 1] === LBRACE ? "',' or '}'" : "',' or ']'");
        }
        if (--depth === 0) {
          this.pos = p + 1;
          return;
        }
      } else {
        this.pos = p;
        throw this.fault('a JSON value');
      }
      p++;
    }
    // Unterminated: the lax skip met no error before the end of the payload, so the corruption that left this
    // container open is somewhere after its start. Report it at the first line break inside the container, so
    // that recovery resumes on the next line: in NDJSON a corrupted document must not swallow the ones after it.
    const nl = buf.indexOf(0x0a, this.pos);
    this.pos = nl >= 0 && nl < end ? nl : p;
    throw this.fault(stack[depth - 1] === LBRACE ? "',' or '}'" : "',' or ']'");
  }

  /**
   * Validates and skips an object or array without recursion (any depth fits in `stack`): for containers that
   * a column maps (as their JSON text), which must be valid JSON.
   */
  private validateContainer(): void {
    const buf = this.buf;
    let stack = this.stack;
    let depth = 0;
    let pos = this.pos;
    let c = buf[pos];
    while (true) {
      // Here `pos` is at the start of a value and c = buf[pos].
      let closed = false;
      if (c === LBRACE || c === LBRACKET) {
        if (depth === stack.length) {
          const bigger = new Uint8Array(stack.length * 2);
          bigger.set(stack);
          this.stack = stack = bigger;
        }
        stack[depth++] = c;
        c = buf[++pos];
        while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++pos];
        if (c === (stack[depth - 1] === LBRACE ? RBRACE : RBRACKET)) {
          pos++;
          depth--;
          closed = true;
        } else if (stack[depth - 1] === LBRACE) {
          pos = this.skipMemberName(pos);
          c = buf[pos];
          continue;
        } else {
          continue;
        }
      } else {
        this.pos = pos;
        if (c === QUOTE) this.scanString();
        else if (c === MINUS || (c >= 0x30 && c <= 0x39)) this.skipNumber();
        else this.scanLiteral();
        pos = this.pos;
        closed = true;
      }
      // After a complete value: close containers or move to the next member/element.
      while (closed) {
        if (depth === 0) {
          this.pos = pos;
          return;
        }
        c = buf[pos];
        while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++pos];
        const open = stack[depth - 1];
        if (c === COMMA) {
          c = buf[++pos];
          while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++pos];
          if (open === LBRACE) {
            pos = this.skipMemberName(pos);
            c = buf[pos];
          }
          closed = false;
        } else if (c === (open === LBRACE ? RBRACE : RBRACKET)) {
          pos++;
          depth--;
        } else {
          this.pos = pos;
          throw this.fault(open === LBRACE ? "',' or '}'" : "',' or ']'");
        }
      }
    }
  }

  /** Skips `"name" :` and whitespace at `pos`; returns the position of the member's value. */
  private skipMemberName(pos: number): number {
    const buf = this.buf;
    this.pos = pos;
    if (buf[pos] !== QUOTE) throw this.fault('a member name in double quotes');
    this.scanString();
    pos = this.pos;
    let c = buf[pos];
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++pos];
    if (c !== COLON) {
      this.pos = pos;
      throw this.fault("':'");
    }
    c = buf[++pos];
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++pos];
    return pos;
  }

  /** Validates the string at this.pos, moves past it and returns its ESCAPED / NON_ASCII flags. */
  private scanString(): number {
    const buf = this.buf;
    const end = this.end;
    let p = this.pos + 1;
    let flags = 0;
    while (true) {
      while (p < end && STRING_CLASS[buf[p]] === 0) p++;
      if (p >= end) {
        this.pos = p;
        throw this.fault("'\"' closing the string");
      }
      const c = buf[p];
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        flags |= ESCAPED;
        p = this.skipEscape(p);
      } else if (c >= 0x80) {
        flags |= NON_ASCII;
        p++;
      } else {
        this.pos = p;
        throw this.fault('a character (control characters must be escaped)');
      }
    }
    this.pos = p + 1;
    return flags;
  }

  /** Validates the escape at `p` (a backslash); returns the position after it. */
  private skipEscape(p: number): number {
    const buf = this.buf;
    const c = buf[p + 1];
    if (c === 0x75) {
      if (p + 5 < this.end && isHex(buf[p + 2]) && isHex(buf[p + 3]) && isHex(buf[p + 4]) && isHex(buf[p + 5])) return p + 6;
      this.pos = p;
      throw this.fault('four hex digits after \\u');
    }
    if (c === QUOTE || c === BACKSLASH || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74) return p + 2;
    this.pos = p + 1;
    throw this.fault('an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
  }

  /** Validates the number at this.pos and moves past it, without computing its value (unmapped numbers). */
  private skipNumber(): void {
    const buf = this.buf;
    let p = this.pos;
    if (buf[p] === MINUS) p++;
    let c = buf[p];
    if (c === 0x30) c = buf[++p];
    else if (c >= 0x31 && c <= 0x39) {
      do c = buf[++p];
      while (c >= 0x30 && c <= 0x39);
    } else {
      this.pos = p;
      throw this.fault('a digit');
    }
    if (c === DOT) {
      c = buf[++p];
      if (!(c >= 0x30 && c <= 0x39)) {
        this.pos = p;
        throw this.fault("a digit after '.'");
      }
      do c = buf[++p];
      while (c >= 0x30 && c <= 0x39);
    }
    if (c === 0x65 || c === 0x45) {
      c = buf[++p];
      if (c === PLUS || c === MINUS) c = buf[++p];
      if (!(c >= 0x30 && c <= 0x39)) {
        this.pos = p;
        throw this.fault('a digit in the exponent');
      }
      do c = buf[++p];
      while (c >= 0x30 && c <= 0x39);
    }
    this.pos = p;
  }

  /** Parses the number at this.pos from its bytes and moves past it. */
  private scanNumber(): number {
    const buf = this.buf;
    let p = this.pos;
    const start = p;
    let neg = false;
    if (buf[p] === MINUS) {
      neg = true;
      p++;
    }
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
      this.pos = p;
      throw this.fault('a digit');
    }
    let fraction = 0;
    if (c === DOT) {
      c = buf[++p];
      if (!(c >= 0x30 && c <= 0x39)) {
        this.pos = p;
        throw this.fault("a digit after '.'");
      }
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
      if (c === PLUS || c === MINUS) {
        expNeg = c === MINUS;
        c = buf[++p];
      }
      if (!(c >= 0x30 && c <= 0x39)) {
        this.pos = p;
        throw this.fault('a digit in the exponent');
      }
      do {
        if (exp < 100_000) exp = exp * 10 + (c - 0x30);
        c = buf[++p];
      } while (c >= 0x30 && c <= 0x39);
      if (expNeg) exp = -exp;
    }
    this.pos = p;
    // Up to 15 significant digits the mantissa is exact, and one multiplication or division by an exact
    // power of ten rounds correctly; beyond that, let the engine's own conversion do it.
    if (digits <= 15) {
      const e10 = exp - fraction;
      let v: number;
      if (e10 === 0) v = m;
      else if (e10 < 0 && e10 >= -22) v = m / POW10[-e10];
      else if (e10 > 0 && e10 <= 22) v = m * POW10[e10];
      else return Number(latin1Text(buf, start, p));
      return neg ? -v : v;
    }
    return Number(latin1Text(buf, start, p));
  }

  /** Validates true/false/null at this.pos and returns its kind. */
  private scanLiteral(): number {
    const buf = this.buf;
    const c = buf[this.pos];
    let expected: number[];
    let kind: number;
    if (c === 0x74) [expected, kind] = [TRUE_BYTES, K_TRUE];
    else if (c === 0x66) [expected, kind] = [FALSE_BYTES, K_FALSE];
    else if (c === 0x6e) [expected, kind] = [NULL_BYTES, K_NULL];
    else throw this.fault('a JSON value');
    for (let i = 1; i < expected.length; i++) {
      if (buf[this.pos + i] !== expected[i]) {
        this.pos += i;
        throw this.fault(`'${String.fromCharCode(...expected)}'`);
      }
    }
    this.pos += expected.length;
    return kind;
  }

  /** A validated string with escapes, [start, end) including its quotes, decoded (rare path). */
  private decodeEscaped(start: number, end: number): string {
    return JSON.parse(utf8Text(this.buf, start, end)) as string;
  }

  /** A validated object or array as compact JSON text (rare path: only for columns that map one). */
  private containerText(start: number, end: number, column: number): string {
    const depth = nestingDepth(this.buf, start, end);
    if (depth > MAX_MAPPED_JSON_DEPTH) {
      throw new DepthFault(
        `record is valid JSON but the value mapped to column "${this.columns[column].name}" nests ${depth} levels deep, more than the ${MAX_MAPPED_JSON_DEPTH} allowed for an object or array mapped as text`,
      );
    }
    return JSON.stringify(JSON.parse(utf8Text(this.buf, start, end)));
  }

  private capture(t: Terminal, kind: number, start: number, end: number, num: number, flags: number): void {
    const col = t.column;
    const co = this.coercer;
    let v: Coerced;
    // Text that is not valid UTF-8 is an error of its column, never U+FFFD in its place. Plain strings are
    // checked by the coercer; escaped strings and containers (rare paths, decoded by JSON.parse) here.
    const viaParse = kind === K_OBJECT || kind === K_ARRAY || (kind === K_STRING && (flags & (ESCAPED | NON_ASCII)) === (ESCAPED | NON_ASCII));
    if (viaParse && co.isCharacter(col) && !co.validUtf8(this.buf, start, end)) {
      v = kind === K_STRING ? co.notUtf8(col, 'JSON string', this.buf, start + 1, end - 1) : co.notUtf8(col, `JSON ${KIND_NAMES[kind]}`, this.buf, start, end);
    } else if (t.wholeArray) {
      v = kind === K_ARRAY ? co.fromContainer(col, this.containerText(start, end, col), 'JSON array') : null;
    } else {
      switch (kind) {
        case K_NUMBER:
          v = co.fromNumberBytes(col, num, this.buf, start, end, 'JSON number');
          break;
        case K_STRING:
          v =
            (flags & ESCAPED) === 0
              ? co.fromText(col, this.buf, start + 1, end - 1, (flags & NON_ASCII) === 0, 'JSON string')
              : co.fromString(col, this.decodeEscaped(start, end), 'JSON string');
          break;
        case K_TRUE:
          v = co.fromBoolean(col, true);
          break;
        case K_FALSE:
          v = co.fromBoolean(col, false);
          break;
        case K_NULL:
          v = null;
          break;
        default:
          v = co.fromContainer(col, this.containerText(start, end, col), kind === K_OBJECT ? 'JSON object' : 'JSON array');
      }
    }
    this.store(t, v);
  }

  private store(t: Terminal, v: Coerced): void {
    const col = t.column;
    const target = t.inFlatten ? this.elem : this.row;
    if (v === FAILED) {
      const co = this.coercer;
      target[col] = null;
      if (t.inFlatten) (this.elemErrors ??= new Array<string | null>(this.width).fill(null))[col] = co.message;
      else (this.rowErrors ??= new Array<string | null>(this.width).fill(null))[col] = co.message;
    } else {
      target[col] = v;
      const errs = t.inFlatten ? this.elemErrors : this.rowErrors;
      if (errs !== null) errs[col] = null;
    }
  }
}


/** Why a record with no JSON document in it (`size` bytes: none, or only whitespace / a byte order mark) is refused. */
export function emptyRecordMessage(size: number): string {
  return size === 0 ? 'record is empty (0 bytes): no JSON document in it' : `record is blank (${size} bytes of whitespace): no JSON document in it`;
}

/** The deepest bracket nesting of the JSON value in [start, end) (brackets inside strings do not count). */
function nestingDepth(buf: Uint8Array, start: number, end: number): number {
  let depth = 0;
  let max = 0;
  for (let p = start; p < end; p++) {
    const c = buf[p];
    if (c === 0x22) {
      for (p++; p < end && buf[p] !== 0x22; p++) if (buf[p] === 0x5c) p++;
    } else if (c === LBRACE || c === LBRACKET) {
      if (++depth > max) max = depth;
    } else if (c === RBRACE || c === RBRACKET) depth--;
  }
  return max;
}

/** The position after the run of number characters (digits, sign, point, exponent) that starts at `p`. */
function skipNumberToken(buf: Uint8Array, p: number): number {
  let c = buf[p];
  while ((c >= 0x30 && c <= 0x39) || c === DOT || c === 0x65 || c === 0x45 || c === MINUS || c === PLUS) c = buf[++p];
  return p;
}

function firstError(errors: readonly (string | null)[]): string | null {
  for (const e of errors) if (e) return e;
  return null;
}
