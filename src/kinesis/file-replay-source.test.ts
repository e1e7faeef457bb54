import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { CodecError, ExecutionError } from '../errors.js';
import { EmbeddedStream } from './embedded-stream.js';
import { EmbeddedStreamSource } from './embedded-stream-source.js';
import { FileReplaySource, splitCsvLine } from './file-replay-source.js';
import { StreamRecorder, recordingSource } from './stream-recorder.js';
import type { RejectedInput, ShardCheckpoint, SourceRecord, StreamSource } from './stream-source.js';

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
  return (await replayWithRejected(p, options)).records;
}

/** Every record and every rejected line of a file, each rejected line as its error message. */
async function replayWithRejected(p: string, options: Partial<ConstructorParameters<typeof FileReplaySource>[0]> = {}, checkpoints?: ShardCheckpoint[]) {
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

  it('rejects a bad line (not JSON, cut short, no valid "at", no data) naming the file and line, and goes on', async () => {
    const bad = file('{"at":1,"data":"ok"}\n{"at":2,\nnot json\n{"at":"yesterday","data":"x"}\n{"data":"no at"}\n{"at":3}\n{"at":4,"data":"after"}\n');
    const { records, rejected, errors } = await replayWithRejected(bad);
    expect(records.map(text)).toEqual(['ok', 'after']);
    expect(errors).toEqual([
      expect.stringMatching(new RegExp(`^${bad}:2: not JSON \\(.*\\): the line may be cut short$`)),
      expect.stringMatching(new RegExp(`^${bad}:3: not JSON \\(`)),
      `${bad}:4: "at" must be epoch ms or an ISO 8601 time; received "yesterday"`,
      `${bad}:5: "at" must be epoch ms or an ISO 8601 time; received undefined`,
      `${bad}:6: each line needs "data" (a string or JSON value) or "dataBase64"`,
    ]);
    for (const r of rejected) {
      expect(r.error).toBeInstanceOf(ExecutionError);
      expect(r.error.errorName).toBe('REPLAY_LINE_INVALID');
    }
    expect(rejected.map((r) => r.raw)).toEqual(['{"at":2,', 'not json', '{"at":"yesterday","data":"x"}', '{"data":"no at"}', '{"at":3}']);
    expect(rejected[4].arrivalTimestamp).toBe(3);
  });

  it('refuses invalid base64 in dataBase64 instead of decoding it leniently', async () => {
    const f = file(['{"at":1,"dataBase64":"aGVsbG8="}', '{"at":2,"dataBase64":"aGVsbG8"}', '{"at":3,"dataBase64":"aGV sbG8="}', '{"at":4,"dataBase64":"aGVs*G8="}', '{"at":5,"dataBase64":""}'].join('\n'));
    const { records, errors } = await replayWithRejected(f);
    expect(records.map(text)).toEqual(['hello', '']);
    expect(errors).toEqual([2, 3, 4].map((n) => `${f}:${n}: "dataBase64" is not valid base64 (standard alphabet A-Z a-z 0-9 + /, padded with = to a multiple of 4 characters)`));
  });

  it('a resumed replay goes past a bad line without reporting it again', async () => {
    const f = file('{"at":1,"data":"a"}\nbroken\n{"at":2,"data":"b"}\nbroken again\n{"at":3,"data":"c"}\n');
    const src = new FileReplaySource({ path: f, batchSize: 2 });
    await src.start('TRIM_HORIZON');
    const first = await src.read();
    expect(first.records.map(text)).toEqual(['a', 'b']);
    expect(first.rejected?.map((r) => r.error.message)).toEqual([expect.stringContaining(`${f}:2: not JSON`)]);
    const positions = src.checkpoints();
    expect(positions).toEqual([{ shardId: 'shardId-000000000000', sequenceNumber: expect.any(String), line: 3 }]);
    await src.close();
    const resumed = await replayWithRejected(f, {}, positions);
    expect(resumed.records.map(text)).toEqual(['c']);
    expect(resumed.errors).toEqual([expect.stringContaining(`${f}:4: not JSON`)]);
    // A file whose only lines so far were bad still carries its position.
    const onlyBad = file('bad\nworse\n');
    const r = await replayWithRejected(onlyBad);
    expect(r.errors).toHaveLength(2);
    expect((await replayWithRejected(onlyBad, {}, r.positions)).errors).toEqual([]);
  });

  it('a file that cannot be used at all still stops the run', async () => {
    await expect(replay(file('{"streamDump":2}\n'))).rejects.toThrow(CodecError);
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
    await expect(replay(file('time,x\n1,2\n', '.csv'), { recordFormat: 'replay' })).rejects.toThrow(/no arrival-time column "at"/);
    expect((await replayWithRejected(file('at,x\n1,2,3\n2,4\n', '.csv'))).errors).toEqual([expect.stringMatching(/:2: 3 fields; the header has 2$/)]);
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
    expect((await replayWithRejected(file('{"streamDump":1}\n{"at":1,"data":"x"}\n'))).errors).toEqual([expect.stringMatching(/:2: a stream dump line needs/)]);
  });
});

