import type { Value } from '../../types/sql-type.js';

/**
 * AVG from a sum and a count. Over an exact numeric the result keeps the argument's type and truncates toward
 * zero (README policy; SQLREF WEATHERSTREAM example: 38.6 -> 38), to the DECIMAL's scale when it has one.
 */
export function finishAverage(sum: number, n: number, exact: boolean, scale: number): Value {
  if (n === 0) return null;
  const avg = sum / n;
  if (!exact) return avg;
  const f = 10 ** scale;
  // Guard against 2.9999999 from binary floating point before truncating.
  const scaled = avg * f;
  const nearest = Math.round(scaled);
  const t = Math.abs(scaled - nearest) < 1e-9 ? nearest : Math.trunc(scaled);
  return (t / f) || 0;
}
