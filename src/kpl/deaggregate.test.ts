import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesField, frame, recordFields, varint, varintField } from '../../test/fixtures/kpl/craft-aggregate.js';
import { CodecError, ConfigError } from '../errors.js';
import { aggregate } from './aggregator.js';
import { decodeCanonicalAggregate } from './decode-canonical-aggregate.js';
import { deaggregate, deaggregateWithStatus } from './deaggregate.js';
import { MAX_HASH_KEY, partitionKeyHash } from './hash-key.js';

const text = (data: Uint8Array) => Buffer.from(data).toString('utf8');
const summary = (records: ReturnType<typeof deaggregate>) =>
  records.map((r) => [r.subSequenceNumber, r.partitionKey, r.explicitHashKey, text(r.data)]);

describe('deaggregate: canonical aggregates', () => {
  const body = [
    ...bytesField(1, 'AMZN'),
    ...bytesField(1, 'MSFT'),
    ...bytesField(2, '99'),
    ...bytesField(3, recordFields(0, null, 'a')),
    ...bytesField(3, recordFields(1, 0, 'b')),
    ...bytesField(3, recordFields(0, null, '')),
  ];

  it('gives each user record its keys, sub-sequence number, the outer sequence number and arrival time', () => {
    const records = deaggregate({ data: frame(body), partitionKey: 'a', sequenceNumber: '123', approximateArrivalTimestamp: 5 });
    expect(summary(records)).toEqual([
      [0, 'AMZN', null, 'a'],
      [1, 'MSFT', '99', 'b'],
      [2, 'AMZN', null, ''],
    ]);
    for (const r of records) {
      expect(r).toMatchObject({ sequenceNumber: '123', aggregated: true, approximateArrivalTimestamp: 5 });
    }
  });

  it('returns views into the input, also when the input is itself a view at an offset', () => {
    const framed = frame(body);
    const big = new Uint8Array(framed.length + 100);
    big.set(framed, 37);
    const input = big.subarray(37, 37 + framed.length);
    const records = deaggregate({ data: input, partitionKey: 'a' });
    expect(summary(records)[1]).toEqual([1, 'MSFT', '99', 'b']);
    expect(records[1].data.buffer).toBe(big.buffer);
    big[records[1].data.byteOffset] = 'z'.charCodeAt(0);
    expect(text(records[1].data)).toBe('z');
  });

  it('takes the single-pass path for what real encoders write', () => {
    const framed = frame(body);
    expect(decodeCanonicalAggregate({ data: framed, partitionKey: 'a' }, framed.length - 16)).toHaveLength(3);
  });
});

describe('deaggregate: valid but unusual protobuf (the general parser)', () => {
  const cases: [string, number[], unknown[][]][] = [
    ['fields of a record in reverse order', [...bytesField(1, 'k'), ...bytesField(3, [...bytesField(3, 'd'), ...varintField(2, 0), ...varintField(1, 0)]), ...bytesField(2, '5')], [[0, 'k', '5', 'd']]],
    ['a repeated non-repeated field: the last one wins', [...bytesField(1, 'k0'), ...bytesField(1, 'k1'), ...bytesField(3, [...varintField(1, 0), ...bytesField(3, 'old'), ...varintField(1, 1), ...bytesField(3, 'new')])], [[0, 'k1', null, 'new']]],
    ['over-long tag and index varints', [...bytesField(1, 'k'), ...bytesField(3, [0x88, 0x00, 0x80, 0x00, 0x9a, 0x00, 0x01, 0x78])], [[0, 'k', null, 'x']]],
    ['unknown fields of every wire type, in the record and around it', [...varintField(9, 1), ...bytesField(1, 'k'), 0x5d, 1, 2, 3, 4, ...bytesField(3, [...recordFields(0, null, 'x'), 0x79, 1, 2, 3, 4, 5, 6, 7, 8, 0x2b, 0x08, 0x01, 0x2c]), ...bytesField(15, 'ignored')], [[0, 'k', null, 'x']]],
    ['a known field number with another wire type is an unknown field', [...bytesField(1, 'k'), ...varintField(1, 5), ...bytesField(3, [...recordFields(0, null, 'x'), ...bytesField(2, 'not an index')])], [[0, 'k', null, 'x']]],
    ['tags with and without a value', [...bytesField(1, 'k'), ...bytesField(3, [...recordFields(0, null, 'x'), ...bytesField(4, [...bytesField(1, 'key'), ...bytesField(2, 'v')]), ...bytesField(4, bytesField(1, 'only-key'))])], [[0, 'k', null, 'x']]],
    ['an index of 200 (a two-byte varint)', [...Array.from({ length: 201 }, (_, i) => bytesField(1, `k${i}`)).flat(), ...bytesField(3, recordFields(200, null, 'x'))], [[0, 'k200', null, 'x']]],
    ['a partition key with invalid UTF-8 (decoded with U+FFFD, like protobuf-java)', [...bytesField(1, [0x61, 0xff, 0x62]), ...bytesField(3, recordFields(0, null, 'x'))], [[0, 'a\ufffdb', null, 'x']]],
    ['a partition key starting with a byte-order mark (kept)', [...bytesField(1, '\ufeffk'), ...bytesField(3, recordFields(0, null, 'x'))], [[0, '\ufeffk', null, 'x']]],
  ];
  for (const [name, body, expected] of cases) {
    it(name, () => {
      const result = deaggregateWithStatus({ data: frame(body), partitionKey: 'outer' });
      expect(result.passThrough).toBeUndefined();
      expect(summary(result.records)).toEqual(expected);
    });
  }
});

