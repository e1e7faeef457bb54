package io.streaminganalytics.flink.udf;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/** KDA {@code TSDIFF(a, b)}: a minus b in milliseconds, NULL if either is NULL. */
public final class TsDiff extends ScalarFunction {
  public Long eval(@DataTypeHint("TIMESTAMP(3)") LocalDateTime a, @DataTypeHint("TIMESTAMP(3)") LocalDateTime b) {
    if (a == null || b == null) return null;
    return a.toInstant(ZoneOffset.UTC).toEpochMilli() - b.toInstant(ZoneOffset.UTC).toEpochMilli();
  }
}
