package io.streaminganalytics.flink.udf;

import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * KDA {@code (a - b) YEAR/MONTH} of two timestamps as our engine computes it: the whole months between them (a
 * month counts only once the day and time of {@code a} within its month reach those of {@code b}).
 */
public final class MonthsBetween extends ScalarFunction {
  public @DataTypeHint("INTERVAL MONTH") Period eval(@DataTypeHint("TIMESTAMP(3)") LocalDateTime a, @DataTypeHint("TIMESTAMP(3)") LocalDateTime b) {
    if (a == null || b == null) return null;
    long m = (a.getYear() - (long) b.getYear()) * 12 + (a.getMonthValue() - b.getMonthValue());
    long ra = millis(a) - millis(a.withDayOfMonth(1).toLocalDate().atStartOfDay());
    long rb = millis(b) - millis(b.withDayOfMonth(1).toLocalDate().atStartOfDay());
    if (m > 0 && ra < rb) m--;
    if (m < 0 && ra > rb) m++;
    return Period.ofMonths((int) m).normalized();
  }

  private static long millis(LocalDateTime t) {
    return t.toInstant(ZoneOffset.UTC).toEpochMilli();
  }
}
