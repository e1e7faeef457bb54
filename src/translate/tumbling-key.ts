/**
 * Which fixed-size tumbling of ROWTIME a GROUP BY time key stands for, proven from the bound expression.
 *
 * KDA closes a ROWTIME-keyed group where the key changes value; a Flink TUMBLE window of size S and offset O holds
 * the rows with ROWTIME in [O + kS, O + (k+1)S). The two agree when the key is h(floor((ROWTIME - O) / S)) for a
 * strictly increasing h: the key is then constant on each such interval and differs between intervals. The
 * analysis below derives that form symbolically, from the operations whose engine semantics are exact:
 * - ROWTIME, and a timestamp plus or minus an interval literal: ROWTIME - o;
 * - `(ts - TIMESTAMP c) SECOND` (DIFF_SECOND, exact milliseconds): an interval (ROWTIME - o - c);
 *   `(ts - TIMESTAMP c) MINUTE|HOUR|DAY` truncate toward zero, which is a floor only for ROWTIME at or after c, so
 *   they are taken when c is at or before the epoch (a ROWTIME, an arrival time, is never before 1970);
 * - an interval divided or multiplied by a positive integer literal (the engine keeps interval / n exact in
 *   milliseconds, so FLOOR(... / 10 TO SECOND) floors once), also after a floor (FLOOR of a floor divided by n is
 *   a floor of n times the steps);
 * - FLOOR(interval TO unit), FLOOR(timestamp TO SECOND|MINUTE|HOUR|DAY), STEP(timestamp BY day-time interval):
 *   the floors that make the steps.
 * Anything else (CEIL, calendar units, a key read through a column, ...) is reported with a reason.
 */
import type { BoundExpr } from '../plan/index.js';
import { UNIT_MS } from './flink-dialect.js';

/** A fixed-size tumbling of ROWTIME: windows [offsetMs + k * sizeMs, offsetMs + (k+1) * sizeMs). */
export interface TumblingWindow {
  readonly sizeMs: number;
  /** In [0, sizeMs). */
  readonly offsetMs: number;
}

/** value(t) = (t - origin) * num / den, in milliseconds (a timestamp when num = den = 1 and timestamp is set). */
interface Linear {
  readonly kind: 'linear';
  readonly origin: number;
  readonly num: number;
  readonly den: number;
  readonly timestamp: boolean;
}

/**
 * value(t) = floor((t - origin) / size) * mult / div (plus a constant): a strictly increasing function of the window
 * index, so one value per window. mult 0: some strictly increasing function of the window index, form unknown.
 */
interface Stepped {
  readonly kind: 'stepped';
  readonly origin: number;
  readonly size: number;
  readonly mult: number;
  readonly div: number;
}

type Form = Linear | Stepped | string;

function positiveIntegerLiteral(e: BoundExpr): number | null {
  return e.kind === 'literal' && typeof e.value === 'number' && Number.isSafeInteger(e.value) && e.value > 0 && e.type.kind !== 'INTERVAL' ? e.value : null;
}

function dayTimeIntervalLiteral(e: BoundExpr): number | null {
  return e.kind === 'literal' && e.type.kind === 'INTERVAL' && e.type.start !== 'YEAR' && e.type.start !== 'MONTH' && typeof e.value === 'number' ? e.value : null;
}

