/**
 * A KDA SQL application (its bound logical plan) to one Flink SQL script: the UDF declarations, the source table
 * and the input stream's view, one view per in-application stream (the UNION ALL of the pumps that write it) and
 * per operator, the sink tables, and one statement set with an INSERT per output.
 */
import { UnsupportedTranslationError, type SourcePosition } from '../errors.js';
import type { InputFormatConfig } from '../input/index.js';
import { APPROXIMATE_ARRIVAL_TIME, type ApplicationPlan, type StreamInfo } from '../plan/index.js';
import { flinkType, quoteIdent } from './flink-dialect.js';
import { type FlinkReference, referenceTable, referenceTableName } from './reference-translator.js';
import { ROWTIME, translateRelation, type FlinkRelation } from './relation-translator.js';
import { type FlinkSink, sinkInsert, sinkTable } from './sink-translator.js';
import { defaultWatermarkDelayMs, type FlinkSource, inputStreamView, sourceTable } from './source-translator.js';

export interface TranslateOptions {
  readonly plan: ApplicationPlan;
  readonly input: InputFormatConfig;
  readonly source: FlinkSource;
  readonly sinks: readonly FlinkSink[];
  /** The application's reference tables and where the job reads their objects. */
  readonly references?: readonly FlinkReference[];
  readonly watermarkDelayMs?: number;
  /**
   * Bounded replays only: the time the input's clock stops at (epoch ms). Rows stamped later (windows still open
   * then) are not delivered, as when KDA's clock stops there; without it the end of input closes every window.
   */
  readonly stopAt?: number;
}

export interface FlinkTranslation {
  /** The script for io.streaminganalytics.flink.SqlJob (flink/README.md). */
  readonly script: string;
  /** Streams named by an output that no pump writes: nothing to deliver. */
  readonly emptyOutputs: readonly string[];
}

