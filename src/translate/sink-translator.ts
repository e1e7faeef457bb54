/**
 * Outputs as Flink sink tables: a local JSON-lines file (local runs, tests), Kinesis, Firehose, S3 or stdout,
 * each with the output's format and the stream's columns (ROWTIME only when asked: KDA delivers the columns).
 */
import type { StreamInfo } from '../plan/index.js';
import { flinkType, quoteIdent, quoteString, timestampText } from './flink-dialect.js';

export type FlinkSinkTarget =
  | { readonly kind: 'jsonl'; readonly path: string; readonly tagStream?: boolean }
  | { readonly kind: 'kinesis'; readonly streamName: string; readonly region?: string; readonly endpoint?: string }
  | { readonly kind: 'firehose'; readonly deliveryStream: string; readonly region?: string; readonly endpoint?: string }
  | { readonly kind: 's3'; readonly url: string }
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
      return [['connector', 'filesystem'], ['path', t.url], ...formatOptions(s.format)];
    case 'stdout':
      return [['connector', 'print']];
  }
}

export function sinkTableName(s: FlinkSink, i: number): string {
  return quoteIdent(`__sink_${i}_${s.stream}`);
}

export function sinkTable(s: FlinkSink, i: number, stream: StreamInfo): string {
  const cols = [...(s.includeRowtime ? [`${quoteIdent('ROWTIME')} TIMESTAMP(3)`] : []), ...stream.columns.map((c) => `${quoteIdent(c.name)} ${flinkType(c.type)}`)];
  const opts = targetOptions(s).map(([k, v]) => `${quoteString(k)} = ${quoteString(v)}`);
  return `CREATE TEMPORARY TABLE ${sinkTableName(s, i)} (${cols.join(', ')})\nWITH (${opts.join(', ')})`;
}

export function sinkInsert(s: FlinkSink, i: number, stream: StreamInfo, stopAt?: number): string {
  const cols = [...(s.includeRowtime ? [quoteIdent('ROWTIME')] : []), ...stream.columns.map((c) => quoteIdent(c.name))];
  const where = stopAt === undefined ? '' : ` WHERE ${quoteIdent('ROWTIME')} <= TIMESTAMP '${timestampText(stopAt)}'`;
  return `INSERT INTO ${sinkTableName(s, i)} SELECT ${cols.join(', ')} FROM ${quoteIdent(stream.name)}${where}`;
}
