// Property tests: aggregate -> deaggregate is the identity; no corrupted input escapes as anything but a
// CodecError; the single-pass decoder and the general parser agree.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../errors.js';
import { aggregate } from './aggregator.js';
import { decodeCanonicalAggregate } from './decode-canonical-aggregate.js';
import { deaggregate } from './deaggregate.js';
import { MAX_HASH_KEY } from './hash-key.js';
import { SLOT_WIDTH, parseAggregatedRecord } from './parse-aggregated-record.js';

const partitionKey = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  fc.constantFrom('AMZN', 'MSFT', 'k'),
).filter((k) => k.length >= 1 && k.length <= 256);
const explicitHashKey = fc.option(fc.oneof(fc.bigInt({ min: 0n, max: MAX_HASH_KEY }), fc.constantFrom(0n, MAX_HASH_KEY)).map(String), { nil: null });
const userRecord = fc.record({ partitionKey, explicitHashKey, data: fc.uint8Array({ maxLength: 400 }) });
const options = fc.record({ maxBytes: fc.integer({ min: 64, max: 8000 }), sendLoneRecordRaw: fc.boolean() });

/** Aggregates framed with the default options, for the corruption properties. */
const framedAggregate = fc.array(userRecord, { minLength: 1, maxLength: 20 }).map((records) => aggregate(records, { maxBytes: 1_048_576 })[0].data);

describe('aggregate -> deaggregate', () => {
  it('is the identity: same records, order, keys (explicit hash key null when absent) and data, empty data included', () => {
    fc.assert(
      fc.property(fc.array(userRecord, { maxLength: 60 }), options, (records, opts) => {
        const out = aggregate(records, opts);
        const back = out.flatMap((r) => {
          const users = deaggregate({ data: r.data, partitionKey: r.partitionKey, explicitHashKey: r.explicitHashKey, sequenceNumber: '1' });
          // Sub-sequence numbers count the user records of each Kinesis record from 0.
          expect(users.map((u) => u.subSequenceNumber)).toEqual(users.map((_, i) => i));
          expect(users).toHaveLength(r.userRecordCount);
          return users;
        });
        expect(back.map((u) => ({ partitionKey: u.partitionKey, explicitHashKey: u.explicitHashKey, data: Buffer.from(u.data).toString('hex') }))).toEqual(
          records.map((r) => ({ partitionKey: r.partitionKey, explicitHashKey: r.explicitHashKey, data: Buffer.from(r.data).toString('hex') })),
        );
        for (const r of out) expect(r.data.length + Buffer.byteLength(r.partitionKey)).toBeLessThanOrEqual(Math.max(opts.maxBytes, r.userRecordCount === 1 ? 1_048_576 : 0));
      }),
      { numRuns: 300 },
    );
  });
});

describe('the single-pass decoder and the general parser', () => {
  it('agree on every aggregate the Aggregator writes', () => {
    fc.assert(
      fc.property(fc.array(userRecord, { minLength: 1, maxLength: 300 }), (records) => {
        const [out] = aggregate(records, { maxBytes: 10_485_760, streamMaxRecordBytes: 10_485_760 });
        const fast = decodeCanonicalAggregate({ data: out.data, partitionKey: 'a' }, out.data.length - 16);
        expect(fast).toBeDefined();
        const parsed = parseAggregatedRecord(out.data, 4, out.data.length - 16);
        const general = Array.from({ length: parsed.count }, (_, i) => {
          const s = i * SLOT_WIDTH;
          return [parsed.partitionKeys[parsed.slots[s]], parsed.slots[s + 1] < 0 ? null : parsed.explicitHashKeys[parsed.slots[s + 1]], parsed.slots[s + 2], parsed.slots[s + 3]];
        });
        expect(fast!.map((u) => [u.partitionKey, u.explicitHashKey, u.data.byteOffset - out.data.byteOffset, u.data.byteOffset - out.data.byteOffset + u.data.length])).toEqual(general);
      }),
      { numRuns: 100 },
    );
  });
});

/** deaggregate must return records whose views lie inside the input, or throw a CodecError; nothing else. */
function survives(data: Uint8Array): void {
  let users;
  try {
    users = deaggregate({ data, partitionKey: 'outer', sequenceNumber: '5' });
  } catch (error) {
    expect(error).toBeInstanceOf(CodecError);
    return;
  }
  for (const u of users) {
    expect(u.data.buffer).toBe(data.buffer);
    expect(u.data.byteOffset).toBeGreaterThanOrEqual(data.byteOffset);
    expect(u.data.byteOffset + u.data.length).toBeLessThanOrEqual(data.byteOffset + data.length);
  }
  if (users.length === 1 && !users[0].aggregated) expect(users[0].data).toBe(data);
}

/** Replaces the MD5 trailer with the digest of the (corrupted) body, so the parser, not the checksum, meets it. */
function resign(data: Uint8Array): Uint8Array {
  if (data.length < 21) return data;
  const out = Buffer.from(data);
  createHash('md5').update(out.subarray(4, out.length - 16)).digest().copy(out, out.length - 16);
  return out;
}

describe('corrupted aggregates never raise anything but a CodecError', () => {
  it('truncated', () => {
    fc.assert(fc.property(framedAggregate, fc.nat(), (data, cut) => survives(data.subarray(0, cut % (data.length + 1)))), { numRuns: 300 });
  });

  it('truncated, with a valid MD5 of what is left', () => {
    fc.assert(
      fc.property(framedAggregate, fc.nat(), (data, cut) => {
        const bodyEnd = 4 + (cut % (data.length - 19));
        survives(resign(Buffer.concat([data.subarray(0, bodyEnd), Buffer.alloc(16)])));
      }),
      { numRuns: 300 },
    );
  });

  it('bit-flipped (the MD5 catches it: passed through)', () => {
    fc.assert(
      fc.property(framedAggregate, fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (data, bits) => {
        const copy = Buffer.from(data);
        for (const bit of bits) copy[(bit >> 3) % copy.length] ^= 1 << (bit & 7);
        survives(copy);
      }),
      { numRuns: 300 },
    );
  });

  it('bit-flipped in the body, with a valid MD5 (the parser meets the damage)', () => {
    fc.assert(
      fc.property(framedAggregate, fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (data, bits) => {
        const copy = Buffer.from(data);
        const bodyLength = copy.length - 20;
        for (const bit of bits) copy[4 + ((bit >> 3) % bodyLength)] ^= 1 << (bit & 7);
        survives(resign(copy));
      }),
      { numRuns: 500 },
    );
  });

  it('random bytes behind the magic, with a valid MD5', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (body) => survives(resign(Buffer.concat([Buffer.from('f3899ac2', 'hex'), body, Buffer.alloc(16)])))), {
      numRuns: 500,
    });
  });
});
