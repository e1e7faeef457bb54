/**
 * The reading logic shared by the embedded stream and the Kinesis API: which shards to read from where, given a
 * starting position and checkpoints; GetRecords per shard with pauses when a shard is idle and backoff when it is
 * throttled; shard lineage (a child shard is read only after every parent was read to its end, so the records of a
 * partition key stay in order across a split or merge); and checkpoints of what was delivered.
 */
import { ConfigError } from '../errors.js';
import type { HashKeyRange } from './hash-key.js';
import type { ShardApi, ShardDescription, ShardIteratorStart } from './shard-api.js';
import {
  CHECKPOINT_AT_TIMESTAMP, CHECKPOINT_SHARD_END, CHECKPOINT_TRIM_HORIZON,
  type ReadResult, type ShardCheckpoint, type SourceRecord, type StartingPosition, type StreamSource,
} from './stream-source.js';

export interface ShardedStreamReaderOptions {
  /** read() resolves after about this long when no record comes. @default 200 */
  pollMs?: number;
  /** GetRecords' Limit: most records per shard per call. @default 10000 */
  maxRecordsPerShard?: number;
  /** Pause before asking a shard again after it returned nothing. @default 1000 */
  idleMs?: number;
  /** Least time between two GetRecords calls on one shard (Kinesis allows five per second). @default 200 */
  minFetchIntervalMs?: number;
  /** Backoff after a throttled or failed call: base * 2^(failures-1), capped, with full jitter. */
  backoffBaseMs?: number;
  /** @default 5000 */
  backoffMaxMs?: number;
  /** ListShards again this often to find new shards; it is also called whenever a shard ends. @default 30000 */
  shardRefreshMs?: number;
  /** Where LAST_STOPPED_POINT starts when there is no checkpoint at all (a first run). @default 'TRIM_HORIZON' */
  noCheckpointPosition?: 'TRIM_HORIZON' | 'NOW';
  /** Jitter source, for tests. @default Math.random */
  random?: () => number;
}

type Status = 'waiting' | 'reading' | 'finished';

interface ShardState {
  readonly shardId: string;
  readonly hashKeyRange: HashKeyRange;
  parents: string[];
  status: Status;
  /** Where to (re)open an iterator: after the last delivered record, or the initial position. */
  start: ShardIteratorStart;
  checkpoint: ShardCheckpoint | null;
  iterator: string | null;
  resumeSubSequence?: { sequenceNumber: string; subSequenceNumber: number };
  nextFetchAt: number;
  idle: boolean;
  failures: number;
  millisBehindLatest?: number;
  endedThisRun: boolean;
}

interface FetchOutcome {
  records: SourceRecord[];
  ended: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A {@link StreamSource} over any {@link ShardApi}. */
export class ShardedStreamReader implements StreamSource {
  protected readonly api: ShardApi;
  private readonly pollMs: number;
  private readonly limit: number;
  private readonly idleMs: number;
  private readonly minFetchIntervalMs: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly shardRefreshMs: number;
  private readonly noCheckpointPosition: 'TRIM_HORIZON' | 'NOW';
  private readonly random: () => number;
  private readonly states = new Map<string, ShardState>();
  private started = false;
  private closed = false;
  private reading = false;
  private lastRefresh = 0;
  private pendingError: unknown;
  private retryCount = 0;

  constructor(api: ShardApi, options: ShardedStreamReaderOptions = {}) {
    this.api = api;
    this.pollMs = positive('pollMs', options.pollMs ?? 200);
    this.limit = positive('maxRecordsPerShard', options.maxRecordsPerShard ?? 10_000);
    this.idleMs = nonNegative('idleMs', options.idleMs ?? 1000);
    this.minFetchIntervalMs = nonNegative('minFetchIntervalMs', options.minFetchIntervalMs ?? 200);
    this.backoffBaseMs = positive('backoffBaseMs', options.backoffBaseMs ?? 100);
    this.backoffMaxMs = positive('backoffMaxMs', options.backoffMaxMs ?? 5000);
    this.shardRefreshMs = positive('shardRefreshMs', options.shardRefreshMs ?? 30_000);
    this.noCheckpointPosition = options.noCheckpointPosition ?? 'TRIM_HORIZON';
    this.random = options.random ?? Math.random;
  }

