/**
 * One shard's Kinesis records -> the payloads the input mapping reads, per DEAGGREGATION: through the
 * Preprocessor function, in process (src/kpl), or not at all. A record that cannot be decoded becomes a failure
 * (an error_stream row), never a thrown error. Records a committed invocation took in already never get here: the
 * batch source leaves them out (event-batch-source.ts). EventPreprocessStage puts this behind the runtime's
 * preprocessing interface.
 */
import { randomUUID } from 'node:crypto';
import type { KinesisStreamRecord } from 'aws-lambda';
import { ConfigError } from '../../errors.js';
import { decodeBase64 } from '../../kpl/index.js';
import { deaggregateKinesisStreamRecord } from '../deaggregate-kinesis-event.js';
import type { CorruptAggregatePolicy } from '../decode-record-data.js';
import type { KdaPreprocessingEvent, KdaPreprocessingInputRecord } from '../preprocess-kda-event.js';
import type { Deaggregation } from './analytics-config.js';
import { PREPROCESSOR_REQUEST_BYTES, type PreprocessorInvoker } from './preprocessor-invoker.js';

/** A Kinesis record, decoded. */
export interface DecodedRecord {
  /** Index in the event's Records. */
  readonly index: number;
  readonly sequenceNumber: string;
  /** approximateArrivalTimestamp in epoch ms: the ROWTIME of its rows. */
  readonly arrival: number;
  /** Payloads for the input mapping, in order, with their sub-sequence numbers. */
  readonly payloads: { data: Uint8Array; subSequenceNumber: number }[];
  /** Set when the record could not be decoded: it becomes one error_stream row. */
  readonly failure?: { errorName: string; message: string; raw: Uint8Array | string };
}

export interface DecodedBatch {
  readonly records: DecodedRecord[];
  /** Set when the preprocessor could not be reached: records from this index on are not decoded. */
  readonly stoppedAt?: { index: number; reason: string };
}

export interface DecodeBatchOptions {
  readonly deaggregation: Deaggregation;
  readonly corruptAggregates: CorruptAggregatePolicy;
  readonly preprocessor?: PreprocessorInvoker;
  /** For the preprocessing event's applicationArn: the invoked function's ARN. */
  readonly functionArn?: string;
  readonly requestBytes?: number;
}

/** Epoch seconds with a fraction (as Lambda gives it) -> epoch ms. */
export const arrivalMs = (r: KinesisStreamRecord): number => Math.round(r.kinesis.approximateArrivalTimestamp * 1000);

export async function decodeBatch(records: readonly KinesisStreamRecord[], options: DecodeBatchOptions): Promise<DecodedBatch> {
  const todo = records.map((record, index) => ({ record, index }));
  if (options.deaggregation === 'preprocessor') return throughPreprocessor(todo, options);
  const out: DecodedRecord[] = [];
  for (const { record, index } of todo) {
    const base = { index, sequenceNumber: record.kinesis.sequenceNumber, arrival: arrivalMs(record) };
    if (options.deaggregation === 'none') {
      const raw = rawData(record.kinesis.data);
      out.push(typeof raw === 'string'
        ? { ...base, payloads: [], failure: { errorName: 'INVALID_BASE64', message: `record ${record.kinesis.sequenceNumber}: data is not valid base64`, raw } }
        : { ...base, payloads: [{ data: raw, subSequenceNumber: 0 }] });
      continue;
    }
    const result = deaggregateKinesisStreamRecord(record, { corruptAggregates: options.corruptAggregates });
    if (!result.ok) {
      out.push({ ...base, payloads: [], failure: { errorName: 'KPL_DEAGGREGATION', message: `record ${result.sequenceNumber}: ${result.reason}: ${result.detail}`, raw: rawData(record.kinesis.data) } });
      continue;
    }
    out.push({ ...base, payloads: result.records.map((u) => ({ data: u.data, subSequenceNumber: u.subSequenceNumber })) });
  }
  return { records: out };
}

async function throughPreprocessor(todo: { record: KinesisStreamRecord; index: number }[], options: DecodeBatchOptions): Promise<DecodedBatch> {
  if (!options.preprocessor) throw new ConfigError('DEAGGREGATION', 'preprocessor needs a PreprocessorInvoker (the preprocessor function to invoke)');
  const limit = options.requestBytes ?? PREPROCESSOR_REQUEST_BYTES;
  const out: DecodedRecord[] = [];
  for (let start = 0; start < todo.length;) {
    // One request: as many records as fit in the request limit (at least one).
    const entries: KdaPreprocessingInputRecord[] = [];
    let bytes = 200;
    let end = start;
    for (; end < todo.length; end++) {
      const { record, index } = todo[end];
      const entry: KdaPreprocessingInputRecord = {
        recordId: String(index),
        kinesisStreamRecordMetadata: {
          sequenceNumber: record.kinesis.sequenceNumber,
          partitionKey: record.kinesis.partitionKey,
          shardId: record.eventID.slice(0, record.eventID.lastIndexOf(':')),
          approximateArrivalTimestamp: arrivalMs(record),
        },
        data: record.kinesis.data,
      };
      const size = JSON.stringify(entry).length + 1;
      if (entries.length > 0 && bytes + size > limit) break;
      entries.push(entry);
      bytes += size;
    }
    const event: KdaPreprocessingEvent = {
      invocationId: randomUUID(),
      applicationArn: options.functionArn ?? '',
      streamArn: todo[start].record.eventSourceARN,
      records: entries,
    };
    let answers: Map<string, { result: string; data: string }>;
    try {
      const response = await options.preprocessor.invoke(event);
      answers = new Map(response.records.map((r) => [r.recordId, r]));
    } catch (error) {
      return { records: out, stoppedAt: { index: todo[start].index, reason: (error as Error).message } };
    }
    for (let i = start; i < end; i++) {
      const { record, index } = todo[i];
      const answer = answers.get(String(index))!;
      const base = { index, sequenceNumber: record.kinesis.sequenceNumber, arrival: arrivalMs(record) };
      if (answer.result === 'Ok') {
        out.push({ ...base, payloads: [{ data: decodeBase64(answer.data), subSequenceNumber: 0 }] });
      } else if (answer.result === 'ProcessingFailed') {
        out.push({ ...base, payloads: [], failure: { errorName: 'PREPROCESSING_FAILED', message: `record ${record.kinesis.sequenceNumber}: the preprocessor answered ProcessingFailed`, raw: rawData(record.kinesis.data) } });
      } else {
        out.push({ ...base, payloads: [] }); // Dropped: taken in, with no row.
      }
    }
    start = end;
  }
  return { records: out };
}

/** The record's bytes for an error_stream row; the text itself when it is not valid base64. */
export function rawData(base64: unknown): Uint8Array | string {
  if (typeof base64 !== 'string') return '';
  try {
    return decodeBase64(base64);
  } catch {
    return base64;
  }
}
