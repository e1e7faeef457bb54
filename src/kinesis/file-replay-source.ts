/**
 * Replays records from a file, so a run can be reproduced: NDJSON lines `{"at", "partitionKey"?, "data" |
 * "dataBase64", "explicitHashKey"?}`, a CSV file with an arrival-time column, a binary recording (binary-recording.ts,
 * recognised by its header: the fastest to replay, its data handed on without a copy), or a dump written by
 * {@link StreamRecorder} (whose records keep their shard ids and sequence numbers). Files ending in `.gz` are
 * gunzipped. Records without a shard are routed as Kinesis would route them over `shardCount` even shards and get
 * the embedded stream's sequence numbers, so the same file always yields the same records.
 *
 * A file of plain records (`recordFormat` `ndjson`, `csv` or `lines`) holds one record per line, the line as its
 * data; each arrives when it is read (the clock's time) or, with `rate`, at `rate` records per second from the first
 * one's time. Without `recordFormat` the first non-empty line decides: a replay line (a JSON object starting with
 * `"at"` or `"streamDump"`, or holding `at` and `data`/`dataBase64`; for a `.csv` file, a header with the time
 * column, or any CSV options given) means a recording; other JSON means NDJSON records; a `.csv` file, CSV records;
 * a line that is not JSON in a `.ndjson`/`.jsonl`/`.json` file, a damaged recording (its bad lines are reported);
 * anything else, lines.
 *
 * A line that cannot be read as a record (not JSON, no valid `at`, cut short, invalid base64, a CSV row with the
 * wrong number of fields) is not fatal: read() returns it in `rejected`, naming the file and line, for the host to
 * write to error_stream, and the replay goes on; in a binary recording, damaged bytes (a frame whose checksum does
 * not match, cut short, no frame mark) are reported the same way, naming the record and byte offset, and reading
 * resumes at the next frame that checks. Only a file that cannot be used at all (unreadable, a CSV header without
 * the time column, an unsupported dump or binary recording version, a damaged binary header) stops the run.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { CodecError, ConfigError, ExecutionError } from '../errors.js';
import { decodeBase64 } from '../kpl/index.js';
import { RECORDING_HEADER_LENGTH, RecordingFrameReader, decodeRecordingHeader, startsWithRecordingMagic, type RecordingEntry } from './binary-recording.js';
import { evenHashKeyRanges, rangeContains, recordHashKey, type HashKeyRange } from './hash-key.js';
import { embeddedSequenceNumber, parseSequenceNumber } from './sequence-number.js';
import { shardIdFor } from './shard-id.js';
import {
  CHECKPOINT_AT_TIMESTAMP, CHECKPOINT_SHARD_END, CHECKPOINT_TRIM_HORIZON,
  type ReadResult, type RejectedInput, type ShardCheckpoint, type SourceRecord, type StartingPosition, type StreamSource,
} from './stream-source.js';

export interface FileReplayCsvOptions {
  /** Column holding the arrival time (epoch ms or ISO 8601). @default 'at' */
  timeColumn?: string;
  /** Column holding the partition key; without it the line number is the key. @default 'partitionKey' when present */
  partitionKeyColumn?: string;
  /** @default ',' */
  delimiter?: string;
}

/** `replay`: a recording; the others: one plain record per line. */
export type FileRecordFormat = 'replay' | 'ndjson' | 'csv' | 'lines';

export interface FileReplaySourceOptions {
  path: string;
  /** What the file holds. @default detected from the first non-empty line (see the class) */
  recordFormat?: FileRecordFormat;
  /** Plain records: arrivals per second from the first record's time. @default - each arrives when read */
  rate?: number;
  /** Plain records: the time a record arrives when read. @default Date.now */
  clock?: () => number;
  /** A recording's layout. @default by extension: `.csv` / `.csv.gz` are CSV, anything else NDJSON */
  format?: 'ndjson' | 'csv';
  csv?: FileReplayCsvOptions;
  /** Shards that records without a shard id are routed over. @default 1 */
  shardCount?: number;
  /**
   * Pace: 0 replays as fast as possible; 1 keeps the gaps between arrival times; 2 halves them. @default 0
   */
  speed?: number;
  /** Most records per read(). @default 10000 */
  batchSize?: number;
  /**
   * A read() stops once its records hold this many bytes of data, as GetRecords returns at most 10 MiB: a file of
   * KPL aggregates is not read whole into memory before its first record is processed. @default 10 MiB
   */
  batchBytes?: number;
  /** With a pace, read() resolves after about this long when no record is due. @default 200 */
  pollMs?: number;
}