  async start(position: StartingPosition, checkpoints: ShardCheckpoint[] = []): Promise<void> {
    if (this.started) throw new ConfigError('source', 'start() was already called');
    if (!['NOW', 'TRIM_HORIZON', 'LAST_STOPPED_POINT'].includes(position)) {
      throw new ConfigError('startingPosition', `must be NOW, TRIM_HORIZON or LAST_STOPPED_POINT; received ${String(position)}`);
    }
    const shards = await this.api.listShards();
    this.lastRefresh = Date.now();
    const listed = new Set(shards.map((s) => s.shardId));
    const parentsOf = (d: ShardDescription) =>
      [d.parentShardId, d.adjacentParentShardId].filter((p): p is string => p !== undefined && listed.has(p));
    const mode = position === 'LAST_STOPPED_POINT' && checkpoints.length === 0 ? this.noCheckpointPosition : position;

    if (mode === 'NOW') {
      // Only open shards receive new records; closed ones are behind the start point.
      for (const d of shards) {
        const state = this.addState(d, parentsOf(d));
        if (d.endingSequenceNumber !== undefined) this.finish(state);
        else this.beginReading(state, { type: 'LATEST' });
      }
    } else if (mode === 'TRIM_HORIZON') {
      // Roots first; every other shard waits for its parents (activate() below starts it).
      for (const d of shards) this.addState(d, parentsOf(d));
    } else {
      const byShard = new Map<string, ShardCheckpoint>();
      for (const [i, cp] of checkpoints.entries()) byShard.set(cp.shardId, validateCheckpoint(cp, i));
      // A shard whose descendant has a checkpoint was read to its end before that descendant was started.
      const descriptions = new Map(shards.map((d) => [d.shardId, d]));
      const ended = new Set<string>();
      const markAncestors = (id: string) => {
        const d = descriptions.get(id);
        if (!d) return;
        for (const p of parentsOf(d)) {
          if (!ended.has(p)) { ended.add(p); markAncestors(p); }
        }
      };
      for (const [id, cp] of byShard) {
        if (!listed.has(id)) continue; // expired since the checkpoint
        if (cp.sequenceNumber === CHECKPOINT_SHARD_END) ended.add(id);
        markAncestors(id);
      }
      for (const d of shards) {
        const state = this.addState(d, parentsOf(d));
        const cp = byShard.get(d.shardId);
        if (ended.has(d.shardId)) this.finish(state);
        else if (cp) this.resume(state, cp);
        // else: waiting; activate() starts it at TRIM_HORIZON once its parents have ended (at once for a root).
      }
    }
    this.started = true;
    this.activate();
    // NOW means the moment start() is called: open those iterators here, not at the first read().
    await Promise.all([...this.states.values()].filter((s) => s.start.type === 'LATEST').map((s) => this.openIterator(s)));
  }

  async read(): Promise<ReadResult> {
    if (!this.started) throw new ConfigError('source', 'read() before start()');
    if (this.closed) throw new ConfigError('source', 'read() after close()');
    if (this.reading) throw new ConfigError('source', 'read() called while another read() is pending');
    this.reading = true;
    try {
      return await this.readRound();
    } finally {
      this.reading = false;
    }
  }

  private async readRound(): Promise<ReadResult> {
    this.throwPendingError();
    const deadline = Date.now() + this.pollMs;
    for (;;) {
      if (this.refreshDue()) await this.tryRefresh();
      const now = Date.now();
      const due = [...this.states.values()].filter((s) => s.status === 'reading' && s.nextFetchAt <= now);
      if (due.length > 0) {
        const outcomes = await Promise.allSettled(due.map((s) => this.fetch(s)));
        const records: SourceRecord[] = [];
        let ended = false;
        for (const outcome of outcomes) {
          if (outcome.status === 'fulfilled') {
            for (const r of outcome.value.records) records.push(r);
            ended ||= outcome.value.ended;
          } else {
            // Keep what the other shards returned (their positions moved on); report the failure next.
            this.pendingError ??= outcome.reason;
          }
        }
        if (ended) {
          // These records' positions have moved on: a failure here must not lose them; it is reported next.
          try {
            await this.tryRefresh();
          } catch (error) {
            this.pendingError ??= error;
          }
        }
        if (records.length > 0) return { records, done: false, millisBehindLatest: this.millisBehindLatest() };
        this.throwPendingError();
        if (ended) continue;
      }
      const after = Date.now();
      if (after >= deadline) return { records: [], done: false, millisBehindLatest: this.millisBehindLatest() };
      let nextDue = Number.POSITIVE_INFINITY;
      for (const s of this.states.values()) if (s.status === 'reading') nextDue = Math.min(nextDue, s.nextFetchAt);
      const wait = Math.min(deadline, nextDue) - after;
      if (wait <= 0) continue;
      if (this.api.waitForData) {
        if (await this.api.waitForData(wait)) {
          // New data: idle shards may have some; shards in backoff keep their pause.
          for (const s of this.states.values()) if (s.idle) s.nextFetchAt = 0;
        }
      } else {
        await sleep(wait);
      }
    }
  }

  checkpoints(): ShardCheckpoint[] {
    const out: ShardCheckpoint[] = [];
    for (const s of this.states.values()) if (s.checkpoint) out.push({ ...s.checkpoint });
    return out;
  }

