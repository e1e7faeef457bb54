package io.streaminganalytics.flink.udf;

import java.util.List;
import org.apache.flink.table.types.DataType;

/**
 * {@code NTH_VALUE(x, n) [FROM FIRST | FROM LAST] [RESPECT | IGNORE NULLS]} over a frame, and with n = 1
 * {@code FIRST_VALUE} / {@code LAST_VALUE}: extra arguments n, fromLast, ignoreNulls. NULL when the frame holds fewer
 * than n (non-NULL, with IGNORE NULLS) values.
 */
public final class OverNthValue extends OverAggregate {
  @Override
  protected void configure(OverState s, Object[] extras) {
    s.n = ((Number) extras[0]).longValue();
    s.fromLast = Boolean.TRUE.equals(extras[1]);
    s.ignoreNulls = Boolean.TRUE.equals(extras[2]);
  }

  @Override
  protected void added(OverState s, Object value, long abs) {}

  @Override
  protected Object result(OverState s) {
    return nth(s, s.first, s.end(), s.n, s.fromLast, s.ignoreNulls, null);
  }

  @Override
  protected DataType outputType(List<DataType> args) {
    return args.get(4);
  }
}