interface ParsedLine {
  record: SourceRecord;
}

/** error_stream's ERROR_NAME for a replay-file line that is not a record. */
export const REPLAY_LINE_INVALID = 'REPLAY_LINE_INVALID';

/** A line that is not a record; thrown inside the parser, turned into a RejectedInput by read(). */
class InvalidLine extends CodecError {
  constructor(
    message: string,
    readonly arrivalTimestamp: number | null = null,
  ) {
    super(message);
  }
}


/** Bytes per read of the file. */
const READ_CHUNK_BYTES = 4 * 1024 * 1024;

/** error_stream keeps at most this much of a rejected line. */
const MAX_REJECTED_TEXT = 64 * 1024;

/**
 * Starting positions: a file has no "now", so NOW and TRIM_HORIZON both replay it from its first record;
 * LAST_STOPPED_POINT skips, per shard, the records up to each checkpoint (SHARD_END skips the shard, AT_TIMESTAMP
 * the records that arrived before its time), so checkpoints of a live run also apply to a replay of its dump.
 * @example
 * const source = new FileReplaySource({ path: 'run.dump.ndjson' });
 * await source.start('TRIM_HORIZON');
 * for (let r = await source.read(); !r.done; r = await source.read()) handle(r.records); // done comes with no records
 */
export class FileReplaySource implements StreamSource {
  private readonly options: FileReplaySourceOptions;
  private readonly format: 'ndjson' | 'csv';
  /** Decided by the option or by the first non-empty line. */
  private recordFormat: FileRecordFormat | null;
  private plainRecords = 0;
  private plainStart = 0;
  private readonly ranges: HashKeyRange[];
  private readonly shardIds: string[];
  private readonly positions: number[];
  private readonly speed: number;
  private readonly batchSize: number;
  private readonly batchBytes: number;
  private readonly pollMs: number;
  private lines: AsyncIterator<string[]> | null = null;
  /** A binary recording (recognised by its header): its frames, and the file's chunks that feed them. */
  private frames: RecordingFrameReader | null = null;
  private chunks: AsyncIterator<Buffer> | null = null;
  /** The byte offset of the binary recording's current entry, for messages. */
  private frameOffset = 0;
  private pendingLines: string[] = [];
  private pendingIndex = 0;
  private closeInput: (() => void) | null = null;
  private lineNumber = 0;
  private csvHeader: string[] | null = null;
  private exhausted = false;
  private held: SourceRecord | null = null;
  /** Per shard, what LAST_STOPPED_POINT skips: up to a sequence number, records before a time, or everything. */
  private skipThrough = new Map<string, { sequenceNumber: bigint; subSequenceNumber?: number }>();
  private skipBefore = new Map<string, number>();
  private skipShard = new Set<string>();
  private delivered = new Map<string, ShardCheckpoint>();
  private firstAt: number | null = null;
  private startWall = 0;
  private dumpHeaderSeen = false;
  private readonly hashCache = new Map<string, bigint>();
  /** Rejected lines not yet returned by read(). */
  private rejected: RejectedInput[] = [];
  /** The line of the record held back by pacing; lines before it are delivered or reported. */
  private heldLine = 0;
  /** Every line up to this one was delivered or reported (goes into checkpoints). */
  private linesDone = 0;
  /** Resuming: bad lines up to this one were reported by the previous run. */
  private reportedThrough = 0;

