package io.streaminganalytics.flink.udf;

import java.time.Duration;
import java.time.Period;

/** Flink interval values as our engine holds them: a day-time interval in milliseconds, a year-month one in months. */
final class Intervals {
  private Intervals() {}

  /** Milliseconds of a day-time interval (Duration), or null for anything else. */
  static Long millis(Object interval) {
    return interval instanceof Duration ? ((Duration) interval).toMillis() : null;
  }

  /** Months of a year-month interval (Period), or null for anything else. */
  static Long months(Object interval) {
    return interval instanceof Period ? ((Period) interval).toTotalMonths() : null;
  }
}