/** The Java UDFs of the job (flink/), declared by every script. */
export const UDF_DECLARATIONS: readonly string[] = [
  "CREATE TEMPORARY SYSTEM FUNCTION SA_STEP AS 'io.streaminganalytics.flink.udf.Step' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_TSDIFF AS 'io.streaminganalytics.flink.udf.TsDiff' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_CHAR_TO_TIMESTAMP AS 'io.streaminganalytics.flink.udf.CharToTimestamp' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_TIMESTAMP_TO_CHAR AS 'io.streaminganalytics.flink.udf.TimestampToChar' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_RECORDS AS 'io.streaminganalytics.flink.udf.Records' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_LIKE AS 'io.streaminganalytics.flink.udf.Like' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_SIMILAR_TO AS 'io.streaminganalytics.flink.udf.SimilarTo' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_SUBSTRING_SIMILAR AS 'io.streaminganalytics.flink.udf.SubstringSimilar' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_SUBSTRING_REGEX AS 'io.streaminganalytics.flink.udf.SubstringRegex' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_REGEX_REPLACE AS 'io.streaminganalytics.flink.udf.RegexReplace' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_TRIM AS 'io.streaminganalytics.flink.udf.Trim' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_STEP_INTERVAL AS 'io.streaminganalytics.flink.udf.StepInterval' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_EXTRACT_INTERVAL AS 'io.streaminganalytics.flink.udf.ExtractInterval' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_DAY_TIME_INTERVAL_SCALE AS 'io.streaminganalytics.flink.udf.DayTimeIntervalScale' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_YEAR_MONTH_INTERVAL_SCALE AS 'io.streaminganalytics.flink.udf.YearMonthIntervalScale' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_TIMESTAMP_DIFF AS 'io.streaminganalytics.flink.udf.TimestampDiff' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_MONTHS_BETWEEN AS 'io.streaminganalytics.flink.udf.MonthsBetween' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_FLOOR_INTERVAL AS 'io.streaminganalytics.flink.udf.FloorInterval' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_OVERLAY AS 'io.streaminganalytics.flink.udf.Overlay' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_TO_TIMESTAMP AS 'io.streaminganalytics.flink.udf.ToTimestamp' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_REGEX_LOG_PARSE AS 'io.streaminganalytics.flink.udf.RegexLogParse' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_FAST_REGEX_LOG_PARSE AS 'io.streaminganalytics.flink.udf.FastRegexLogParse' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_W3C_LOG_PARSE AS 'io.streaminganalytics.flink.udf.W3cLogParse' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_VARIABLE_COLUMN_LOG_PARSE AS 'io.streaminganalytics.flink.udf.VariableColumnLogParse' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_JSON_BOOLEAN AS 'io.streaminganalytics.flink.udf.JsonToBoolean' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_JSON_INTEGER AS 'io.streaminganalytics.flink.udf.JsonToInteger' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_JSON_DOUBLE AS 'io.streaminganalytics.flink.udf.JsonToDouble' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_JSON_DECIMAL AS 'io.streaminganalytics.flink.udf.JsonToDecimal' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_JSON_TIMESTAMP AS 'io.streaminganalytics.flink.udf.JsonToDatetime$ToTimestamp' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_JSON_DATE AS 'io.streaminganalytics.flink.udf.JsonToDatetime$ToDate' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_JSON_TIME AS 'io.streaminganalytics.flink.udf.JsonToDatetime$ToTime' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_SUBSTRING AS 'io.streaminganalytics.flink.udf.Substring' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_DECIMAL_DIVIDE AS 'io.streaminganalytics.flink.udf.DecimalDivide' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_JSON_ROWS AS 'io.streaminganalytics.flink.udf.JsonRows' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_OVER_COUNT AS 'io.streaminganalytics.flink.udf.OverCount' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_OVER_SUM AS 'io.streaminganalytics.flink.udf.OverSum' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_OVER_AVG AS 'io.streaminganalytics.flink.udf.OverAvg' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_OVER_MIN AS 'io.streaminganalytics.flink.udf.OverMin' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_OVER_MAX AS 'io.streaminganalytics.flink.udf.OverMax' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_OVER_VARIANCE AS 'io.streaminganalytics.flink.udf.OverVariance' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_OVER_BOOLEAN AS 'io.streaminganalytics.flink.udf.OverBoolean' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_OVER_EXP_AVG AS 'io.streaminganalytics.flink.udf.OverExpAvg' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_OVER_DISTINCT AS 'io.streaminganalytics.flink.udf.OverDistinct' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_OVER_NTH_VALUE AS 'io.streaminganalytics.flink.udf.OverNthValue' LANGUAGE JAVA",
  "CREATE TEMPORARY SYSTEM FUNCTION SA_OVER_LAG AS 'io.streaminganalytics.flink.udf.OverLag' LANGUAGE JAVA",
];

function withPosition(e: unknown, pos: SourcePosition): never {
  if (e instanceof UnsupportedTranslationError && e.line === undefined) throw new UnsupportedTranslationError(e.reason, pos);
  throw e;
}

