import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../errors.js';
import {
  RECORDING_HEADER_LENGTH, RecordingFrameReader, crc32, crc32Portable, decodeRecordingHeader, encodeRecordingFrame, encodeRecordingHeader, readRecording,
  type RecordingEntry, type RecordingRecord,
} from './binary-recording.js';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

const SAMPLES: RecordingRecord[] = [
  { at: 1_767_614_400_000, partitionKey: 'AMZN', data: bytes('{"TICKER":"AMZN","PRICE":12.5}') },
  { at: 1_767_614_400_001.5, partitionKey: 'ключ-ü', explicitHashKey: '170141183460469231731687303715884105728', data: new Uint8Array(0) },
  { at: 0, partitionKey: 'k', data: Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) & 0xff) },
];

function file(records: readonly RecordingRecord[], dump = false): Buffer {
  return Buffer.concat([encodeRecordingHeader({ dump }), ...records.map((r) => encodeRecordingFrame(r))]);
}

/** The fields a record comes back with, data as an array (views compare by content). */
function plain(r: RecordingRecord) {
  return {
    at: r.at, partitionKey: r.partitionKey, explicitHashKey: r.explicitHashKey ?? null,
    shardId: r.shardId, sequenceNumber: r.sequenceNumber, data: Buffer.from(r.data).toString('base64'),
  };
}

const recordsOf = (entries: readonly RecordingEntry[]) => entries.flatMap((e) => (e.kind === 'record' ? [plain(e.record)] : []));

/** Feeds `data` in the given chunk sizes (cycled) and collects every entry. */
function readChunked(data: Uint8Array, sizes: readonly number[]): RecordingEntry[] {
  const reader = new RecordingFrameReader(RECORDING_HEADER_LENGTH);
  const entries: RecordingEntry[] = [];
  let pos = RECORDING_HEADER_LENGTH;
  let i = 0;
  for (;;) {
    const e = reader.next();
    if (e === null) return entries;
    if (e !== undefined) {
      entries.push(e);
      continue;
    }
    if (pos >= data.length) reader.end();
    else {
      const n = sizes[i++ % sizes.length];
      // Each chunk its own buffer, as a file stream hands them over.
      reader.feed(Uint8Array.from(data.subarray(pos, pos + n)));
      pos += n;
    }
  }
}

describe('binary recording: round trip', () => {
  it('gives back every record, field for field, with its data as a view of the bytes read (no copy)', () => {
    const data = file(SAMPLES);
    const { dump, entries } = readRecording(data, 'a.krec');
    expect(dump).toBe(false);
    expect(entries.map((e) => e.kind)).toEqual(['record', 'record', 'record']);
    expect(recordsOf(entries)).toEqual(SAMPLES.map(plain));
    const first = entries[0] as Extract<RecordingEntry, { kind: 'record' }>;
    expect(first.record.data.buffer).toBe(data.buffer);
    expect(first.offset).toBe(RECORDING_HEADER_LENGTH);
  });

  it('keeps the shard ids and sequence numbers of a stream dump, and says it is one', () => {
    const dumped = SAMPLES.map((r, i) => ({ ...r, shardId: `shardId-00000000000${i}`, sequenceNumber: `4960${i}` }));
    const { dump, entries } = readRecording(file(dumped, true));
    expect(dump).toBe(true);
    expect(recordsOf(entries)).toEqual(dumped.map(plain));
  });

  it('reads the same entries whatever the chunks the bytes arrive in', () => {
    const data = file(SAMPLES);
    const whole = readRecording(data).entries;
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 8 }), (sizes) => {
      expect(readChunked(data, sizes).map((e) => (e.kind === 'record' ? plain(e.record) : e))).toEqual(whole.map((e) => (e.kind === 'record' ? plain(e.record) : e)));
    }), { numRuns: 60 });
  });

  it('refuses to write what the format cannot hold', () => {
    expect(() => encodeRecordingFrame({ at: 1, partitionKey: '', data: new Uint8Array(1) })).toThrow(CodecError);
    expect(() => encodeRecordingFrame({ at: Number.NaN, partitionKey: 'a', data: new Uint8Array(1) })).toThrow(/arrival time/);
    expect(() => encodeRecordingFrame({ at: 1, partitionKey: 'a', explicitHashKey: '1'.repeat(256), data: new Uint8Array(1) })).toThrow(/explicit hash key/);
  });

  it('computes CRC-32 as zlib does, also without zlib.crc32 (Node before 20.15)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
      expect(crc32Portable(b)).toBe(crc32(b));
      const z = (zlib as { crc32?: (d: Uint8Array) => number }).crc32;
      if (z) expect(crc32Portable(b)).toBe(z(b));
    }));
    expect(crc32Portable(bytes('123456789'))).toBe(0xcbf43926);
  });
});

