/**
 * TEMPORARY input decoder for `replay`, used until src/app/input (createInputDecoder, helper `input`) is merged.
 * Handles JSON (several documents per payload, $.a.b paths, [n] element access, [0:] whole-array text and
 * [0:].x flattening) and CSV (positional prefix), with KDA's coercion rules (DG sch-mapping.html).
 */
import { ExecutionError } from '../../../errors.js';
import { parseTimestampText } from '../../../plan/index.js';
import { IntegerRange, isCharacter, isIntegerType, parseSqlType, type SqlType, type Value } from '../../../types/sql-type.js';

export interface TemporaryInputConfig {
  format: 'JSON' | 'CSV';
  recordRowPath?: string;
  rowDelimiter?: string;
  columnDelimiter?: string;
  columns: { name: string; sqlType: string; mapping?: string }[];
}

type Step = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'all' };

function parsePath(path: string): Step[] {
  if (!path.startsWith('$')) throw new Error(`JSONPath '${path}' must start with $`);
  const steps: Step[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\[(\d+):\]|\['([^']+)'\]/g;
  let m: RegExpExecArray | null;
  let pos = 1;
  while ((m = re.exec(path)) !== null) {
    if (m.index !== pos) throw new Error(`unsupported JSONPath '${path}'`);
    pos = re.lastIndex;
    if (m[1] !== undefined) steps.push({ kind: 'field', name: m[1] });
    else if (m[2] !== undefined) steps.push({ kind: 'index', index: Number(m[2]) });
    else if (m[3] !== undefined) steps.push({ kind: 'all' });
    else steps.push({ kind: 'field', name: m[4] });
  }
  if (pos !== path.length) throw new Error(`unsupported JSONPath '${path}'`);
  return steps;
}

function walk(v: unknown, steps: readonly Step[]): unknown {
  let cur = v;
  for (const s of steps) {
    if (cur === null || cur === undefined) return undefined;
    if (s.kind === 'field') cur = typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, unknown>)[s.name] : undefined;
    else if (s.kind === 'index') cur = Array.isArray(cur) ? cur[s.index] : undefined;
    else return cur;
  }
  return cur;
}

const fail = (col: string, type: SqlType, v: unknown): never => {
  throw new ExecutionError('COERCION_FAILED', `column "${col}": cannot convert ${JSON.stringify(v)} to ${type.kind}`);
};

/** KDA's JSON value -> SQL value coercion. */
export function coerce(v: unknown, type: SqlType, col: string): Value {
  if (v === null || v === undefined) return null;
  if (isCharacter(type)) {
    let s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    if (type.length !== null && s.length > type.length) s = s.slice(0, type.length);
    return s;
  }
  if (typeof v === 'object') return fail(col, type, v);
  switch (type.kind) {
    case 'BOOLEAN':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number') return v !== 0;
      return String(v).trim().toLowerCase() === 'true';
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
    case 'DECIMAL':
    case 'REAL':
    case 'DOUBLE': {
      let n: number;
      if (typeof v === 'boolean') n = v ? 1 : 0;
      else if (typeof v === 'number') n = v;
      else {
        const t = String(v).trim();
        n = t === '' ? NaN : Number(t);
        if (Number.isNaN(n)) fail(col, type, v);
      }
      if (isIntegerType(type)) {
        if (!Number.isInteger(n)) fail(col, type, v);
        const [lo, hi] = IntegerRange[type.kind];
        if (n < lo || n > hi) fail(col, type, v);
      }
      if (type.kind === 'DECIMAL') {
        const f = 10 ** type.scale;
        const r = Math.round(n * f) / f;
        if (Math.abs(r) >= 10 ** (type.precision - type.scale)) fail(col, type, v);
        return r;
      }
      return n;
    }
    case 'TIMESTAMP':
    case 'DATE':
    case 'TIME': {
      if (typeof v !== 'string') return fail(col, type, v);
      if (type.kind === 'TIME') {
        const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/.exec(v.trim());
        if (!m) return fail(col, type, v);
        return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000 + (m[4] ? Math.floor(Number('0.' + m[4]) * 1000) : 0);
      }
      const t = parseTimestampText(v.replace('T', ' ').replace(/Z$/, ''));
      if (t === null) return fail(col, type, v);
      return type.kind === 'DATE' ? Math.floor(t / 86_400_000) * 86_400_000 : t;
    }
    default:
      return fail(col, type, v);
  }
}

