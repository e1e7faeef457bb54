import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { evenHashKeyRanges, MAX_HASH_KEY, parseExplicitHashKey, partitionKeyToHashKey, recordHashKey } from './hash-key.js';
import { KinesisLimitError } from './kinesis-errors.js';
import { EmbeddedStream } from './embedded-stream.js';
import { shardIdFor } from './shard-id.js';

/** The rule as AWS states it, written independently: MD5 hex digest read as an unsigned big-endian integer. */
const md5Integer = (key: string) => BigInt(`0x${createHash('md5').update(Buffer.from(key, 'utf8')).digest('hex')}`);

describe('partition-key hashing', () => {
  it('matches the published MD5 test vectors', () => {
    // RFC 1321 appendix A.5.
    expect(partitionKeyToHashKey('a')).toBe(0x0cc175b9c0f1b6a831c399e269772661n);
    expect(partitionKeyToHashKey('abc')).toBe(0x900150983cd24fb0d6963f7d28e17f72n);
    expect(partitionKeyToHashKey('message digest')).toBe(0xf96b697d7cb7938d525a2f31aaf161d0n);
  });

  it('hashes the UTF-8 bytes of the key, as an unsigned 128-bit integer', () => {
    for (const key of ['AAPL', 'ü', 'ключ', '東京', '😀 emoji', 'x'.repeat(256), '0', ' ']) {
      expect(partitionKeyToHashKey(key)).toBe(md5Integer(key));
      expect(partitionKeyToHashKey(key) >= 0n && partitionKeyToHashKey(key) <= MAX_HASH_KEY).toBe(true);
    }
  });

  it('uses the explicit hash key instead of the partition key when given', () => {
    expect(recordHashKey('AAPL', '42')).toBe(42n);
    expect(recordHashKey('AAPL', null)).toBe(md5Integer('AAPL'));
  });
});

describe('explicit hash keys', () => {
  it('accepts 0 and 2^128-1', () => {
    expect(parseExplicitHashKey('0')).toBe(0n);
    expect(parseExplicitHashKey(String((1n << 128n) - 1n))).toBe((1n << 128n) - 1n);
  });

  it.each(['-1', '01', '1.5', '', 'abc', String(1n << 128n), '9'.repeat(40)])('fails for %j with the value received', (text) => {
    let error: unknown;
    try { parseExplicitHashKey(text); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(KinesisLimitError);
    expect((error as KinesisLimitError).limitName).toBe('explicitHashKey');
    expect((error as KinesisLimitError).received).toBe(text);
  });
});

describe('hash-key ranges of a new stream', () => {
  it('cover the key space without gap or overlap', () => {
    for (const n of [1, 2, 3, 4, 7, 16, 100]) {
      const ranges = evenHashKeyRanges(n);
      expect(ranges).toHaveLength(n);
      expect(ranges[0].start).toBe(0n);
      expect(ranges[n - 1].end).toBe(MAX_HASH_KEY);
      for (let i = 1; i < n; i++) expect(ranges[i].start).toBe(ranges[i - 1].end + 1n);
    }
  });

  it('split two shards at 2^127, as CreateStream does', () => {
    expect(evenHashKeyRanges(2)[1].start).toBe(1n << 127n);
  });

  it('match the three-shard ranges in the AWS CLI describe-stream example', () => {
    expect(evenHashKeyRanges(3).map((r) => [String(r.start), String(r.end)])).toEqual([
      ['0', '113427455640312821154458202477256070484'],
      ['113427455640312821154458202477256070485', '226854911280625642308916404954512140969'],
      ['226854911280625642308916404954512140970', '340282366920938463463374607431768211455'],
    ]);
  });
});

describe('routing in the embedded stream', () => {
  it('sends each partition key to the shard whose range holds its MD5', () => {
    const n = 5;
    const stream = new EmbeddedStream({ shardCount: n });
    for (let i = 0; i < 500; i++) {
      const key = `key-${i}`;
      // Independent computation: which of n equal slices of [0, 2^128) the hash falls into.
      const expected = Number((md5Integer(key) * BigInt(n)) >> 128n);
      expect(stream.putRecord({ partitionKey: key, data: 'x' }).shardId).toBe(shardIdFor(expected));
    }
  });

  it('sends explicit hash keys to the shard owning them, boundaries included', () => {
    const stream = new EmbeddedStream({ shardCount: 3 });
    const ranges = evenHashKeyRanges(3);
    ranges.forEach((range, i) => {
      for (const key of [range.start, range.end, (range.start + range.end) / 2n]) {
        expect(stream.putRecord({ partitionKey: 'same', explicitHashKey: String(key), data: 'x' }).shardId).toBe(shardIdFor(i));
      }
    });
  });
});
