import type { Value } from '../../types/sql-type.js';

/** A row a windowed table function emits, with its ROWTIME. */
export interface EmittedRow {
  readonly row: Value[];
  readonly rowtime: number;
}

/**
 * Epoch-aligned tumbling windows of `sizeMs`, as the TOP_K / COUNT_DISTINCT window states use them: a row at
 * time t belongs to [floor(t / size) * size, + size). A window closes when a row or a clock bound reaches its
 * end; its result rows carry ROWTIME = the window end (the policy for tumbling GROUP BY rows).
 */
export class TumblingWindowClock {
  readonly sizeMs: number;
  /** Start of the open window, or null when no row has arrived since the last close. */
  openStart: number | null = null;

  constructor(sizeMs: number) {
    this.sizeMs = sizeMs;
  }

  startOf(time: number): number {
    return Math.floor(time / this.sizeMs) * this.sizeMs;
  }

  /** True when the open window ends at or before `time`. */
  closesBy(time: number): boolean {
    return this.openStart !== null && time >= this.openStart + this.sizeMs;
  }
}

/** Canonical map key for an item value: strings and numbers stay distinct, bytes compare by content. */
export function itemKey(value: Value): string | number | boolean | null {
  if (value instanceof Uint8Array) return `\u0000bytes:${Buffer.from(value).toString('hex')}`;
  if (Array.isArray(value)) return `\u0000row:${JSON.stringify(value)}`;
  return value as string | number | boolean | null;
}
