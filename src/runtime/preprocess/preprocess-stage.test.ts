import { describe, expect, it } from 'vitest';
import type { ExecutionError } from '../../errors.js';
import type { SourceRecord } from '../../kinesis/index.js';
import { aggregate } from '../../kpl/index.js';
import { createPreprocessStage } from './preprocess-stage.js';

const record = (data: Uint8Array, extra: Partial<SourceRecord> = {}): SourceRecord => ({
  shardId: 'shardId-000000000000',
  sequenceNumber: '1',
  partitionKey: 'k',
  data,
  approximateArrivalTimestamp: 0,
  ...extra,
});

async function run(records: SourceRecord[], corruptAggregates?: 'fail' | 'pass-through') {
  const stage = await createPreprocessStage({ type: 'kpl', corruptAggregates });
  const payloads: string[] = [];
  const failures: ExecutionError[] = [];
  await stage.process(records, { payload: (d) => payloads.push(Buffer.from(d).toString()), failed: (e) => failures.push(e) });
  return { payloads, failures, userRecords: stage.userRecords };
}

describe('KPL preprocess stage', () => {
  const [agg] = aggregate(['a', 'b', 'c'].map((d) => ({ partitionKey: 'k', data: d })));

  it('de-aggregates an aggregate and passes a record without the KPL magic through', async () => {
    const r = await run([record(agg.data), record(Buffer.from('{"x":1}'))]);
    expect(r).toEqual({ payloads: ['a', 'b', 'c', '{"x":1}'], failures: [], userRecords: 4 });
  });

  it('sends an aggregate whose MD5 does not match, or that is cut short, to error_stream as corrupt', async () => {
    const flipped = Buffer.from(agg.data);
    flipped[8] ^= 1;
    const r = await run([record(flipped), record(agg.data.subarray(0, 8)), record(agg.data)]);
    expect(r.payloads).toEqual(['a', 'b', 'c']);
    expect(r.failures.map((e) => [e.errorName, /corrupt KPL aggregate/.test(e.message)])).toEqual([
      ['KPL_DEAGGREGATION', true],
      ['KPL_DEAGGREGATION', true],
    ]);
  });

  it('with the pass-through policy hands a corrupt aggregate on as one plain record, as the KCL does', async () => {
    const flipped = Buffer.from(agg.data);
    flipped[8] ^= 1;
    const r = await run([record(flipped), record(agg.data)], 'pass-through');
    expect(r.failures).toEqual([]);
    expect(r.payloads).toEqual([flipped.toString(), 'a', 'b', 'c']);
    expect(r.userRecords).toBe(4);
  });

  it('after a resume inside an aggregate, drops the user records already processed', async () => {
    const r = await run([record(agg.data, { resumeAfterSubSequenceNumber: 0 })]);
    expect(r.payloads).toEqual(['b', 'c']);
    expect(r.userRecords).toBe(2);
  });
});
