/**
 * Infers a KDA input schema from a sample of record payloads, as KDA's DiscoverInputSchema did: the format (JSON,
 * or CSV with its delimiters detected), the record row path (a top-level array gives `$[0:]`), one column per leaf
 * of the rows with its JSONPath mapping (nested objects flattened; arrays mapped as their JSON text or, when asked,
 * flattened into one row per element with `[0:]`), and SQL types sized from the sample. Records that fit no schema
 * (empty, not JSON where the rest are) are returned with the reason, never silently dropped.
 */
import { ConfigError } from '../errors.js';
import { parseJsonPath, type InputColumnConfig, type InputFormatConfig, type PathSegment } from '../input/index.js';
import { ColumnEvidence, inferColumnType } from './column-evidence.js';
import { uniqueColumnNames } from './column-names.js';
import { detectCsvDialect, splitRows } from './csv-dialect.js';

export interface DiscoverOptions {
  /** Take the format as given instead of detecting it. */
  readonly format?: 'JSON' | 'CSV';
  /** JSON: the path to the rows. Default `$`, or `$[0:]` when the documents are arrays. */
  readonly recordRowPath?: string;
  /**
   * JSON arrays inside a row: `text` maps each as its JSON text (the default); `rows` flattens an array of objects
   * into one row per element (`$.orders[0:].id`), as KDA's `[0:]` mappings do.
   */
  readonly arrays?: 'text' | 'rows';
}

/** A sample record that fits no schema, with why. */
export interface UnfitRecord {
  /** Index of the record in the sample. */
  readonly index: number;
  readonly reason: string;
  /** The record as text (truncated for display). */
  readonly text: string;
}

export interface Discovery {
  readonly schema: InputFormatConfig;
  /** Decisions the user should know: widened types, columns seen in few rows, arrays that could be rows. */
  readonly notes: readonly string[];
  readonly unfit: readonly UnfitRecord[];
  /** Records and rows the schema was inferred from. */
  readonly records: number;
  readonly rows: number;
}

const decoder = new TextDecoder('utf-8', { fatal: false });
const SHOWN_TEXT = 200;

function asText(payload: Uint8Array | string): string {
  return typeof payload === 'string' ? payload : decoder.decode(payload);
}

function shown(text: string): string {
  return text.length > SHOWN_TEXT ? `${text.slice(0, SHOWN_TEXT)}...` : text;
}

/**
 * @example
 * const d = discoverInputSchema(['{"TICKER":"AMZN","PRICE":84.51}', '{"TICKER":"MSFT","PRICE":50}']);
 * // d.schema: { format: 'JSON', recordRowPath: '$', columns: [
 * //   { name: 'TICKER', sqlType: 'VARCHAR(8)', mapping: '$.TICKER' }, { name: 'PRICE', sqlType: 'DOUBLE', mapping: '$.PRICE' } ] }
 * // d.notes: ['PRICE: whole and fractional numbers (1 fraction, 1 integer): widened to DOUBLE']
 */
