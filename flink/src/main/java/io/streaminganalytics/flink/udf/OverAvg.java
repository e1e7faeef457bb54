package io.streaminganalytics.flink.udf;

import java.math.BigDecimal;
import java.util.List;
import org.apache.flink.table.types.DataType;

/** {@code AVG(x)} over a frame: of an exact type truncated toward zero (KDA keeps the argument's type). */
public final class OverAvg extends OverAggregate {
  @Override
  protected boolean needsRows() {
    return false;
  }

  @Override
  protected void added(OverState s, Object value, long abs) {
    if (value == null) return;
    OverSums.add(s, value, 1);
    s.nonNull++;
  }

  @Override
  protected void removed(OverState s, Object value, long abs) {
    if (value == null) return;
    OverSums.add(s, value, -1);
    if (--s.nonNull == 0) OverSums.clear(s);
  }

  @Override
  protected Object result(OverState s) {
    if (s.nonNull == 0) return null;
    Object sum = OverSums.sum(s);
    return OverSums.average(s, sum, s.nonNull, sum instanceof BigDecimal ? ((BigDecimal) sum).scale() : 0);
  }

  @Override
  protected DataType outputType(List<DataType> args) {
    return OverSums.type(args.get(4));
  }
}
