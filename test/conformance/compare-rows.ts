/**
 * The project's own comparison of `replay` output with a case's `expect`, following the rules of
 * ../shared/conformance/README.md: expected columns must match (extra actual columns are ignored), TIMESTAMP
 * strings compare as instants, numbers within a relative tolerance (default 1e-9), strings exactly;
 * `ordered: false` compares as a multiset; `{count}` checks only the number of rows.
 */

export interface StreamExpectation {
  ordered?: boolean;
  rows?: Record<string, unknown>[];
  count?: number;
}

const TS = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch ms of a timestamp string in the formats the cases use, or null when the value is not one. */
export function asInstant(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const m = TS.exec(v.trim());
  if (!m) return null;
  const t = Date.parse(`${m[1]}T${m[2]}${m[3] ?? 'Z'}`);
  return Number.isNaN(t) ? null : t;
}

export function sameValue(expected: unknown, actual: unknown, tolerance: number): boolean {
  if (expected === null || actual === null || actual === undefined) return expected === (actual ?? null);
  if (typeof expected === 'number') {
    const a = typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : actual;
    if (typeof a !== 'number' || Number.isNaN(a)) return false;
    if (a === expected) return true;
    return Math.abs(expected - a) <= tolerance * Math.max(1, Math.abs(expected), Math.abs(a));
  }
  if (typeof expected === 'string') {
    const te = asInstant(expected);
    if (te !== null) return te === asInstant(actual);
    return expected === actual;
  }
  return JSON.stringify(expected) === JSON.stringify(actual);
}

/** Why `actual` does not match `expected`, or null when it does. */
export function rowMismatch(expected: Record<string, unknown>, actual: Record<string, unknown>, tolerance: number): string | null {
  for (const [k, v] of Object.entries(expected)) {
    if (!(k in actual)) return `missing column ${k}`;
    if (!sameValue(v, actual[k], tolerance)) return `${k}: expected ${JSON.stringify(v)}, got ${JSON.stringify(actual[k])}`;
  }
  return null;
}

/** Why the rows of one stream do not meet the expectation, or null when they do. */
export function streamMismatch(name: string, spec: StreamExpectation, rows: Record<string, unknown>[], tolerance: number): string | null {
  if (spec.count !== undefined && spec.rows === undefined) {
    return rows.length === spec.count ? null : `${name}: expected ${spec.count} rows, got ${rows.length}`;
  }
  const want = spec.rows ?? [];
  if (want.length !== rows.length) return `${name}: expected ${want.length} rows, got ${rows.length}: ${rows.map((r) => JSON.stringify(r)).join(' ')}`;
  if (spec.ordered !== false) {
    for (let i = 0; i < want.length; i++) {
      const why = rowMismatch(want[i], rows[i], tolerance);
      if (why) return `${name} row ${i + 1}: ${why}`;
    }
    return null;
  }
  const left = rows.slice();
  for (const w of want) {
    const j = left.findIndex((r) => rowMismatch(w, r, tolerance) === null);
    if (j < 0) return `${name}: no produced row matches expected ${JSON.stringify(w)}`;
    left.splice(j, 1);
  }
  return null;
}

/** Groups replay's JSON lines by stream; throws on a line that is not {"stream","row"}. */
export function parseReplayOutput(stdout: string): Map<string, Record<string, unknown>[]> {
  const by = new Map<string, Record<string, unknown>[]>();
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    const o = JSON.parse(line) as { stream?: unknown; row?: unknown };
    if (typeof o.stream !== 'string' || typeof o.row !== 'object' || o.row === null) throw new Error(`not {"stream","row"}: ${line.slice(0, 120)}`);
    if (!by.has(o.stream)) by.set(o.stream, []);
    by.get(o.stream)!.push(o.row as Record<string, unknown>);
  }
  return by;
}

export interface CaseFile {
  name: string;
  expect?: Record<string, StreamExpectation>;
  expectError?: boolean;
  tolerance?: number;
}

/** Checks one case's replay result; null when it passes. */
export function checkCase(c: CaseFile, status: number | null, stdout: string, stderr: string): string | null {
  if (c.expectError) {
    if (status === 0) return 'expected the application to be rejected, but replay exited 0';
    if (!stderr.trim()) return 'rejected, but printed no message on standard error';
    return null;
  }
  if (status !== 0) return `replay exited ${status}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`;
  const by = parseReplayOutput(stdout);
  const tol = c.tolerance ?? 1e-9;
  for (const [name, spec] of Object.entries(c.expect ?? {})) {
    const why = streamMismatch(name, spec, by.get(name) ?? [], tol);
    if (why) return why;
  }
  return null;
}
