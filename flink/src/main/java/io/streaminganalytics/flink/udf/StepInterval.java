package io.streaminganalytics.flink.udf;

import java.time.LocalDateTime;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.InputGroup;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * KDA {@code STEP(ts BY interval)} for any interval value: a day-time interval rounds down to a multiple of it
 * counted from the epoch (as {@link Step}); a year-month interval of n months rounds down to the first day of a
 * month whose index since 1970-01 is a multiple of n (STEP(2004-09-30 13:48:23 BY INTERVAL '1' YEAR) is
 * 2004-01-01). An interval that is not positive (a row KDA sends to error_stream) gives NULL.
 */
public final class StepInterval extends ScalarFunction {
  public @DataTypeHint("TIMESTAMP(3)") LocalDateTime eval(@DataTypeHint("TIMESTAMP(3)") LocalDateTime ts, @DataTypeHint(inputGroup = InputGroup.ANY) Object interval) {
    if (ts == null || interval == null) return null;
    Long months = Intervals.months(interval);
    if (months != null) {
      if (months <= 0) return null;
      long m = (ts.getYear() - 1970L) * 12 + (ts.getMonthValue() - 1);
      long start = m - Math.floorMod(m, months);
      return LocalDateTime.of((int) (1970 + Math.floorDiv(start, 12)), (int) Math.floorMod(start, 12) + 1, 1, 0, 0);
    }
    Long ms = Intervals.millis(interval);
    if (ms == null || ms <= 0) return null;
    return new Step().eval(ts, ms);
  }
}