export function translateApplication(o: TranslateOptions): FlinkTranslation {
  const statements: string[] = ['SET \'table.local-time-zone\' = \'UTC\'', ...UDF_DECLARATIONS];
  statements.push(sourceTable(o.source, o.watermarkDelayMs ?? defaultWatermarkDelayMs(o.source)));
  const streams = new Map(o.plan.streams.map((s) => [s.name, s]));
  const inputs = o.plan.streams.filter((s) => s.kind === 'input');
  if (inputs.length !== 1) throw new UnsupportedTranslationError(`an application with ${inputs.length} input streams is not translated (one input is supported)`);
  statements.push(inputStreamView(inputs[0], o.input));

  const referenceTables = new Map<string, string>();
  const referenceOf = (table: string, pos: SourcePosition): string => {
    const done = referenceTables.get(table);
    if (done) return done;
    const ref = o.references?.find((r) => r.tableName === table);
    if (!ref) throw new UnsupportedTranslationError(`reference table ${table} has no data location to translate`, pos);
    statements.push(referenceTable(ref));
    referenceTables.set(table, referenceTableName(table));
    return referenceTableName(table);
  };

  let viewCount = 0;
  const relations = new Map<string, FlinkRelation>();
  const inputColumns = [...inputs[0].columns.map((c) => c.name).filter((n) => n !== APPROXIMATE_ARRIVAL_TIME), APPROXIMATE_ARRIVAL_TIME];
  relations.set(inputs[0].name, { from: quoteIdent(inputs[0].name), columns: inputColumns.map(quoteIdent), timeAttribute: true });
  const building = new Set<string>();

  const streamRelation = (name: string, pos: SourcePosition): FlinkRelation => {
    const done = relations.get(name);
    if (done) return done;
    const info = streams.get(name);
    if (!info) throw new UnsupportedTranslationError(`unknown stream ${name}`, pos);
    if (building.has(name)) throw new UnsupportedTranslationError(`stream ${name} is part of a cycle of pumps`, pos);
    building.add(name);
    const writers = o.plan.pumps.filter((p) => p.target === name);
    if (writers.length === 0) throw new UnsupportedTranslationError(`stream ${name} is read but no pump writes it`, pos);
    const parts = writers.map((p) => {
      const ctx = {
        pos: p.pos,
        stream: (n: string) => streamRelation(n, p.pos),
        reference: (t: string) => referenceOf(t, p.pos),
        view: (select: string) => {
          const v = quoteIdent(`__${p.name}_${++viewCount}`);
          statements.push(`CREATE TEMPORARY VIEW ${v} AS ${select}`);
          return v;
        },
      };
      let rel: FlinkRelation;
      try {
        rel = translateRelation(p.query, ctx);
      } catch (e) {
        withPosition(e, p.pos);
      }
      return { rel, pump: p };
    });
    const attr = parts.every((x) => x.rel.timeAttribute);
    const selects = parts.map(({ rel, pump }) => {
      const cols = info.columns.map((c, ci) => {
        const k = pump.targetIndexes.indexOf(ci);
        const value = k < 0 ? 'NULL' : rel.columns[k];
        return `CAST(${value} AS ${flinkType(c.type, pump.pos)}) AS ${quoteIdent(c.name)}`;
      });
      return `SELECT ${attr ? ROWTIME : `CAST(${ROWTIME} AS TIMESTAMP(3)) AS ${ROWTIME}`}, ${cols.join(', ')} FROM ${rel.from}`;
    });
    statements.push(`CREATE TEMPORARY VIEW ${quoteIdent(name)} AS ${selects.join(' UNION ALL ')}`);
    const rel: FlinkRelation = { from: quoteIdent(name), columns: info.columns.map((c) => quoteIdent(c.name)), timeAttribute: attr };
    relations.set(name, rel);
    building.delete(name);
    return rel;
  };

  // Every stream a pump writes is translated, delivered or not: a construct with no translation anywhere in the
  // application is reported rather than left out of the script.
  for (const p of o.plan.pumps) streamRelation(p.target, p.pos);

  const emptyOutputs: string[] = [];
  const inserts: string[] = [];
  o.sinks.forEach((s, i) => {
    const info: StreamInfo | undefined = streams.get(s.stream);
    if (!info || !relations.has(s.stream)) {
      emptyOutputs.push(s.stream);
      return;
    }
    statements.push(sinkTable(s, i, info));
    inserts.push(sinkInsert(s, i, info, o.stopAt));
  });
  let script = statements.map((s) => `${s};\n`).join('\n');
  if (inserts.length > 0) script += `\nEXECUTE STATEMENT SET\nBEGIN\n${inserts.map((s) => `${s};\n`).join('')}END;\n`;
  return { script, emptyOutputs };
}