  constructor(options: FileReplaySourceOptions) {
    this.options = options;
    if (!options.path) throw new ConfigError('path', 'the file to replay is required');
    this.format = options.format ?? (/\.csv(\.gz)?$/i.test(options.path) ? 'csv' : 'ndjson');
    this.recordFormat = options.recordFormat ?? null;
    if (options.rate !== undefined && !(options.rate > 0 && Number.isFinite(options.rate))) throw new ConfigError('rate', `must be a number of records per second > 0; received ${options.rate}`);
    const shardCount = options.shardCount ?? 1;
    if (!Number.isInteger(shardCount) || shardCount < 1) throw new ConfigError('shardCount', `must be an integer >= 1; received ${shardCount}`);
    this.ranges = evenHashKeyRanges(shardCount);
    this.shardIds = this.ranges.map((_, i) => shardIdFor(i));
    this.positions = new Array(shardCount).fill(0);
    this.speed = options.speed ?? 0;
    if (!(this.speed >= 0)) throw new ConfigError('speed', `must be >= 0; received ${options.speed}`);
    this.batchSize = options.batchSize ?? 10_000;
    this.batchBytes = options.batchBytes ?? 10 * 1024 * 1024;
    this.pollMs = options.pollMs ?? 200;
  }

  async start(position: StartingPosition, checkpoints: ShardCheckpoint[] = []): Promise<void> {
    if (this.lines || this.frames) throw new ConfigError('source', 'start() was already called');
    if (position === 'LAST_STOPPED_POINT') {
      for (const cp of checkpoints) {
        if (typeof cp.line === 'number') this.reportedThrough = Math.max(this.reportedThrough, cp.line);
        // Checkpoints of a live run apply to a replay of its dump too, sentinels included.
        if (cp.sequenceNumber === CHECKPOINT_SHARD_END) { this.skipShard.add(cp.shardId); this.delivered.set(cp.shardId, { ...cp }); continue; }
        if (cp.sequenceNumber === CHECKPOINT_AT_TIMESTAMP) { this.skipBefore.set(cp.shardId, cp.timestamp ?? 0); continue; }
        if (!/^[0-9]+$/.test(cp.sequenceNumber)) continue; // TRIM_HORIZON: nothing of that shard was delivered
        this.skipThrough.set(cp.shardId, { sequenceNumber: parseSequenceNumber(cp.sequenceNumber), ...(cp.subSequenceNumber !== undefined ? { subSequenceNumber: cp.subSequenceNumber } : {}) });
        this.delivered.set(cp.shardId, { ...cp });
      }
    }
    // Large reads: a replay is bound by how fast it takes bytes in, and each chunk costs a turn of the event loop.
    const file = createReadStream(this.options.path, { highWaterMark: READ_CHUNK_BYTES });
    await new Promise<void>((resolve, reject) => {
      file.once('open', () => resolve()).once('error', (e) => reject(new ConfigError('path', `cannot read ${this.options.path}: ${e.message}`)));
    });
    const input: Readable = /\.gz$/i.test(this.options.path) ? file.pipe(createGunzip({ chunkSize: READ_CHUNK_BYTES })) : file;
    this.closeInput = () => { input.destroy(); file.destroy(); };
    const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const first = await chunks.next();
    let head: Buffer = first.done ? Buffer.alloc(0) : first.value;
    // A binary recording is known by its header, whatever the file's name (unless a plain format was asked for).
    if ((this.recordFormat === null || this.recordFormat === 'replay') && startsWithRecordingMagic(head)) {
      while (head.length < RECORDING_HEADER_LENGTH) {
        const more = await chunks.next();
        if (more.done) break;
        head = Buffer.concat([head, more.value]);
      }
      const header = decodeRecordingHeader(head, this.options.path);
      this.recordFormat = 'replay';
      if (header.dump) this.dumpHeaderSeen = true;
      this.frames = new RecordingFrameReader(RECORDING_HEADER_LENGTH);
      this.frames.feed(head.subarray(RECORDING_HEADER_LENGTH));
      this.chunks = chunks;
    } else {
      this.lines = chunkedLines(withFirst(head, chunks));
    }
    this.startWall = Date.now();
  }