describe('deaggregate: records that are not aggregates pass through unchanged', () => {
  const cases: [string, Uint8Array, string][] = [
    ['empty data', new Uint8Array(0), 'no-magic'],
    ['three bytes of the magic', Uint8Array.of(0xf3, 0x89, 0x9a), 'no-magic'],
    ['magic + 16 bytes', Buffer.concat([Buffer.from('f3899ac2', 'hex'), Buffer.alloc(16)]), 'too-short'],
    ['a tag without its required key', frame([...bytesField(1, 'k'), ...bytesField(3, [...recordFields(0, null, 'x'), ...bytesField(4, bytesField(2, 'v'))])]), 'malformed-protobuf'],
    ['a record without partition_key_index', frame([...bytesField(1, 'k'), ...bytesField(3, bytesField(3, 'x'))]), 'malformed-protobuf'],
    ['wire type 7', frame([...bytesField(1, 'k'), 0x0f]), 'malformed-protobuf'],
    ['a record length past the body', frame([...bytesField(1, 'k'), 0x1a, 0x7f, 0x08]), 'malformed-protobuf'],
    ['a field inside a record running past the record', frame([...bytesField(1, 'k'), 0x1a, 0x04, 0x08, 0x00, 0x1a, 0x05, ...bytesField(1, 'xyz')]), 'malformed-protobuf'],
  ];
  for (const [name, data, reason] of cases) {
    it(`${name}: ${reason}`, () => {
      const result = deaggregateWithStatus({ data, partitionKey: 'p', explicitHashKey: null, sequenceNumber: '9' });
      expect(result.passThrough?.reason).toBe(reason);
      expect(result.aggregated).toBe(false);
      expect(result.records).toHaveLength(1);
      expect(result.records[0]).toMatchObject({ partitionKey: 'p', explicitHashKey: null, sequenceNumber: '9', subSequenceNumber: 0, aggregated: false });
      expect(result.records[0].data).toBe(data);
    });
  }

  it('gives the outer explicit hash key, or null when there is none', () => {
    expect(deaggregate({ data: Buffer.from('x'), partitionKey: 'p', explicitHashKey: '12' })[0].explicitHashKey).toBe('12');
    expect(deaggregate({ data: Buffer.from('x'), partitionKey: 'p' })[0].explicitHashKey).toBeNull();
  });
});

describe('deaggregate: indexes out of range are errors the caller sees', () => {
  it('an explicit hash key index past the table', () => {
    const data = frame([...bytesField(1, 'k'), ...bytesField(2, '1'), ...bytesField(3, recordFields(0, 1, 'x'))]);
    expect(() => deaggregate({ data, partitionKey: 'a', sequenceNumber: '77' })).toThrow(
      new CodecError('KPL aggregate at sequence number 77: user record 0 has explicit_hash_key_index 1 but the explicit hash key table has 1 entry'),
    );
  });

  it('an index of 2^32 or 2^64-1 (never wrapped round to a valid one)', () => {
    for (const index of [2n ** 32n, 2n ** 64n - 1n]) {
      const data = frame([...bytesField(1, 'k'), ...bytesField(3, recordFields(index, null, 'x'))]);
      expect(() => deaggregate({ data, partitionKey: 'outer' })).toThrow(/KPL aggregate \(partition key 'outer'\): user record 0 has partition_key_index \d+ but the partition key table has 1 entry/);
    }
  });

  it('an explicit hash key index with no table at all', () => {
    const data = frame([...bytesField(1, 'k'), ...bytesField(3, recordFields(0, 0, 'x'))]);
    expect(() => deaggregate({ data, partitionKey: 'a' })).toThrow(/explicit_hash_key_index 0 but the explicit hash key table has 0 entries/);
  });
});

