/**
 * The original project's own template (`examples/kda-cloudformation/streaming-app.yaml`) translated and run on a
 * local Flink MiniCluster (`run --engine flink`) over a recording of KPL-aggregated transactions, beside `run` on
 * our engine over the same recording. Its SQL stamps every window row with CURRENT_ROW_TIMESTAMP (+ 3 h, "EAT") and
 * derives calendar columns from that clock, so those columns are compared for what they mean (the processing
 * clock during the Flink run, and the calendar fields of that time), every other column for equality.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFlinkJar } from '../../src/cli/commands/translate/flink-job.js';
import { aggregate } from '../../src/kpl/index.js';
import { PROJECT_ROOT, readBucketRows, runCli } from '../support/pipeline-test-support.js';

const ORIGINAL = join(PROJECT_ROOT, 'examples', 'kda-cloudformation', 'streaming-app.yaml');
/** The columns the template computes from CURRENT_ROW_TIMESTAMP. */
const CLOCK_COLUMNS = ['EATTIMESTAMP', 'EVENTHOUR', 'EVENTDAY', 'EVENTMONTH', 'EVENTYEAR', 'WEEKINMONTH', 'WEEKINYEAR', 'DAYINWEEK', 'DAYINMONTH', 'DAYINYEAR', 'ISWEEKDAY', 'DAYNAME', 'MONTHNAME'];
const USERS = 600;
const START = Date.UTC(2026, 0, 5, 11, 0, 0);

const work = mkdtempSync(join(tmpdir(), 'flink-original-'));
const replay = join(work, 'transactions.ndjson');

beforeAll(() => {
  ensureFlinkJar(undefined, (s) => process.stderr.write(`${s}\n`));
  // Transactions as the original producer sent them, KPL-aggregated 10 to a Kinesis record, one record every 3 s.
  const lines: string[] = [];
  for (let k = 0; k < USERS / 10; k++) {
    const batch = Array.from({ length: 10 }, (_, j) => {
      const i = k * 10 + j;
      const tx = { transactionId: `tx${i}`, serviceName: i % 3 ? 'pay' : 'send', msisdn: 254700000000 + i, sourceSystem: 'core', callback: false, transactionType: i % 2 ? 'C2B' : 'B2C', productId: `p${i % 4}`, amount: 10 + (i % 7), channel: i % 5 ? 'USSD' : 'APP' };
      return { partitionKey: `tx${i}`, data: JSON.stringify(tx) };
    });
    const [record] = aggregate(batch);
    lines.push(JSON.stringify({ at: START + k * 3000, partitionKey: record.partitionKey, dataBase64: Buffer.from(record.data).toString('base64') }));
  }
  writeFileSync(replay, `${lines.join('\n')}\n`);
}, 900_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

type Row = Record<string, unknown>;
const withoutClock = (r: Row) => JSON.stringify(Object.fromEntries(Object.entries(r).filter(([k]) => !CLOCK_COLUMNS.includes(k)).sort(([a], [b]) => a.localeCompare(b))));

describe("the original project's template on Flink", () => {
  it('translates (CURRENT_ROW_TIMESTAMP included) and gives run\'s rows; the clock columns are the Flink run\'s clock', async () => {
    const common = ['--parameter', 'ApplicationName=txn-analytics', '--parameter', 'SourceRecordsAggregation=true', '--source', `file://${replay}`, '--json'];
    const ours = await runCli(['run', ORIGINAL, ...common, '--output-dir', join(work, 'ours')]);
    expect(ours.code, ours.stderr).toBe(0);
    const before = Date.now();
    const flink = await runCli(['run', ORIGINAL, ...common, '--output-dir', join(work, 'flink'), '--engine', 'flink']);
    const after = Date.now();
    expect(flink.code, flink.stderr).toBe(0);

    const oursRows = readBucketRows<Row>(join(work, 'ours', 'destination-sql-stream'));
    const flinkRows = readBucketRows<Row>(join(work, 'flink', 'destination-sql-stream'), (k) => !k.split('/').pop()!.startsWith('.'));
    // Three one-minute and one five-minute pumps, per dimension and in summary: many rows, every transaction counted.
    expect(oursRows.length).toBeGreaterThan(10);
    expect(oursRows.filter((r) => r.WINDOWAGGREGATE === true && r.WINDOWSIZE === 60).reduce((a, r) => a + Number(r.ITEMCOUNT), 0)).toBe(USERS);
    expect(flinkRows.map(withoutClock).sort()).toEqual(oursRows.map(withoutClock).sort());

    // EATTimestamp = CURRENT_ROW_TIMESTAMP + 3 h: during the Flink run by the wall clock (our replay's follows the
    // recording), and the calendar columns are that time's fields (Java date patterns, as TIMESTAMP_TO_CHAR).
    const EAT = 3 * 3_600_000;
    for (const r of flinkRows) {
      const eat = Date.parse(`${String(r.EATTIMESTAMP).replace(' ', 'T')}Z`);
      expect(eat - EAT).toBeGreaterThanOrEqual(before - 1000);
      expect(eat - EAT).toBeLessThanOrEqual(after + 1000);
      const d = new Date(eat);
      expect([r.EVENTHOUR, r.EVENTDAY, r.EVENTMONTH, r.EVENTYEAR]).toEqual([d.getUTCHours(), d.getUTCDate(), d.getUTCMonth() + 1, d.getUTCFullYear()]);
      // The template maps pattern 'D' (day in year) to DayInMonth and 'd' (day in month) to DayInYear.
      expect(r.DAYINMONTH).toBe(Math.floor((eat - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1);
      expect(r.DAYINYEAR).toBe(d.getUTCDate());
      expect(r.DAYINWEEK).toBe(d.getUTCDay() === 0 ? 7 : d.getUTCDay());
      expect(r.ISWEEKDAY).toBe((d.getUTCDay() === 0 ? 7 : d.getUTCDay()) <= 5);
      expect(r.DAYNAME).toBe(d.toLocaleDateString('en-US', { weekday: 'short', timeZone: 'UTC' }));
      expect(r.MONTHNAME).toBe(d.toLocaleDateString('en-US', { month: 'short', timeZone: 'UTC' }));
    }
  }, 600_000);
});
