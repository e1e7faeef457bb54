// Cross-check with the official Node module, aws-kinesis-agg (devDependency): what it aggregates we
// de-aggregate identically, and what we aggregate it de-aggregates identically, except for its documented bug
// (FORMAT.md §4): a record without an explicit hash key in an aggregate whose EHK table is not empty is
// reported with table[0] instead of none. Its aggregator has a bug of its own (not in FORMAT.md, found here):
// it writes the key tables with Object.keys(), which lists integer-like keys ("0" … "4294967294") first and in
// numeric order, while the indexes follow insertion order, so such partition keys and explicit hash keys end up
// swapped on the wire. It also keeps the tables in plain objects, so a partition key "__proto__" sets the
// object's prototype instead of adding an entry: the key is missing from the table and the aggregate it writes
// is invalid (an index out of range), and a key that names another Object.prototype member ("hasOwnProperty")
// shadows the method it calls next. The identity property therefore leaves out integer-like keys and the names
// of Object.prototype members; the first two bugs have their own tests.
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate } from './aggregator.js';
import { deaggregate } from './deaggregate.js';
import { MAX_HASH_KEY } from './hash-key.js';

interface PeerUserRecord {
  partitionKey: string;
  explicitPartitionKey?: string;
  sequenceNumber: string;
  subSequenceNumber?: number;
  data: string;
}
interface PeerModule {
  RecordAggregator: new () => {
    addUserRecord(record: { partitionKey: string; explicitHashKey?: string; data: Buffer }): void;
    build(): { partitionKey: string; ExplicitHashKey?: string; data: Buffer } | undefined;
  };
  deaggregateSync(record: { data: string; partitionKey: string; sequenceNumber: string }, computeChecksums: boolean, callback: (err: Error | null | undefined, records?: PeerUserRecord[]) => void): void;
}
const peer = createRequire(import.meta.url)('aws-kinesis-agg') as PeerModule;

/** The peer's callback may fire more than once (FORMAT.md §4); keep the first error or the records. */
function peerDeaggregate(data: Uint8Array, partitionKey: string): PeerUserRecord[] {
  let result: PeerUserRecord[] | undefined;
  let failure: Error | undefined;
  peer.deaggregateSync({ data: Buffer.from(data).toString('base64'), partitionKey, sequenceNumber: '1' }, true, (err, records) => {
    if (err) failure ??= err;
    else result ??= records;
  });
  if (failure) throw failure;
  return result!;
}

/** A key JavaScript treats as an array index, which Object.keys() lists first, in numeric order. */
const isArrayIndex = (key: string) => /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;

// The peer sizes keys by UTF-16 length, so keep batches far below its 1 MiB limit; it rejects empty keys.
const partitionKey = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), fc.constantFrom('AMZN', 'MSFT', '42', '7')).filter((k) => k.length <= 256);
const explicitHashKey = fc.option(fc.oneof(fc.bigInt({ min: 0n, max: MAX_HASH_KEY }), fc.bigInt({ min: 0n, max: 100n })).map(String), { nil: null });
const records = fc.array(fc.record({ partitionKey, explicitHashKey, data: fc.uint8Array({ maxLength: 300 }) }), { minLength: 1, maxLength: 40 });
const recordsWithoutIndexLikeKeys = records
  .map((list) => list.filter((r) => !isArrayIndex(r.partitionKey) && !(r.partitionKey in Object.prototype) && (r.explicitHashKey === null || !isArrayIndex(r.explicitHashKey))))
  .filter((list) => list.length > 0);