describe('binary recording: damage is found, named and contained', () => {
  const data = file(SAMPLES);
  const frameLengths = SAMPLES.map((r) => encodeRecordingFrame(r).length);
  const offsets = frameLengths.map((_, i) => RECORDING_HEADER_LENGTH + frameLengths.slice(0, i).reduce((a, b) => a + b, 0));

  it('a flipped data byte: that record alone is reported (its offset, its length, checksum mismatch); the others come back', () => {
    const bad = Buffer.from(data);
    bad[offsets[1] + 30] ^= 0x40;
    const { entries } = readRecording(bad);
    expect(entries.map((e) => e.kind)).toEqual(['record', 'damaged', 'record']);
    expect(entries[1]).toMatchObject({ kind: 'damaged', offset: offsets[1], length: frameLengths[1], reason: 'checksum mismatch' });
    expect(recordsOf(entries)).toEqual([SAMPLES[0], SAMPLES[2]].map(plain));
  });

  it('a damaged length: reported, and reading resumes at the next frame mark', () => {
    const bad = Buffer.from(data);
    bad.writeUInt32LE(0xfffffff0, offsets[0] + 4);
    const { entries } = readRecording(bad);
    expect(entries[0]).toMatchObject({ kind: 'damaged', offset: offsets[0], length: frameLengths[0], reason: 'impossible frame length 4294967280' });
    expect(recordsOf(entries)).toEqual([SAMPLES[1], SAMPLES[2]].map(plain));
  });

  it('a file cut short (a recorder that crashed): the last frame is reported as cut short', () => {
    const { entries } = readRecording(data.subarray(0, data.length - 100));
    expect(entries.map((e) => e.kind)).toEqual(['record', 'record', 'damaged']);
    expect(entries[2]).toMatchObject({ offset: offsets[2], length: frameLengths[2] - 100 });
    expect((entries[2] as { reason: string }).reason).toMatch(/^cut short/);
  });

  it('a frame that checks but whose fields do not fit is reported as invalid, not taken in', () => {
    const frame = encodeRecordingFrame(SAMPLES[0]);
    frame.writeUInt16LE(60_000, 8 + 9); // partition key longer than the frame
    frame.writeUInt32LE(crc32(frame.subarray(4, frame.length - 4)), frame.length - 4);
    const { entries } = readRecording(Buffer.concat([encodeRecordingHeader(), frame]));
    expect(entries).toEqual([{ kind: 'invalid', offset: RECORDING_HEADER_LENGTH, at: SAMPLES[0].at, reason: 'partition key length 60000 does not fit the frame' }]);
  });

  it('a damaged header, another version or a file cut inside its header make the file unusable, saying which', () => {
    const damaged = Buffer.from(data);
    damaged[9] ^= 1;
    expect(() => decodeRecordingHeader(damaged, 'x.krec')).toThrow('x.krec: binary recording header damaged (its checksum does not match)');
    const v2 = Buffer.from(data);
    v2.writeUInt16LE(2, 8);
    v2.writeUInt32LE(crc32(v2.subarray(0, 12)), 12);
    expect(() => decodeRecordingHeader(v2, 'x.krec')).toThrow('x.krec: binary recording version 2 is not supported (this release reads version 1)');
    expect(() => decodeRecordingHeader(data.subarray(0, 10), 'x.krec')).toThrow('x.krec: binary recording header cut short (10 of 16 bytes)');
  });
});

describe('binary recording reader: fuzz', () => {
  const records = fc.record({
    at: fc.integer({ min: 0, max: 2 ** 45 }),
    partitionKey: fc.string({ minLength: 1, maxLength: 20 }),
    explicitHashKey: fc.option(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map(String), { nil: undefined }),
    data: fc.uint8Array({ maxLength: 400 }),
  });

  it('never throws on any bytes after a valid header, and accounts for every byte exactly once', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 4 }), (tail, sizes) => {
      const data = Buffer.concat([encodeRecordingHeader(), tail]);
      const entries = readChunked(data, sizes);
      let pos = RECORDING_HEADER_LENGTH;
      for (const e of entries) {
        expect(e.offset).toBe(pos);
        pos += e.kind === 'damaged' ? e.length : 8 + (data.readUInt32LE(e.offset + 4)) + 4;
      }
      expect(pos).toBe(data.length);
    }), { numRuns: 300 });
  });

  it('after random corruption (flips, insertions, deletions), every frame the corruption did not touch comes back intact, and nothing else', () => {
    fc.assert(fc.property(
      fc.array(records, { minLength: 1, maxLength: 12 }),
      fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom('flip', 'insert', 'delete'), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 }),
      fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 4 }),
      (recs, edits, sizes) => {
        const frames = recs.map((r) => encodeRecordingFrame(r));
        const original = Buffer.concat([encodeRecordingHeader(), ...frames]);
        // Where each frame starts; the edits only touch bytes after the header.
        const starts: number[] = [];
        let o = RECORDING_HEADER_LENGTH;
        for (const f of frames) { starts.push(o); o += f.length; }
        const bodyLength = original.length - RECORDING_HEADER_LENGTH;
        const touched = new Set<number>();
        const bytesOut = [...original];
        // Apply edits from the end backwards so earlier positions stay meaningful.
        const positions = edits.map((e) => ({ ...e, at: RECORDING_HEADER_LENGTH + (e.at % bodyLength) })).sort((a, b) => b.at - a.at);
        for (const e of positions) {
          const frame = starts.findLastIndex((s) => s <= e.at);
          touched.add(frame);
          if (e.kind === 'flip') bytesOut[e.at] ^= e.byte | 1;
          else if (e.kind === 'insert') bytesOut.splice(e.at, 0, e.byte);
          else bytesOut.splice(e.at, 1);
        }
        const entries = readChunked(Uint8Array.from(bytesOut), sizes);
        const back = recordsOf(entries);
        const expected = recs.map(plain);
        // Every untouched frame comes back, in order; anything else that comes back is one of the originals.
        const untouched = expected.filter((_, i) => !touched.has(i));
        let k = 0;
        for (const r of back) if (k < untouched.length && JSON.stringify(r) === JSON.stringify(untouched[k])) k++;
        expect(k).toBe(untouched.length);
        for (const r of back) expect(expected.map((x) => JSON.stringify(x))).toContain(JSON.stringify(r));
        // Something is reported unless every edit cancelled out (a byte deleted and the same byte inserted back).
        if (!Buffer.from(bytesOut).equals(original)) expect(entries.some((e) => e.kind !== 'record')).toBe(true);
      },
    ), { numRuns: 300 });
  });
});