  async read(): Promise<ReadResult> {
    if (!this.lines && !this.frames) throw new ConfigError('source', 'read() before start()');
    const records: SourceRecord[] = [];
    const deadline = Date.now() + this.pollMs;
    let bytes = 0;
    while (records.length < this.batchSize && bytes < this.batchBytes) {
      const next = this.held ?? (await this.nextRecord());
      this.held = null;
      if (!next) break;
      const nextLine = this.lineNumber;
      if (this.speed > 0) {
        const due = this.startWall + (next.approximateArrivalTimestamp - (this.firstAt as number)) / this.speed;
        const now = Date.now();
        if (due > now) {
          // Not due yet: hand over what is due, or wait for it if nothing is and it comes before the deadline.
          if (records.length > 0 || due > deadline) {
            this.held = next;
            this.heldLine = nextLine;
            if (records.length === 0) await new Promise((r) => setTimeout(r, Math.max(0, deadline - now)));
            break;
          }
          await new Promise((r) => setTimeout(r, due - now));
        }
      }
      records.push(next);
      bytes += next.data.length;
      this.delivered.set(next.shardId, { shardId: next.shardId, sequenceNumber: next.sequenceNumber });
    }
    const rejected = this.rejected;
    this.rejected = [];
    this.linesDone = this.held ? this.heldLine - 1 : this.lineNumber;
    // done only on an empty batch, so a loop `while (!r.done)` never drops the last records.
    return {
      records,
      done: records.length === 0 && rejected.length === 0 && this.exhausted && this.held === null,
      millisBehindLatest: 0,
      ...(rejected.length > 0 ? { rejected } : {}),
    };
  }

  /** Known for records routed by this source (not for a dump's shards, whose ranges the dump does not hold). */
  shardHashKeyRange(shardId: string): HashKeyRange | undefined {
    if (this.dumpHeaderSeen) return undefined;
    const match = /^shardId-([0-9]{12})$/.exec(shardId);
    return match ? this.ranges[Number(match[1])] : undefined;
  }

  checkpoints(): ShardCheckpoint[] {
    const out: ShardCheckpoint[] = [...this.delivered.values()].map((cp) => ({ ...cp, line: this.linesDone }));
    // Only rejected lines so far: a shard with nothing delivered still carries how far the file was read.
    if (out.length === 0 && this.linesDone > 0) out.push({ shardId: this.shardIds[0], sequenceNumber: CHECKPOINT_TRIM_HORIZON, line: this.linesDone });
    return out;
  }

  async close(): Promise<void> {
    this.closeInput?.();
    this.exhausted = true;
  }

  /** The next record to deliver (after checkpoint skipping), or null at the end of the file. */
  private async nextRecord(): Promise<SourceRecord | null> {
    for (;;) {
      let parsed: ParsedLine | null;
      let raw: () => string = () => '';
      try {
        if (this.frames) {
          const entry = await this.nextFrame();
          if (entry === null) return null;
          raw = () => (entry.kind === 'damaged' ? Buffer.from(entry.raw).toString('base64') : '');
          parsed = this.fromFrame(entry);
        } else {
          const line = await this.nextLine();
          if (line === null) return null;
          raw = () => (line.length > MAX_REJECTED_TEXT ? line.slice(0, MAX_REJECTED_TEXT) : line);
          parsed = this.parse(line);
        }
      } catch (error) {
        if (!(error instanceof InvalidLine)) throw error;
        if (this.lineNumber > this.reportedThrough) {
          this.rejected.push({
            error: new ExecutionError(REPLAY_LINE_INVALID, error.message, { cause: error }),
            raw: raw(),
            arrivalTimestamp: error.arrivalTimestamp,
          });
        }
        continue;
      }
      if (!parsed) continue;
      let record = parsed.record;
      if (this.skipShard.has(record.shardId)) continue;
      const before = this.skipBefore.get(record.shardId);
      if (before !== undefined) {
        if (record.approximateArrivalTimestamp < before) continue;
        this.skipBefore.delete(record.shardId);
      }
      const skip = this.skipThrough.get(record.shardId);
      if (skip) {
        const seq = BigInt(record.sequenceNumber);
        if (seq < skip.sequenceNumber) continue;
        if (seq === skip.sequenceNumber) {
          if (skip.subSequenceNumber === undefined) continue;
          record = { ...record, resumeAfterSubSequenceNumber: skip.subSequenceNumber };
        }
        this.skipThrough.delete(record.shardId);
      }
      if (this.firstAt === null) this.firstAt = record.approximateArrivalTimestamp;
      return record;
    }
  }

