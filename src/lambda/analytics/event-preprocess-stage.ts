/**
 * The analytics function's record preprocessing behind the runtime's one interface (`PreprocessStage`): per
 * DEAGGREGATION, through the Preprocessor function (a Lambda invoke with the KDA preprocessing event), in process
 * (KPL de-aggregation with the corrupt-aggregate policy), or not at all. The batch is decoded the first time a
 * record of it is asked for, from that record to the end, so that the preprocessor gets requests as large as its
 * limit allows rather than one per record. When the preprocessor cannot be reached, the stage says where it
 * stopped; the loop commits what came before and the batch resumes from there.
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import { ExecutionError } from '../../errors.js';
import type { SourceRecord } from '../../kinesis/index.js';
import type { PreprocessSink, PreprocessStage, PreprocessStopped } from '../../runtime/preprocess/preprocess-stage.js';
import { type DecodeBatchOptions, type DecodedRecord, decodeBatch } from './decode-batch.js';
import type { EventSourceRecord } from './event-batch-source.js';

export class EventPreprocessStage implements PreprocessStage {
  userRecords = 0;
  /** Records that became error_stream rows before the input mapping (corrupt aggregates, bad base64, ProcessingFailed). */
  failures = 0;
  private readonly decoded = new Map<number, DecodedRecord>();
  private stopped: { index: number; reason: string } | undefined;

  constructor(
    private readonly records: readonly KinesisStreamRecord[],
    private readonly options: DecodeBatchOptions,
  ) {}

  /** Where the preprocessor could not be invoked (an index of the shard's records), once it happened. */
  get stoppedAt(): { index: number; reason: string } | undefined {
    return this.stopped;
  }

  async process(records: readonly SourceRecord[], sink: PreprocessSink): Promise<void | PreprocessStopped> {
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as EventSourceRecord;
      if (!this.decoded.has(record.index) && this.stopped === undefined) await this.decodeFrom(record.index);
      const d = this.decoded.get(record.index);
      if (!d) return { stoppedAt: i, reason: this.stopped?.reason ?? 'not decoded' };
      if (d.failure) {
        this.failures++;
        sink.failed(new ExecutionError(d.failure.errorName, d.failure.message), record);
      }
      for (const p of d.payloads) {
        this.userRecords++;
        sink.payload(p.data, record);
      }
    }
  }

  private async decodeFrom(index: number): Promise<void> {
    const batch = await decodeBatch(this.records.slice(index), this.options);
    for (const d of batch.records) this.decoded.set(index + d.index, { ...d, index: index + d.index });
    if (batch.stoppedAt) this.stopped = { index: index + batch.stoppedAt.index, reason: batch.stoppedAt.reason };
  }
}
