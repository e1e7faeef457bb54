// The AWS forms of an application (CloudFormation V1 and V2 templates, V1 and V2 describe-application JSON, a
// Terraform file) run unchanged (only command-line options map their AWS resources), giving the same rows as the
// project's own ticker definition on the same input; `validate` checks every form and names the file, line and
// column of an error. The original project's own template runs with its parameters and conditions.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApplicationDefinition } from '../../src/app/definition/index.js';
import { runApplication } from '../../src/app/run/run-application.js';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { aggregate } from '../../src/kpl/index.js';
import {
  PROJECT_ROOT,
  diffWindowRows,
  expectedTickerWindows,
  listBucketObjects,
  readBucketRows,
  readReplayFile,
  runCli,
  stoppedMetrics,
  writeTickerReplayFile,
  type TickerWindowRow,
} from '../support/pipeline-test-support.js';

const CFN = join(PROJECT_ROOT, 'examples', 'kda-cloudformation', 'ticker-app.yaml');
const DESCRIBE = join(PROJECT_ROOT, 'examples', 'kda-describe-application', 'ticker-analytics.json');
const TICKER = join(PROJECT_ROOT, 'examples', 'ticker');
const CFN_V2 = join(PROJECT_ROOT, 'examples', 'kda-cloudformation', 'ticker-app-v2.yaml');
const DESCRIBE_V2 = join(PROJECT_ROOT, 'examples', 'kda-describe-application', 'ticker-analytics-v2.json');
const TERRAFORM = join(PROJECT_ROOT, 'examples', 'kda-terraform', 'main.tf');
const TFVARS = join(PROJECT_ROOT, 'examples', 'kda-terraform', 'terraform.tfvars');
/** The original project's own template, as it had it. */
const ORIGINAL = join(PROJECT_ROOT, 'examples', 'kda-cloudformation', 'streaming-app.yaml');

const work = mkdtempSync(join(tmpdir(), 'kda-forms-'));
const input = join(work, 'ticker.ndjson');
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(async () => {
  // 50 s of arrival times at 200 user records/s: 10 000 records, 5 windows of 30 tickers.
  await writeTickerReplayFile(input, { records: 10_000, rate: 200, seed: 3, startAt: Date.UTC(2026, 0, 5, 11, 0, 3), tickers: 30 });
});

function sortedRows(folder: string, keep: (key: string) => boolean): string[] {
  return readBucketRows(folder, keep).map((r) => JSON.stringify(r)).sort();
}

