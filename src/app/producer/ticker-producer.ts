/**
 * A KPL-style producer of generated ticker records: records are aggregated per destination shard (as the KPL does,
 * so that consumers filtering by hash-key range keep them all), an aggregate is sent when it is full or has waited
 * `maxBufferedMs`, and the rate is held at `recordsPerSecond` user records.
 */
import { ConfigError } from '../../errors.js';
import { Aggregator, type AggregatedRecord } from '../../kpl/index.js';
import { TickerGenerator } from '../ticker/ticker-generator.js';

/** Where the producer's Kinesis records go: an embedded stream, the Kinesis API, a file. */
export interface ProducerTarget {
  /**
   * Writes the records; may wait (backpressure) while the target cannot take more. When `signal` aborts it may
   * resolve early, leaving the rest unwritten: the producer is stopping.
   */
  put(records: readonly AggregatedRecord[], signal?: AbortSignal): Promise<void>;
  /** The shard a partition key routes to, so that each aggregate holds records of one shard. */
  shardOf?(partitionKey: string): string;
}

export interface TickerProducerOptions {
  /** User records per second. @default 1000 */
  readonly recordsPerSecond?: number;
  /** Aggregate records (the KPL default) or send each as its own Kinesis record. @default true */
  readonly aggregate?: boolean;
  /** Largest aggregate in bytes. @default 51200 */
  readonly maxAggregateBytes?: number;
  /** Longest a record waits in an open aggregate (the KPL's RecordMaxBufferedTime). @default 100 */
  readonly maxBufferedMs?: number;
  readonly seed?: number;
  readonly tickers?: number;
  readonly clock?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface ProduceLimits {
  readonly durationMs?: number;
  readonly maxRecords?: number;
  readonly signal?: AbortSignal;
}

export class TickerProducer {
  /** User records produced so far, and Kinesis records put. */
  userRecords = 0;
  kinesisRecords = 0;
  /**
   * User records the rate asked for but that were never made, because the target held the producer back
   * (backpressure) or the event loop stalled: the producer catches up at most one second of its schedule.
   */
  skippedRecords = 0;
  private readonly generator: TickerGenerator;
  private readonly aggregators = new Map<string, { aggregator: Aggregator; since: number }>();
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly rate: number;

  constructor(
    private readonly target: ProducerTarget,
    private readonly options: TickerProducerOptions = {},
  ) {
    this.generator = new TickerGenerator({ seed: options.seed, tickers: options.tickers });
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.rate = options.recordsPerSecond ?? 1000;
    if (!(this.rate > 0)) throw new ConfigError('recordsPerSecond', `must be positive. Received ${this.rate}`);
  }

  /** Produces until a limit is reached (or forever without one), then sends what is buffered. */
  async run(limits: ProduceLimits = {}): Promise<void> {
    const start = this.clock();
    const tickMs = 50;
    for (;;) {
      const now = this.clock();
      if (limits.signal?.aborted) break;
      if (limits.durationMs !== undefined && now - start >= limits.durationMs) break;
      if (limits.maxRecords !== undefined && this.userRecords >= limits.maxRecords) break;
      // Catch up to where the rate says we should be, in one step per tick, but by at most one second's worth:
      // after a wait for the target (or a stalled event loop) a larger burst would only fill memory.
      let due = Math.floor(((now - start) / 1000) * this.rate) + 1 - this.userRecords - this.skippedRecords;
      const maxBurst = Math.max(1, Math.ceil(this.rate));
      if (due > maxBurst) {
        this.skippedRecords += due - maxBurst;
        due = maxBurst;
      }
      if (limits.maxRecords !== undefined) due = Math.min(due, limits.maxRecords - this.userRecords);
      const out: AggregatedRecord[] = [];
      for (let i = 0; i < due; i++) out.push(...this.produceOne(now));
      out.push(...this.expired(now));
      if (out.length > 0) await this.send(out, limits.signal);
      await this.sleep(tickMs);
    }
    await this.flush(limits.signal);
  }

  /** Sends every open aggregate (a target that must wait for room gives up when `signal` has aborted). */
  async flush(signal?: AbortSignal): Promise<void> {
    const out: AggregatedRecord[] = [];
    for (const a of this.aggregators.values()) out.push(...a.aggregator.flush());
    if (out.length > 0) await this.send(out, signal);
  }

  private produceOne(now: number): AggregatedRecord[] {
    const rec = this.generator.next(now);
    this.userRecords++;
    const data = JSON.stringify(rec);
    if (this.options.aggregate === false) return [{ partitionKey: rec.TICKER_SYMBOL, data: Buffer.from(data), userRecordCount: 1 }];
    const shard = this.target.shardOf?.(rec.TICKER_SYMBOL) ?? '';
    let a = this.aggregators.get(shard);
    if (!a) {
      a = { aggregator: new Aggregator({ maxBytes: this.options.maxAggregateBytes }), since: now };
      this.aggregators.set(shard, a);
    }
    if (a.aggregator.pendingRecords === 0) a.since = now;
    return a.aggregator.add({ partitionKey: rec.TICKER_SYMBOL, data });
  }

  private expired(now: number): AggregatedRecord[] {
    const out: AggregatedRecord[] = [];
    const maxWait = this.options.maxBufferedMs ?? 100;
    for (const a of this.aggregators.values()) if (a.aggregator.pendingRecords > 0 && now - a.since >= maxWait) out.push(...a.aggregator.flush());
    return out;
  }

  private async send(records: AggregatedRecord[], signal?: AbortSignal): Promise<void> {
    this.kinesisRecords += records.length;
    await this.target.put(records, signal);
  }
}
