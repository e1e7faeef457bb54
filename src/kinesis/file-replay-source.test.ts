import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { CodecError } from '../errors.js';
import { EmbeddedStream } from './embedded-stream.js';
import { EmbeddedStreamSource } from './embedded-stream-source.js';
import { FileReplaySource, splitCsvLine } from './file-replay-source.js';
import { StreamRecorder, recordingSource } from './stream-recorder.js';
import type { SourceRecord, StreamSource } from './stream-source.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kinesis-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCounter = 0;
function file(content: string | Buffer, ext = '.ndjson'): string {
  const p = path.join(dir, `f${++fileCounter}${ext}`);
  writeFileSync(p, content);
  return p;
}

async function readAll(src: StreamSource): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for (;;) {
    const { records, done } = await src.read();
    out.push(...records);
    if (done) return out;
  }
}

async function replay(p: string, options: Partial<ConstructorParameters<typeof FileReplaySource>[0]> = {}): Promise<SourceRecord[]> {
  const src = new FileReplaySource({ path: p, ...options });
  await src.start('TRIM_HORIZON');
  const out = await readAll(src);
  await src.close();
  return out;
}

const text = (r: SourceRecord) => Buffer.from(r.data).toString('utf8');

describe('FileReplaySource, NDJSON input', () => {
  it('reads times as ISO or epoch ms, and data as text, JSON or base64', async () => {
    const p = file([
      '{"at":"2024-01-02T03:04:05.678Z","partitionKey":"a","data":"plain text"}',
      '',
      '{"at":1700000000000,"partitionKey":"b","data":{"ticker":"AAPL","price":1.5}}',
      '{"at":"1700000000001","data":"no key"}',
      `{"at":5,"partitionKey":"c","dataBase64":"${Buffer.from([0xf3, 0x89, 0x9a, 0xc2, 0]).toString('base64')}"}`,
    ].join('\n'));
    const got = await replay(p);
    expect(got.map((r) => r.approximateArrivalTimestamp)).toEqual([Date.parse('2024-01-02T03:04:05.678Z'), 1700000000000, 1700000000001, 5]);
    expect(got.slice(0, 3).map(text)).toEqual(['plain text', '{"ticker":"AAPL","price":1.5}', 'no key']);
    expect([...got[3].data]).toEqual([0xf3, 0x89, 0x9a, 0xc2, 0]);
    expect(got.map((r) => r.partitionKey)).toEqual(['a', 'b', '4', 'c']); // a missing key is the line number
  });

  it('routes and numbers records exactly as an embedded stream with the same shards would', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => ({ at: i, partitionKey: `k${i % 9}`, data: `v${i}` }));
    const got = await replay(file(lines.map((l) => JSON.stringify(l)).join('\n')), { shardCount: 3 });
    const stream = new EmbeddedStream({ shardCount: 3 });
    const expected = stream.putRecords(lines.map((l) => ({ partitionKey: l.partitionKey, data: l.data }))).records;
    expect(got.map((r) => [r.shardId, r.sequenceNumber])).toEqual(expected.map((e) => [e.shardId, e.sequenceNumber]));
  });

  it('tells the hash-key ranges of the shards it routes over, and none for a dump', async () => {
    const src = new FileReplaySource({ path: file('{"at":1,"data":"x"}'), shardCount: 4 });
    await src.start('TRIM_HORIZON');
    await readAll(src);
    expect(src.shardHashKeyRange('shardId-000000000003')).toEqual(new EmbeddedStream({ shardCount: 4 }).listShards()[3].hashKeyRange);
    const dump = new FileReplaySource({ path: file('{"at":1,"shardId":"shardId-000000000003","sequenceNumber":"7","partitionKey":"k","dataBase64":""}'), shardCount: 4 });
    await dump.start('TRIM_HORIZON');
    await readAll(dump);
    expect(dump.shardHashKeyRange('shardId-000000000003')).toBeUndefined();
  });

  it('reads CRLF lines and characters split across read chunks intact', async () => {
    // ~300 KB of multi-byte text: chunk boundaries (64 KiB) fall inside characters somewhere.
    const lines = Array.from({ length: 1000 }, (_, i) => ({ at: i, partitionKey: 'k', data: `${i}:${'é東😀'.repeat(30 + (i % 7))}` }));
    const got = await replay(file(lines.map((l) => JSON.stringify(l)).join('\r\n')));
    expect(got.map(text)).toEqual(lines.map((l) => l.data));
  });

  it('reads gzipped files', async () => {
    const got = await replay(file(gzipSync('{"at":1,"data":"zipped"}\n'), '.ndjson.gz'));
    expect(got.map(text)).toEqual(['zipped']);
  });

  it('fails on a bad line, naming the file and line', async () => {
    const bad = file('{"at":1,"data":"ok"}\n{"at":2,\n');
    await expect(replay(bad)).rejects.toThrow(CodecError);
    await expect(replay(bad)).rejects.toThrow(`${bad}:2: not JSON`);
    await expect(replay(file('{"at":"yesterday","data":"x"}'))).rejects.toThrow(/"at" must be epoch ms or an ISO 8601 time; received "yesterday"/);
    await expect(replay(file('{"at":1}'))).rejects.toThrow(/needs "data"/);
  });

  it('says done only on an empty batch at the end of the file', async () => {
    const src = new FileReplaySource({ path: file('{"at":1,"data":"a"}\n{"at":2,"data":"b"}\n'), batchSize: 10 });
    await src.start('NOW');
    expect((await src.read()).records.map(text)).toEqual(['a', 'b']);
    expect(await src.read()).toMatchObject({ records: [], done: true });
  });

  it('keeps the gaps between arrival times when paced', async () => {
    const src = new FileReplaySource({ path: file('{"at":0,"data":"now"}\n{"at":60000,"data":"in a minute"}\n'), speed: 1, pollMs: 30 });
    await src.start('TRIM_HORIZON');
    expect((await src.read()).records.map(text)).toEqual(['now']);
    expect(await src.read()).toMatchObject({ records: [], done: false });
    await src.close();
  });
});

