/**
 * Counters of a running pipeline, read by the progress display and the JSON logs.
 */
export class RunMetrics {
  /** Kinesis records read from the source (aggregated or not). */
  recordsIn = 0;
  /** User records after de-aggregation (equal to recordsIn without a KPL preprocessor). */
  userRecords = 0;
  /** Rows that entered the in-application input stream. */
  rowsIn = 0;
  /** Rows delivered to outputs, error_stream excluded. */
  rowsOut = 0;
  /** Output rows produced by windowed (GROUP BY / stagger) queries: one per closed window and group. */
  windowsEmitted = 0;
  /** Rows written to error_stream (bad records, coercion failures, runtime errors). */
  errors = 0;
  /** How far the reader is behind the head of the stream, when the source knows. */
  lagMs: number | undefined;
  /** Output objects written (files or S3 objects) and committed checkpoints. */
  objectsWritten = 0;
  checkpoints = 0;
  readonly startedAt: number;
  private lastSample: { at: number; recordsIn: number; userRecords: number };

  constructor(now: number) {
    this.startedAt = now;
    this.lastSample = { at: now, recordsIn: 0, userRecords: 0 };
  }

  /** Rates since the previous sample, then starts a new sample. */
  sample(now: number): { recordsPerSecond: number; userRecordsPerSecond: number } {
    const dt = Math.max(1, now - this.lastSample.at) / 1000;
    const r = {
      recordsPerSecond: (this.recordsIn - this.lastSample.recordsIn) / dt,
      userRecordsPerSecond: (this.userRecords - this.lastSample.userRecords) / dt,
    };
    this.lastSample = { at: now, recordsIn: this.recordsIn, userRecords: this.userRecords };
    return r;
  }

  snapshot(now: number): Record<string, number | undefined> {
    return {
      elapsedMs: now - this.startedAt,
      recordsIn: this.recordsIn,
      userRecords: this.userRecords,
      rowsIn: this.rowsIn,
      rowsOut: this.rowsOut,
      windowsEmitted: this.windowsEmitted,
      errors: this.errors,
      lagMs: this.lagMs,
      objectsWritten: this.objectsWritten,
      checkpoints: this.checkpoints,
    };
  }
}
