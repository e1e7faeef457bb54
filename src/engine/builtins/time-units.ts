/** Calendar arithmetic on epoch-ms values (UTC): truncation to a unit, month addition, STEP. */
export const UNIT_MS: Record<string, number> = { MILLISECOND: 1, SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000, WEEK: 7 * 86_400_000 };

/** FLOOR(ts TO unit). */
export function floorTo(ms: number, unit: string): number {
  const d = new Date(ms);
  switch (unit) {
    case 'YEAR':
      return utc(d.getUTCFullYear(), 0, 1);
    case 'QUARTER':
      return utc(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1);
    case 'MONTH':
      return utc(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case 'WEEK': {
      // Weeks start on Sunday (Java Calendar default for US locale).
      const day = Math.floor(ms / 86_400_000) * 86_400_000;
      return day - new Date(day).getUTCDay() * 86_400_000;
    }
    default: {
      const u = UNIT_MS[unit] ?? 1;
      return Math.floor(ms / u) * u;
    }
  }
}

/** CEIL(ts TO unit). */
export function ceilTo(ms: number, unit: string): number {
  const f = floorTo(ms, unit);
  if (f === ms) return ms;
  switch (unit) {
    case 'YEAR':
      return addMonths(f, 12);
    case 'QUARTER':
      return addMonths(f, 3);
    case 'MONTH':
      return addMonths(f, 1);
    default:
      return f + (UNIT_MS[unit] ?? 1);
  }
}

function utc(y: number, m: number, d: number): number {
  const dt = new Date(Date.UTC(2000, m, d));
  dt.setUTCFullYear(y);
  return dt.getTime();
}

/** Adds months, clamping the day to the target month's length. */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12;
  const lastDay = new Date(Date.UTC(2000, m + 1, 0)).getUTCDate();
  const leap = m === 1 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0);
  const day = Math.min(d.getUTCDate(), m === 1 ? (leap ? 29 : 28) : lastDay);
  const out = new Date(Date.UTC(2000, m, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
  out.setUTCFullYear(y);
  return out.getTime();
}

/** STEP(ts BY interval): epoch-aligned for day-time intervals, calendar-aligned for YEAR/MONTH intervals. */
export function stepTimestamp(ms: number, interval: number, yearMonth: boolean): number {
  if (!yearMonth) return Math.floor(ms / interval) * interval;
  const d = new Date(ms);
  const months = (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
  const stepped = Math.floor(months / interval) * interval;
  return addMonths(Date.UTC(1970, 0, 1), stepped);
}
