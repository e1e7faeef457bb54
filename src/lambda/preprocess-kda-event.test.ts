import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate } from '../kpl/index.js';
import { type KdaPreprocessingEvent, LAMBDA_RESPONSE_LIMIT_BYTES, preprocessKdaEvent } from './preprocess-kda-event.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures');
const load = (name: string) => JSON.parse(readFileSync(path.join(fixtures, 'lambda', name), 'utf8')) as KdaPreprocessingEvent;
const vectors = JSON.parse(readFileSync(path.join(fixtures, 'kpl', 'vectors.json'), 'utf8')) as {
  positive: { name: string; expected: { user_records: { data_base64: string }[] } }[];
};
const expectedConcatenation = (name: string) =>
  Buffer.concat(vectors.positive.find((v) => v.name === name)!.expected.user_records.map((u) => Buffer.from(u.data_base64, 'base64'))).toString('base64');

/** A KDA event whose records carry the given base64 data. */
function kdaEvent(data: string[]): KdaPreprocessingEvent {
  return {
    invocationId: 'inv-1',
    applicationArn: 'arn:aws:kinesisanalytics:us-east-1:123456789012:application/app',
    streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/in',
    records: data.map((d, i) => ({
      recordId: `rec-${i}`,
      kinesisStreamRecordMetadata: { sequenceNumber: String(1000 + i), partitionKey: 'a', shardId: 'shardId-000000000000', approximateArrivalTimestamp: 1_714_570_200_000 },
      data: d,
    })),
  };
}