describe('a file of plain records', () => {
  const texts = (records: SourceRecord[]) => records.map((r) => Buffer.from(r.data).toString());
  it('is detected from its first line: NDJSON records, CSV records (a .csv without the time column), raw lines', async () => {
    const ndjson = await replay(file('{"TICKER":"A","PRICE":1}\n\n{"TICKER":"B","PRICE":2}\n'), { clock: () => 5000 });
    expect(texts(ndjson)).toEqual(['{"TICKER":"A","PRICE":1}', '{"TICKER":"B","PRICE":2}']);
    expect(ndjson.map((r) => r.approximateArrivalTimestamp)).toEqual([5000, 5000]);
    expect(texts(await replay(file('A,1\nB,2\n', '.csv')))).toEqual(['A,1', 'B,2']);
    expect(texts(await replay(file('hello world\nsecond line\n', '.txt')))).toEqual(['hello world', 'second line']);
  });
  it('keeps recordings as recordings: replay lines, a dump, a CSV with the arrival column', async () => {
    const recorded = await replay(file('{"at":1000,"data":"x"}\n{"data":"y","at":2000}\n'));
    expect(recorded.map((r) => [Buffer.from(r.data).toString(), r.approximateArrivalTimestamp])).toEqual([['x', 1000], ['y', 2000]]);
    const csv = await replay(file('at,TICKER\n1000,A\n', '.csv'));
    expect(csv.map((r) => [Buffer.from(r.data).toString(), r.approximateArrivalTimestamp])).toEqual([['A', 1000]]);
    // A first replay line cut short is still a recording: its line is rejected, not taken as a record.
    const cut = await replayWithRejected(file('{"at":1000,"da\n{"at":2000,"data":"z"}\n'));
    expect(texts(cut.records)).toEqual(['z']);
    expect(cut.errors[0]).toMatch(/:1: not JSON/);
  });
  it('takes the format named over detection', async () => {
    expect(texts(await replay(file('{"at":1000,"data":"x"}\n'), { recordFormat: 'lines', clock: () => 7 }))).toEqual(['{"at":1000,"data":"x"}']);
    expect(texts(await replay(file('at,N\n1,2\n', '.csv'), { recordFormat: 'csv' }))).toEqual(['at,N', '1,2']);
  });
  it('arrive at the given rate from the first record, or each when read', async () => {
    let now = 1_000_000;
    const paced = await replay(file('a\nb\nc\nd\n', '.txt'), { rate: 4, clock: () => now++ });
    expect(paced.map((r) => r.approximateArrivalTimestamp)).toEqual([1_000_000, 1_000_250, 1_000_500, 1_000_750]);
    expect(() => new FileReplaySource({ path: 'x', rate: 0 })).toThrow(/rate: must be a number of records per second > 0/);
  });
});
