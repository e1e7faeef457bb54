/**
 * Outputs as Flink sink tables: a local JSON-lines file (local runs, tests), Kinesis, Firehose, S3 or stdout,
 * each with the output's format and the stream's columns (ROWTIME only when asked: KDA delivers the columns).
 * Timestamps leave as `YYYY-MM-DD HH:MM:SS.SSS` text, as `run` writes them (Flink's JSON and CSV formats drop a
 * zero fraction: `10:00:10` for `10:00:10.000`).
 */
import type { StreamInfo } from '../plan/index.js';
import { type SqlType, SqlTypes } from '../types/sql-type.js';
import { flinkType, quoteIdent, quoteString, timestampText } from './flink-dialect.js';

export type FlinkSinkTarget =
  | { readonly kind: 'jsonl'; readonly path: string; readonly tagStream?: boolean }
  | { readonly kind: 'kinesis'; readonly streamName: string; readonly region?: string; readonly endpoint?: string }
  | { readonly kind: 'firehose'; readonly deliveryStream: string; readonly region?: string; readonly endpoint?: string }
  /**
   * A folder or bucket prefix (Flink's filesystem connector). `rolloverMs`: a part file is closed after this long
   * (or as long idle) and committed at the next checkpoint, like Firehose's buffer interval; without it Flink keeps
   * a row-format part file open for 30 minutes.
   */
  | { readonly kind: 's3'; readonly url: string; readonly rolloverMs?: number }
  | { readonly kind: 'stdout' };

export interface FlinkSink {
  readonly stream: string;
  readonly target: FlinkSinkTarget;
  readonly format: 'JSON' | 'CSV';
  readonly includeRowtime?: boolean;
}

function formatOptions(format: 'JSON' | 'CSV'): [string, string][] {
  return format === 'JSON' ? [['format', 'json'], ['json.timestamp-format.standard', 'SQL']] : [['format', 'csv']];
}

function targetOptions(s: FlinkSink): [string, string][] {
  const t = s.target;
  switch (t.kind) {
    case 'jsonl':
      return [['connector', 'sa-jsonl'], ['path', t.path], ...(t.tagStream === false ? [] : ([['stream', s.stream]] as [string, string][]))];
    case 'kinesis':
      return [['connector', 'kinesis'], ['stream', t.streamName], ['sink.partitioner', 'random'], ...(t.region ? ([['aws.region', t.region]] as [string, string][]) : []), ...(t.endpoint ? ([['aws.endpoint', t.endpoint]] as [string, string][]) : []), ...formatOptions(s.format)];
    case 'firehose':
      return [['connector', 'firehose'], ['delivery-stream', t.deliveryStream], ...(t.region ? ([['aws.region', t.region]] as [string, string][]) : []), ...(t.endpoint ? ([['aws.endpoint', t.endpoint]] as [string, string][]) : []), ...formatOptions(s.format)];
    case 's3':
      return [['connector', 'filesystem'], ['path', t.url], ...formatOptions(s.format), ...rollingOptions(t.rolloverMs)];
    case 'stdout':
      return [['connector', 'print']];
  }
}

function rollingOptions(ms: number | undefined): [string, string][] {
  if (ms === undefined) return [];
  // Flink's durations must be positive; the check runs at least once a minute (Flink's default check interval).
  const every = `${Math.max(1, Math.round(ms))} ms`;
  return [
    ['sink.rolling-policy.rollover-interval', every],
    ['sink.rolling-policy.inactivity-interval', every],
    ['sink.rolling-policy.check-interval', `${Math.min(60_000, Math.max(1, Math.round(ms)))} ms`],
  ];
}

/** The JSON-lines sink formats timestamps itself; Flink's formats need them as text. */
function timestampAsText(s: FlinkSink, t: SqlType): boolean {
  return s.target.kind !== 'jsonl' && t.kind === 'TIMESTAMP';
}

export function sinkTableName(s: FlinkSink, i: number): string {
  return quoteIdent(`__sink_${i}_${s.stream}`);
}

export function sinkTable(s: FlinkSink, i: number, stream: StreamInfo): string {
  const rowtimeType = s.target.kind === 'jsonl' ? 'TIMESTAMP(3)' : 'STRING';
  const cols = [...(s.includeRowtime ? [`${quoteIdent('ROWTIME')} ${rowtimeType}`] : []), ...stream.columns.map((c) => `${quoteIdent(c.name)} ${timestampAsText(s, c.type) ? 'STRING' : flinkType(c.type)}`)];
  const opts = targetOptions(s).map(([k, v]) => `${quoteString(k)} = ${quoteString(v)}`);
  return `CREATE TEMPORARY TABLE ${sinkTableName(s, i)} (${cols.join(', ')})\nWITH (${opts.join(', ')})`;
}

export function sinkInsert(s: FlinkSink, i: number, stream: StreamInfo, stopAt?: number): string {
  const text = (col: string, t: SqlType) => (timestampAsText(s, t) ? `DATE_FORMAT(${quoteIdent(col)}, 'yyyy-MM-dd HH:mm:ss.SSS')` : quoteIdent(col));
  const cols = [...(s.includeRowtime ? [text('ROWTIME', SqlTypes.TIMESTAMP)] : []), ...stream.columns.map((c) => text(c.name, c.type))];
  const where = stopAt === undefined ? '' : ` WHERE ${quoteIdent('ROWTIME')} <= TIMESTAMP '${timestampText(stopAt)}'`;
  return `INSERT INTO ${sinkTableName(s, i)} SELECT ${cols.join(', ')} FROM ${quoteIdent(stream.name)}${where}`;
}