describe('AWS forms of the ticker application run unchanged', () => {
  it('CloudFormation template, describe-application JSON and the project definition give the same rows', async () => {
    const own = join(work, 'own');
    const cfn = join(work, 'cfn');
    const desc = join(work, 'describe');
    const cfnV2 = join(work, 'cfn-v2');
    const descV2 = join(work, 'describe-v2');
    const tf = join(work, 'terraform');
    // Window rows are compared by their end, so the output carries ROWTIME (an explicit option, on every form).
    const source = ['--source', `file://${input}`, '--json', '--include-rowtime', 'DESTINATION_SQL_STREAM'];
    const runs = await Promise.all([
      runCli(['run', TICKER, ...source, '--output', `DESTINATION_SQL_STREAM=${own}`, '--output', `error_stream=${own}`]),
      runCli(['run', CFN, ...source, '--output-dir', cfn]),
      runCli(['run', DESCRIBE, ...source, '--output-dir', desc]),
      // The V2 forms: a template whose SQL and output name are Fn::Sub over Fn::FindInMap, and V2 describe-application.
      runCli(['run', CFN_V2, ...source, '--output-dir', cfnV2]),
      runCli(['run', DESCRIBE_V2, ...source, '--output-dir', descV2]),
      // Terraform's aws_kinesis_analytics_application, with a .tfvars file.
      runCli(['run', TERRAFORM, '--var-file', TFVARS, ...source, '--output-dir', tf]),
    ]);
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      expect(stoppedMetrics(r.stderr).reason).toBe('end-of-input');
      expect(stoppedMetrics(r.stderr).metrics.errors).toBe(0);
    }
    // The imported forms deliver each output to a local bucket folder named after it (Firehose's S3 layout).
    const cfnKeys = listBucketObjects(join(cfn, 'destination-sql-stream'));
    expect(cfnKeys.length).toBeGreaterThan(0);
    expect(cfnKeys.every((k) => /^\d{4}\/\d{2}\/\d{2}\/\d{2}\/ticker-analytics-epoch-\d{10}-\d+$/.test(k)), cfnKeys.join(', ')).toBe(true);

    const ownRows = sortedRows(own, (k) => !k.startsWith('errors/'));
    expect(ownRows.length).toBeGreaterThanOrEqual(5 * 30);
    expect(sortedRows(join(cfn, 'destination-sql-stream'), () => true)).toEqual(ownRows);
    expect(sortedRows(join(desc, 'destination-sql-stream'), () => true)).toEqual(ownRows);
    expect(sortedRows(join(cfnV2, 'destination-sql-stream'), () => true)).toEqual(ownRows);
    expect(sortedRows(join(descV2, 'destination-sql-stream'), () => true)).toEqual(ownRows);
    expect(sortedRows(join(tf, 'destination-sql-stream'), () => true)).toEqual(ownRows);
    // And those rows are the ticker windows of the input, computed independently.
    expect(diffWindowRows(ownRows.map((l) => JSON.parse(l) as TickerWindowRow), expectedTickerWindows(readReplayFile(input)))).toEqual([]);
  });
});

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function positionOf(text: string, needle: string, offset = 0): { line: number; column: number } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`'${needle}' not found`);
  const before = text.slice(0, i + offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

describe('validate: every form, errors with file:line:column', () => {
  const broken = (text: string) => text.replace('MIN(PRICE), MAX(PRICE)', 'MIN(PRICE) MAX(PRICE)');

  it('accepts the valid forms (exit 0) and says what it checked', async () => {
    for (const [app, form] of [
      [TICKER, 'application definition'],
      [CFN, 'CloudFormation template'],
      [DESCRIBE, 'describe-application JSON'],
      [CFN_V2, 'CloudFormation template'],
      [DESCRIBE_V2, 'describe-application JSON'],
      [TERRAFORM, 'Terraform file'],
    ]) {
      const r = await runCli(['validate', app]);
      expect(r.code, r.stderr).toBe(ExitCode.OK);
      expect(r.stdout).toContain(`OK (${form} of application`);
    }
    const sql = await runCli(['validate', join(TICKER, 'ticker.sql'), '--schema', join(work, 'schema.json')]);
    // No schema file yet: a bad application (the schema is part of it), not a crash.
    expect(sql.code).toBe(ExitCode.INVALID_APPLICATION);
    writeFileSync(join(work, 'schema.json'), JSON.stringify({ columns: [{ name: 'TICKER_SYMBOL', sqlType: 'VARCHAR(4)' }, { name: 'PRICE', sqlType: 'REAL' }] }));
    const ok = await runCli(['validate', join(TICKER, 'ticker.sql'), '--schema', join(work, 'schema.json')]);
    expect(ok.code, ok.stderr).toBe(ExitCode.OK);
    // The schema can also come from an application in any form, a CloudFormation template included.
    const fromTemplate = await runCli(['validate', join(TICKER, 'ticker.sql'), '--schema', CFN]);
    expect(fromTemplate.code, fromTemplate.stderr).toBe(ExitCode.OK);
    expect(fromTemplate.stderr).toBe('');
  });

  it('a SQL error in a CloudFormation template, a describe-application JSON, a definition or a .sql file: its file position', async () => {
    const dir = join(work, 'broken');
    mkdirSync(join(dir, 'ticker'), { recursive: true });
    const cfn = join(dir, 'streaming-app.yaml');
    const desc = join(dir, 'ticker-analytics.json');
    const sqlFile = join(dir, 'ticker', 'ticker.sql');
    writeFileSync(cfn, broken(readFileSync(CFN, 'utf8')));
    writeFileSync(desc, broken(readFileSync(DESCRIBE, 'utf8')));
    copyFileSync(join(TICKER, 'application.yaml'), join(dir, 'ticker', 'application.yaml'));
    writeFileSync(sqlFile, broken(readFileSync(join(TICKER, 'ticker.sql'), 'utf8')));
    // The V2 template (its SQL a !Sub block), the V2 describe JSON and the Terraform file (a <<- heredoc).
    const cfnV2 = join(dir, 'ticker-app-v2.yaml');
    const descV2 = join(dir, 'ticker-analytics-v2.json');
    const tf = join(dir, 'main.tf');
    writeFileSync(cfnV2, broken(readFileSync(CFN_V2, 'utf8')));
    writeFileSync(descV2, broken(readFileSync(DESCRIBE_V2, 'utf8')));
    writeFileSync(tf, broken(readFileSync(TERRAFORM, 'utf8')));
    const schema = join(work, 'schema.json');
    for (const [args, file] of [
      [[cfn], cfn],
      [[desc], desc],
      [[cfnV2], cfnV2],
      [[descV2], descV2],
      [[tf], tf],
      [[join(dir, 'ticker')], sqlFile],
      [[sqlFile, '--schema', schema], sqlFile],
    ] as const) {
      const r = await runCli(['validate', ...args]);
      expect(r.code, `${args[0]}: ${r.stdout}${r.stderr}`).toBe(ExitCode.INVALID_APPLICATION);
      // The parser stops at MAX: 'MIN(PRICE) ' is 11 characters before it, wherever the SQL sits in the file.
      const at = positionOf(readFileSync(file, 'utf8'), 'MIN(PRICE) MAX(PRICE)', 11);
      expect(r.stderr, String(args[0])).toContain(`SqlSyntaxError: ${file}:${at.line}:${at.column}: `);
      expect(r.stderr).toMatch(/expected FROM but found 'MAX'/);
    }
  });

  it('a configuration error: the file, line and column of the field', async () => {
    const def = join(work, 'bad-field.yaml');
    const text = readFileSync(join(TICKER, 'application.yaml'), 'utf8').replace('sqlFile: ticker.sql', `sqlFile: ${join(TICKER, 'ticker.sql')}`).replace('sqlType: REAL, mapping: $.PRICE', 'sqlType: REALLY, mapping: $.PRICE');
    writeFileSync(def, text);
    const r = await runCli(['validate', def]);
    expect(r.code).toBe(ExitCode.INVALID_APPLICATION);
    const at = positionOf(text, 'REALLY');
    expect(r.stderr).toContain(`ConfigError: ${def}:${at.line}:${at.column}: input.columns[3].sqlType: unknown SQL type 'REALLY'`);

    // In a template, the field is named as KDA names it.
    const cfn = join(work, 'bad-field-cfn.yaml');
    const cfnText = readFileSync(CFN, 'utf8').replace('SqlType: REAL, Mapping: $.PRICE', 'SqlType: REALLY, Mapping: $.PRICE');
    writeFileSync(cfn, cfnText);
    const c = await runCli(['validate', cfn]);
    expect(c.code).toBe(ExitCode.INVALID_APPLICATION);
    const cat = positionOf(cfnText, 'REALLY');
    expect(c.stderr).toContain(`${cfn}:${cat.line}:${cat.column}: Resources.AnalyticsApplication.Properties.Inputs[0].InputSchema.RecordColumns[3].SqlType: unknown SQL type`);
  });

  it('usage mistakes exit with the usage code', async () => {
    const r = await runCli(['validate', CFN, '--schema', join(work, 'schema.json')]);
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stderr).toContain('--schema applies to a .sql file');
    expect((await runCli(['validate'])).code).toBe(ExitCode.USAGE);
  });
});

