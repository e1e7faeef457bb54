/**
 * Record preprocessing, the stage between the stream and the input mapping: nothing, the built-in KPL
 * de-aggregation (with one corrupt-aggregate policy, the same on every host), or a user's preprocessor (a module in
 * process, or, on Lambda, a function invoked with the KDA preprocessing event). It turns source records into
 * payloads for the input mapping; a record it cannot process becomes one error_stream row and the loop goes on.
 */
import { ExecutionError } from '../../errors.js';
import type { HashKeyRange } from '../../kpl/index.js';
import type { SourceRecord } from '../../kinesis/index.js';
import type { CorruptAggregatePolicy, PreprocessorDefinition } from '../../spec/app-definition.js';
import { kplUserRecords } from './kpl-user-records.js';
import { ModulePreprocessor } from './module-preprocessor.js';

export interface PreprocessSink {
  /** A payload for the input mapping, from `record`. */
  payload(data: Uint8Array, record: SourceRecord): void;
  /** `record` could not be preprocessed. */
  failed(error: ExecutionError, record: SourceRecord): void;
}

/** Preprocessing stopped part-way: records from index `stoppedAt` on were not handed on. */
export interface PreprocessStopped {
  readonly stoppedAt: number;
  readonly reason: string;
}

export interface PreprocessStage {
  /**
   * Processes a batch in order; resolves when every record has been handed on, or, for a stage that depends on a
   * service that may be unreachable (a preprocessor function invoked on Lambda), with where it stopped.
   */
  process(records: readonly SourceRecord[], sink: PreprocessSink): Promise<void | PreprocessStopped>;
  /** How many user records the last calls produced in total (KPL: after de-aggregation). */
  readonly userRecords: number;
}

/** The hash-key range of a shard, when the source knows it (for KCL-style filtering after a reshard). */
export type ShardRangeLookup = (shardId: string) => HashKeyRange | undefined;

export async function createPreprocessStage(def: PreprocessorDefinition, shardRange?: ShardRangeLookup): Promise<PreprocessStage> {
  switch (def.type) {
    case 'none':
      return new PassThroughStage();
    case 'kpl':
      return new KplStage(shardRange, def.corruptAggregates ?? 'fail');
    case 'module':
      return new ModuleStage(await ModulePreprocessor.load(def.path, { timeoutMs: def.timeoutMs }));
  }
}

class PassThroughStage implements PreprocessStage {
  userRecords = 0;
  async process(records: readonly SourceRecord[], sink: PreprocessSink): Promise<void> {
    for (const r of records) {
      this.userRecords++;
      sink.payload(r.data, r);
    }
  }
}

/**
 * A record without the KPL magic passes through as one user record (KCL semantics: the KPL sends a lone record
 * raw). A record that starts with the magic but fails verification (too short, wrong MD5, a body that does not
 * parse) is a corrupt aggregate. With the policy `fail` (the default) it goes to error_stream saying so, as the
 * seed's de-aggregating Lambda reported it, rather than on to the input mapping as one meaningless "invalid JSON"
 * row; with `pass-through` its bytes go on as one plain record, as the KCL does.
 */
class KplStage implements PreprocessStage {
  userRecords = 0;
  constructor(
    private readonly shardRange: ShardRangeLookup | undefined,
    private readonly corruptAggregates: CorruptAggregatePolicy,
  ) {}
  async process(records: readonly SourceRecord[], sink: PreprocessSink): Promise<void> {
    for (const r of records) {
      const result = kplUserRecords(r, this.corruptAggregates, { shardHashKeyRange: this.shardRange?.(r.shardId) });
      if (!result.ok) {
        sink.failed(new ExecutionError('KPL_DEAGGREGATION', `record ${r.sequenceNumber} of ${r.shardId}: corrupt KPL aggregate: ${result.detail}`), r);
        continue;
      }
      // After a resume inside an aggregate, its user records up to the checkpointed one were processed already.
      const skip = r.resumeAfterSubSequenceNumber;
      const users = skip === undefined ? result.records : result.records.filter((u) => u.subSequenceNumber > skip);
      this.userRecords += users.length;
      for (const u of users) sink.payload(u.data, r);
    }
  }
}

class ModuleStage implements PreprocessStage {
  userRecords = 0;
  constructor(private readonly module: ModulePreprocessor) {}
  async process(records: readonly SourceRecord[], sink: PreprocessSink): Promise<void> {
    const outcomes = await this.module.process(records);
    outcomes.forEach((o, i) => {
      if (o.result === 'Ok') {
        this.userRecords++;
        sink.payload(o.data, records[i]);
      } else if (o.result === 'ProcessingFailed') {
        sink.failed(new ExecutionError('PREPROCESSING_FAILED', `record ${records[i].sequenceNumber} of ${records[i].shardId}: ${o.reason}`), records[i]);
      }
    });
  }
}
