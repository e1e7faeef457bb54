/**
 * The buffering and naming shared by the object sinks (local bucket folder, S3): rows are encoded as they
 * arrive, collected per stream, and delivered as one object when the buffer reaches its size or its age
 * reaches the interval, whichever comes first (as Firehose does), or on flush().
 */
import { ConfigError } from '../errors.js';
import { DeliveryQueue } from './delivery-queue.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { hourFolder, objectKey, positionTag } from './object-key.js';
import type { ObjectStore } from './object-store.js';
import { createRowFormatter, type OutputFormat, type RowFormatter } from './row-formatter.js';
import { ERROR_STREAM, type DeliveredObject, type OutputRow, type Sink } from './sink.js';

/** Firehose's default buffer size for S3 delivery. */
export const DEFAULT_BUFFER_SIZE_BYTES = 5 * 1024 * 1024;
/** Firehose's default buffer interval for S3 delivery. */
export const DEFAULT_BUFFER_INTERVAL_MS = 300_000;
export const DEFAULT_ERROR_PREFIX = 'errors/';

export interface ObjectSinkOptions {
  /** Default JSON (one object per line). */
  format?: OutputFormat;
  /** CSV column delimiter. Default `,`. */
  csvDelimiter?: string;
  /** Deliver the row's ROWTIME as its first field (KDA did not: it delivers the stream's columns only). Default false. */
  includeRowtime?: boolean;
  /** Key prefix of the objects (Firehose's Prefix), e.g. `analytics/`. Default none. */
  prefix?: string;
  /** Key prefix of error_stream objects (Firehose's ErrorOutputPrefix). Default `errors/`. */
  errorPrefix?: string;
  /** The `<name>` part of object names. Default: the stream's name. */
  name?: string;
  /** Appended to every key, e.g. `.json`. Default none (as Firehose). */
  extension?: string;
  /** Deliver when this many encoded bytes are buffered for a stream. Default 5 MiB. */
  bufferSizeBytes?: number;
  /**
   * Deliver when the oldest buffered row of a stream is this old (ms). Infinity: never by age, only by size and
   * on flush() (for checkpoint-driven delivery). Default 300 000.
   */
  bufferIntervalMs?: number;
  /**
   * Which instant picks the `YYYY/MM/DD/HH/` folder: `delivery` (the clock when the object is written, as
   * Firehose does; the default) or `rowtime` (the ROWTIME of the object's first row). Only `rowtime` keeps a
   * re-written object in the same folder when a restart crosses an hour boundary.
   */
  hourFrom?: 'delivery' | 'rowtime';
  /** Time source for the hour folders and the buffer interval. Default: the system clock. */
  clock?: Clock;
  /** Called after each object is stored. */
  onDelivered?: (object: DeliveredObject) => void;
}

interface StreamBuffer {
  readonly stream: string;
  readonly lines: string[];
  bytes: number;
  readonly firstRowtime: number;
  /** The `<n>` of the object's name, fixed when its first row arrives. */
  readonly n: string;
  timer: TimerHandle | undefined;
}

const SAFE_NAME = /^[A-Za-z0-9._=-]+$/;

function checkPrefix(field: string, prefix: string): void {
  if (prefix.startsWith('/') || prefix.split('/').some((s) => s === '..' || s === '.')) {
    throw new ConfigError(field, `a key prefix must be relative and hold no '.' or '..' segments; received '${prefix}'`);
  }
}

/** A Sink that delivers rows as objects to an ObjectStore. LocalBucketSink and S3Sink are this with their stores. */
export class ObjectSink implements Sink {
  private readonly store: ObjectStore;
  private readonly formatter: RowFormatter;
  private readonly prefix: string;
  private readonly errorPrefix: string;
  private readonly name: string | undefined;
  private readonly extension: string;
  private readonly sizeBytes: number;
  private readonly intervalMs: number;
  private readonly hourFrom: 'delivery' | 'rowtime';
  private readonly clock: Clock;
  private readonly onDelivered: ((object: DeliveredObject) => void) | undefined;
  private readonly buffers = new Map<string, StreamBuffer>();
  /** Per stream: the tag of the last position written with and how many rows were written since it changed. */
  private readonly cursors = new Map<string, { tag: string; rows: number }>();
  /** Deliveries run one at a time, in the order their buffers were closed; a failure is latched. */
  private readonly queue = new DeliveryQueue();
  private closed = false;
  /** For objects written without a position: unique per sink instance, so a restart never overwrites them. */
  private readonly instanceTag: string;
  private sequence = 0;