describe('FileReplaySource, CSV input', () => {
  it('takes the arrival time and partition key from their columns and the rest of the row as the payload', async () => {
    const p = file([
      'at,partitionKey,ticker,note,price',
      '2024-01-01T00:00:00Z,AAPL,AAPL,"a, quoted ""note""",1.5',
      '1704067201000,MSFT,MSFT,,2',
    ].join('\n'), '.csv');
    const got = await replay(p);
    expect(got.map(text)).toEqual(['AAPL,"a, quoted ""note""",1.5', 'MSFT,,2']);
    expect(got.map((r) => r.partitionKey)).toEqual(['AAPL', 'MSFT']);
    expect(got.map((r) => r.approximateArrivalTimestamp)).toEqual([1704067200000, 1704067201000]);
  });

  it('uses the columns and delimiter given, and fails on a missing time column', async () => {
    const got = await replay(file('when;sym;px\n10;A;1\n20;B;2\n', '.csv'), { csv: { timeColumn: 'when', partitionKeyColumn: 'sym', delimiter: ';' } });
    expect(got.map(text)).toEqual(['1', '2']);
    await expect(replay(file('time,x\n1,2\n', '.csv'))).rejects.toThrow(/no arrival-time column "at"/);
    await expect(replay(file('at,x\n1,2,3\n', '.csv'))).rejects.toThrow(/:2: 3 fields; the header has 2/);
  });

  it('splits on delimiters outside quotes only', () => {
    expect(splitCsvLine('a,"b,c",d', ',')).toEqual(['a', '"b,c"', 'd']);
    expect(splitCsvLine('a||b||', '||')).toEqual(['a', 'b', '']);
  });
});

