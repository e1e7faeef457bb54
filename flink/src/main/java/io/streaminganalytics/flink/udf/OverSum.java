package io.streaminganalytics.flink.udf;

import java.util.List;
import org.apache.flink.table.types.DataType;

/** {@code SUM(x)} over a frame: NULL when the frame holds no non-NULL value. {@link OverAvg} keeps the same state. */
public class OverSum extends OverAggregate {
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
    return s.nonNull == 0 ? null : OverSums.sum(s);
  }

  @Override
  protected DataType outputType(List<DataType> args) {
    return OverSums.type(args.get(4));
  }
}
