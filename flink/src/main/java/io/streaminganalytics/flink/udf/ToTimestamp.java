package io.streaminganalytics.flink.udf;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/** KDA {@code TO_TIMESTAMP(ms)}: epoch milliseconds as a TIMESTAMP in UTC, fractions of a millisecond dropped. */
public final class ToTimestamp extends ScalarFunction {
  public @DataTypeHint("TIMESTAMP(3)") LocalDateTime eval(Double ms) {
    if (ms == null || Double.isNaN(ms) || Double.isInfinite(ms)) return null;
    long v = (long) Math.floor(ms);
    return LocalDateTime.ofEpochSecond(Math.floorDiv(v, 1000), (int) Math.floorMod(v, 1000) * 1_000_000, ZoneOffset.UTC);
  }
}