describe('StreamRecorder and replaying a dump', () => {
  async function recordRun(): Promise<{ dump: string; read: SourceRecord[] }> {
    let now = 1_000;
    const stream = new EmbeddedStream({ shardCount: 3, clock: () => now++ });
    stream.putRecords(Array.from({ length: 40 }, (_, i) => ({ partitionKey: `k${i % 7}`, data: Buffer.from([i, 255 - i, 0]) })));
    stream.putRecord({ partitionKey: 'ehk', explicitHashKey: '12345', data: 'x' });
    stream.splitShard('shardId-000000000001', (1n << 127n) - 1n);
    stream.putRecords(Array.from({ length: 20 }, (_, i) => ({ partitionKey: `k${i % 7}`, data: `after ${i}` })));
    const dump = path.join(dir, `dump${++fileCounter}.ndjson`);
    const src = recordingSource(new EmbeddedStreamSource(stream, { pollMs: 5 }), new StreamRecorder(dump));
    await src.start('TRIM_HORIZON');
    const read: SourceRecord[] = [];
    for (let r = await src.read(); r.records.length > 0; r = await src.read()) read.push(...r.records);
    await src.close();
    return { dump, read };
  }

  it('replays exactly the records that were read: shards, sequence numbers, keys, bytes and times', async () => {
    const { dump, read } = await recordRun();
    expect(read).toHaveLength(61);
    const replayed = await replay(dump);
    const plain = (r: SourceRecord) => ({ ...r, data: [...r.data], explicitHashKey: r.explicitHashKey ?? null });
    expect(replayed.map(plain)).toEqual(read.map(plain));
  });

  it('resumes a dump replay from checkpoints, with sub-sequence numbers', async () => {
    const { dump, read } = await recordRun();
    const first = new FileReplaySource({ path: dump, batchSize: 25 });
    await first.start('TRIM_HORIZON');
    const part1 = (await first.read()).records;
    const checkpoints = first.checkpoints();
    await first.close();
    const second = new FileReplaySource({ path: dump });
    await second.start('LAST_STOPPED_POINT', checkpoints);
    const part2 = await readAll(second);
    expect([...part1, ...part2].map((r) => r.sequenceNumber)).toEqual(read.map((r) => r.sequenceNumber));

    const target = read[30];
    const third = new FileReplaySource({ path: dump });
    await third.start('LAST_STOPPED_POINT', [{ shardId: target.shardId, sequenceNumber: target.sequenceNumber, subSequenceNumber: 2 }]);
    const part3 = await readAll(third);
    const again = part3.find((r) => r.sequenceNumber === target.sequenceNumber);
    expect(again?.resumeAfterSubSequenceNumber).toBe(2);
    expect(part3.filter((r) => r.shardId === target.shardId)[0]).toBe(again);
  });

  it('applies the sentinel checkpoints of a live run to a replay of its dump', async () => {
    const { dump, read } = await recordRun();
    const src = new FileReplaySource({ path: dump });
    const closed = 'shardId-000000000001';
    const late = read.find((r) => r.shardId === 'shardId-000000000000' && r.approximateArrivalTimestamp > 1020) as SourceRecord;
    await src.start('LAST_STOPPED_POINT', [
      { shardId: closed, sequenceNumber: 'SHARD_END' },
      { shardId: 'shardId-000000000000', sequenceNumber: 'AT_TIMESTAMP', timestamp: late.approximateArrivalTimestamp },
      { shardId: 'shardId-000000000002', sequenceNumber: 'TRIM_HORIZON' },
    ]);
    const got = await readAll(src);
    expect(got.map((r) => r.sequenceNumber)).toEqual(read.filter((r) => r.shardId !== closed &&
      (r.shardId !== 'shardId-000000000000' || r.approximateArrivalTimestamp >= late.approximateArrivalTimestamp)).map((r) => r.sequenceNumber));
  });

  it('rejects a dump line without shard and sequence number', async () => {
    await expect(replay(file('{"streamDump":1}\n{"at":1,"data":"x"}\n'))).rejects.toThrow(/:2: a stream dump line needs/);
  });
});