function keywordOf(e: BoundExpr | undefined): string | undefined {
  return e && e.kind === 'literal' ? (e as { keyword?: string }).keyword : undefined;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function linear(origin: number, num: number, den: number, timestamp: boolean): Linear {
  const g = gcd(num, den);
  return { kind: 'linear', origin, num: num / g, den: den / g, timestamp };
}

function stepped(origin: number, size: number, mult: number, div: number): Stepped {
  const g = gcd(mult, div);
  return { kind: 'stepped', origin, size, mult: mult / g, div: div / g };
}

/**
 * FLOOR(x TO unit) = floor(x / unit) * unit. Of a linear x: windows of den * unit / num ms, when that is a whole
 * number. Of a stepped x = k * mult / div (k the window index): floor(k / m) * unit when div * unit / mult is a
 * whole number m (floor(floor(y) / m) = floor(y / m)), windows m times longer; k * (mult / (div * unit)) * unit, the
 * same windows, when mult / (div * unit) is whole.
 */
function floorOf(f: Linear | Stepped, unitMs: number): Form {
  if (f.kind === 'linear') {
    const size = (f.den * unitMs) / f.num;
    if (!Number.isSafeInteger(size) || size <= 0) return `the GROUP BY time key floors ROWTIME to steps of ${size} ms, not a whole number of milliseconds`;
    return stepped(f.origin, size, unitMs, 1);
  }
  if (f.mult === 0) return 'the GROUP BY time key floors ROWTIME twice in a way whose windows are not proven to be of one size';
  const m = (f.div * unitMs) / f.mult;
  if (Number.isSafeInteger(m) && m > 0) return stepped(f.origin, f.size * m, unitMs, 1);
  const r = f.mult / (f.div * unitMs);
  if (Number.isSafeInteger(r) && r > 0) return f;
  // floor(k * r) with r > 1 still takes a new value at every window (it grows by at least 1), but is no longer a
  // multiple of the window index: the same windows, opaque to a further floor (mult 0).
  if (r > 1) return { ...f, mult: 0, div: 1 };
  return 'the GROUP BY time key floors a stepped ROWTIME to a unit that is not a whole multiple of its steps';
}

function analyse(e: BoundExpr): Form {
  switch (e.kind) {
    case 'rowtime':
      return linear(0, 1, 1, true);
    case 'op': {
      if ((e.op === 'add' || e.op === 'sub') && e.type.kind === 'TIMESTAMP') {
        const [a, b] = e.args;
        const shift = dayTimeIntervalLiteral(b);
        const f = analyse(a);
        if (shift === null || typeof f === 'string' || f.kind !== 'linear' || !f.timestamp) break;
        return linear(e.op === 'add' ? f.origin - shift : f.origin + shift, 1, 1, true);
      }
      if ((e.op === 'div' || e.op === 'mul') && e.type.kind === 'INTERVAL' && e.type.start !== 'YEAR' && e.type.start !== 'MONTH') {
        const n = positiveIntegerLiteral(e.args[1]);
        const f = analyse(e.args[0]);
        if (n === null || typeof f === 'string') break;
        if (f.kind === 'stepped') return e.op === 'div' ? stepped(f.origin, f.size, f.mult, f.div * n) : stepped(f.origin, f.size, f.mult * n, f.div);
        if (f.timestamp) break;
        return e.op === 'div' ? linear(f.origin, f.num, f.den * n, false) : linear(f.origin, f.num * n, f.den, false);
      }
      break;
    }
    case 'call': {
      const name = e.fn.name;
      if (name.startsWith('DIFF_') && e.args.length === 2) {
        const f = analyse(e.args[0]);
        const c = e.args[1];
        if (typeof f === 'string' || f.kind !== 'linear' || !f.timestamp || c.kind !== 'literal' || typeof c.value !== 'number') break;
        const origin = f.origin + c.value;
        if (name === 'DIFF_SECOND') return linear(origin, 1, 1, false);
        const unit = UNIT_MS[name.slice('DIFF_'.length)];
        if (unit === undefined) break;
        if (origin > 0) return `(ROWTIME - TIMESTAMP ...) ${name.slice(5)} truncates toward zero, which differs from a floor for a ROWTIME before that timestamp`;
        return stepped(origin, unit, unit, 1);
      }
      if (name === 'FLOOR' && e.args.length === 2) {
        const unit = keywordOf(e.args[1]);
        const ms = unit === undefined ? undefined : UNIT_MS[unit];
        const f = analyse(e.args[0]);
        if (typeof f === 'string') return f;
        if (ms === undefined) return `FLOOR(... TO ${unit ?? '?'}) has no fixed window length`;
        if (f.kind === 'linear' && f.timestamp && (f.num !== 1 || f.den !== 1)) break;
        return floorOf(f, ms);
      }
      if (name === 'STEP' && e.args.length === 2) {
        const by = dayTimeIntervalLiteral(e.args[1]);
        const f = analyse(e.args[0]);
        if (typeof f === 'string') return f;
        if (by === null || by <= 0) return 'STEP(ROWTIME BY a calendar interval or a non-literal) has no fixed window length';
        if (f.kind !== 'linear' || !f.timestamp) break;
        return stepped(f.origin, by, by, 1);
      }
      break;
    }
    default:
      break;
  }
  return 'the GROUP BY time key is not a fixed-size tumbling of ROWTIME (STEP(ROWTIME BY INTERVAL ...), FLOOR(ROWTIME TO unit), or FLOOR((ROWTIME - TIMESTAMP ...) unit / n TO unit))';
}

/** The tumbling window a ROWTIME-only GROUP BY key defines, or the reason it defines none Flink can express. */
export function tumblingWindowOf(key: BoundExpr): TumblingWindow | string {
  const f = analyse(key);
  if (typeof f === 'string') return f;
  if (f.kind === 'linear') return 'the GROUP BY time key changes with every millisecond of ROWTIME: it is not a window';
  const offsetMs = ((f.origin % f.size) + f.size) % f.size;
  return { sizeMs: f.size, offsetMs };
}
