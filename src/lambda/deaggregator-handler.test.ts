import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KinesisStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { captureStdout } from '../../test/fixtures/lambda/capture-stdout.js';
import { aggregate, partitionKeyHash } from '../kpl/index.js';
import { type KinesisEventUserRecord, deaggregateKinesisEvent } from './deaggregate-kinesis-event.js';
import { createDeaggregatorHandler } from './deaggregator-handler.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'lambda');
const load = (name: string) => JSON.parse(readFileSync(path.join(fixtures, name), 'utf8')) as KinesisStreamEvent;
const seq = (event: KinesisStreamEvent, i: number) => event.Records[i].kinesis.sequenceNumber;
const text = (r: KinesisEventUserRecord) => Buffer.from(r.data).toString();

describe('deaggregateKinesisEvent', () => {
  it('gives the user records of aggregated and plain records, in order, with where they came from', () => {
    const event = load('kinesis-esm-aggregated-and-plain.json');
    const result = deaggregateKinesisEvent(event);
    expect(result.failures).toEqual([]);
    expect(result.batchResponse).toEqual({ batchItemFailures: [] });
    expect(result.records.map((r) => [r.sequenceNumber, r.subSequenceNumber, r.partitionKey, r.explicitHashKey, r.aggregated])).toEqual([
      [seq(event, 0), 0, 'AMZN', null, true],
      [seq(event, 0), 1, 'MSFT', null, true],
      [seq(event, 0), 2, 'AMZN', null, true],
      [seq(event, 0), 3, 'AMZN', null, true],
      [seq(event, 0), 4, 'MSFT', null, true],
      [seq(event, 1), 0, 'AMZN', null, false],
      [seq(event, 2), 0, 'with', '42', true],
      [seq(event, 2), 1, 'without', null, true],
      [seq(event, 2), 2, 'with2', '43', true],
    ]);
    expect(text(result.records[1])).toBe('{"ticker":"MSFT","seq":2}');
    expect(result.records[0]).toMatchObject({
      shardId: 'shardId-000000000003',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/ticker-input',
      approximateArrivalTimestamp: 1_714_570_200_123,
    });
    expect(result.counts).toEqual({ kinesisRecords: 3, aggregates: 2, userRecords: 9, failed: 0, notProcessed: 0, droppedOutsideHashKeyRange: 0 });
  });

  it('stops at the first failed record by default and reports it for batchItemFailures', () => {
    const event = load('kinesis-esm-corrupt-aggregate.json');
    const result = deaggregateKinesisEvent(event);
    expect(result.records.map((r) => r.sequenceNumber)).toEqual(new Array(5).fill(seq(event, 0)));
    expect(result.failures).toMatchObject([{ itemIdentifier: seq(event, 1), index: 1, reason: 'corrupt-aggregate' }]);
    expect(result.batchResponse).toEqual({ batchItemFailures: [{ itemIdentifier: seq(event, 1) }] });
    expect(result.counts.notProcessed).toBe(1);
  });

  it('can go on past failures, reporting each', () => {
    const event = load('kinesis-esm-bad-base64.json');
    const result = deaggregateKinesisEvent(event, { stopAtFirstFailure: false });
    expect(result.failures).toMatchObject([{ itemIdentifier: seq(event, 1), reason: 'invalid-base64' }]);
    expect(result.records.map((r) => r.sequenceNumber)).toEqual([seq(event, 0), ...new Array(5).fill(seq(event, 2))]);
  });

  it('passes a corrupt aggregate through when asked to (KCL behaviour)', () => {
    const event = load('kinesis-esm-corrupt-aggregate.json');
    const result = deaggregateKinesisEvent(event, { corruptAggregates: 'pass-through' });
    expect(result.failures).toEqual([]);
    expect(result.records[5]).toMatchObject({ sequenceNumber: seq(event, 1), aggregated: false, subSequenceNumber: 0 });
  });

  it('filters by the shard hash-key range when given one', () => {
    const event = load('kinesis-esm-aggregated-and-plain.json');
    const amzn = partitionKeyHash('AMZN');
    const result = deaggregateKinesisEvent(event, { shardHashKeyRange: { start: amzn, end: amzn } });
    expect(result.records.filter((r) => r.aggregated).map((r) => r.partitionKey)).toEqual(['AMZN', 'AMZN', 'AMZN']);
    expect(result.counts.droppedOutsideHashKeyRange).toBe(2 + 3);
  });

  it('handles empty batches, malformed events and malformed records without throwing', () => {
    expect(deaggregateKinesisEvent(load('kinesis-esm-empty.json')).records).toEqual([]);
    for (const bad of [null, undefined, 'x', {}, { Records: {} }]) expect(deaggregateKinesisEvent(bad).counts.kinesisRecords).toBe(0);
    const result = deaggregateKinesisEvent({ Records: [{ kinesis: { data: 'eA==' } }] });
    // No sequence number to name: an empty identifier, which makes Lambda retry the whole batch.
    expect(result.batchResponse).toEqual({ batchItemFailures: [{ itemIdentifier: '' }] });
    expect(result.failures[0].reason).toBe('malformed-record');
    const noData = deaggregateKinesisEvent({ Records: [{ kinesis: { sequenceNumber: '5' } }] });
    expect(noData.failures).toMatchObject([{ itemIdentifier: '5', reason: 'malformed-record', detail: 'data must be a base64 string; received undefined' }]);
  });
});

