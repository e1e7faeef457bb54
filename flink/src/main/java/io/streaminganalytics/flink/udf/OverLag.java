package io.streaminganalytics.flink.udf;

import java.util.List;
import org.apache.flink.table.types.DataType;

/**
 * {@code LAG(x, n, default) [RESPECT | IGNORE NULLS]} over a frame: extra arguments n, default (of x's type, read on
 * the current row), ignoreNulls. The n-th row before the current one inside the frame (counting only non-NULL
 * values with IGNORE NULLS), or the default when the frame holds fewer; n = 0 is the current row's value.
 */
public final class OverLag extends OverAggregate {
  private static final Object MISSING = new Object();

  @Override
  protected void configure(OverState s, Object[] extras) {
    s.n = ((Number) extras[0]).longValue();
    s.extra = extras[1];
    s.ignoreNulls = Boolean.TRUE.equals(extras[2]);
  }

  @Override
  protected void added(OverState s, Object value, long abs) {}

  @Override
  protected Object result(OverState s) {
    if (s.n == 0) return s.valueAt(s.end() - 1);
    Object v = nth(s, s.first, s.end() - 1, s.n, true, s.ignoreNulls, MISSING);
    return v == MISSING ? s.extra : v;
  }

  @Override
  protected DataType outputType(List<DataType> args) {
    return args.get(4);
  }
}