describe('preprocessKdaEvent with a real-shaped mixed event', () => {
  const event = load('kda-preprocessing-mixed.json');
  const outcome = preprocessKdaEvent(event);

  it('answers every recordId exactly once, in order', () => {
    expect(outcome.response.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
  });

  it('de-aggregates aggregates into the concatenation of their payloads and passes plain records unchanged', () => {
    const [agg, plain, , , , mixed] = outcome.response.records;
    expect(agg).toEqual({ recordId: event.records[0].recordId, result: 'Ok', data: expectedConcatenation('shared_partition_keys') });
    expect(plain).toEqual({ recordId: event.records[1].recordId, result: 'Ok', data: event.records[1].data });
    expect(mixed.data).toBe(expectedConcatenation('mixed_explicit_hash_keys'));
    expect(Buffer.from(agg.data, 'base64').toString()).toBe('{"ticker":"AMZN","seq":1}{"ticker":"MSFT","seq":2}{"ticker":"AMZN","seq":3}{"ticker":"AMZN","seq":4}{"ticker":"MSFT","seq":5}');
  });

  it('answers a corrupt aggregate, bad base64 and a bad key index with ProcessingFailed, the original data and a reason', () => {
    for (const i of [2, 3, 4]) expect(outcome.response.records[i]).toEqual({ recordId: event.records[i].recordId, result: 'ProcessingFailed', data: event.records[i].data });
    expect(outcome.failures.map((f) => [f.index, f.reason])).toEqual([
      [2, 'corrupt-aggregate'],
      [3, 'invalid-base64'],
      [4, 'corrupt-aggregate'],
    ]);
    expect(outcome.failures[0].detail).toMatch(/MD5 trailer does not match/);
    expect(outcome.failures[1].detail).toMatch(/base64 data length 25 is not a multiple of 4/);
    expect(outcome.failures[2].detail).toMatch(/user record 1 has partition_key_index 5 but the partition key table has 1 entry/);
  });

  it('counts records in, aggregates, user records out and failures', () => {
    expect(outcome.counts).toEqual({ records: 6, aggregates: 2, userRecords: 5 + 1 + 3, failed: 3 });
  });

  it('passes a corrupt aggregate through as a plain record when asked to (KCL behaviour)', () => {
    const lenient = preprocessKdaEvent(event, { corruptAggregates: 'pass-through' });
    expect(lenient.response.records[2]).toEqual({ recordId: event.records[2].recordId, result: 'Ok', data: event.records[2].data });
    expect(lenient.failures.map((f) => f.index)).toEqual([3, 4]);
  });
});

describe('preprocessKdaEvent with odd input', () => {
  it('an empty batch gives an empty answer', () => {
    expect(preprocessKdaEvent(load('kda-preprocessing-empty.json'))).toEqual({ response: { records: [] }, counts: { records: 0, aggregates: 0, userRecords: 0, failed: 0 }, failures: [] });
  });

  it('a malformed event gives no records and says why, never throws', () => {
    for (const event of [null, undefined, 42, 'text', {}, { records: 'x' }, { records: null }, []]) {
      const outcome = preprocessKdaEvent(event);
      expect(outcome.response).toEqual({ records: [] });
      expect(outcome.eventProblem).toMatch(/expected an object with a 'records' array/);
    }
  });

  it('malformed records are answered ProcessingFailed in place; the others still go through', () => {
    const good = kdaEvent([Buffer.from('ok').toString('base64')]).records[0];
    const event = { records: [null, 7, { data: 'b2s=' }, { recordId: 'no-data' }, { recordId: 'num-data', data: 5 }, good, { recordId: 'no-meta', data: 'b2s=' }] };
    const outcome = preprocessKdaEvent(event);
    expect(outcome.response.records.map((r) => [r.recordId, r.result, r.data])).toEqual([
      ['', 'ProcessingFailed', ''],
      ['', 'ProcessingFailed', ''],
      ['', 'ProcessingFailed', 'b2s='],
      ['no-data', 'ProcessingFailed', ''],
      ['num-data', 'ProcessingFailed', ''],
      ['rec-0', 'Ok', 'b2s='],
      ['no-meta', 'Ok', 'b2s='],
    ]);
    expect(outcome.failures.map((f) => f.reason)).toEqual(['malformed-record', 'malformed-record', 'malformed-record', 'malformed-record', 'malformed-record']);
  });

  it('writes a separator after each user record when configured (for CSV rows without line ends)', () => {
    const [agg] = aggregate([
      { partitionKey: 'a', data: '1,x' },
      { partitionKey: 'b', data: '2,y' },
    ]);
    const outcome = preprocessKdaEvent(kdaEvent([Buffer.from(agg.data).toString('base64')]), { userRecordSeparator: '\n' });
    expect(Buffer.from(outcome.response.records[0].data, 'base64').toString()).toBe('1,x\n2,y\n');
  });
});

describe('preprocessKdaEvent and the response size limit', () => {
  /** An aggregate of `count` user records of `size` bytes each, as base64. */
  const aggregateOf = (count: number, size: number, fill: number) =>
    Buffer.from(aggregate(Array.from({ length: count }, (_, i) => ({ partitionKey: `k${i % 5}`, data: Buffer.alloc(size, fill) })), { maxBytes: 10_485_760, streamMaxRecordBytes: 10_485_760 })[0].data).toString('base64');
  const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

  it('never answers with more bytes than the limit; Ok data is never cut, failed records keep their data when it fits', () => {
    const event = kdaEvent([aggregateOf(10, 100, 1), 'cGxhaW4=', '!!!', aggregateOf(3, 50, 2), aggregateOf(30, 20, 3)]);
    const free = preprocessKdaEvent(event);
    const allFailedBytes = jsonBytes({ records: event.records.map((r) => ({ recordId: r.recordId, result: 'ProcessingFailed', data: r.data })) });
    const minimum = jsonBytes({ records: event.records.map((r) => ({ recordId: r.recordId, result: 'ProcessingFailed', data: '' })) });
    fc.assert(
      fc.property(fc.integer({ min: minimum, max: allFailedBytes + 100 }), (limit) => {
        const outcome = preprocessKdaEvent(event, { maxResponseBytes: limit });
        expect(jsonBytes(outcome.response)).toBeLessThanOrEqual(limit);
        expect(outcome.response.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
        outcome.response.records.forEach((r, i) => {
          if (r.result === 'Ok') expect(r).toEqual(free.response.records[i]);
          else expect([event.records[i].data, '']).toContain(r.data);
        });
        // When every record could fail with its data, the limit changes nothing.
        if (limit >= allFailedBytes) expect(outcome.response).toEqual(free.response);
      }),
      { numRuns: 200 },
    );
  });

  it('under Lambda the limit is never reached: the response is never larger than the request (separators up to 2 bytes)', () => {
    const user = fc.record({ partitionKey: fc.string({ minLength: 1, maxLength: 20 }), data: fc.uint8Array({ maxLength: 200 }) });
    const record = fc.oneof(
      fc.array(user, { minLength: 1, maxLength: 30 }).map((users) => Buffer.from(aggregate(users)[0].data).toString('base64')),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('base64')),
    );
    fc.assert(
      fc.property(fc.array(record, { maxLength: 10 }), fc.constantFrom('', '\n', '\r\n'), (data, separator) => {
        const event = kdaEvent(data);
        const outcome = preprocessKdaEvent(event, { userRecordSeparator: separator });
        expect(outcome.failures.filter((f) => f.reason === 'response-too-large')).toEqual([]);
        expect(jsonBytes(outcome.response)).toBeLessThanOrEqual(jsonBytes(event));
      }),
      { numRuns: 200 },
    );
  });

  it('with a limit below the batch: the records that do not fit any more are ProcessingFailed, with the reason', () => {
    const event = kdaEvent([aggregateOf(20, 100, 1), aggregateOf(20, 100, 2), 'cGxhaW4=', aggregateOf(20, 100, 3)]);
    const outcome = preprocessKdaEvent(event, { maxResponseBytes: 8000 });
    expect(outcome.response.records.map((r) => r.result)).toEqual(['Ok', 'Ok', 'Ok', 'ProcessingFailed']);
    expect(outcome.failures.map((f) => [f.index, f.reason])).toEqual([[3, 'response-too-large']]);
    expect(jsonBytes(outcome.response)).toBeLessThanOrEqual(8000);
  });

  it('at the real 6 MB limit: a batch larger than Lambda would send (handed over in process) still gets an answer that fits', () => {
    // Five ~1.5 MB aggregates: 10 MB of base64 in the request, more than 6 MB of de-aggregated output.
    const data = [1, 2, 3, 4, 5].map((fill) => aggregateOf(15_000, 100, fill));
    const event = kdaEvent(data);
    const outcome = preprocessKdaEvent(event);
    const results = outcome.response.records.map((r) => r.result);
    expect(results).toEqual(['Ok', 'Ok', 'Ok', 'ProcessingFailed', 'ProcessingFailed']);
    expect(outcome.response.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
    expect(jsonBytes(outcome.response)).toBeLessThanOrEqual(LAMBDA_RESPONSE_LIMIT_BYTES);
    // The original data of the failed ones does not fit either: it is left out, and the log says so.
    expect(outcome.response.records[4].data).toBe('');
    expect(outcome.failures.at(-1)?.detail).toMatch(/original data left out of the response, which would exceed 6291456 bytes/);
    expect(Buffer.from(outcome.response.records[0].data, 'base64').equals(Buffer.alloc(1_500_000, 1))).toBe(true);
  });
});