describe('deaggregator handler', () => {
  it('hands each Kinesis record’s user records to the processor and reports no failures', async () => {
    const event = load('kinesis-esm-aggregated-and-plain.json');
    const seen: string[][] = [];
    const handler = createDeaggregatorHandler({ processUserRecords: (records) => void seen.push(records.map(text)) });
    const { result, output } = await captureStdout(() => handler(event));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(seen.map((s) => s.length)).toEqual([5, 1, 3]);
    expect(seen[2]).toEqual(['has-ehk', 'no-ehk', 'has-ehk-2']);
    expect(output.metrics).toEqual({ KinesisRecordsIn: 3, KplAggregates: 2, UserRecordsOut: 9, FailedRecords: 0, NotProcessed: 0 });
    expect(output.logs('INFO')).toMatchObject([{ message: 'de-aggregated', service: 'kpl-deaggregator' }]);
  });

  for (const [fixture, reason] of [
    ['kinesis-esm-corrupt-aggregate.json', 'corrupt-aggregate'],
    ['kinesis-esm-bad-base64.json', 'invalid-base64'],
  ] as const) {
    it(`${fixture}: reports the failed record, logs why, and processes nothing after it`, async () => {
      const event = load(fixture);
      const processed: string[] = [];
      const handler = createDeaggregatorHandler({ processUserRecords: (records) => void processed.push(records[0].sequenceNumber) });
      const { result, output } = await captureStdout(() => handler(event));
      expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: seq(event, 1) }] });
      expect(processed).toEqual([seq(event, 0)]);
      expect(output.logs('WARN')).toMatchObject([{ message: 'Kinesis record failed; Lambda retries from it', index: 1, reason, sequenceNumber: seq(event, 1) }]);
      expect(output.metrics).toMatchObject({ KinesisRecordsIn: 3, FailedRecords: 1, NotProcessed: 1 });
    });
  }

  it('a processor that throws fails that Kinesis record', async () => {
    const event = load('kinesis-esm-aggregated-and-plain.json');
    const handler = createDeaggregatorHandler({
      processUserRecords: (records) => {
        if (!records[0].aggregated) throw new Error('downstream unavailable');
      },
    });
    const { result, output } = await captureStdout(() => handler(event));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: seq(event, 1) }] });
    expect(output.logs('WARN')[0]).toMatchObject({ reason: 'processing-failed', detail: 'downstream unavailable' });
    expect(output.metrics).toMatchObject({ UserRecordsOut: 5, FailedRecords: 1, NotProcessed: 1 });
  });

  it('an empty batch, and a malformed event, answer with no failures and do not throw', async () => {
    const handler = createDeaggregatorHandler();
    const empty = await captureStdout(() => handler(load('kinesis-esm-empty.json')));
    expect(empty.result).toEqual({ batchItemFailures: [] });
    expect(empty.output.metrics.KinesisRecordsIn).toBe(0);
    const malformed = await captureStdout(() => handler({ Records: 'nope' }));
    expect(malformed.result).toEqual({ batchItemFailures: [] });
    expect(malformed.output.logs('ERROR')).toMatchObject([{ message: 'malformed Kinesis event: expected a Records array', received: 'string' }]);
  });

  it('an oversized record: a ~10 MB aggregate (stream limit raised to 10 MiB) of 95,000 user records, as views into it', async () => {
    const users = Array.from({ length: 95_000 }, (_, i) => ({ partitionKey: `k${i % 50}`, data: Buffer.alloc(100, i % 251) }));
    const all = aggregate(users, { maxBytes: 10_485_760, streamMaxRecordBytes: 10_485_760 });
    expect(all).toHaveLength(1);
    const big = all[0];
    expect(big.data.length).toBeGreaterThan(10_000_000);
    const event = { Records: [{ kinesis: { kinesisSchemaVersion: '1.0', partitionKey: big.partitionKey, sequenceNumber: '1', data: Buffer.from(big.data).toString('base64'), approximateArrivalTimestamp: 1 }, eventID: 'shardId-000000000000:1' }] };
    let received: KinesisEventUserRecord[] = [];
    const { result } = await captureStdout(() => createDeaggregatorHandler({ processUserRecords: (records) => void (received = records) })(event));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(received).toHaveLength(95_000);
    expect(received[94_999]).toMatchObject({ partitionKey: 'k49', subSequenceNumber: 94_999 });
    expect(received[94_999].data[0]).toBe(94_999 % 251);
    expect(new Set(received.slice(0, 1000).map((r) => r.data.buffer)).size).toBe(1);
  });
});