  constructor(store: ObjectStore, options: ObjectSinkOptions = {}) {
    this.store = store;
    this.formatter = createRowFormatter({ format: options.format ?? 'JSON', csvDelimiter: options.csvDelimiter, includeRowtime: options.includeRowtime });
    this.prefix = options.prefix ?? '';
    this.errorPrefix = options.errorPrefix ?? DEFAULT_ERROR_PREFIX;
    checkPrefix('prefix', this.prefix);
    checkPrefix('errorPrefix', this.errorPrefix);
    if (options.name !== undefined && !SAFE_NAME.test(options.name)) {
      throw new ConfigError('name', `an object name may hold only letters, digits, '.', '_', '=' and '-'; received '${options.name}'`);
    }
    this.name = options.name;
    this.extension = options.extension ?? '';
    if (this.extension !== '' && !SAFE_NAME.test(this.extension)) {
      throw new ConfigError('extension', `an extension may hold only letters, digits, '.', '_', '=' and '-'; received '${this.extension}'`);
    }
    this.sizeBytes = options.bufferSizeBytes ?? DEFAULT_BUFFER_SIZE_BYTES;
    this.intervalMs = options.bufferIntervalMs ?? DEFAULT_BUFFER_INTERVAL_MS;
    if (!(this.sizeBytes >= 1)) throw new ConfigError('bufferSizeBytes', `must be at least 1; received ${options.bufferSizeBytes}`);
    if (!(this.intervalMs >= 0)) throw new ConfigError('bufferIntervalMs', `must be 0 or more; received ${options.bufferIntervalMs}`);
    this.hourFrom = options.hourFrom ?? 'delivery';
    this.clock = options.clock ?? systemClock;
    this.onDelivered = options.onDelivered;
    this.instanceTag = `${this.clock.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, '0')}`;
  }

  async write(rows: readonly OutputRow[], position?: string): Promise<void> {
    this.checkUsable();
    const tag = position === undefined ? undefined : positionTag(position);
    const full: StreamBuffer[] = [];
    for (const { stream, row, rowtime } of rows) {
      // Rows of a stream counted since its position last changed: with the position, this names where an
      // object starts independently of how rows were buffered before (see README "Idempotent keys").
      let cursor = this.cursors.get(stream);
      if (tag !== undefined && cursor?.tag !== tag) {
        cursor = { tag, rows: 0 };
        this.cursors.set(stream, cursor);
      }
      let buffer = this.buffers.get(stream);
      if (!buffer) {
        const n = tag === undefined || !cursor ? `${this.instanceTag}-${String(this.sequence++).padStart(6, '0')}` : `${tag}-${cursor.rows}`;
        buffer = { stream, lines: [], bytes: 0, firstRowtime: rowtime, n, timer: undefined };
        this.buffers.set(stream, buffer);
        const opened = buffer;
        if (Number.isFinite(this.intervalMs)) buffer.timer = this.clock.setTimer(() => this.onInterval(opened), this.intervalMs);
      }
      if (tag !== undefined && cursor) cursor.rows++;
      const line = this.formatter(row);
      buffer.lines.push(line);
      buffer.bytes += Buffer.byteLength(line);
      if (buffer.bytes >= this.sizeBytes) full.push(this.detach(buffer));
    }
    if (full.length > 0) await this.enqueue(full);
  }

