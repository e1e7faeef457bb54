import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planFastRegexLogParse } from './fast-regex-log-parse.js';
import type { LogParser } from './log-parser.js';
import { planRegexLogParse } from './regex-log-parse.js';
import { planW3cLogParse } from './w3c-log-parse.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const fixtures = path.join(projectRoot, 'test', 'fixtures', 'conformance', 'cases');
const shared = path.resolve(projectRoot, '..', 'shared', 'conformance', 'cases');

interface Case {
  sql: string;
  records: { data: Record<string, string> }[];
  expect: { DESTINATION_SQL_STREAM: { rows: Record<string, unknown>[] } };
}

function load(name: string): Case {
  return JSON.parse(readFileSync(path.join(fixtures, `${name}.json`), 'utf8')) as Case;
}

/** The calls of `fn` in the case's SQL: (input expression, constant string argument), in order. */
function callsIn(sql: string, fn: string): string[] {
  const re = new RegExp(`${fn}\\(\\s*[^,]+,\\s*'((?:[^']|'')*)'\\s*\\)`, 'g');
  return [...sql.matchAll(re)].map((m) => m[1].replace(/''/g, "'"));
}

/**
 * Runs the parsers of a case directly on its records: `columns` maps each expected output column to
 * [call number in the SQL, field index of the ROW].
 */
function check(name: string, fn: string, plan: (arg: string) => LogParser, inputColumn: string, columns: Record<string, [number, number]>): void {
  const c = load(name);
  const parsers = callsIn(c.sql, fn).map((arg) => plan(arg));
  expect(parsers.length).toBeGreaterThan(0);
  c.records.forEach((record, i) => {
    const rows = parsers.map((p) => p.parse(record.data[inputColumn]));
    const expected = c.expect.DESTINATION_SQL_STREAM.rows[i];
    for (const [column, [call, field]] of Object.entries(columns)) {
      expect(rows[call]?.[field], `${name} row ${i} ${column}`).toBe(expected[column]);
    }
  });
}

describe('log-parser conformance cases (function level)', () => {
  it('logparse-fast-regex', () => {
    check('logparse-fast-regex', 'FAST_REGEX_LOG_PARSE', planFastRegexLogParse, 'S', {
      A1: [0, 0],
      A2: [0, 1],
      B1: [1, 0],
      B2: [1, 1],
    });
  });

  it('logparse-regex', () => {
    check('logparse-regex', 'REGEX_LOG_PARSE', planRegexLogParse, 'LOGENTRY', { MATCH1: [0, 0], MATCH2: [0, 1] });
  });

  it('logparse-w3c-common', () => {
    const columns = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`COLUMN${i + 1}`, [0, i] as [number, number]]));
    check('logparse-w3c-common', 'W3C_LOG_PARSE', planW3cLogParse, 'log', columns);
  });
});

describe('conformance fixtures', () => {
  const names = ['logparse-fast-regex', 'logparse-regex', 'logparse-w3c-common', 'analytics-topk-items-tumbling', 'analytics-rcf-pass-through', 'analytics-rcf-with-explanation-pass-through', 'analytics-hotspots-pass-through'];
  it.runIf(existsSync(shared))('match ../shared/conformance/cases (skipped when ../shared is absent beside the project)', () => {
    for (const name of names) {
      expect(readFileSync(path.join(fixtures, `${name}.json`), 'utf8'), name).toBe(readFileSync(path.join(shared, `${name}.json`), 'utf8'));
    }
  });
});
