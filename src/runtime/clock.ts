/**
 * The clock port: the one time source an application reads besides its records. It feeds the engine's
 * CURRENT_ROW_TIMESTAMP, LOCALTIMESTAMP and error_stream's ERROR_TIME, and the shard loop's commit interval and
 * idle window advance. A host picks it by where its records come from: a replayed source (a `replay` case, a
 * recorded file) passes a {@link ReplayClock} that stands at the arrival time of the record being taken in, so a
 * replay gives the same rows every time; a live source (the embedded stream, Kinesis, Lambda) passes the wall
 * clock.
 */

/** Epoch milliseconds now. */
export type Clock = () => number;

/** The wall clock, for live sources. */
export const wallClock: Clock = () => Date.now();

/**
 * Time that moves only with the records: the shard loop sets it to each record's arrival time before the
 * record is taken in. It never goes back (a record that arrived earlier than the one before leaves it where it is).
 *
 * @example
 * const clock = new ReplayClock(Date.parse('2026-01-01T00:00:00Z'));
 * const app = buildApplication(spec, { clock: clock.now });
 * clock.moveTo(Date.parse('2026-01-01T00:00:05Z'));
 */
export class ReplayClock {
  private time: number;

  constructor(start = 0) {
    this.time = start;
  }

  /** The clock as a {@link Clock} (bound, so it can be handed on). */
  readonly now: Clock = () => this.time;

  moveTo(time: number): void {
    if (time > this.time) this.time = time;
  }
}
