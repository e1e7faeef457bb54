/**
 * JSON input mappings that read arrays with `[0:]` (KDA DG about-json-path.html): a flattened array
 * (`$.orders[0:].orderId`: one row per element, the other columns repeated; an empty or missing array gives one
 * row with NULL there) and a whole array as its JSON text (`$.orders[0:]`). The job's SA_JSON_ROWS table function
 * (flink/README.md) turns each document into its rows, each `{"doc": <document, the array replaced by one
 * element>, "arrays": [<whole arrays' texts>]}`; this module says which paths it works on and rewrites the
 * mappings to read those rows (`$.doc.orders.orderId`, `$.arrays[0]`).
 */
import { UnsupportedTranslationError } from '../errors.js';
import { type InputColumnConfig, parseJsonPath, type PathSegment } from '../input/index.js';
import type { SqlType } from '../types/sql-type.js';

type Step = Exclude<PathSegment, { kind: 'all' }>;

export interface JsonRowsPlan {
  /** The SA_JSON_ROWS spec (JSON), or null when no mapping reads an array with `[0:]`. */
  readonly spec: string | null;
  /** Per column, in order: the JSONPath to read from a row's document. */
  readonly mappings: readonly string[];
}

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function formatPath(steps: readonly Step[]): string {
  return '$' + steps.map((s) => (s.kind === 'index' ? `[${s.index}]` : PLAIN_NAME.test(s.name) ? `.${s.name}` : `['${s.name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`)).join('');
}

function json(steps: readonly Step[]): (string | number)[] {
  return steps.map((s) => (s.kind === 'key' ? s.name : s.index));
}

function startsWith(path: readonly Step[], prefix: readonly Step[]): boolean {
  return path.length >= prefix.length && prefix.every((p, i) => (p.kind === 'key' ? path[i].kind === 'key' && (path[i] as { name: string }).name === p.name : path[i].kind === 'index' && (path[i] as { index: number }).index === p.index));
}

/** The rows plan of a JSON schema whose row path is `$` (the input has been validated by createInputDecoder). */
export function jsonRowsPlan(columns: readonly { readonly name: string; readonly type: SqlType }[], config: readonly InputColumnConfig[]): JsonRowsPlan {
  let flatten: Step[] | null = null;
  const arrays: Step[][] = [];
  const parsed = columns.map((c) => {
    const mapping = config.find((x) => x.name === c.name)?.mapping ?? `$.${c.name}`;
    const segs = parseJsonPath(mapping);
    const wholeArray = segs.length > 0 && segs[segs.length - 1].kind === 'all';
    const body = wholeArray ? segs.slice(0, -1) : segs;
    const at = body.findIndex((s) => s.kind === 'all');
    if (at === 0) throw new UnsupportedTranslationError(`the mapping ${mapping} of column ${c.name} flattens the document itself (an array at $), which is not translated`);
    const prefix = (at >= 0 ? body.slice(0, at) : []) as Step[];
    if (at >= 0) flatten = prefix;
    const steps = body.filter((s): s is Step => s.kind !== 'all');
    let array = -1;
    if (wholeArray) {
      if (c.type.kind !== 'VARCHAR' && c.type.kind !== 'CHAR') {
        throw new UnsupportedTranslationError(`the mapping ${mapping} puts a whole array into ${c.type.kind} column ${c.name}: KDA sends such a row to error_stream, the Flink source would give NULL`);
      }
      array = arrays.push(steps) - 1;
    }
    return { c, mapping, steps, flattens: at >= 0, array };
  });
  if (flatten === null && arrays.length === 0) return { spec: null, mappings: parsed.map((p) => p.mapping) };
  const f = flatten as Step[] | null;
  if (f !== null) {
    for (const p of parsed) {
      // In a flattened row the array is replaced by one element: another column cannot read the array itself,
      // into it or a value that holds it.
      if (!p.flattens && (startsWith(p.steps, f) || startsWith(f, p.steps))) {
        throw new UnsupportedTranslationError(`column ${p.c.name} (${p.mapping}) reads the array ${formatPath(f)} that another column flattens, which is not translated`);
      }
    }
  }
  return {
    spec: JSON.stringify({ flatten: f === null ? null : json(f), arrays: arrays.map(json) }),
    mappings: parsed.map((p) => (p.array >= 0 ? `$.arrays[${p.array}]` : `$.doc${formatPath(p.steps).slice(1)}`)),
  };
}
