/**
 * One shard's DynamoDB state as the shard loop's state store (the runtime's `StateStore` port), for one pass of
 * the loop (an invocation's batch, or a clock tick). The loop's epoch is the item's version: saving epoch `v`
 * is the conditional write "version = v - 1" (ShardStateStore.commit), which throws StateConflictError when
 * another invocation committed the shard first; marking delivered is the conditional "delivered = v".
 * The state the pass started from is loaded by the host (it decides from it whether a tick advances the shard).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { InternalError } from '../../errors.js';
import type { LoadedState, LoopState, StateStore } from '../../runtime/shard-loop.js';
import type { PendingRow } from './firehose-delivery-target.js';
import type { PendingRows, ShardState, ShardStateStore } from './shard-state-store.js';

export interface ShardPassStoreOptions {
  /** The running application's fingerprint: a snapshot is restored only into the application that wrote it. */
  readonly fingerprint: string;
  /** What a commit records as the last time records came (ticks leave busy shards alone). */
  readonly lastRecordsAt: () => number | null;
  /** A row's delivery stream and line (rows are committed as Firehose will receive them). */
  readonly route: (row: PendingRow) => { deliveryStream: string; line: string };
  readonly logger: Logger;
  /** Registers the shard for clock ticks before its first commit. */
  readonly now: () => number;
  /** Warn when the state was written by another application (a batch does; a tick, which only delivers, does not). */
  readonly warnOnChangedApplication: boolean;
}

export class ShardPassStore implements StateStore {
  private chunked: boolean;
  /** Gzipped bytes of the state as committed last (or loaded). */
  stateBytes: number;

  constructor(
    private readonly store: ShardStateStore,
    private readonly shardKey: string,
    private readonly loaded: ShardState | undefined,
    private readonly options: ShardPassStoreOptions,
  ) {
    this.chunked = loaded?.chunked ?? false;
    this.stateBytes = loaded?.stateBytes ?? 0;
  }

  get location(): string {
    return `${this.store.tableName}: ${this.shardKey}`;
  }

  load(): LoadedState | undefined {
    const s = this.loaded;
    if (!s) return undefined;
    const current = s.fingerprint === this.options.fingerprint;
    if (!current && this.options.warnOnChangedApplication) this.options.logger.warn('the application changed since this shard was committed: its windows start afresh', { shardKey: this.shardKey, committedBy: s.fingerprint, now: this.options.fingerprint });
    const rows: PendingRow[] = [];
    for (const [deliveryStream, lines] of Object.entries(s.pending)) {
      for (const line of lines) rows.push({ stream: '', row: {}, rowtime: 0, deliveryStream, line });
    }
    return {
      epoch: s.version,
      state: {
        runtime: current ? s.runtime : undefined,
        positions: s.position ? [{ shardId: this.shardKey, sequenceNumber: s.position.sequenceNumber, subSequenceNumber: s.position.subSequenceNumber }] : [],
        rows,
      },
    };
  }

  async save(epoch: number, state: LoopState): Promise<void> {
    const expected = epoch - 1;
    // Registered before the first commit, so that no committed shard is ever out of the ticks' reach.
    if (expected === 0) await this.store.registerShard(this.shardKey, this.options.now());
    const position = state.positions[0];
    const pending: PendingRows = {};
    for (const row of state.rows as readonly PendingRow[]) {
      const { deliveryStream, line } = this.options.route(row);
      (pending[deliveryStream] ??= []).push(line);
    }
    if (!state.runtime) throw new InternalError(`a commit of ${this.shardKey} has no engine state`);
    const committed = await this.store.commit(this.shardKey, expected, {
      fingerprint: this.options.fingerprint,
      position: position ? { sequenceNumber: position.sequenceNumber, subSequenceNumber: position.subSequenceNumber ?? 0 } : null,
      lastRecordsAt: this.options.lastRecordsAt(),
      runtime: state.runtime,
      pending,
    }, this.chunked);
    this.chunked = committed.chunked;
    this.stateBytes = committed.stateBytes;
  }

  async markDelivered(epoch: number): Promise<void> {
    if (!(await this.store.markDelivered(this.shardKey, epoch))) {
      this.options.logger.warn('shard moved on before its delivered rows were marked; they may be delivered again', { shardKey: this.shardKey, version: epoch });
    }
  }
}
