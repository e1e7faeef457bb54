import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSqlType, type Value } from '../../types/sql-type.js';
import { HotspotsFunction, planHotspots } from './hotspots.js';
import { planRandomCutForest, RandomCutForestFunction } from './random-cut-forest-function.js';
import { planTopKItemsTumbling, TopKItemsTumbling } from './top-k-items-tumbling.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'fixtures', 'conformance', 'cases');

interface Case {
  input: { columns: { name: string; sqlType: string }[] };
  records: { at: string; data: Record<string, Value> }[];
  expect: Record<string, { rows: Record<string, unknown>[] }>;
}

function load(name: string): Case {
  return JSON.parse(readFileSync(path.join(fixtures, `${name}.json`), 'utf8')) as Case;
}

function inputOf(c: Case) {
  const columns = c.input.columns.map((col) => ({ name: col.name, type: parseSqlType(col.sqlType) }));
  const rows = c.records.map((r) => ({ row: columns.map((col) => r.data[col.name] ?? null), at: Date.parse(r.at) }));
  return { columns, rows };
}

describe('analytics conformance cases (function level)', () => {
  it('analytics-topk-items-tumbling: every value with its exact count', () => {
    const c = load('analytics-topk-items-tumbling');
    const { columns, rows } = inputOf(c);
    const w = new TopKItemsTumbling(planTopKItemsTumbling(columns, 'TICKER', 5, 60));
    const out = rows.flatMap((r) => w.add(r.row, r.at)).concat(w.flush());
    const actual = out.map((o) => ({ TICKER: o.row[0], MOST_FREQUENT_VALUES: o.row[1] }));
    expect(actual).toEqual(expect.arrayContaining(c.expect.DESTINATION_SQL_STREAM.rows));
    expect(actual).toHaveLength(c.expect.DESTINATION_SQL_STREAM.rows.length);
  });

  it('analytics-rcf-pass-through and -with-explanation: one row per input row, input values unchanged', () => {
    for (const [name, explain] of [
      ['analytics-rcf-pass-through', false],
      ['analytics-rcf-with-explanation-pass-through', true],
    ] as const) {
      const c = load(name);
      const { columns, rows } = inputOf(c);
      const fn = new RandomCutForestFunction(planRandomCutForest(columns, { withDirectionality: true }, explain));
      const out = rows.map((r) => fn.process(r.row));
      const expected = c.expect.TEMP_STREAM.rows;
      expect(out).toHaveLength(expected.length);
      out.forEach((row, i) => {
        columns.forEach((col, j) => expect(row[j]).toBe(expected[i][col.name]));
        expect(typeof row[columns.length]).toBe('number');
      });
    }
  });

  it('analytics-hotspots-pass-through: input values unchanged, HOTSPOTS_RESULT is JSON', () => {
    const c = load('analytics-hotspots-pass-through');
    const { columns, rows } = inputOf(c);
    const fn = new HotspotsFunction(planHotspots(columns, 1000, 0.2, 17));
    rows.forEach((r, i) => {
      const row = fn.process(r.row);
      columns.forEach((col, j) => expect(row[j]).toBe(c.expect.DESTINATION_SQL_STREAM.rows[i][col.name]));
      expect(JSON.parse(row[3] as string)).toHaveProperty('hotspots');
    });
  });
});