export function discoverInputSchema(payloads: readonly (Uint8Array | string)[], options: DiscoverOptions = {}): Discovery {
  const texts = payloads.map(asText);
  const unfit: UnfitRecord[] = [];
  const nonEmpty: { index: number; text: string }[] = [];
  texts.forEach((text, index) => {
    if (text.trim() === '') unfit.push({ index, reason: 'empty record', text });
    else nonEmpty.push({ index, text });
  });
  if (nonEmpty.length === 0) throw new ConfigError('sample', `no record to discover a schema from (${texts.length} record(s) in the sample, all empty)`);

  const parsed = nonEmpty.map((r) => ({ ...r, docs: jsonDocuments(r.text) }));
  const jsonCount = parsed.filter((p) => !('error' in p.docs)).length;
  const format = options.format ?? (jsonCount * 2 >= parsed.length ? 'JSON' : 'CSV');
  if (format === 'CSV') return discoverCsv(nonEmpty, unfit, texts.length);

  const documents: { index: number; doc: unknown }[] = [];
  for (const p of parsed) {
    if ('error' in p.docs) unfit.push({ index: p.index, reason: `not JSON: ${p.docs.error}`, text: shown(p.text) });
    else for (const doc of p.docs) documents.push({ index: p.index, doc });
  }
  if (documents.length === 0) throw new ConfigError('sample', 'no record of the sample is a JSON object or array');
  const arraysFirst = documents.filter((d) => Array.isArray(d.doc)).length * 2 > documents.length;
  const recordRowPath = options.recordRowPath ?? (arraysFirst ? '$[0:]' : '$');
  let rowPath: PathSegment[];
  try {
    rowPath = parseJsonPath(recordRowPath);
  } catch (e) {
    throw new ConfigError('recordRowPath', (e as Error).message, { cause: e });
  }

  const walker = new RowWalker(options.arrays ?? 'text', rowPath.some((s) => s.kind === 'all'));
  let rowCount = 0;
  for (const { index, doc } of documents) {
    const rows = selectRows(doc, rowPath);
    if (rows.length === 0) unfit.push({ index, reason: `no row at ${recordRowPath}`, text: shown(JSON.stringify(doc)) });
    for (const row of rows) {
      if (row === null || typeof row !== 'object' || Array.isArray(row)) {
        unfit.push({ index, reason: `the row at ${recordRowPath} is ${Array.isArray(row) ? 'an array' : JSON.stringify(row)}, not an object`, text: shown(JSON.stringify(doc)) });
        continue;
      }
      rowCount++;
      walker.walkRow(row as Record<string, unknown>);
    }
  }
  if (walker.columns.size === 0) throw new ConfigError('sample', `no column found: the rows at ${recordRowPath} have no keys`);
  const found = [...walker.columns.values()];
  const names = uniqueColumnNames(found.map((c) => c.keys));
  const notes: string[] = [];
  const columns: InputColumnConfig[] = found.map((c, i) => {
    const t = inferColumnType(c.evidence);
    if (t.note) notes.push(`${names[i]} (${c.mapping}): ${t.note}`);
    if (!c.inElements && c.evidence.seen < rowCount) notes.push(`${names[i]} (${c.mapping}): present in ${c.evidence.seen} of ${rowCount} rows (NULL in the others)`);
    return { name: names[i], sqlType: t.sqlType, mapping: c.mapping };
  });
  for (const a of walker.objectArrays) {
    notes.push(
      options.arrays === 'rows'
        ? `${a}: an array of objects, flattened into one row per element`
        : `${a}: an array of objects, mapped as JSON text; --arrays rows maps one row per element (${a}[0:]...) or --row-path '${a}[0:]' makes its elements the rows`,
    );
  }
  for (const k of walker.unmappable) notes.push(`${k}: left out (a key with a quote cannot be written in a KDA JSONPath)`);
  return { schema: { format: 'JSON', recordRowPath, columns }, notes, unfit: unfit.sort((a, b) => a.index - b.index), records: texts.length, rows: rowCount };
}

/** The JSON documents of a payload: one, or several back to back (one per line), or why it is not JSON. */
function jsonDocuments(text: string): unknown[] | { error: string } {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' ? [v] : { error: `a JSON ${typeof v === 'string' ? 'string' : v === null ? 'null' : typeof v}, not an object or array` };
  } catch (e) {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    if (lines.length > 1) {
      const docs: unknown[] = [];
      for (const l of lines) {
        try {
          const v: unknown = JSON.parse(l);
          if (v === null || typeof v !== 'object') return { error: (e as Error).message };
          docs.push(v);
        } catch {
          return { error: (e as Error).message };
        }
      }
      return docs;
    }
    return { error: (e as Error).message };
  }
}

/** The values a record row path selects in a document. */
function selectRows(doc: unknown, path: readonly PathSegment[]): unknown[] {
  let current: unknown[] = [doc];
  for (const seg of path) {
    const next: unknown[] = [];
    for (const v of current) {
      if (seg.kind === 'key') {
        if (v !== null && typeof v === 'object' && !Array.isArray(v) && seg.name in v) next.push((v as Record<string, unknown>)[seg.name]);
      } else if (Array.isArray(v)) {
        if (seg.kind === 'all') next.push(...v);
        else if (seg.index < v.length) next.push(v[seg.index]);
      }
    }
    current = next;
  }
  return current;
}

