package io.streaminganalytics.flink.udf;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.InputGroup;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * KDA {@code EXTRACT(unit FROM interval)} as our engine computes it: of a day-time interval DAY is the whole days,
 * HOUR and MINUTE the field within the next larger unit, SECOND the seconds field with milliseconds (5.678); of a
 * year-month interval YEAR is the whole years and MONTH the months within the year. A negative interval gives
 * negative fields. A unit the interval does not have (a row KDA sends to error_stream) gives NULL. The caller casts
 * the result to BIGINT, or to DECIMAL(5, 3) for SECOND.
 */
public final class ExtractInterval extends ScalarFunction {
  private static final long DAY = 86_400_000L;
  private static final long HOUR = 3_600_000L;
  private static final long MINUTE = 60_000L;

  public Double eval(String unit, @DataTypeHint(inputGroup = InputGroup.ANY) Object interval) {
    if (unit == null || interval == null) return null;
    Long months = Intervals.months(interval);
    if (months != null) {
      long v = Math.abs(months);
      double sign = months < 0 ? -1 : 1;
      switch (unit) {
        case "YEAR":
          return sign * (v / 12) + 0.0;
        case "MONTH":
          return sign * (v % 12) + 0.0;
        default:
          return null;
      }
    }
    Long ms = Intervals.millis(interval);
    if (ms == null) return null;
    long v = Math.abs(ms);
    double sign = ms < 0 ? -1 : 1;
    // + 0.0 turns a negative zero into zero.
    switch (unit) {
      case "DAY":
        return sign * (v / DAY) + 0.0;
      case "HOUR":
        return sign * ((v % DAY) / HOUR) + 0.0;
      case "MINUTE":
        return sign * ((v % HOUR) / MINUTE) + 0.0;
      case "SECOND":
        return sign * ((v % MINUTE) / 1000.0) + 0.0;
      default:
        return null;
    }
  }
}
