/**
 * Schema discovery over the conformance cases' records: for every case that runs (not one that must be rejected),
 * the schema discovered from its records replaces the case's own input schema, and the case must still produce
 * its expected rows. The discovered columns keep the case's names (its SQL refers to them): a JSON column is
 * matched to the case's column by its mapping, a CSV column by its position. Every discovered column is kept,
 * including those the case does not declare, so extra columns and their coercions are exercised too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replayCase, type ReplayCase } from '../../src/cli/commands/replay/replay-case.js';
import { discoverInputSchema, type DiscoverOptions } from '../../src/discover/index.js';
import { parseJsonPath, type InputColumnConfig, type InputFormatConfig } from '../../src/input/index.js';
import { type CaseFile, checkCase } from './compare-rows.js';

const casesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'conformance', 'cases');
const cases = readdirSync(casesDir).filter((f) => f.endsWith('.json')).sort();

/**
 * Cases whose declared type cannot follow from their records, with the reason. Each is still run, and must fail
 * with the discovered schema exactly as explained (so the list cannot hide a case that would pass or one that
 * fails for another reason).
 */
const TYPE_NOT_IN_RECORDS: Record<string, RegExp> = {
  // The case declares narrow types so that its values overflow them; the records' values fit INTEGER/DOUBLE.
  'error-coercion-number-overflow.json': /^DESTINATION_SQL_STREAM: expected 1 row/,
  // The case declares numeric and boolean columns for values of the other kind, to pin the coercions between them.
  'input-json-coercion-boolean-numeric.json': /^replay exited 1: line 3, column 15/,
  // The case declares columns that no record holds (to check they map to NULL): no sample can show them.
  'input-jsonpath-element-access.json': /^not discovered: lowercaseName \(\$\.customername\), customerId \(\$\.customerId\)/,
  // EVENT_TIME holds timestamps, discovered as TIMESTAMP; the case keeps it as text and its SQL copies it into a
  // VARCHAR column.
  'input-name-prefix.json': /^replay exited 1: line 3, column 15/,
  // The records hold numbers as JSON strings ("101"), which discovery keeps as text (a string may be an id with
  // leading zeros); the cases declare INTEGER and compare with numbers.
  'join-left-outer-unmatched-at-window-end.json': /^replay exited 1: line 3, column 15/,
  'join-window-both-sides-inner.json': /^replay exited 1: line 3, column 15/,
  'join-window-one-side-inner.json': /^replay exited 1: line 3, column 15/,
  'join-window-one-side-right-outer.json': /^replay exited 1: line 3, column 15/,
  // Every PRICE (and CHANGE) in the records is a whole number, so discovery gives INTEGER; the cases declare REAL
  // and expect AVG's fractional results, where an INTEGER AVG truncates.
  'sliding-range-10s-avg-expression.json': /^DESTINATION_SQL_STREAM row 1: AVG_PER/,
  'sliding-rows-two-windows.json': /^DESTINATION_SQL_STREAM row 2: AVERAGE/,
};

/** A mapping's segments; a trailing `[0:]` maps the whole array as text, as the plain path does. */
function canonical(mapping: string): string {
  const segments = parseJsonPath(mapping);
  if (segments.length > 0 && segments[segments.length - 1].kind === 'all') segments.pop();
  return JSON.stringify(segments);
}

/** What the user would choose: flattened arrays when the case maps through `[0:]`. */
function optionsFor(input: InputFormatConfig): DiscoverOptions {
  const flattens = input.columns.some((c) => /\[0:\]\./.test(c.mapping ?? ''));
  return flattens ? { arrays: 'rows' } : {};
}

/** The discovered schema under the case's column names; an error string when a declared column was not found. */
function alignedSchema(c: ReplayCase): InputFormatConfig | string {
  const payloads = c.records.map((r) => (typeof r.data === 'string' ? r.data : JSON.stringify(r.data)));
  const d = discoverInputSchema(payloads, optionsFor(c.input));
  if (d.schema.format !== c.input.format) return `discovered ${d.schema.format}, the case is ${c.input.format}`;
  const declared = c.input.columns;
  const taken = new Set(declared.map((col) => col.name.toUpperCase()));
  const rename = (col: InputColumnConfig, i: number): InputColumnConfig => {
    const match = c.input.format === 'CSV' ? declared[i] : declared.find((x) => x.mapping && col.mapping && canonical(x.mapping) === canonical(col.mapping));
    if (match) return { ...col, name: match.name };
    let name = col.name;
    while (taken.has(name.toUpperCase())) name = `${name}_X`;
    taken.add(name.toUpperCase());
    return { ...col, name };
  };
  const columns = d.schema.columns.map(rename);
  const missing = declared.filter((x) => !columns.some((col) => col.name === x.name));
  if (missing.length > 0) return `not discovered: ${missing.map((m) => `${m.name} (${m.mapping ?? 'by position'})`).join(', ')}; discovered ${JSON.stringify(d.schema.columns)}`;
  return { ...d.schema, columns };
}

async function runWith(c: ReplayCase & CaseFile, input: InputFormatConfig): Promise<string | null> {
  const lines: string[] = [];
  try {
    await replayCase({ ...c, input: { ...input, namePrefix: c.input.namePrefix } }, (l) => lines.push(l));
  } catch (e) {
    return checkCase(c, 1, '', (e as Error).message);
  }
  return checkCase(c, 0, lines.join('\n') + '\n', '');
}

describe('discovery over the conformance cases keeps them passing', () => {
  const runnable = cases.filter((f) => !(JSON.parse(readFileSync(path.join(casesDir, f), 'utf8')) as CaseFile).expectError);
  it('has cases to run', () => {
    expect(runnable.length).toBeGreaterThan(50);
  });
  for (const file of runnable) {
    it(file, async () => {
      const c = JSON.parse(readFileSync(path.join(casesDir, file), 'utf8')) as ReplayCase & CaseFile;
      const schema = alignedSchema(c);
      const failure = typeof schema === 'string' ? schema : await runWith(c, schema);
      const known = TYPE_NOT_IN_RECORDS[file];
      if (known) expect(failure).toMatch(known);
      else expect(failure, JSON.stringify(schema)).toBeNull();
    });
  }
});