  shardHashKeyRange(shardId: string): HashKeyRange | undefined {
    return this.states.get(shardId)?.hashKeyRange;
  }

  /** Retries so far after throttling or failed calls. */
  get retries(): number {
    return this.retryCount;
  }

  /** The state of each shard known: waiting (for its parents), reading, or finished. */
  shardStatus(): { shardId: string; status: Status }[] {
    return [...this.states.values()].map((s) => ({ shardId: s.shardId, status: s.status }));
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private throwPendingError(): void {
    if (this.pendingError !== undefined) {
      const error = this.pendingError;
      this.pendingError = undefined;
      throw error;
    }
  }

  private addState(d: ShardDescription, parents: string[]): ShardState {
    const state: ShardState = {
      shardId: d.shardId, hashKeyRange: d.hashKeyRange, parents, status: 'waiting', start: { type: 'TRIM_HORIZON' }, checkpoint: null, iterator: null,
      nextFetchAt: 0, idle: false, failures: 0, endedThisRun: false,
    };
    this.states.set(d.shardId, state);
    return state;
  }

  private beginReading(state: ShardState, start: ShardIteratorStart): void {
    state.status = 'reading';
    state.start = start;
    state.nextFetchAt = 0;
    state.checkpoint = checkpointFor(state.shardId, start);
  }

  private resume(state: ShardState, cp: ShardCheckpoint): void {
    if (cp.sequenceNumber === CHECKPOINT_TRIM_HORIZON) this.beginReading(state, { type: 'TRIM_HORIZON' });
    else if (cp.sequenceNumber === CHECKPOINT_AT_TIMESTAMP) this.beginReading(state, { type: 'AT_TIMESTAMP', timestamp: cp.timestamp as number });
    else if (cp.subSequenceNumber !== undefined) {
      // Part of this aggregated record was processed: read it again and say how much of it to skip.
      this.beginReading(state, { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: cp.sequenceNumber });
      state.resumeSubSequence = { sequenceNumber: cp.sequenceNumber, subSequenceNumber: cp.subSequenceNumber };
      state.checkpoint = { ...cp };
    } else this.beginReading(state, { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: cp.sequenceNumber });
  }

  private finish(state: ShardState): void {
    state.status = 'finished';
    state.iterator = null;
    state.idle = false;
    state.checkpoint = { shardId: state.shardId, sequenceNumber: CHECKPOINT_SHARD_END };
  }

  /** Starts every waiting shard whose parents have all ended (or are unknown: expired from the stream). */
  private activate(): void {
    let changed = true;
    while (changed) {
      changed = false;
      for (const s of this.states.values()) {
        if (s.status !== 'waiting') continue;
        if (s.parents.every((p) => this.states.get(p)?.status !== 'reading' && this.states.get(p)?.status !== 'waiting')) {
          this.beginReading(s, { type: 'TRIM_HORIZON' });
          changed = true;
        }
      }
    }
  }

  private refreshDue(): boolean {
    const sinceRefresh = Date.now() - this.lastRefresh;
    if (sinceRefresh >= this.shardRefreshMs) return true;
    // A shard that ended in this run must have children (a split or merge closed it); look until they show up.
    if (sinceRefresh < this.pollMs) return false;
    for (const s of this.states.values()) {
      if (!s.endedThisRun) continue;
      let hasChild = false;
      for (const c of this.states.values()) if (c.parents.includes(s.shardId)) { hasChild = true; break; }
      if (!hasChild) return true;
    }
    return false;
  }

  private async tryRefresh(): Promise<void> {
    try {
      await this.refresh();
    } catch (error) {
      // A throttled ListShards is tried again later; reading the shards already known goes on.
      if (!this.api.isRetryable(error)) throw error;
      this.retryCount++;
      this.lastRefresh = Date.now();
    }
  }

  private async refresh(): Promise<void> {
    const shards = await this.api.listShards();
    this.lastRefresh = Date.now();
    for (const d of shards) {
      if (this.states.has(d.shardId)) continue;
      const parents = [d.parentShardId, d.adjacentParentShardId].filter((p): p is string => p !== undefined && this.states.has(p));
      this.addState(d, parents);
    }
    this.activate();
  }

  private async fetch(s: ShardState): Promise<FetchOutcome> {
    try {
      const iterator = s.iterator ?? (await this.openIterator(s));
      const out = await this.api.getRecords(s.shardId, iterator, this.limit);
      s.failures = 0;
      let records = out.records;
      if (s.resumeSubSequence && records.length > 0) {
        const { sequenceNumber, subSequenceNumber } = s.resumeSubSequence;
        if (records[0].sequenceNumber === sequenceNumber) {
          records = [{ ...records[0], resumeAfterSubSequenceNumber: subSequenceNumber }, ...records.slice(1)];
        }
        s.resumeSubSequence = undefined;
      }
      if (records.length > 0) {
        const last = records[records.length - 1].sequenceNumber;
        s.start = { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: last };
        s.checkpoint = { shardId: s.shardId, sequenceNumber: last };
      }
      s.millisBehindLatest = out.millisBehindLatest;
      if (out.nextIterator === null) {
        this.finish(s);
        s.endedThisRun = true;
        return { records, ended: true };
      }
      s.iterator = out.nextIterator;
      s.idle = records.length === 0;
      s.nextFetchAt = Date.now() + (s.idle ? Math.max(this.idleMs, this.minFetchIntervalMs) : this.minFetchIntervalMs);
      return { records, ended: false };
    } catch (error) {
      if (this.api.isExpiredIterator(error)) {
        s.iterator = null;
        s.nextFetchAt = 0;
        return { records: [], ended: false };
      }
      if (this.api.isRetryable(error)) {
        s.failures++;
        this.retryCount++;
        s.idle = false;
        const cap = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** Math.min(30, s.failures - 1));
        s.nextFetchAt = Date.now() + cap / 2 + (this.random() * cap) / 2;
        return { records: [], ended: false };
      }
      throw error;
    }
  }