  private async nextLine(): Promise<string | null> {
    while (this.pendingIndex >= this.pendingLines.length) {
      if (this.exhausted || !this.lines) return null;
      const next = await this.lines.next();
      if (next.done) {
        this.exhausted = true;
        return null;
      }
      this.pendingLines = next.value;
      this.pendingIndex = 0;
    }
    this.lineNumber++;
    return this.pendingLines[this.pendingIndex++];
  }

  private where(): string {
    return this.frames ? `${this.options.path}: record ${this.lineNumber} (byte offset ${this.frameOffset})` : `${this.options.path}:${this.lineNumber}`;
  }

  /** The next entry of a binary recording (a record, or damage to report), or null at its end. */
  private async nextFrame(): Promise<RecordingEntry | null> {
    const frames = this.frames as RecordingFrameReader;
    for (;;) {
      const entry = frames.next();
      if (entry === null) {
        this.exhausted = true;
        return null;
      }
      if (entry !== undefined) {
        // Entries count as lines do in a text recording: checkpoints and resumed runs number them the same way.
        this.lineNumber++;
        this.frameOffset = entry.offset;
        return entry;
      }
      const chunk = await (this.chunks as AsyncIterator<Buffer>).next();
      if (chunk.done) frames.end();
      else frames.feed(chunk.value);
    }
  }

  /** A binary recording's entry as a record; damage and invalid frames are thrown as InvalidLine, to be reported. */
  private fromFrame(entry: RecordingEntry): ParsedLine {
    if (entry.kind === 'damaged') {
      throw new InvalidLine(`${this.where()}: ${entry.length} damaged byte(s) (${entry.reason}), skipped to the next record whose checksum matches`);
    }
    if (entry.kind === 'invalid') throw new InvalidLine(`${this.where()}: ${entry.reason}`, entry.at);
    const r = entry.record;
    const explicitHashKey = r.explicitHashKey ?? null;
    if (r.shardId !== undefined && r.sequenceNumber !== undefined) {
      this.dumpHeaderSeen = true;
      return { record: { shardId: r.shardId, sequenceNumber: r.sequenceNumber, partitionKey: r.partitionKey, explicitHashKey, data: r.data, approximateArrivalTimestamp: r.at } };
    }
    if (this.dumpHeaderSeen) throw new InvalidLine(`${this.where()}: a stream dump record needs a shard id and a sequence number`, r.at);
    return { record: this.route(r.partitionKey, explicitHashKey, r.data, r.at) };
  }

  private parse(line: string): ParsedLine | null {
    if (line.trim() === '') return null;
    this.recordFormat ??= this.detect(line);
    if (this.recordFormat !== 'replay') return { record: this.plainRecord(line) };
    return this.format === 'csv' ? this.parseCsv(line) : this.parseJson(line);
  }

  /** What the file holds, from its first non-empty line. */
  private detect(line: string): FileRecordFormat {
    // CSV options describe a recording's columns.
    if (this.format === 'csv' && this.options.csv !== undefined) return 'replay';
    if (this.format === 'csv') {
      const timeColumn = this.options.csv?.timeColumn ?? 'at';
      return splitCsvLine(line, this.options.csv?.delimiter ?? ',').map(unquote).includes(timeColumn) ? 'replay' : 'csv';
    }
    // A replay line the producer wrote starts with "at" (or is a dump header); one cut short still reads as replay.
    if (/^\s*\{\s*"(at|streamDump)"/.test(line)) return 'replay';
    try {
      const value = JSON.parse(line) as unknown;
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'at' in value && ('data' in value || 'dataBase64' in value)) return 'replay';
      return 'ndjson';
    } catch {
      // A JSON file whose first line is not JSON is a damaged recording: its bad lines are reported, not taken in.
      return /\.(nd)?jsonl?(\.gz)?$/i.test(this.options.path) ? 'replay' : 'lines';
    }
  }

