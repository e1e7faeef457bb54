/**
 * Reference data (a KDA reference data source: an S3 object, CSV or JSON with its own schema, loaded once when
 * the application starts) as a Flink lookup table of the job's `sa-reference` connector (flink/README.md), and a
 * stream-to-table join (src/plan `ReferenceJoin`) as a Flink lookup join: each stream row looks the table up as
 * of a processing-time attribute, so the output stays append-only (no retractions) and an unmatched row of a LEFT
 * join comes out once with NULL table columns, as in our engine.
 */
import { UnsupportedTranslationError, type SourcePosition } from '../errors.js';
import { createInputDecoder, type InputFormatConfig, parseJsonPath, type PathSegment } from '../input/index.js';
import type { BoundExpr, RelNode } from '../plan/index.js';
import type { SqlType } from '../types/sql-type.js';
import { translateExpr, type RowRefs } from './expression-translator.js';
import { flinkType, quoteIdent, quoteString } from './flink-dialect.js';
import type { FlinkRelation, RelationContext } from './relation-translator.js';

/** A reference table of the application and where the job reads its object. */
export interface FlinkReference {
  readonly tableName: string;
  /** The reference's record format and columns (as the application's reference schema gives them). */
  readonly format: InputFormatConfig;
  /** A URI Flink's FileSystem reads: `s3://bucket/key` (MSF, through its S3 file system) or `file:///path`. */
  readonly location: string;
}

const ROWTIME = quoteIdent('ROWTIME');
/** The connector's last column, 1 in every row: the lookup key of a join whose ON has no key on a table column. */
const ALL_ROWS = quoteIdent('__all');

/** The Flink name of a reference table (apart from stream views, which keep their KDA names). */
export function referenceTableName(tableName: string): string {
  return quoteIdent(`__reference_${tableName}`);
}

/** A path as the connector's JSON options spell it: a member name, an array index, or null for every element. */
function segmentsJson(segs: readonly PathSegment[]): (string | number | null)[] {
  return segs.map((s) => (s.kind === 'key' ? s.name : s.kind === 'index' ? s.index : null));
}

function sameSegment(a: PathSegment, b: PathSegment): boolean {
  return a.kind === b.kind && (a.kind !== 'key' || a.name === (b as { name: string }).name) && (a.kind !== 'index' || a.index === (b as { index: number }).index);
}

/** `CREATE TEMPORARY TABLE` of one reference table. */
export function referenceTable(ref: FlinkReference): string {
  const f = ref.format;
  const columns = createInputDecoder({ ...f, columns: [...f.columns] }).columns;
  const opts: [string, string][] = [
    ['connector', 'sa-reference'],
    ['path', ref.location],
    ['format', f.format],
  ];
  if (f.format === 'CSV') {
    opts.push(['csv.row-delimiter', f.rowDelimiter ?? '\n'], ['csv.column-delimiter', f.columnDelimiter ?? ',']);
  } else {
    const rowPath = parseJsonPath(f.recordRowPath ?? '$');
    const mappings = f.columns.map((c) => {
      const full = parseJsonPath(c.mapping ?? `$.${c.name}`);
      // A mapping may repeat the row path ($.records[0:].x): it is read from the row.
      const segs = rowPath.length > 0 && full.length >= rowPath.length && rowPath.every((s, i) => sameSegment(s, full[i])) ? full.slice(rowPath.length) : full;
      if (segs.some((s) => s.kind === 'all')) {
        throw new UnsupportedTranslationError(`the mapping ${c.mapping ?? ''} of column ${c.name} of reference table ${ref.tableName} reads an array with [0:] (flattening or the whole array), which the reference lookup table does not decode`);
      }
      return segmentsJson(segs);
    });
    opts.push(['json.row-path', JSON.stringify(segmentsJson(rowPath))], ['json.mappings', JSON.stringify(mappings)]);
  }
  const cols = [...columns.map((c) => `${quoteIdent(c.name)} ${flinkType(c.type)}`), `${ALL_ROWS} INT NOT NULL`];
  return `CREATE TEMPORARY TABLE ${referenceTableName(ref.tableName)} (${cols.join(', ')})\nWITH (${opts.map(([k, v]) => `${quoteString(k)} = ${quoteString(v)}`).join(', ')})`;
}

