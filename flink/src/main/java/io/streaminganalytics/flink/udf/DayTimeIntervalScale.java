package io.streaminganalytics.flink.udf;

import java.time.Duration;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.InputGroup;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * KDA {@code interval * number} and {@code interval / number} for a day-time interval: the milliseconds times (or
 * divided by) the number, in double precision as our engine computes them, rounded down to a whole millisecond (a
 * Flink interval holds whole milliseconds; the engine keeps the fraction, which shows only below a millisecond). A
 * division by zero (a row KDA sends to error_stream) gives NULL.
 */
public final class DayTimeIntervalScale extends ScalarFunction {
  public @DataTypeHint("INTERVAL SECOND(3)") Duration eval(@DataTypeHint(inputGroup = InputGroup.ANY) Object interval, Double factor, Boolean divide) {
    if (interval == null || factor == null || divide == null) return null;
    Long ms = Intervals.millis(interval);
    if (ms == null) return null;
    if (divide && factor == 0) return null;
    double r = divide ? ms / factor : ms * factor;
    if (Double.isNaN(r) || Double.isInfinite(r)) return null;
    return Duration.ofMillis((long) Math.floor(r));
  }
}