  /** One plain record: the line as its data, the line number as its partition key, arriving now or at the rate. */
  private plainRecord(line: string): SourceRecord {
    const now = (this.options.clock ?? Date.now)();
    if (this.plainRecords === 0) this.plainStart = now;
    const at = this.options.rate === undefined ? now : this.plainStart + Math.floor((this.plainRecords * 1000) / this.options.rate);
    this.plainRecords++;
    return this.route(String(this.lineNumber), null, Buffer.from(line, 'utf8'), at);
  }

  private parseJson(line: string): ParsedLine | null {
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      throw new InvalidLine(`${this.where()}: not JSON (${(error as Error).message})${line.trimStart().startsWith('{') ? ': the line may be cut short' : ''}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InvalidLine(`${this.where()}: expected a JSON object per line; received ${line.slice(0, 80)}`);
    }
    if (this.lineNumber === 1 && 'streamDump' in value) {
      if (value.streamDump !== 1) throw new CodecError(`${this.where()}: stream dump version ${String(value.streamDump)} is not supported (expected 1)`);
      this.dumpHeaderSeen = true;
      return null;
    }
    const at = this.parseTime(value.at, 'at');
    let data: Uint8Array;
    if (typeof value.dataBase64 === 'string') {
      // Standard base64 with its padding, as the AWS CLI and SDKs write it; anything else is refused, not guessed
      // at. decodeBase64 checks at native speed (a regular expression over every character cost a third of a replay).
      try {
        data = decodeBase64(value.dataBase64);
      } catch (error) {
        if (!(error instanceof CodecError)) throw error;
        throw new InvalidLine(`${this.where()}: "dataBase64" is not valid base64 (standard alphabet A-Z a-z 0-9 + /, padded with = to a multiple of 4 characters)`, at);
      }
    } else if (typeof value.data === 'string') data = Buffer.from(value.data, 'utf8');
    else if (value.data !== undefined && value.data !== null) data = Buffer.from(JSON.stringify(value.data), 'utf8');
    else throw new InvalidLine(`${this.where()}: each line needs "data" (a string or JSON value) or "dataBase64"`, at);
    const partitionKey = value.partitionKey === undefined ? String(this.lineNumber) : value.partitionKey;
    if (typeof partitionKey !== 'string' || partitionKey.length === 0) {
      throw new InvalidLine(`${this.where()}: "partitionKey" must be a non-empty string; received ${JSON.stringify(value.partitionKey)}`, at);
    }
    const explicitHashKey = typeof value.explicitHashKey === 'string' ? value.explicitHashKey : null;
    if (typeof value.shardId === 'string' || typeof value.sequenceNumber === 'string') {
      if (typeof value.shardId !== 'string' || typeof value.sequenceNumber !== 'string' || !/^[0-9]+$/.test(value.sequenceNumber)) {
        throw new InvalidLine(`${this.where()}: a dump line needs both "shardId" and a decimal "sequenceNumber"`, at);
      }
      this.dumpHeaderSeen = true; // a dump, with or without its header line: no mixing with plain input lines
      return { record: { shardId: value.shardId, sequenceNumber: value.sequenceNumber, partitionKey, explicitHashKey, data, approximateArrivalTimestamp: at } };
    }
    if (this.dumpHeaderSeen) throw new InvalidLine(`${this.where()}: a stream dump line needs "shardId" and "sequenceNumber"`, at);
    return { record: this.route(partitionKey, explicitHashKey, data, at) };
  }

  private parseCsv(line: string): ParsedLine | null {
    const delimiter = this.options.csv?.delimiter ?? ',';
    const fields = splitCsvLine(line, delimiter);
    if (!this.csvHeader) {
      this.csvHeader = fields.map(unquote);
      const timeColumn = this.options.csv?.timeColumn ?? 'at';
      if (!this.csvHeader.includes(timeColumn)) {
        throw new CodecError(`${this.where()}: the CSV header has no arrival-time column "${timeColumn}" (columns: ${this.csvHeader.join(', ')})`);
      }
      const keyColumn = this.options.csv?.partitionKeyColumn;
      if (keyColumn && !this.csvHeader.includes(keyColumn)) {
        throw new CodecError(`${this.where()}: the CSV header has no partition-key column "${keyColumn}"`);
      }
      return null;
    }
    if (fields.length !== this.csvHeader.length) {
      throw new InvalidLine(`${this.where()}: ${fields.length} fields; the header has ${this.csvHeader.length}`);
    }
    const timeIndex = this.csvHeader.indexOf(this.options.csv?.timeColumn ?? 'at');
    const keyColumn = this.options.csv?.partitionKeyColumn ?? (this.csvHeader.includes('partitionKey') ? 'partitionKey' : undefined);
    const keyIndex = keyColumn ? this.csvHeader.indexOf(keyColumn) : -1;
    const at = this.parseTime(unquote(fields[timeIndex]), this.csvHeader[timeIndex]);
    const partitionKey = keyIndex >= 0 ? unquote(fields[keyIndex]) : String(this.lineNumber);
    if (partitionKey.length === 0) throw new InvalidLine(`${this.where()}: empty partition key in column "${keyColumn}"`, at);
    // The payload is the rest of the row exactly as written (quotes included), as a producer would have sent it.
    const payload = fields.filter((_, i) => i !== timeIndex && i !== keyIndex).join(delimiter);
    return { record: this.route(partitionKey, null, Buffer.from(payload, 'utf8'), at) };
  }

  private parseTime(value: unknown, field: string): number {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string') {
      if (/^-?[0-9]+$/.test(value)) return Number(value);
      const ms = Date.parse(value);
      if (Number.isFinite(ms)) return ms;
    }
    throw new InvalidLine(`${this.where()}: "${field}" must be epoch ms or an ISO 8601 time; received ${JSON.stringify(value)}`);
  }

  private route(partitionKey: string, explicitHashKey: string | null, data: Uint8Array, at: number): SourceRecord {
    let hashKey: bigint | undefined;
    try {
      if (explicitHashKey !== null) hashKey = recordHashKey(partitionKey, explicitHashKey);
      else {
        // Remembered per key: inputs reuse few partition keys, and MD5 is a large part of the work.
        hashKey = this.hashCache.get(partitionKey);
        if (hashKey === undefined) {
          if (this.hashCache.size >= 10_000) this.hashCache.clear();
          hashKey = recordHashKey(partitionKey, null);
          this.hashCache.set(partitionKey, hashKey);
        }
      }
    } catch (error) {
      throw new InvalidLine(`${this.where()}: ${(error as Error).message}`, at);
    }
    const index = this.ranges.findIndex((range) => rangeContains(range, hashKey));
    return {
      shardId: this.shardIds[index],
      sequenceNumber: embeddedSequenceNumber(index, this.positions[index]++),
      partitionKey,
      explicitHashKey,
      data,
      approximateArrivalTimestamp: at,
    };
  }
}

/**
 * The lines of a stream, a chunk's worth at a time: pulled with backpressure (readline's async iterator reads the
 * whole file ahead into memory) and without a promise per line.
 */
async function* chunkedLines(input: AsyncIterable<Buffer>): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input) {
    const text = rest + decoder.write(chunk as Buffer);
    const lines = text.split('\n');
    rest = lines.pop() as string;
    if (lines.length > 0) yield lines.map(stripCr);
  }
  const last = rest + decoder.end();
  if (last.length > 0) yield [stripCr(last)];
}

/** The first chunk (already read to look for a binary header), then the rest. */
async function* withFirst(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (first.length > 0) yield first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Splits a CSV line at delimiters outside double quotes, keeping each field's text as written. */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && line.startsWith(delimiter, i)) {
      fields.push(line.slice(start, i));
      start = i + delimiter.length;
      i += delimiter.length - 1;
    }
  }
  fields.push(line.slice(start));
  return fields;
}

function unquote(field: string): string {
  const t = field.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : t;
}