describe('cross-check with aws-kinesis-agg 4.2.8', () => {
  it('what aws-kinesis-agg aggregates, we de-aggregate to the records it was given (keys neither integer-like nor Object.prototype names)', () => {
    fc.assert(
      fc.property(recordsWithoutIndexLikeKeys, (input) => {
        const aggregator = new peer.RecordAggregator();
        for (const r of input) aggregator.addUserRecord({ partitionKey: r.partitionKey, explicitHashKey: r.explicitHashKey ?? undefined, data: Buffer.from(r.data) });
        const built = aggregator.build()!;
        const users = deaggregate({ data: built.data, partitionKey: built.partitionKey });
        expect(users.map((u) => [u.subSequenceNumber, u.partitionKey, u.explicitHashKey, Buffer.from(u.data).toString('base64'), u.aggregated])).toEqual(
          input.map((r, i) => [i, r.partitionKey, r.explicitHashKey, Buffer.from(r.data).toString('base64'), true]),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('what we aggregate, aws-kinesis-agg de-aggregates identically (except its absent-EHK bug, asserted as such)', () => {
    fc.assert(
      fc.property(records, (input) => {
        const [out] = aggregate(input);
        const theirs = peerDeaggregate(out.data, out.partitionKey);
        const ehkTable = [...new Set(input.flatMap((r) => (r.explicitHashKey === null ? [] : [r.explicitHashKey])))];
        expect(theirs.map((u) => [u.subSequenceNumber, u.partitionKey, u.data])).toEqual(input.map((r, i) => [i, r.partitionKey, Buffer.from(r.data).toString('base64')]));
        theirs.forEach((u, i) => {
          const expected = input[i].explicitHashKey ?? ehkTable[0]; // table[0] (or undefined for an empty table) is its bug
          expect(u.explicitPartitionKey).toBe(expected);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('the bug, concretely: a record without an explicit hash key next to one with', () => {
    const [out] = aggregate([
      { partitionKey: 'with', explicitHashKey: '42', data: 'a' },
      { partitionKey: 'without', data: 'b' },
    ]);
    expect(deaggregate({ data: out.data, partitionKey: out.partitionKey }).map((u) => u.explicitHashKey)).toEqual(['42', null]);
    expect(peerDeaggregate(out.data, out.partitionKey).map((u) => u.explicitPartitionKey)).toEqual(['42', '42']);
  });

  it('its aggregator swaps integer-like keys on the wire; both de-aggregators read the same swapped keys', () => {
    const aggregator = new peer.RecordAggregator();
    aggregator.addUserRecord({ partitionKey: '7', explicitHashKey: '20', data: Buffer.from('seven') });
    aggregator.addUserRecord({ partitionKey: '3', explicitHashKey: '10', data: Buffer.from('three') });
    const built = aggregator.build()!;
    const ours = deaggregate({ data: built.data, partitionKey: built.partitionKey }).map((u) => [u.partitionKey, u.explicitHashKey, Buffer.from(u.data).toString()]);
    expect(ours).toEqual([
      ['3', '10', 'seven'],
      ['7', '20', 'three'],
    ]);
    expect(peerDeaggregate(built.data, built.partitionKey).map((u) => [u.partitionKey, u.explicitPartitionKey, Buffer.from(u.data, 'base64').toString()])).toEqual(ours);
    // Ours keeps insertion order, so the same records come back right.
    const [out] = aggregate([
      { partitionKey: '7', explicitHashKey: '20', data: 'seven' },
      { partitionKey: '3', explicitHashKey: '10', data: 'three' },
    ]);
    expect(deaggregate({ data: out.data, partitionKey: out.partitionKey }).map((u) => [u.partitionKey, u.explicitHashKey, Buffer.from(u.data).toString()])).toEqual([
      ['7', '20', 'seven'],
      ['3', '10', 'three'],
    ]);
  });

  it('its aggregator drops the partition key "__proto__" from the table: wrong keys, or an index we report', () => {
    const build = (keys: string[]) => {
      const aggregator = new peer.RecordAggregator();
      for (const k of keys) aggregator.addUserRecord({ partitionKey: k, data: Buffer.from(k) });
      return aggregator.build()!;
    };
    // After another key: the "__proto__" record is written with index 0, so it comes back with that key.
    const first = build(['first', '__proto__']);
    const keyed = (users: { partitionKey: string }[]) => users.map((u) => u.partitionKey);
    expect(keyed(deaggregate({ data: first.data, partitionKey: first.partitionKey }))).toEqual(['first', 'first']);
    expect(keyed(peerDeaggregate(first.data, first.partitionKey))).toEqual(['first', 'first']);
    // First: the next key gets index 1 of a one-entry table. We report it; aws-kinesis-agg shifts the keys.
    const second = build(['__proto__', 'second']);
    expect(() => deaggregate({ data: second.data, partitionKey: second.partitionKey, sequenceNumber: '9' })).toThrow(
      /sequence number 9: user record 1 has partition_key_index 1 but the partition key table has 1 entry/,
    );
    expect(keyed(peerDeaggregate(second.data, second.partitionKey))).toEqual(['second', undefined]);
    // Ours keeps the keys in a Map: "__proto__" is a key like any other.
    const [out] = aggregate([
      { partitionKey: 'first', data: 'a' },
      { partitionKey: '__proto__', data: 'b' },
    ]);
    expect(keyed(deaggregate({ data: out.data, partitionKey: out.partitionKey }))).toEqual(['first', '__proto__']);
  });
});
