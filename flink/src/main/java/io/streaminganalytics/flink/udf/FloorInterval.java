package io.streaminganalytics.flink.udf;

import java.time.Duration;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.InputGroup;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * KDA {@code FLOOR(interval TO unit)} and {@code CEIL(interval TO unit)} of a day-time interval: rounded down (or
 * up) to a whole number of {@code unitMillis}, toward minus (plus) infinity.
 */
public final class FloorInterval extends ScalarFunction {
  public @DataTypeHint("INTERVAL SECOND(3)") Duration eval(@DataTypeHint(inputGroup = InputGroup.ANY) Object interval, Long unitMillis, Boolean up) {
    if (interval == null || unitMillis == null || up == null || unitMillis <= 0) return null;
    Long ms = Intervals.millis(interval);
    if (ms == null) return null;
    long floor = Math.floorDiv(ms, unitMillis) * unitMillis;
    return Duration.ofMillis(up && floor != ms ? floor + unitMillis : floor);
  }
}
