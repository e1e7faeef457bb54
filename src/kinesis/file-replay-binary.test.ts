import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CodecError } from '../errors.js';
import { RECORDING_HEADER_LENGTH, crc32, encodeRecordingFrame, encodeRecordingHeader, type RecordingRecord } from './binary-recording.js';
import { EmbeddedStream } from './embedded-stream.js';
import { EmbeddedStreamSource } from './embedded-stream-source.js';
import { FileReplaySource } from './file-replay-source.js';
import { StreamRecorder, recordingSource } from './stream-recorder.js';
import type { RejectedInput, ShardCheckpoint, SourceRecord } from './stream-source.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kinesis-binary-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
function file(content: string | Buffer, name = `f${++counter}.krec`): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function replay(p: string, options: Partial<ConstructorParameters<typeof FileReplaySource>[0]> = {}, checkpoints?: ShardCheckpoint[]) {
  const src = new FileReplaySource({ path: p, ...options });
  await src.start(checkpoints ? 'LAST_STOPPED_POINT' : 'TRIM_HORIZON', checkpoints);
  const records: SourceRecord[] = [];
  const rejected: RejectedInput[] = [];
  for (;;) {
    const r = await src.read();
    records.push(...r.records);
    rejected.push(...(r.rejected ?? []));
    if (r.done) break;
  }
  const positions = src.checkpoints();
  await src.close();
  return { records, rejected, errors: rejected.map((x) => x.error.message), positions };
}

const plain = (r: SourceRecord) => ({ ...r, data: Buffer.from(r.data).toString('base64'), explicitHashKey: r.explicitHashKey ?? null });

/** 300 records over 20 keys, some with an explicit hash key, as NDJSON replay lines and as a binary recording. */
function recordings(): { records: RecordingRecord[]; ndjson: string; binary: Buffer } {
  const records: RecordingRecord[] = Array.from({ length: 300 }, (_, i) => ({
    at: 1_767_614_400_000 + i * 7,
    partitionKey: `key-${i % 20}`,
    ...(i % 50 === 3 ? { explicitHashKey: String(BigInt(i) * 10n ** 30n) } : {}),
    data: new Uint8Array(Buffer.from(`{"N":${i},"TEXT":"${'x'.repeat(i % 97)}"}`)),
  }));
  const ndjson = records.map((r) => JSON.stringify({
    at: r.at, partitionKey: r.partitionKey, ...(r.explicitHashKey ? { explicitHashKey: r.explicitHashKey } : {}), dataBase64: Buffer.from(r.data).toString('base64'),
  })).join('\n');
  const binary = Buffer.concat([encodeRecordingHeader(), ...records.map((r) => encodeRecordingFrame(r))]);
  return { records, ndjson, binary };
}