  private async openIterator(s: ShardState): Promise<string> {
    if (s.start.type === 'LATEST') {
      // Remember when reading began: if the iterator must be opened again (or the run resumes) before any record
      // came, AT_TIMESTAMP of this moment loses nothing that arrived since.
      const at = this.api.now();
      s.iterator = await this.api.getShardIterator(s.shardId, s.start);
      s.start = { type: 'AT_TIMESTAMP', timestamp: at };
      s.checkpoint = checkpointFor(s.shardId, s.start);
    } else {
      s.iterator = await this.api.getShardIterator(s.shardId, s.start);
    }
    return s.iterator;
  }

  private millisBehindLatest(): number | undefined {
    let max: number | undefined;
    for (const s of this.states.values()) {
      if (s.status === 'reading' && s.millisBehindLatest !== undefined) max = Math.max(max ?? 0, s.millisBehindLatest);
    }
    return max;
  }
}

function checkpointFor(shardId: string, start: ShardIteratorStart): ShardCheckpoint | null {
  switch (start.type) {
    case 'TRIM_HORIZON': return { shardId, sequenceNumber: CHECKPOINT_TRIM_HORIZON };
    case 'AT_TIMESTAMP': return { shardId, sequenceNumber: CHECKPOINT_AT_TIMESTAMP, timestamp: start.timestamp };
    case 'AFTER_SEQUENCE_NUMBER': return { shardId, sequenceNumber: start.sequenceNumber };
    // LATEST becomes AT_TIMESTAMP when the iterator is opened; AT_SEQUENCE_NUMBER is set by resume().
    default: return null;
  }
}

function validateCheckpoint(cp: ShardCheckpoint, index: number): ShardCheckpoint {
  const field = `checkpoints[${index}]`;
  if (!cp || typeof cp.shardId !== 'string' || typeof cp.sequenceNumber !== 'string') {
    throw new ConfigError(field, `must be { shardId, sequenceNumber, subSequenceNumber? }; received ${JSON.stringify(cp)}`);
  }
  const sentinel = [CHECKPOINT_TRIM_HORIZON, CHECKPOINT_SHARD_END, CHECKPOINT_AT_TIMESTAMP].includes(cp.sequenceNumber);
  if (!sentinel && !/^[0-9]+$/.test(cp.sequenceNumber)) {
    throw new ConfigError(`${field}.sequenceNumber`, `must be decimal digits, TRIM_HORIZON, AT_TIMESTAMP or SHARD_END; received "${cp.sequenceNumber}"`);
  }
  if (cp.sequenceNumber === CHECKPOINT_AT_TIMESTAMP && !Number.isFinite(cp.timestamp)) {
    throw new ConfigError(`${field}.timestamp`, `must be epoch ms with sequenceNumber AT_TIMESTAMP; received ${String(cp.timestamp)}`);
  }
  if (cp.subSequenceNumber !== undefined && !(Number.isInteger(cp.subSequenceNumber) && cp.subSequenceNumber >= 0)) {
    throw new ConfigError(`${field}.subSequenceNumber`, `must be an integer >= 0; received ${String(cp.subSequenceNumber)}`);
  }
  return cp;
}

function positive(field: string, value: number): number {
  if (!(typeof value === 'number' && value > 0)) throw new ConfigError(field, `must be a positive number; received ${String(value)}`);
  return value;
}

function nonNegative(field: string, value: number): number {
  if (!(typeof value === 'number' && value >= 0)) throw new ConfigError(field, `must be a number >= 0; received ${String(value)}`);
  return value;
}

