package io.streaminganalytics.flink.udf;

import java.time.Period;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.InputGroup;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * KDA {@code interval * number} and {@code interval / number} for a year-month interval: the months times (or
 * divided by) the number, truncated toward zero to whole months (our engine keeps the fraction and truncates it
 * when it adds the interval to a datetime). A division by zero (a row KDA sends to error_stream) gives NULL.
 */
public final class YearMonthIntervalScale extends ScalarFunction {
  public @DataTypeHint("INTERVAL MONTH") Period eval(@DataTypeHint(inputGroup = InputGroup.ANY) Object interval, Double factor, Boolean divide) {
    if (interval == null || factor == null || divide == null) return null;
    Long months = Intervals.months(interval);
    if (months == null) return null;
    if (divide && factor == 0) return null;
    double r = divide ? months / factor : months * factor;
    if (Double.isNaN(r) || Double.isInfinite(r)) return null;
    return Period.ofMonths((int) (long) r).normalized();
  }
}
