// The golden vectors of ../shared/kpl/vectors.json (copied unchanged to test/fixtures/kpl/vectors.json):
// aggregates made by the official Node aggregator, and crafted malformed records with the KCL's expected result.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../errors.js';
import { aggregate } from './aggregator.js';
import { type PassThroughReason, deaggregateWithStatus } from './deaggregate.js';
import { parseAggregatedRecord } from './parse-aggregated-record.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixturePath = path.join(projectRoot, 'test', 'fixtures', 'kpl', 'vectors.json');
const sharedPath = path.join(path.resolve(projectRoot, '..', 'shared'), 'kpl', 'vectors.json');

interface VectorUserRecord {
  subSequenceNumber: number | null;
  partitionKey: string | null;
  explicitHashKey: string | null;
  data_base64?: string;
  data_length?: number;
  data_sha256_hex?: string;
}
interface InputUserRecord {
  partitionKey: string;
  explicitHashKey: string | null;
  data_base64?: string;
  data_generator?: string;
}
interface PositiveVector {
  name: string;
  input_user_records: InputUserRecord[];
  outer: { partitionKey: string; explicitHashKey: string | null };
  aggregated: { length: number; base64: string; md5_trailer_hex: string; sha256_hex: string };
  expected: { is_aggregated: boolean; partition_key_table: string[]; explicit_hash_key_table: string[]; user_records: VectorUserRecord[] };
}
interface NegativeVector {
  name: string;
  aggregated: { length: number; base64: string };
  expected_kcl_semantics: { is_aggregated: boolean; user_records: VectorUserRecord[] | string };
}
interface Vectors {
  positive: PositiveVector[];
  negative: NegativeVector[];
}

const vectors = JSON.parse(readFileSync(fixturePath, 'utf8')) as Vectors;

/** Data of a generated input record, as its description says: byte[i] = (i*31+7) & 0xff. */
function generated(spec: string): Buffer {
  const match = /^byte\[i\] = \(i\*31\+7\) & 0xff, length (\d+)$/.exec(spec);
  if (!match) throw new Error(`unknown data generator '${spec}'`);
  const out = Buffer.alloc(Number(match[1]));
  for (let i = 0; i < out.length; i++) out[i] = (i * 31 + 7) & 0xff;
  return out;
}

function inputData(record: InputUserRecord): Buffer {
  return record.data_base64 !== undefined ? Buffer.from(record.data_base64, 'base64') : generated(record.data_generator ?? '');
}

function expectUserRecord(actual: { data: Uint8Array; partitionKey: string; explicitHashKey: string | null; subSequenceNumber: number }, expected: VectorUserRecord): void {
  expect(actual.subSequenceNumber).toBe(expected.subSequenceNumber);
  expect(actual.partitionKey).toBe(expected.partitionKey);
  expect(actual.explicitHashKey).toBe(expected.explicitHashKey);
  if (expected.data_base64 !== undefined) {
    expect(Buffer.from(actual.data).toString('base64')).toBe(expected.data_base64);
  } else {
    expect(actual.data.length).toBe(expected.data_length);
    expect(createHash('sha256').update(actual.data).digest('hex')).toBe(expected.data_sha256_hex);
  }
}

describe('KPL vectors fixture', () => {
  it.runIf(existsSync(sharedPath))('is an unchanged copy of ../shared/kpl/vectors.json (runs only when ../shared exists)', () => {
    expect(readFileSync(fixturePath).equals(readFileSync(sharedPath))).toBe(true);
  });
  it('has positive and negative vectors', () => {
    expect(vectors.positive.length).toBeGreaterThan(0);
    expect(vectors.negative.length).toBeGreaterThan(0);
  });
});