/** `.name`, or `['name']` for a key that is not a plain name. */
function memberPath(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `['${key}']`;
}

interface FoundColumn {
  readonly mapping: string;
  /** The keys from the row to the value, for the column's name. */
  readonly keys: readonly string[];
  readonly evidence: ColumnEvidence;
  /** Whether the column is inside a flattened array (its count of values is per element, not per row). */
  readonly inElements: boolean;
}

/** Collects the leaves of the rows, in the order they first appear. */
class RowWalker {
  readonly columns = new Map<string, FoundColumn>();
  /** Paths of arrays of objects seen inside rows. */
  readonly objectArrays = new Set<string>();
  /** Keys no KDA JSONPath can name. */
  readonly unmappable = new Set<string>();

  constructor(
    private readonly arrays: 'text' | 'rows',
    /** The row path already has its one `[0:]`: a mapping may not add another. */
    private readonly rowPathFlattens: boolean,
  ) {}

  walkRow(row: Record<string, unknown>): void {
    this.walk(row, '$', [], false);
  }

  private walk(obj: Record<string, unknown>, path: string, keys: readonly string[], flattened: boolean): void {
    for (const [key, value] of Object.entries(obj)) {
      // A key holding a quote cannot be written in a KDA JSONPath: it is left out and reported.
      if (key.includes("'")) {
        this.unmappable.add(path + `[${JSON.stringify(key)}]`);
        continue;
      }
      const p = path + memberPath(key);
      const k = [...keys, key];
      if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
        this.walk(value as Record<string, unknown>, p, k, flattened);
        continue;
      }
      if (Array.isArray(value) && value.length > 0 && value.every((e) => e !== null && typeof e === 'object' && !Array.isArray(e))) {
        this.objectArrays.add(p);
        if (this.arrays === 'rows' && !flattened && !this.rowPathFlattens) {
          for (const element of value) this.walk(element as Record<string, unknown>, `${p}[0:]`, k, true);
          continue;
        }
      }
      this.column(p, k, flattened).evidence.addJson(value);
    }
  }

  private column(mapping: string, keys: readonly string[], inElements: boolean): FoundColumn {
    let c = this.columns.get(mapping);
    if (!c) {
      c = { mapping, keys, evidence: new ColumnEvidence(), inElements };
      this.columns.set(mapping, c);
    }
    return c;
  }
}

function discoverCsv(records: readonly { index: number; text: string }[], unfit: UnfitRecord[], total: number): Discovery {
  const dialect = detectCsvDialect(records.map((r) => r.text));
  const lines = records.flatMap((r) => splitRows(r.text, dialect.rowDelimiter).map((line) => ({ index: r.index, line })));
  const width = dialect.fields;
  const evidence = Array.from({ length: width }, () => new ColumnEvidence());
  const notes: string[] = [];
  let odd = 0;
  for (const { index, line } of lines) {
    const fields = line.split(dialect.columnDelimiter);
    if (fields.length !== width) {
      odd++;
      unfit.push({ index, reason: `${fields.length} field(s) where most rows have ${width} (${fields.length < width ? 'the missing ones map to NULL' : 'the extra ones are not mapped'})`, text: shown(line) });
    }
    for (let i = 0; i < width; i++) if (i < fields.length) evidence[i].addText(fields[i]);
  }
  const names = uniqueColumnNames(evidence.map((_, i) => [`COL_${i + 1}`]));
  const columns = evidence.map((e, i) => {
    const t = inferColumnType(e);
    if (t.note) notes.push(`${names[i]} (field ${i + 1}): ${t.note}`);
    return { name: names[i], sqlType: t.sqlType };
  });
  if (odd > 0) notes.push(`${odd} of ${lines.length} rows have a different number of fields`);
  notes.push(`CSV: rows split on ${JSON.stringify(dialect.rowDelimiter)}, fields on ${JSON.stringify(dialect.columnDelimiter)}; columns are mapped by position and named COL_1...: rename them freely`);
  return {
    schema: { format: 'CSV', rowDelimiter: dialect.rowDelimiter, columnDelimiter: dialect.columnDelimiter, columns },
    notes,
    unfit: unfit.sort((a, b) => a.index - b.index),
    records: total,
    rows: lines.length,
  };
}
