import { describe, expect, it } from 'vitest';
import { CodecError, ConfigError } from '../errors.js';
import { type AggregatedRecord, Aggregator, aggregate } from './aggregator.js';
import { deaggregate } from './deaggregate.js';
import { parseAggregatedRecord } from './parse-aggregated-record.js';

/** A record's size as Kinesis counts it against the limit: data plus UTF-8 partition key. */
const kinesisSize = (r: AggregatedRecord) => r.data.length + Buffer.byteLength(r.partitionKey, 'utf8');
const tables = (r: AggregatedRecord) => {
  const parsed = parseAggregatedRecord(r.data, 4, r.data.length - 16);
  return { pk: parsed.partitionKeys, ehk: parsed.explicitHashKeys };
};

describe('Aggregator', () => {
  it('packs up to 51,200 bytes by default, counting data and partition key, and no further', () => {
    const records = Array.from({ length: 2000 }, (_, i) => ({ partitionKey: `key-${i % 7}`, data: `{"n":${i},"pad":"${'x'.repeat(i % 90)}"}` }));
    const aggregator = new Aggregator();
    const out: AggregatedRecord[] = [];
    let nextIndex = 0;
    for (const r of records) {
      const completed = aggregator.add(r);
      nextIndex++;
      for (const c of completed) {
        out.push(c);
        expect(kinesisSize(c)).toBeLessThanOrEqual(51_200);
        // It closed because the record just added did not fit any more.
        const alone = aggregate(records.slice(nextIndex - 1 - c.userRecordCount, nextIndex), { maxBytes: 1_048_576 });
        expect(kinesisSize(alone[0])).toBeGreaterThan(51_200);
      }
    }
    out.push(...aggregator.flush());
    expect(out.length).toBeGreaterThan(2);
    expect(out.reduce((n, r) => n + r.userRecordCount, 0)).toBe(records.length);
    const back = out.flatMap((r) => deaggregate({ data: r.data, partitionKey: r.partitionKey }));
    expect(back.map((u) => Buffer.from(u.data).toString())).toEqual(records.map((r) => r.data));
  });

  it('tracks the pending size exactly: it equals the encoded size', () => {
    const aggregator = new Aggregator({ maxBytes: 1_048_576 });
    const keys = ['é', '株式会社', 'k'.repeat(200), '🚀'];
    for (let i = 0; i < 300; i++) {
      aggregator.add({ partitionKey: keys[i % 4], explicitHashKey: i % 3 ? null : String(i * 1000), data: new Uint8Array(i) });
    }
    const expected = aggregator.pendingBytes;
    const [out] = aggregator.flush();
    expect(kinesisSize(out)).toBe(expected);
    expect(aggregator.pendingBytes).toBe(0);
  });

  it('counts multi-byte partition keys in UTF-8 bytes (3000 distinct 256-character CJK keys stay under 1 MiB each)', () => {
    const records = Array.from({ length: 3000 }, (_, i) => ({ partitionKey: String(i).padStart(4, '0') + '漢'.repeat(252), data: 'x' }));
    const out = aggregate(records, { maxBytes: 1_048_576 });
    expect(out.length).toBeGreaterThan(1);
    for (const r of out) expect(kinesisSize(r)).toBeLessThanOrEqual(1_048_576);
  });

  it('stores each partition key and explicit hash key once, and gives no index to a record without one', () => {
    const [out] = aggregate([
      { partitionKey: 'a', data: '1' },
      { partitionKey: 'b', explicitHashKey: '42', data: '2' },
      { partitionKey: 'a', explicitHashKey: '42', data: '3' },
      { partitionKey: 'b', data: '4' },
    ]);
    expect(tables(out)).toEqual({ pk: ['a', 'b'], ehk: ['42'] });
    expect(deaggregate({ data: out.data, partitionKey: out.partitionKey }).map((u) => u.explicitHashKey)).toEqual([null, '42', '42', null]);
    expect(out).toMatchObject({ partitionKey: 'a', userRecordCount: 4 });
    expect(out.explicitHashKey).toBeUndefined();
  });

  it("routes an aggregate like its first user record: that record's partition key and explicit hash key", () => {
    const [out] = aggregate([
      { partitionKey: 'first', explicitHashKey: '7', data: '1' },
      { partitionKey: 'second', data: '2' },
    ]);
    expect(out.partitionKey).toBe('first');
    expect(out.explicitHashKey).toBe('7');
  });

  it('frames a lone record by default, and sends it raw with sendLoneRecordRaw (as the KPL does)', () => {
    const record = { partitionKey: 'k', explicitHashKey: '9', data: 'solo' };
    const framed = aggregate([record]);
    expect(framed[0].data.length).toBeGreaterThan(4);
    expect(framed[0].userRecordCount).toBe(1);
    expect(deaggregate({ data: framed[0].data, partitionKey: 'k' })[0].aggregated).toBe(true);
    const raw = aggregate([record], { sendLoneRecordRaw: true });
    expect(raw).toEqual([{ partitionKey: 'k', explicitHashKey: '9', data: Buffer.from('solo'), userRecordCount: 1 }]);
    // Two records are still aggregated.
    expect(aggregate([record, record], { sendLoneRecordRaw: true })[0].userRecordCount).toBe(2);
  });

  it('sends a record too big to aggregate on its own, after the open aggregate (order kept)', () => {
    const aggregator = new Aggregator({ maxBytes: 1000 });
    expect(aggregator.add({ partitionKey: 'k', data: 'small' })).toEqual([]);
    const big = new Uint8Array(5000).fill(7);
    const out = aggregator.add({ partitionKey: 'big', data: big });
    expect(out).toHaveLength(2);
    expect(out[0].userRecordCount).toBe(1);
    expect(Buffer.from(deaggregate({ data: out[0].data, partitionKey: out[0].partitionKey })[0].data).toString()).toBe('small');
    expect(out[1]).toEqual({ partitionKey: 'big', data: big, userRecordCount: 1 });
    expect(aggregator.pendingRecords).toBe(0);
  });

  it("rejects a record over the stream's maximum record size and stays unchanged", () => {
    const aggregator = new Aggregator();
    aggregator.add({ partitionKey: 'k', data: 'kept' });
    const tooBig = { partitionKey: 'kk', data: new Uint8Array(1_048_575) };
    expect(() => aggregator.add(tooBig)).toThrow(new CodecError("user record with partition key 'kk' is 1048577 bytes (data + partition key), over the stream's maximum record size of 1048576"));
    expect(aggregator.pendingRecords).toBe(1);
    // A stream raised to 10 MiB takes it, aggregated even, when maxBytes allows.
    const large = aggregate([tooBig], { maxBytes: 10_485_760, streamMaxRecordBytes: 10_485_760 });
    expect(large[0].userRecordCount).toBe(1);
    expect(deaggregate({ data: large[0].data, partitionKey: 'kk' })[0].data.length).toBe(1_048_575);
  });

  it('validates its options', () => {
    expect(() => new Aggregator({ maxBytes: 63 })).toThrow(ConfigError);
    expect(() => new Aggregator({ maxBytes: 2_000_000 })).toThrow(/maxBytes: must be an integer from 64 to streamMaxRecordBytes \(1048576\); received 2000000/);
    expect(() => new Aggregator({ maxBytes: 1.5 })).toThrow(/maxBytes/);
    expect(() => new Aggregator({ streamMaxRecordBytes: 20_000_000 })).toThrow(/streamMaxRecordBytes: must be an integer from 1048576 to 10485760/);
    expect(new Aggregator({ maxBytes: 2_000_000, streamMaxRecordBytes: 4_194_304 }).maxBytes).toBe(2_000_000);
  });

  it('validates records: partition key 1 to 256 characters, explicit hash key a 128-bit decimal, data bytes or text', () => {
    const aggregator = new Aggregator();
    expect(() => aggregator.add({ partitionKey: '', data: 'x' })).toThrow(/partition key must be a string of 1 to 256 characters; received an empty string/);
    expect(() => aggregator.add({ partitionKey: 'k'.repeat(257), data: 'x' })).toThrow(/received a string of 257 characters/);
    expect(() => aggregator.add({ partitionKey: 'k', explicitHashKey: '-5', data: 'x' })).toThrow(/explicit hash key must be a decimal integer/);
    expect(() => aggregator.add({ partitionKey: 'k', explicitHashKey: (1n << 128n).toString(), data: 'x' })).toThrow(/larger than 2\^128-1/);
    expect(() => aggregator.add({ partitionKey: 'k', data: 5 as unknown as string })).toThrow(/data must be a Uint8Array or a string; received number/);
    expect(aggregator.pendingRecords).toBe(0);
  });

  it('flush on an empty aggregator completes nothing', () => {
    expect(new Aggregator().flush()).toEqual([]);
    expect(aggregate([])).toEqual([]);
  });
});