describe("the original project's template runs with its parameters and conditions", () => {
  // Transaction records as the original producer sent them, KPL-aggregated 10 to a Kinesis record, over 3 minutes.
  const users = 600;
  const kinesisRecords = users / 10;
  const replay = join(work, 'transactions.ndjson');
  beforeAll(() => {
    const start = Date.UTC(2026, 0, 5, 11, 0, 0);
    const lines: string[] = [];
    for (let k = 0; k < kinesisRecords; k++) {
      const batch = Array.from({ length: 10 }, (_, j) => {
        const i = k * 10 + j;
        const tx = { transactionId: `tx${i}`, serviceName: 'pay', msisdn: 254700000000 + i, sourceSystem: 'core', callback: false, transactionType: i % 2 ? 'C2B' : 'B2C', productId: 'p1', amount: 10, channel: 'USSD' };
        return { partitionKey: `tx${i}`, data: JSON.stringify(tx) };
      });
      const [record] = aggregate(batch);
      lines.push(JSON.stringify({ at: start + k * 3000, partitionKey: record.partitionKey, dataBase64: Buffer.from(record.data).toString('base64') }));
    }
    writeFileSync(replay, `${lines.join('\n')}\n`);
  });

  const run = (aggregation: string, out: string) =>
    runCli(['run', ORIGINAL, '--parameter', 'ApplicationName=txn-analytics', '--parameter', `SourceRecordsAggregation=${aggregation}`, '--source', `file://${replay}`, '--output-dir', out, '--json']);

  it('gives identical rows on two replays of one recording: CURRENT_ROW_TIMESTAMP follows the replay clock', async () => {
    const replayOnce = async (out: string) => {
      const def = loadApplicationDefinition(ORIGINAL, {
        parameters: { ApplicationName: 'txn-analytics', SourceRecordsAggregation: 'true' },
        source: { type: 'file', path: replay },
        outputDir: out,
      });
      const summary = await runApplication(def, { log: () => undefined });
      expect(summary.reason).toBe('end-of-input');
      return readBucketRows<Record<string, unknown>>(join(out, 'destination-sql-stream')).map((r) => JSON.stringify(r)).sort();
    };
    const first = await replayOnce(join(work, 'orig-replay-1'));
    // Apart in wall-clock time, so a column read from the wall clock would differ.
    await new Promise((r) => setTimeout(r, 50));
    const second = await replayOnce(join(work, 'orig-replay-2'));
    expect(first.length).toBeGreaterThan(0);
    expect(second).toEqual(first);
    // Its EAT timestamps (CURRENT_ROW_TIMESTAMP + 3 h) are the recording's times, not today's.
    const eat = first.map((l) => Date.parse(`${String((JSON.parse(l) as { EATTIMESTAMP: string }).EATTIMESTAMP).replace(' ', 'T')}Z`));
    const start = Date.UTC(2026, 0, 5, 11, 0, 0) + 3 * 3_600_000;
    expect(eat.every((t) => t >= start && t <= start + (kinesisRecords * 3000) + 60_000), JSON.stringify(first.slice(0, 2))).toBe(true);
  });

  it('SourceRecordsAggregation=true de-aggregates (the input Lambda of its Fn::If); =false does not', async () => {
    const [on, off] = await Promise.all([run('true', join(work, 'orig-on')), run('false', join(work, 'orig-off'))]);
    expect(on.code, on.stderr).toBe(0);
    expect(off.code, off.stderr).toBe(0);
    expect(stoppedMetrics(on.stderr).metrics).toMatchObject({ recordsIn: kinesisRecords, userRecords: users, rowsIn: users, errors: 0 });
    const rows = readBucketRows<{ WINDOWAGGREGATE: boolean; WINDOWSIZE: number; ITEMCOUNT: number }>(join(work, 'orig-on', 'destination-sql-stream'));
    // The one-minute summaries (WindowAggregate true) count every transaction once.
    const minuteTotals = rows.filter((r) => r.WINDOWAGGREGATE === true && r.WINDOWSIZE === 60).reduce((a, r) => a + Number(r.ITEMCOUNT), 0);
    expect(minuteTotals).toBe(users);
    // Without de-aggregation each Kinesis record reaches the input mapping whole, a KPL aggregate and not JSON:
    // no row, only error rows (how many per payload is the JSON decoder's recovery), and nothing delivered.
    const offMetrics = stoppedMetrics(off.stderr).metrics;
    expect(offMetrics).toMatchObject({ recordsIn: kinesisRecords, userRecords: kinesisRecords, rowsIn: 0 });
    expect(offMetrics.errors).toBeGreaterThanOrEqual(kinesisRecords);
    expect(listBucketObjects(join(work, 'orig-off', 'destination-sql-stream'))).toEqual([]);
  });

  it('validate refuses bad parameter values with the parameter and its rule, and asks for a missing one', async () => {
    const maybe = await runCli(['validate', ORIGINAL, '--parameter', 'ApplicationName=txn-analytics', '--parameter', 'SourceRecordsAggregation=maybe']);
    expect(maybe.code).toBe(ExitCode.INVALID_APPLICATION);
    expect(maybe.stderr).toMatch(/Parameters\.SourceRecordsAggregation\.AllowedValues: parameter SourceRecordsAggregation: --parameter SourceRecordsAggregation=maybe is not one of the AllowedValues 'true', 'false'/);
    const short = await runCli(['validate', ORIGINAL, '--parameter', 'ApplicationName=tx']);
    expect(short.code).toBe(ExitCode.INVALID_APPLICATION);
    expect(short.stderr).toMatch(/parameter ApplicationName: --parameter ApplicationName=tx has 2 character\(s\); MinLength is 4/);
    const missing = await runCli(['validate', ORIGINAL]);
    expect(missing.code).toBe(ExitCode.INVALID_APPLICATION);
    expect(missing.stderr).toContain('give it with --parameter ApplicationName=<value>');
    const ok = await runCli(['validate', ORIGINAL, '--parameter', 'ApplicationName=txn-analytics']);
    expect(ok.code, ok.stderr).toBe(ExitCode.OK);
  });
});
