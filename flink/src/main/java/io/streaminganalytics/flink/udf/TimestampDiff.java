package io.streaminganalytics.flink.udf;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * KDA {@code (a - b) unit} of two timestamps with a day-time qualifier: the difference in milliseconds, truncated
 * toward zero to whole {@code unitMillis} (1 for SECOND, which keeps milliseconds).
 */
public final class TimestampDiff extends ScalarFunction {
  public @DataTypeHint("INTERVAL SECOND(3)") Duration eval(@DataTypeHint("TIMESTAMP(3)") LocalDateTime a, @DataTypeHint("TIMESTAMP(3)") LocalDateTime b, Long unitMillis) {
    if (a == null || b == null || unitMillis == null || unitMillis <= 0) return null;
    long d = a.toInstant(ZoneOffset.UTC).toEpochMilli() - b.toInstant(ZoneOffset.UTC).toEpochMilli();
    return Duration.ofMillis(d / unitMillis * unitMillis);
  }
}
