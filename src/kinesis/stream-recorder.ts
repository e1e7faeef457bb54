/**
 * Records every record a source delivers to an NDJSON dump, so that a run can be reproduced exactly with
 * {@link FileReplaySource}: same shards, sequence numbers, partition keys, bytes and arrival times.
 *
 * Format: a first line `{"streamDump":1,"createdAt":"<ISO>"}`, then one line per record:
 * `{"at":<epoch ms>,"shardId":"...","sequenceNumber":"...","partitionKey":"...","explicitHashKey":"..."?,"dataBase64":"..."}`.
 * A dump line is also a valid replay input line (`at` and `dataBase64`).
 *
 * A path ending in `.krec` gets the binary recording format instead (binary-recording.ts; a header flagged as a
 * dump, then one frame per record with its shard id and sequence number): the same records, faster to replay.
 */
import { createWriteStream, existsSync, statSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { BINARY_RECORDING_EXTENSION, encodeRecordingFrame, encodeRecordingHeader } from './binary-recording.js';
import type { ReadResult, ShardCheckpoint, SourceRecord, StartingPosition, StreamSource } from './stream-source.js';

export const STREAM_DUMP_VERSION = 1;

export interface StreamRecorderOptions {
  /** Add to an existing dump (a resumed run) instead of starting a new one. @default false */
  append?: boolean;
}

/** One record as a dump line (without the newline). */
export function dumpLine(record: SourceRecord): string {
  return JSON.stringify({
    at: record.approximateArrivalTimestamp,
    shardId: record.shardId,
    sequenceNumber: record.sequenceNumber,
    partitionKey: record.partitionKey,
    ...(record.explicitHashKey != null ? { explicitHashKey: record.explicitHashKey } : {}),
    dataBase64: Buffer.from(record.data.buffer, record.data.byteOffset, record.data.byteLength).toString('base64'),
  });
}

/**
 * @example
 * const recorder = new StreamRecorder('run.dump.ndjson');
 * const source = recordingSource(new KinesisApiSource({ ... }), recorder);
 */
export class StreamRecorder {
  readonly path: string;
  private readonly out: WriteStream;
  private readonly binary: boolean;
  private count = 0;

  constructor(path: string, options: StreamRecorderOptions = {}) {
    this.path = path;
    const appending = (options.append ?? false) && existsSync(path) && statSync(path).size > 0;
    this.binary = BINARY_RECORDING_EXTENSION.test(path);
    this.out = createWriteStream(path, { flags: appending ? 'a' : 'w' });
    if (appending) return;
    if (this.binary) this.out.write(encodeRecordingHeader({ dump: true }));
    else this.out.write(`${JSON.stringify({ streamDump: STREAM_DUMP_VERSION, createdAt: new Date().toISOString() })}\n`);
  }

  /** Records written so far by this recorder. */
  get recordCount(): number {
    return this.count;
  }

  async write(records: readonly SourceRecord[]): Promise<void> {
    if (records.length === 0) return;
    let chunk: string | Buffer;
    if (this.binary) {
      chunk = Buffer.concat(records.map((r) => encodeRecordingFrame({
        at: r.approximateArrivalTimestamp, partitionKey: r.partitionKey, explicitHashKey: r.explicitHashKey, shardId: r.shardId, sequenceNumber: r.sequenceNumber, data: r.data,
      })));
    } else {
      chunk = '';
      for (const record of records) chunk += `${dumpLine(record)}\n`;
    }
    this.count += records.length;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}

/** A source that records every batch it reads to `recorder` before handing it on. Closing it closes both. */
export function recordingSource(source: StreamSource, recorder: StreamRecorder): StreamSource {
  return {
    start: (position: StartingPosition, checkpoints?: ShardCheckpoint[]) => source.start(position, checkpoints),
    async read(): Promise<ReadResult> {
      const result = await source.read();
      await recorder.write(result.records);
      return result;
    },
    checkpoints: () => source.checkpoints(),
    ...(source.shardHashKeyRange ? { shardHashKeyRange: (shardId: string) => source.shardHashKeyRange?.(shardId) } : {}),
    async close(): Promise<void> {
      await source.close();
      await recorder.close();
    },
  };
}
