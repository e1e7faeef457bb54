import { describe, expect, it } from 'vitest';
import { KinesisLimitError } from './kinesis-errors.js';
import { validatePutRecord, validatePutRecords } from './kinesis-limits.js';
import { EmbeddedStream } from './embedded-stream.js';

function limitError(fn: () => unknown): KinesisLimitError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(KinesisLimitError);
    return error as KinesisLimitError;
  }
  throw new Error('expected a KinesisLimitError');
}

describe('record limits', () => {
  it('partition keys are 1 to 256 characters', () => {
    expect(validatePutRecord({ partitionKey: 'k'.repeat(256), data: '' })).toBe(256);
    const empty = limitError(() => validatePutRecord({ partitionKey: '', data: 'x' }));
    expect([empty.limitName, empty.limit, empty.received]).toEqual(['partitionKeyLength', '1..256', 0]);
    const long = limitError(() => validatePutRecord({ partitionKey: 'k'.repeat(257), data: 'x' }));
    expect(long.received).toBe(257);
    expect(long.message).toMatch(/257/);
  });

  it('counts partition-key characters, not UTF-16 units or bytes', () => {
    // 256 emoji: 512 UTF-16 units and 1024 bytes, but 256 characters.
    expect(() => validatePutRecord({ partitionKey: '😀'.repeat(256), data: 'x' })).not.toThrow();
    expect(limitError(() => validatePutRecord({ partitionKey: '😀'.repeat(257), data: 'x' })).received).toBe(257);
  });

  it('data is at most 1 MiB by default, and the limit can be changed', () => {
    const mib = 1024 * 1024;
    expect(() => validatePutRecord({ partitionKey: 'k', data: new Uint8Array(mib) })).not.toThrow();
    const big = limitError(() => validatePutRecord({ partitionKey: 'k', data: new Uint8Array(mib + 1) }));
    expect([big.limitName, big.limit, big.received]).toEqual(['dataBytes', mib, mib + 1]);
    const stream = new EmbeddedStream({ limits: { maxDataBytes: 10 } });
    expect(limitError(() => stream.putRecord({ partitionKey: 'k', data: 'x'.repeat(11) })).limit).toBe(10);
    expect(() => stream.putRecord({ partitionKey: 'k', data: 'x'.repeat(10) })).not.toThrow();
  });

  it('counts string data in UTF-8 bytes', () => {
    const stream = new EmbeddedStream({ limits: { maxDataBytes: 4 } });
    expect(limitError(() => stream.putRecord({ partitionKey: 'k', data: 'ééé' })).received).toBe(6);
  });

  it('PutRecords takes 1 to 500 records of at most 5 MiB in all, partition keys included', () => {
    expect(limitError(() => validatePutRecords([])).received).toBe(0);
    const many = Array.from({ length: 501 }, () => ({ partitionKey: 'k', data: 'x' }));
    expect(limitError(() => validatePutRecords(many)).limitName).toBe('recordsPerRequest');
    const mib = 1024 * 1024;
    const five = Array.from({ length: 5 }, () => ({ partitionKey: 'k', data: new Uint8Array(mib) }));
    const total = limitError(() => validatePutRecords(five));
    expect([total.limitName, total.received]).toEqual(['requestBytes', 5 * mib + 5]);
  });

  it('names the failing entry of a PutRecords request', () => {
    const error = limitError(() => validatePutRecords([{ partitionKey: 'k', data: 'x' }, { partitionKey: '', data: 'x' }]));
    expect(error.message).toMatch(/records\[1\]/);
  });

  it('rejects a whole PutRecords request with an invalid entry, writing nothing', () => {
    const stream = new EmbeddedStream();
    limitError(() => stream.putRecords([{ partitionKey: 'ok', data: 'x' }, { partitionKey: 'bad', explicitHashKey: '-5', data: 'x' }]));
    const shard = stream.listShards()[0];
    expect(stream.getRecords(stream.getShardIterator(shard.shardId, { type: 'TRIM_HORIZON' })).records).toHaveLength(0);
  });
});