function sameFlinkType(a: SqlType, b: SqlType): boolean {
  return flinkType(a) === flinkType(b);
}

/**
 * The lookup join of a stream relation (already translated) with a reference table. Each equi-join key whose
 * table side is a column is a lookup key; the stream side is computed in a stage view beside a PROCTIME()
 * attribute. Where the two sides' types differ, the lookup uses the stream value cast to the column's type and
 * the original comparison is kept in the join condition, so a value the cast changes cannot match by accident.
 * Without such a key every table row is a candidate, as in our engine, and the ON condition decides.
 */
export function translateReferenceJoin(rel: Extract<RelNode, { kind: 'ReferenceJoin' }>, input: FlinkRelation, ctx: RelationContext, pos: SourcePosition): FlinkRelation {
  const table = ctx.reference(rel.table);
  const s = input.columns.length;
  const streamRefs: RowRefs = { column: (i) => input.columns[i], rowtime: ROWTIME };
  const stage: string[] = [...input.columns];
  const lookupKeys: string[] = [];
  const residual: string[] = [];
  const S = '`s`.';
  const R = '`r`.';
  const tableCol = (i: number) => R + quoteIdent(rel.tableColumns[i].name);
  // A key comparison kept in the join condition: the stream side over the stage view, the table side over `r`.
  const joinedRefs: RowRefs = { column: (i) => S + quoteIdent(`c${i}`), rowtime: S + ROWTIME };
  const tableRefs: RowRefs = { column: tableCol, rowtime: S + ROWTIME };
  const equality = (left: BoundExpr, right: BoundExpr) => `(${translateExpr(left, joinedRefs)}) = (${translateExpr(right, tableRefs)})`;
  rel.keys.left.forEach((left, k) => {
    const right = rel.keys.right[k];
    if (right.kind !== 'column') {
      residual.push(equality(left, right));
      return;
    }
    const colType = rel.tableColumns[right.index].type;
    let value = translateExpr(left, streamRefs);
    if (!sameFlinkType(left.type, colType)) {
      value = `TRY_CAST(${value} AS ${flinkType(colType, pos)})`;
      residual.push(equality(left, right));
    }
    stage.push(value);
    lookupKeys.push(`${S}${quoteIdent(`c${stage.length - 1}`)} = ${tableCol(right.index)}`);
  });
  // No key on a table column (a range condition, a cross join): every row is looked up, the condition filters.
  if (lookupKeys.length === 0) lookupKeys.push(`${R}${ALL_ROWS} = 1`);
  const proc = quoteIdent('__proctime');
  const stageItems = [`${ROWTIME} AS ${ROWTIME}`, ...stage.map((x, i) => `${x} AS ${quoteIdent(`c${i}`)}`), `PROCTIME() AS ${proc}`];
  const stageView = ctx.view(`SELECT ${stageItems.join(', ')} FROM ${input.from}`);
  // The join's row: the stream columns, then the table's (the plan's positions).
  const outCols = [...Array.from({ length: s }, (_, i) => S + quoteIdent(`c${i}`)), ...rel.tableColumns.map((_, i) => tableCol(i))];
  const outRefs: RowRefs = { column: (i) => outCols[i], rowtime: S + ROWTIME };
  const cond = [...lookupKeys, ...residual];
  if (rel.residual) cond.push(translateExpr(rel.residual, outRefs));
  const items = [`${S}${ROWTIME} AS ${ROWTIME}`, ...outCols.map((x, i) => `${x} AS ${quoteIdent(`c${i}`)}`)];
  const from = ctx.view(
    `SELECT ${items.join(', ')} FROM ${stageView} AS \`s\` ${rel.outer ? 'LEFT JOIN' : 'JOIN'} ${table} FOR SYSTEM_TIME AS OF ${S}${proc} AS \`r\` ON ${cond.join(' AND ')}`,
  );
  return { from, columns: outCols.map((_, i) => quoteIdent(`c${i}`)), timeAttribute: input.timeAttribute };
}
