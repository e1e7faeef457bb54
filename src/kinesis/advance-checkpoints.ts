/**
 * Checkpoints for a pipeline that processed only part of what read() returned (it stopped after N records, or
 * inside a KPL aggregate): the source's checkpoints from before that read, moved past the records processed.
 */
import type { ShardCheckpoint, SourceRecord } from './stream-source.js';

/**
 * @param before `source.checkpoints()` taken before the read() whose records are being processed
 * @param processed the records fully processed, in the order read() returned them (a prefix of the batch)
 * @param partial the record being processed when the pipeline stopped, and the last sub-sequence number of it done
 * @example
 * const before = source.checkpoints();
 * const { records } = await source.read();
 * // ... processed records[0..k) and user records 0..s of records[k]:
 * save(advanceCheckpoints(before, records.slice(0, k), { record: records[k], subSequenceNumber: s }));
 */
export function advanceCheckpoints(
  before: readonly ShardCheckpoint[],
  processed: readonly SourceRecord[],
  partial?: { record: SourceRecord; subSequenceNumber: number },
): ShardCheckpoint[] {
  const byShard = new Map<string, ShardCheckpoint>(before.map((cp) => [cp.shardId, { ...cp }]));
  for (const record of processed) byShard.set(record.shardId, { shardId: record.shardId, sequenceNumber: record.sequenceNumber });
  if (partial) {
    byShard.set(partial.record.shardId, {
      shardId: partial.record.shardId, sequenceNumber: partial.record.sequenceNumber, subSequenceNumber: partial.subSequenceNumber,
    });
  }
  return [...byShard.values()];
}