describe('deaggregate: hash-key range filter (KCL after resharding)', () => {
  const keys = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];
  const half = 1n << 127n;
  const lower = { start: 0n, end: half - 1n };
  const inLower = (k: string) => partitionKeyHash(k) < half;
  const [ehkLow, ehkHigh] = ['5', (half + 5n).toString()];
  const input = aggregate([...keys.map((k) => ({ partitionKey: k, data: k })), { partitionKey: 'ehk-low', explicitHashKey: ehkLow, data: 'L' }, { partitionKey: 'ehk-high', explicitHashKey: ehkHigh, data: 'H' }], {})[0];

  it('the effective hash key is MD5(partition key) as an unsigned 128-bit integer', () => {
    expect(partitionKeyHash('alpha')).toBe(BigInt('0x' + createHash('md5').update('alpha').digest('hex')));
    expect(keys.some(inLower) && !keys.every(inLower)).toBe(true); // the test data straddles the halves
  });

  it("per user record (default): keeps exactly the records in the shard's range, with their original sub-sequence numbers", () => {
    const result = deaggregateWithStatus({ data: input.data, partitionKey: input.partitionKey }, { shardHashKeyRange: lower });
    const expected = [...keys.filter(inLower), 'ehk-low'];
    expect(result.records.map((r) => r.partitionKey)).toEqual(expected);
    expect(result.droppedOutsideHashKeyRange).toBe(keys.length + 2 - expected.length);
    expect(result.records.at(-1)?.subSequenceNumber).toBe(keys.length);
  });

  it("per aggregate (the KCL's exact behaviour): one stray drops the whole aggregate", () => {
    const result = deaggregateWithStatus({ data: input.data, partitionKey: input.partitionKey }, { shardHashKeyRange: lower, hashKeyRangeFilter: 'aggregate' });
    expect(result.records).toEqual([]);
    expect(result.droppedOutsideHashKeyRange).toBe(keys.length + 2);
    const all = deaggregateWithStatus({ data: input.data, partitionKey: input.partitionKey }, { shardHashKeyRange: { start: 0n, end: MAX_HASH_KEY }, hashKeyRangeFilter: 'aggregate' });
    expect(all.records).toHaveLength(keys.length + 2);
  });

  it('the range is inclusive at both ends', () => {
    const records = deaggregate({ data: input.data, partitionKey: 'a' }, { shardHashKeyRange: { start: 5n, end: 5n } });
    expect(records.map((r) => r.partitionKey)).toEqual(['ehk-low']);
  });

  it('never filters a non-aggregated record', () => {
    expect(deaggregate({ data: Buffer.from('plain'), partitionKey: 'gamma' }, { shardHashKeyRange: { start: 0n, end: 0n } })).toHaveLength(1);
  });

  it('rejects a malformed range, and an explicit hash key that is not a 128-bit decimal', () => {
    expect(() => deaggregate({ data: input.data, partitionKey: 'a' }, { shardHashKeyRange: { start: 2n, end: 1n } })).toThrow(ConfigError);
    expect(() => deaggregate({ data: input.data, partitionKey: 'a' }, { shardHashKeyRange: { start: 0n, end: MAX_HASH_KEY + 1n } })).toThrow(/shardHashKeyRange/);
    for (const bad of ['-1', '0x10', (MAX_HASH_KEY + 1n).toString(), '']) {
      const data = frame([...bytesField(1, 'k'), ...bytesField(2, bad), ...bytesField(3, recordFields(0, 0, 'x'))]);
      expect(() => deaggregate({ data, partitionKey: 'a' }, { shardHashKeyRange: lower })).toThrow(/user record 0: explicit hash key/);
      // Without a range nothing needs the value: it is handed over as written.
      expect(deaggregate({ data, partitionKey: 'a' })[0].explicitHashKey).toBe(bad);
      // A shard owning the whole key space needs no partition-key hash, but still reports a malformed explicit key.
      expect(() => deaggregate({ data, partitionKey: 'a' }, { shardHashKeyRange: { start: 0n, end: MAX_HASH_KEY } })).toThrow(/user record 0: explicit hash key/);
    }
  });

  it('keeps every record for a shard owning the whole key space, and filters the same after the hash cache is warm', () => {
    const whole = deaggregateWithStatus({ data: input.data, partitionKey: input.partitionKey }, { shardHashKeyRange: { start: 0n, end: MAX_HASH_KEY } });
    expect(whole.droppedOutsideHashKeyRange).toBe(0);
    expect(summary(whole.records)).toEqual(summary(deaggregate({ data: input.data, partitionKey: input.partitionKey })));
    // The partition-key hashes are remembered across aggregates: a second pass must filter exactly as the first.
    const first = summary(deaggregate({ data: input.data, partitionKey: input.partitionKey }, { shardHashKeyRange: lower }));
    expect(summary(deaggregate({ data: input.data, partitionKey: input.partitionKey }, { shardHashKeyRange: lower }))).toEqual(first);
  });
});

describe('decodeCanonicalAggregate declines what it does not handle', () => {
  const declined: [string, number[]][] = [
    ['tables after records', [...bytesField(3, recordFields(0, null, 'x')), ...bytesField(1, 'k')]],
    ['an unknown field', [...bytesField(1, 'k'), ...varintField(9, 1), ...bytesField(3, recordFields(0, null, 'x'))]],
    ['an index out of range', [...bytesField(1, 'k'), ...bytesField(3, recordFields(1, null, 'x'))]],
    ['a record with tags', [...bytesField(1, 'k'), ...bytesField(3, [...recordFields(0, null, 'x'), ...bytesField(4, bytesField(1, 't'))])]],
    ['a three-byte index', [...bytesField(1, 'k'), ...bytesField(3, [...varintField(1, 0), 0x10, ...varint(1 << 20), ...bytesField(3, 'x')])]],
  ];
  for (const [name, body] of declined) {
    it(name, () => {
      const data = frame(body);
      expect(decodeCanonicalAggregate({ data, partitionKey: 'a' }, data.length - 16)).toBeUndefined();
    });
  }
});
