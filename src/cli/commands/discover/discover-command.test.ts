import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ApplicationRuntime } from '../../../runtime/application-runtime.js';
import { loadApplicationDefinition } from '../../../app/definition/index.js';
import { main } from '../../index.js';
import { ExitCode } from '../../exit-codes.js';
import { discoverCommand, type DiscoverCommandOptions } from './discover-command.js';

const dir = mkdtempSync(path.join(tmpdir(), 'discover-cli-'));
const records = path.join(dir, 'records.ndjson');
writeFileSync(records, ['{"id":1,"name":"ann","at":"2026-01-01 10:00:00","tags":[1]}', '{"id":2,"name":"bob","at":"2026-01-01 10:00:01","tags":[]}', 'oops', ''].join('\n'));
const defaults: DiscoverCommandOptions = { preprocessor: 'kpl', sample: 300, sampleTime: 5000, arrays: 'text', preview: 10 };

async function discover(source: string, o: Partial<DiscoverCommandOptions> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await discoverCommand(source, { ...defaults, ...o }, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

describe('discover command', () => {
  it('prints the input block on stdout, the preview, notes and unfit records on stderr', async () => {
    const r = await discover(records);
    expect(r.code).toBe(ExitCode.OK);
    const block = parse(r.out) as { input: { format: string; columns: unknown[]; source?: unknown } };
    expect(block.input.format).toBe('JSON');
    expect(block.input.source).toBeUndefined(); // a plain file of records is not a source run can read
    expect(block.input.columns).toEqual([
      { name: 'id', sqlType: 'INTEGER', mapping: '$.id' },
      { name: 'name', sqlType: 'VARCHAR(8)', mapping: '$.name' },
      { name: 'COL_at', sqlType: 'TIMESTAMP', mapping: '$.at' },
      { name: 'tags', sqlType: 'VARCHAR(8)', mapping: '$.tags' },
    ]);
    expect(r.err).toMatch(/^3 source record\(s\), 3 record\(s\) after preprocessing \(kpl\), 2 row\(s\): JSON, 4 column\(s\)/);
    expect(r.err).toMatch(/id INTEGER \| name VARCHAR\(8\) \| COL_at TIMESTAMP\s+\| tags VARCHAR\(8\)\n.*\n1\s+\| ann\s+\| 2026-01-01 10:00:00.000 \| \[1\]/);
    expect(r.err).toMatch(/1 record\(s\) did not fit:\n {2}record 2: not JSON/);
  });

  it('--json prints one document', async () => {
    const r = await discover(records, { json: true });
    const doc = JSON.parse(r.out) as { input: { columns: unknown[] }; preview: { rows: unknown[][] }; unfit: { record: number }[] };
    expect(doc.input.columns.length).toBe(4);
    expect(doc.preview.rows[1]).toEqual([2, 'bob', Date.UTC(2026, 0, 1, 10, 0, 1), '[]']);
    expect(doc.unfit.map((u) => u.record)).toEqual([2]);
  });

  it('--write makes an application folder that loads, compiles and maps the records', async () => {
    const folder = path.join(dir, 'new-app');
    const r = await discover('file://' + path.join(dir, 'nonexistent.ndjson'), {}).catch((e: Error) => e);
    expect(r).toBeInstanceOf(Error); // a replay file that does not exist is an error, not an empty sample
    const w = await discover(records, { write: folder });
    expect(w.code).toBe(ExitCode.OK);
    expect(w.out).toBe('');
    expect(w.err).toMatch(/wrote .*application.yaml and .*application.sql/);
    const def = loadApplicationDefinition(folder);
    expect(readFileSync(path.join(folder, 'application.sql'), 'utf8')).toMatch(/SELECT STREAM "id", "name", "COL_at", "tags"/);
    const runtime = ApplicationRuntime.compile({ ...def, references: [] });
    const rows: unknown[] = [];
    runtime.onOutput((stream, row) => rows.push([stream, row]));
    runtime.ingest('{"id":7,"name":"cy","at":"2026-01-01 10:00:02","tags":[2]}', Date.UTC(2026, 0, 1));
    runtime.finish();
    expect(rows).toEqual([['DESTINATION_SQL_STREAM', { ROWTIME: '2026-01-01 00:00:00.000', id: 7, name: 'cy', COL_at: '2026-01-01 10:00:02.000', tags: '[2]' }]]);
    await expect(discover(records, { write: folder })).rejects.toThrow(/application.yaml exists already/);
  });

  it('is in --help', async () => {
    let out = '';
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
    try {
      expect(await main(['--help'])).toBe(0);
      expect(await main(['discover', '--help'])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(out).toMatch(/discover \[options\] <source>/);
    expect(out).toMatch(/--sample <n>/);
    expect(out).toMatch(/--write <folder>/);
  });
});