describe('positive vectors (official Node aggregator output)', () => {
  for (const vector of vectors.positive) {
    const bytes = Buffer.from(vector.aggregated.base64, 'base64');

    it(`${vector.name}: de-aggregates to the expected user records`, () => {
      expect(bytes.length).toBe(vector.aggregated.length);
      const result = deaggregateWithStatus({ data: bytes, partitionKey: vector.outer.partitionKey, sequenceNumber: '49590338271490256608559692538361571095921575989136588898' });
      expect(result.aggregated).toBe(vector.expected.is_aggregated);
      expect(result.passThrough).toBeUndefined();
      expect(result.records).toHaveLength(vector.expected.user_records.length);
      result.records.forEach((record, i) => {
        expectUserRecord(record, vector.expected.user_records[i]);
        expect(record.aggregated).toBe(true);
        expect(record.sequenceNumber).toBe('49590338271490256608559692538361571095921575989136588898');
        // Zero-copy: the payload is a view into the input's memory.
        expect(record.data.buffer).toBe(bytes.buffer);
      });
    });

    it(`${vector.name}: has the expected key tables and MD5 trailer`, () => {
      const parsed = parseAggregatedRecord(bytes, 4, bytes.length - 16);
      expect(parsed.partitionKeys).toEqual(vector.expected.partition_key_table);
      expect(parsed.explicitHashKeys).toEqual(vector.expected.explicit_hash_key_table);
      expect(bytes.subarray(bytes.length - 16).toString('hex')).toBe(vector.aggregated.md5_trailer_hex);
    });

    it(`${vector.name}: the Aggregator reproduces the official bytes from the input records`, () => {
      const records = vector.input_user_records.map((r) => ({ partitionKey: r.partitionKey, explicitHashKey: r.explicitHashKey, data: inputData(r) }));
      // The official aggregator ignores the outer partition key in its 1 MiB limit; allow room for it here.
      const out = aggregate(records, { maxBytes: 2 * 1_048_576, streamMaxRecordBytes: 2 * 1_048_576 });
      expect(out).toHaveLength(1);
      expect(createHash('sha256').update(out[0].data).digest('hex')).toBe(vector.aggregated.sha256_hex);
      expect(out[0].partitionKey).toBe(vector.outer.partitionKey);
      expect(out[0].explicitHashKey ?? null).toBe(vector.outer.explicitHashKey);
      expect(out[0].userRecordCount).toBe(records.length);
    });
  }

  it('max_size_single_record: over 1 MiB as Kinesis counts it (data + key), so it is sent raw, not framed', () => {
    const vector = vectors.positive.find((v) => v.name === 'max_size_single_record');
    expect(vector).toBeDefined();
    const input = vector!.input_user_records[0];
    const data = inputData(input);
    const out = aggregate([{ partitionKey: input.partitionKey, data }], { maxBytes: 1_048_576 });
    expect(out).toHaveLength(1);
    expect(out[0].data).toBe(data);
    expect(out[0].data.length + out[0].partitionKey.length).toBeLessThanOrEqual(1_048_576);
  });
});

/** The KCL's verdict on each crafted record, and why it passes a record through. */
const negativeExpectations: Record<string, PassThroughReason | 'aggregate' | 'index-error'> = {
  not_aggregated: 'no-magic',
  magic_only: 'too-short',
  magic_plus_md5_of_empty_body: 'too-short',
  md5_mismatch: 'checksum-mismatch',
  protobuf_parse_error: 'malformed-protobuf',
  pk_index_out_of_range: 'index-error',
  ehk_index_absent_with_nonempty_table: 'aggregate',
  tags_present: 'aggregate',
  unknown_field: 'aggregate',
  tables_after_records: 'aggregate',
  zero_records: 'aggregate',
  missing_required_data: 'malformed-protobuf',
};

describe('negative vectors (crafted; expected KCL semantics)', () => {
  it('every negative vector has an expectation here', () => {
    expect(vectors.negative.map((v) => v.name).sort()).toEqual(Object.keys(negativeExpectations).sort());
  });

  for (const vector of vectors.negative) {
    const expectation = negativeExpectations[vector.name];
    it(`${vector.name}: ${expectation}`, () => {
      const bytes = Buffer.from(vector.aggregated.base64, 'base64');
      expect(bytes.length).toBe(vector.aggregated.length);
      const input = { data: bytes, partitionKey: 'outer-pk', explicitHashKey: '7', sequenceNumber: '42', approximateArrivalTimestamp: 1_700_000_000_000 };
      if (expectation === 'index-error') {
        expect(vector.expected_kcl_semantics.is_aggregated).toBe(true);
        expect(() => deaggregateWithStatus(input)).toThrow(CodecError);
        expect(() => deaggregateWithStatus(input)).toThrow(/sequence number 42: user record 1 has partition_key_index 5 but the partition key table has 1 entry/);
        return;
      }
      const result = deaggregateWithStatus(input);
      expect(result.aggregated).toBe(vector.expected_kcl_semantics.is_aggregated);
      if (expectation === 'aggregate') {
        const expected = vector.expected_kcl_semantics.user_records as VectorUserRecord[];
        expect(result.passThrough).toBeUndefined();
        expect(result.records).toHaveLength(expected.length);
        result.records.forEach((record, i) => expectUserRecord(record, expected[i]));
      } else {
        // Passed through unchanged: the same bytes, the outer keys, sub-sequence 0, not aggregated.
        expect(result.passThrough?.reason).toBe(expectation);
        expect(result.records).toEqual([
          { data: bytes, partitionKey: 'outer-pk', explicitHashKey: '7', sequenceNumber: '42', subSequenceNumber: 0, aggregated: false, approximateArrivalTimestamp: 1_700_000_000_000 },
        ]);
        expect(result.records[0].data).toBe(bytes);
      }
    });
  }
});
