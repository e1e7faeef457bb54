/**
 * Time as the sinks see it: the current time (for the hour folders of object keys and buffer ages) and
 * timers (for the buffer interval). Injected so tests can move time by hand instead of sleeping.
 */
export interface Clock {
  now(): number;
  setTimer(callback: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** Opaque timer handle. */
export type TimerHandle = unknown;

/** The real clock. Timers are unref'd: a pending buffer interval does not keep the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback, ms) {
    // Node runs a timer of more than 2^31-1 ms after 1 ms; a longer interval is as good as never.
    const t = setTimeout(callback, Math.min(ms, 2_147_483_647));
    t.unref();
    return t;
  },
  clearTimer(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/**
 * A clock that moves only when told to. `advance(ms)` runs the timers that fall due, in order.
 * @example
 * const clock = new ManualClock(Date.UTC(2026, 0, 1));
 * clock.setTimer(() => console.log('due'), 1000);
 * clock.advance(1000); // prints "due"
 */
export class ManualClock implements Clock {
  private time: number;
  private timers: { at: number; seq: number; callback: () => void }[] = [];
  private seq = 0;
  constructor(start = 0) {
    this.time = start;
  }
  now(): number {
    return this.time;
  }
  setTimer(callback: () => void, ms: number): TimerHandle {
    const timer = { at: this.time + Math.max(0, ms), seq: this.seq++, callback };
    this.timers.push(timer);
    return timer;
  }
  clearTimer(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t !== handle);
  }
  /** Number of timers not yet run. */
  get pendingTimers(): number {
    return this.timers.length;
  }
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = target;
  }
}
