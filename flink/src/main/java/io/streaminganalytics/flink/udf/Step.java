package io.streaminganalytics.flink.udf;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/** KDA {@code STEP(ts BY INTERVAL)}: the timestamp rounded down to a multiple of the interval, aligned to the epoch. */
public final class Step extends ScalarFunction {
  public @DataTypeHint("TIMESTAMP(3)") LocalDateTime eval(@DataTypeHint("TIMESTAMP(3)") LocalDateTime ts, Long millis) {
    if (ts == null || millis == null) return null;
    long ms = ts.toInstant(ZoneOffset.UTC).toEpochMilli();
    long floored = Math.floorDiv(ms, millis) * millis;
    return LocalDateTime.ofEpochSecond(Math.floorDiv(floored, 1000), (int) Math.floorMod(floored, 1000) * 1_000_000, ZoneOffset.UTC);
  }

  /** STEP of a number: rounded down to a multiple of the step. */
  public Long eval(Long value, Long step) {
    if (value == null || step == null) return null;
    return Math.floorDiv(value, step) * step;
  }
}