  async flush(): Promise<void> {
    this.checkUsable();
    await this.enqueue([...this.buffers.values()].map((b) => this.detach(b)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (!this.queue.failed) await this.flush();
    } finally {
      this.closed = true;
      for (const b of this.buffers.values()) this.clock.clearTimer(b.timer);
      this.buffers.clear();
      await this.store.close?.();
    }
    this.queue.check();
  }

  /**
   * Removes the objects written after the checkpoint `position` by a run that stopped before its next
   * checkpoint: call it on restart, before the first write, with the position restored from the checkpoint.
   * Those rows are produced again by the replay, so without this an object whose boundaries come out
   * differently the second time (a buffer interval fired at another row) would leave its rows twice.
   * Only objects whose name carries the position's tag are touched: the keys written with `position`.
   * @param range the hour folders to look in: from `fromTime` (when the checkpoint was taken, or with
   *   `hourFrom: 'rowtime'` the earliest ROWTIME that can follow it) to `toTime` (default: now); `streams`: the
   *   streams this sink receives, when no `name` is set (makes the match exact).
   * @returns the keys removed
   */
  async recover(position: string, range: { fromTime: number; toTime?: number; streams?: readonly string[] }): Promise<string[]> {
    this.checkUsable();
    const tag = positionTag(position);
    const toTime = range.toTime ?? this.clock.now();
    // Object names are `<name>-<tag>-<k><extension>`. With the names known (the `name` option, or the streams
    // given) the match is exact; otherwise any name ending before `-<tag>-` is taken, which could also catch a
    // longer tag ending in `-<tag>` (a token format where that happens should set `name` or pass `streams`).
    const names = this.name !== undefined ? [this.name] : range.streams?.map(safeStreamName);
    const nameSource = names ? `(?:${names.map(escapeRegExp).join('|')})` : '.+';
    const own = new RegExp(`^${nameSource}-${escapeRegExp(tag)}-\\d+${escapeRegExp(this.extension)}$`);
    const removed: string[] = [];
    const prefixes = [...new Set([this.prefix, this.errorPrefix])];
    for (let hour = Math.floor(range.fromTime / 3_600_000) * 3_600_000; hour <= toTime; hour += 3_600_000) {
      for (const prefix of prefixes) {
        const folder = `${prefix}${hourFolder(hour)}`;
        for (const key of await this.store.list(folder)) {
          const name = key.slice(folder.length);
          if (!own.test(name)) continue;
          await this.store.delete(key);
          removed.push(key);
        }
      }
    }
    return removed;
  }

  /** Rows and bytes currently buffered, per stream. */
  buffered(): { stream: string; rows: number; bytes: number }[] {
    return [...this.buffers.values()].map((b) => ({ stream: b.stream, rows: b.lines.length, bytes: b.bytes }));
  }

  private checkUsable(): void {
    this.queue.check();
    if (this.closed) throw new ConfigError('sink', 'the sink is closed');
  }

  private detach(buffer: StreamBuffer): StreamBuffer {
    this.clock.clearTimer(buffer.timer);
    buffer.timer = undefined;
    this.buffers.delete(buffer.stream);
    return buffer;
  }

  private onInterval(buffer: StreamBuffer): void {
    if (this.buffers.get(buffer.stream) !== buffer) return;
    const detached = this.detach(buffer);
    this.queue.runDetached(() => this.deliver(detached));
  }

  private async enqueue(buffers: StreamBuffer[]): Promise<void> {
    for (const b of buffers) this.queue.run(() => this.deliver(b)).catch(() => undefined);
    await this.queue.drain();
  }

  private async deliver(buffer: StreamBuffer): Promise<void> {
    const isError = buffer.stream.toLowerCase() === ERROR_STREAM;
    const key = objectKey({
      prefix: isError ? this.errorPrefix : this.prefix,
      time: this.hourFrom === 'rowtime' ? buffer.firstRowtime : this.clock.now(),
      name: this.name ?? safeStreamName(buffer.stream),
      n: buffer.n,
      extension: this.extension,
    });
    const body = Buffer.from(buffer.lines.join(''));
    await this.store.put(key, body);
    this.onDelivered?.({ key, stream: buffer.stream, rows: buffer.lines.length, bytes: body.length });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A stream name as the `<name>` of object keys. */
function safeStreamName(stream: string): string {
  return stream.replace(/[^A-Za-z0-9._=-]/g, '_');
}