/** Splits a payload into the JSON documents it holds, back to back or separated by whitespace. */
function splitJsonDocuments(text: string): string[] {
  const docs: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i])) i++;
    if (i >= n) break;
    const start = i;
    const c = text[i];
    if (c === '{' || c === '[') {
      let depth = 0;
      let inStr = false;
      for (; i < n; i++) {
        const ch = text[i];
        if (inStr) {
          if (ch === '\\') i++;
          else if (ch === '"') inStr = false;
        } else if (ch === '"') inStr = true;
        else if (ch === '{' || ch === '[') depth++;
        else if (ch === '}' || ch === ']') {
          depth--;
          if (depth === 0) {
            i++;
            break;
          }
        }
      }
    } else {
      while (i < n && !/\s/.test(text[i])) i++;
    }
    docs.push(text.slice(start, i));
  }
  return docs;
}

const utf8 = new TextDecoder();
const asText = (p: Uint8Array | string) => (typeof p === 'string' ? p : utf8.decode(p));

export interface TemporaryDecoder {
  readonly columns: { name: string; type: SqlType }[];
  decode(payload: Uint8Array | string, onRow: (row: Value[]) => void, onError: (e: ExecutionError, raw: string) => void): void;
}

export function createTemporaryDecoder(config: TemporaryInputConfig): TemporaryDecoder {
  const columns = config.columns.map((c) => ({ name: c.name, type: parseSqlType(c.sqlType) }));
  if (config.format === 'CSV') {
    const rowDelim = config.rowDelimiter ?? '\n';
    const colDelim = config.columnDelimiter ?? ',';
    return {
      columns,
      decode(payload, onRow, onError) {
        const lines = asText(payload).split(rowDelim);
        if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
        for (const line of lines) {
          try {
            const fields = line.split(colDelim);
            onRow(columns.map((c, i) => coerce(fields[i] === undefined ? null : fields[i], c.type, c.name)));
          } catch (e) {
            if (e instanceof ExecutionError) onError(e, line);
            else throw e;
          }
        }
      },
    };
  }
  const rootSteps = parsePath(config.recordRowPath ?? '$');
  const paths = config.columns.map((c) => {
    const steps = parsePath(c.mapping ?? `$.${c.name}`);
    const all = steps.findIndex((s) => s.kind === 'all');
    return { before: all < 0 ? steps : steps.slice(0, all), after: all < 0 ? null : steps.slice(all + 1), whole: all >= 0 && all === steps.length - 1 };
  });
  const flattenPrefix = paths.find((p) => p.after !== null && !p.whole);
  return {
    columns,
    decode(payload, onRow, onError) {
      for (const doc of splitJsonDocuments(asText(payload))) {
        try {
          let root: unknown;
          try {
            root = JSON.parse(doc);
          } catch {
            throw new ExecutionError('PARSE_ERROR', `record is not valid JSON: ${doc.slice(0, 80)}`);
          }
          const base = walk(root, rootSteps);
          const elements: unknown[] | null = flattenPrefix ? ((walk(base, flattenPrefix.before) as unknown[] | undefined) ?? []) : null;
          const n = elements === null ? 1 : Math.max(elements.length, 1);
          for (let k = 0; k < n; k++) {
            const row = paths.map((p, i) => {
              let v: unknown;
              if (p.after === null) v = walk(base, p.before);
              else if (p.whole) v = walk(base, p.before);
              else {
                const arr = walk(base, p.before);
                v = Array.isArray(arr) && k < arr.length ? walk(arr[k], p.after) : undefined;
              }
              return coerce(v, columns[i].type, columns[i].name);
            });
            onRow(row);
          }
        } catch (e) {
          if (e instanceof ExecutionError) onError(e, doc);
          else throw e;
        }
      }
    },
  };
}
