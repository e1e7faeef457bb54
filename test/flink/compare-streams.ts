/**
 * Rows of our engine and of Flink compared stream by stream, as the Flink differential tests need it: Flink's rows
 * taken in ROWTIME order, rows of one ROWTIME compared as a multiset, numbers within the case's tolerance.
 */
import { asInstant, rowMismatch } from '../conformance/compare-rows.js';
import type { FlinkCase } from './flink-case.js';

/** Stable sort by ROWTIME: a Flink stream written by several operators (UNION ALL, two pumps) is not in time order. */
function byRowtime(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r, i) => ({ r, i, t: asInstant(r.ROWTIME) ?? 0 })).sort((x, y) => x.t - y.t || x.i - y.i).map((x) => x.r);
}

/**
 * Rows equal stream by stream. Rows of one ROWTIME may come in another order from Flink (a window's groups,
 * the rows of parallel operators) so, when the case says the stream is ordered, the ROWTIME sequence must be
 * equal (Flink's rows taken in ROWTIME order) and each run of equal ROWTIME is compared as a multiset; otherwise
 * the whole stream is a multiset.
 */
export function compareStreams(ours: Map<string, Record<string, unknown>[]>, flink: Map<string, Record<string, unknown>[]>, streams: readonly string[], c: FlinkCase): string | null {
  const tol = c.tolerance ?? 1e-9;
  for (const s of streams) {
    const a = ours.get(s) ?? [];
    const b = byRowtime(flink.get(s) ?? []);
    if (a.length !== b.length) return `${s}: our engine gave ${a.length} rows, Flink ${b.length}: ours ${a.map((r) => JSON.stringify(r)).join(' ')} | flink ${b.map((r) => JSON.stringify(r)).join(' ')}`;
    const ordered = c.expect?.[s]?.ordered !== false;
    const groups: [Record<string, unknown>[], Record<string, unknown>[]][] = [];
    if (ordered) {
      for (let i = 0; i < a.length; i++) {
        const ta = asInstant(a[i].ROWTIME);
        if (ta !== asInstant(b[i].ROWTIME)) return `${s} row ${i + 1}: ROWTIME ${String(a[i].ROWTIME)} (ours) vs ${String(b[i].ROWTIME)} (Flink)`;
        if (i > 0 && asInstant(a[i - 1].ROWTIME) === ta) groups[groups.length - 1].forEach((g, k) => g.push(k === 0 ? a[i] : b[i]));
        else groups.push([[a[i]], [b[i]]]);
      }
    } else groups.push([a, b]);
    for (const [ga, gb] of groups) {
      const left = gb.slice();
      for (const row of ga) {
        const j = left.findIndex((r) => rowMismatch(row, r, tol) === null && rowMismatch(r, row, tol) === null);
        if (j < 0) return `${s}: no Flink row equals ours ${JSON.stringify(row)}; Flink: ${gb.map((r) => JSON.stringify(r)).join(' ')}`;
        left.splice(j, 1);
      }
    }
  }
  return null;
}
