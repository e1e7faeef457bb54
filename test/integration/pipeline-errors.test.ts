// Corrupt KPL aggregates, invalid JSON and wrong types end in error_stream (delivered under its own
// prefix), are counted in the run's metrics, and the run goes on producing the valid windows.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aggregate } from '../../src/kpl/index.js';
import {
  diffWindowRows,
  expectedTickerWindows,
  listBucketObjects,
  readBucketRows,
  readReplayFile,
  runCli,
  stoppedMetrics,
  tickerDefinitionYaml,
  writeTickerReplayFile,
  type TickerWindowRow,
} from '../support/pipeline-test-support.js';

const work = mkdtempSync(join(tmpdir(), 'pipeline-errors-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface ErrorRow {
  ERROR_NAME: string;
  MESSAGE: string;
  DATA_ROWTIME: string | null;
  DATA_ROW: string | null;
}

const line = (at: string, partitionKey: string, data: Uint8Array) => JSON.stringify({ at, partitionKey, dataBase64: Buffer.from(data).toString('base64') });

describe('bad input ends in error_stream and the run goes on', () => {
  it('corrupt KPL, invalid JSON and wrong types: error rows under errors/, counted; valid windows unaffected', async () => {
    const valid = join(work, 'valid.ndjson');
    // 60 s of arrival times at 100 user records/s: 6 000 records, 6 windows of 20 tickers.
    await writeTickerReplayFile(valid, { records: 6_000, rate: 100, seed: 11, startAt: Date.UTC(2026, 0, 5, 10, 0, 0), tickers: 20 });
    const lines = readFileSync(valid, 'utf8').split('\n').filter((l) => l !== '');
    const at = (i: number) => (JSON.parse(lines[i]) as { at: string }).at;
    const someAggregate = Buffer.from((JSON.parse(lines[3]) as { dataBase64: string }).dataBase64, 'base64');

    // Bad records, each inserted after a valid line with that line's arrival time (so no valid ROWTIME moves).
    const flipped = Buffer.from(someAggregate);
    flipped[20] ^= 0xff; // a body byte: the MD5 trailer no longer matches
    const truncated = someAggregate.subarray(0, someAggregate.length - 40);
    const tooShort = someAggregate.subarray(0, 10);
    // A valid aggregate whose user records are bad for the input mapping, beside one good record.
    const badUsers = [
      '{"TICKER_SYMBOL":"BAD1","SECTOR":"X","CHANGE":0.1,"PRICE":1', // truncated JSON
      'not json at all',
      '{"TICKER_SYMBOL":"BAD2","SECTOR":"X","CHANGE":0.1,"PRICE":"twelve","EVENT_TIME":"2026-01-05T10:00:20.000Z"}',
      '{"TICKER_SYMBOL":"BAD3","SECTOR":"X","CHANGE":{"a":1},"PRICE":3.5,"EVENT_TIME":"2026-01-05T10:00:20.000Z"}',
      '{"TICKER_SYMBOL":"BAD4","SECTOR":"X","CHANGE":0.1,"PRICE":3.5,"EVENT_TIME":"yesterday"}',
    ];
    const [mixed] = aggregate([...badUsers, '{"TICKER_SYMBOL":"GOOD","SECTOR":"X","CHANGE":0,"PRICE":5,"EVENT_TIME":"2026-01-05T10:00:41.000Z"}'].map((d) => ({ partitionKey: 'BAD', data: d })));
    const inserts = new Map<number, string[]>([
      [10, [line(at(10), 'X', flipped)]],
      [40, [line(at(40), 'X', truncated), line(at(40), 'Y', tooShort)]],
      [120, [line(at(120), 'Z', Buffer.from('{"TICKER_SYMBOL": "RAW", "PRICE": '))]], // a raw (non-aggregated) record, invalid JSON
      [200, [line(at(200), 'BAD', mixed.data)]],
    ]);
    const expectedErrors = 3 + 1 + badUsers.length;
    const input = join(work, 'with-errors.ndjson');
    writeFileSync(input, lines.flatMap((l, i) => [l, ...(inserts.get(i) ?? [])]).join('\n') + '\n');

    const out = join(work, 'bucket');
    const app = join(work, 'ticker.yaml');
    writeFileSync(app, tickerDefinitionYaml({ outputFolder: out }));
    const run = await runCli(['run', app, '--source', `file://${input}`, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { reason, metrics } = stoppedMetrics(run.stderr);
    expect(reason).toBe('end-of-input');
    expect(metrics.errors).toBe(expectedErrors);

    // error_stream: under errors/, one row per bad record or bad user record, each saying what was wrong.
    const keys = listBucketObjects(out);
    expect(keys.some((k) => k.startsWith('errors/'))).toBe(true);
    const errors = readBucketRows<ErrorRow>(out, (k) => k.startsWith('errors/'));
    expect(errors).toHaveLength(expectedErrors);
    const kpl = errors.filter((e) => e.ERROR_NAME === 'KPL_DEAGGREGATION');
    expect(kpl).toHaveLength(3);
    expect(kpl.every((e) => /corrupt KPL aggregate/.test(e.MESSAGE))).toBe(true);
    const mapping = errors.filter((e) => e.ERROR_NAME !== 'KPL_DEAGGREGATION');
    expect(mapping).toHaveLength(1 + badUsers.length);
    expect(mapping.filter((e) => e.ERROR_NAME === 'INPUT_PARSE_ERROR')).toHaveLength(3);
    expect(mapping.filter((e) => e.ERROR_NAME === 'INPUT_COERCION_ERROR')).toHaveLength(3);
    // Each mapping error carries the offending document (its bytes in hex; a payload can hold several documents,
    // so surrounding white space is not part of it), so a user can find it.
    const records = mapping.map((e) => Buffer.from(String(e.DATA_ROW), 'hex').toString('utf8'));
    expect(records.sort()).toEqual([...badUsers, '{"TICKER_SYMBOL": "RAW", "PRICE":'].sort());
    expect(errors.every((e) => e.DATA_ROWTIME !== null && e.MESSAGE.length > 0)).toBe(true);

    // The valid windows are all there, unchanged by the bad records around them; the good record of the mixed
    // aggregate is one of them.
    const rows = readBucketRows<TickerWindowRow>(out, (k) => !k.startsWith('errors/'));
    const expected = expectedTickerWindows(readReplayFile(valid));
    const good = rows.filter((r) => r.TICKER_SYMBOL === 'GOOD');
    expect(good).toHaveLength(1);
    expect(good[0].TRADE_COUNT).toBe(1);
    expect(diffWindowRows(rows.filter((r) => r.TICKER_SYMBOL !== 'GOOD'), expected)).toEqual([]);
    expect(rows.some((r) => /^BAD|RAW/.test(r.TICKER_SYMBOL))).toBe(false);
    expect(metrics.windowsEmitted).toBe(expected.length + 1);
  });

  it('bad replay-file lines (not JSON, no "at", cut short, invalid base64): error rows naming file and line, the run goes on, a restart does not report them again', async () => {
    const valid = join(work, 'valid-2.ndjson');
    await writeTickerReplayFile(valid, { records: 3_000, rate: 100, seed: 12, startAt: Date.UTC(2026, 0, 5, 10, 0, 0), tickers: 10 });
    const lines = readFileSync(valid, 'utf8').split('\n').filter((l) => l !== '');
    const badLines = new Map<number, string>([
      [5, 'this is not JSON'],
      [20, '{"partitionKey":"X","dataBase64":"eyJhIjoxfQ=="}'],
      [40, lines[40].slice(0, 30)],
      [60, JSON.stringify({ at: (JSON.parse(lines[60]) as { at: string }).at, partitionKey: 'X', dataBase64: 'not*base64' })],
    ]);
    const input = join(work, 'bad-lines.ndjson');
    // Each bad line replaces nothing: it is inserted before the valid line of the same index.
    const withBad = lines.flatMap((l, i) => [...(badLines.has(i) ? [badLines.get(i) as string] : []), l]);
    writeFileSync(input, withBad.join('\n') + '\n');
    const lineOf = (text: string) => withBad.indexOf(text) + 1;

    const out = join(work, 'bad-lines-bucket');
    const app = join(work, 'bad-lines.yaml');
    writeFileSync(app, tickerDefinitionYaml({ outputFolder: out }));
    const ckpt = join(work, 'bad-lines-ckpt');
    // Stopped part way (paced), then resumed from the checkpoint to the end: every bad line reported exactly once.
    const first = await runCli(['run', app, '--source', `file://${input}`, '--checkpoint-dir', ckpt, '--replay-speed', '10', '--duration', '2s', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const second = await runCli(['run', app, '--source', `file://${input}`, '--checkpoint-dir', ckpt, '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(stoppedMetrics(second.stderr).reason).toBe('end-of-input');

    const errors = readBucketRows<ErrorRow>(out, (k) => k.startsWith('errors/'));
    expect(errors.map((e) => [e.ERROR_NAME, e.MESSAGE.replace(/ \(.*\)(: the line may be cut short)?$/, '')]).sort()).toEqual([
      ['REPLAY_LINE_INVALID', `${input}:${lineOf(badLines.get(5) as string)}: not JSON`],
      ['REPLAY_LINE_INVALID', `${input}:${lineOf(badLines.get(20) as string)}: "at" must be epoch ms or an ISO 8601 time; received undefined`],
      ['REPLAY_LINE_INVALID', `${input}:${lineOf(badLines.get(40) as string)}: not JSON`],
      ['REPLAY_LINE_INVALID', `${input}:${lineOf(badLines.get(60) as string)}: "dataBase64" is not valid base64`],
    ].sort());
    expect(errors.find((e) => e.MESSAGE.includes(`:${lineOf(badLines.get(40) as string)}:`))?.MESSAGE).toMatch(/the line may be cut short$/);
    // The valid windows are all there, none duplicated.
    const rows = readBucketRows<TickerWindowRow>(out, (k) => !k.startsWith('errors/'));
    expect(diffWindowRows(rows, expectedTickerWindows(readReplayFile(valid)))).toEqual([]);
  }, 120_000);
});
