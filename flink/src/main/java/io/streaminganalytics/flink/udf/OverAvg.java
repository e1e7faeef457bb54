package io.streaminganalytics.flink.udf;

import java.math.BigDecimal;

/**
 * {@code AVG(x)} over a frame: the frame's sum and count of non-NULL values, as {@link OverSum} keeps them, divided; of an
 * exact type truncated toward zero (KDA keeps the argument's type).
 */
public final class OverAvg extends OverSum {
  @Override
  protected Object result(OverState s) {
    if (s.nonNull == 0) return null;
    Object sum = OverSums.sum(s);
    return OverSums.average(s, sum, s.nonNull, sum instanceof BigDecimal ? ((BigDecimal) sum).scale() : 0);
  }
}