describe('FileReplaySource, binary recordings', () => {
  it('replays the same records as the NDJSON recording of them (shards, sequence numbers, keys, bytes, times)', async () => {
    const { ndjson, binary } = recordings();
    const fromText = await replay(file(ndjson, `r${++counter}.ndjson`), { shardCount: 4 });
    // Recognised by its header, not its name.
    const fromBinary = await replay(file(binary, `r${++counter}.dat`), { shardCount: 4 });
    expect(fromText.records).toHaveLength(300);
    expect(fromBinary.records.map(plain)).toEqual(fromText.records.map(plain));
    expect(fromBinary.rejected).toEqual([]);
    expect(new Set(fromBinary.records.map((r) => r.shardId)).size).toBeGreaterThan(1);
  });

  it('reads a gzipped recording, and small batches give the same records', async () => {
    const { binary } = recordings();
    const whole = await replay(file(binary));
    const gz = await replay(file(gzipSync(binary), `g${++counter}.krec.gz`), { batchSize: 7 });
    expect(gz.records.map(plain)).toEqual(whole.records.map(plain));
  });

  it('reports a damaged record on error_stream (record number, byte offset, why, its bytes) and goes on', async () => {
    const { binary, records } = recordings();
    const frames = records.map((r) => encodeRecordingFrame(r).length);
    const offset10 = RECORDING_HEADER_LENGTH + frames.slice(0, 10).reduce((a, b) => a + b, 0);
    const bad = Buffer.from(binary);
    bad[offset10 + 25] ^= 0x01;
    const p = file(bad);
    const { records: got, rejected, errors } = await replay(p);
    expect(got).toHaveLength(299);
    expect(got.map((r) => Buffer.from(r.data).toString()).includes(Buffer.from(records[10].data).toString())).toBe(false);
    expect(errors).toEqual([`${p}: record 11 (byte offset ${offset10}): ${frames[10]} damaged byte(s) (checksum mismatch), skipped to the next record whose checksum matches`]);
    expect(rejected[0].error.errorName).toBe('REPLAY_LINE_INVALID');
    expect(rejected[0].arrivalTimestamp).toBeNull();
    expect(Buffer.from(rejected[0].raw, 'base64').equals(bad.subarray(offset10, offset10 + frames[10]))).toBe(true);
  });

  it('a record that checks but has fields it cannot use (no partition key) is reported with its arrival time', async () => {
    const frame = encodeRecordingFrame({ at: 5000, partitionKey: 'k', data: new Uint8Array([1]) });
    frame.writeUInt16LE(0, 8 + 9);
    frame.writeUInt32LE(crc32(frame.subarray(4, frame.length - 4)), frame.length - 4);
    const p = file(Buffer.concat([encodeRecordingHeader(), frame, encodeRecordingFrame({ at: 6000, partitionKey: 'k', data: new Uint8Array([2]) })]));
    const { records, rejected } = await replay(p);
    expect(records.map((r) => [...r.data])).toEqual([[2]]);
    expect(rejected.map((r) => [r.error.message, r.arrivalTimestamp])).toEqual([[`${p}: record 1 (byte offset 16): partition key length 0 does not fit the frame`, 5000]]);
  });

  it('resumes from checkpoints without reading or reporting anything twice', async () => {
    const { binary } = recordings();
    const bad = Buffer.from(binary);
    bad[RECORDING_HEADER_LENGTH + 3] ^= 0xff; // the first frame's mark
    const p = file(bad);
    const all = await replay(p);
    const first = new FileReplaySource({ path: p, batchSize: 100 });
    await first.start('TRIM_HORIZON');
    const part1 = await first.read();
    const positions = first.checkpoints();
    await first.close();
    const rest = await replay(p, {}, positions);
    expect([...part1.records, ...rest.records].map(plain)).toEqual(all.records.map(plain));
    expect((part1.rejected ?? []).length + rest.rejected.length).toBe(1);
    expect(all.errors[0]).toMatch(/record 1 \(byte offset 16\): .* \(no frame mark\)/);
  });

  it('refuses a file it cannot use: another version, a damaged header', async () => {
    const v2 = encodeRecordingHeader();
    v2.writeUInt16LE(2, 8);
    v2.writeUInt32LE(crc32(v2.subarray(0, 12)), 12);
    const p = file(v2);
    await expect(new FileReplaySource({ path: p }).start('TRIM_HORIZON')).rejects.toThrow(new CodecError(`${p}: binary recording version 2 is not supported (this release reads version 1)`));
    const damaged = encodeRecordingHeader();
    damaged[8] ^= 4;
    const q = file(damaged);
    await expect(new FileReplaySource({ path: q }).start('TRIM_HORIZON')).rejects.toThrow(/binary recording header damaged/);
  });

  it('a read() stops once its records hold batchBytes of data (as GetRecords stops at 10 MiB)', async () => {
    const records = Array.from({ length: 30 }, (_, i) => ({ at: 1000 + i, partitionKey: 'k', data: new Uint8Array(1024).fill(i) }));
    const source = new FileReplaySource({ path: file(Buffer.concat([encodeRecordingHeader(), ...records.map((r) => encodeRecordingFrame(r))])), batchBytes: 4096 });
    await source.start('TRIM_HORIZON');
    const sizes: number[] = [];
    for (let r = await source.read(); !r.done; r = await source.read()) sizes.push(r.records.length);
    await source.close();
    expect(sizes).toEqual([4, 4, 4, 4, 4, 4, 4, 2]);
  });

  it('StreamRecorder writes a .krec dump that replays exactly the records read', async () => {
    let now = 1_000;
    const stream = new EmbeddedStream({ shardCount: 3, clock: () => now++ });
    stream.putRecords(Array.from({ length: 40 }, (_, i) => ({ partitionKey: `k${i % 7}`, data: Buffer.from([i, 255 - i, 0]) })));
    stream.putRecord({ partitionKey: 'ehk', explicitHashKey: '12345', data: 'x' });
    const dump = path.join(dir, `dump${++counter}.krec`);
    const src = recordingSource(new EmbeddedStreamSource(stream, { pollMs: 5 }), new StreamRecorder(dump));
    await src.start('TRIM_HORIZON');
    const read: SourceRecord[] = [];
    for (let r = await src.read(); r.records.length > 0; r = await src.read()) read.push(...r.records);
    await src.close();
    const replayed = await replay(dump);
    expect(read).toHaveLength(41);
    expect(replayed.records.map(plain)).toEqual(read.map(plain));
    // A dump's shards are its own: the source does not claim to know their hash-key ranges.
    const source = new FileReplaySource({ path: dump });
    await source.start('TRIM_HORIZON');
    expect(source.shardHashKeyRange('shardId-000000000000')).toBeUndefined();
    await source.close();
  });
});
