package io.streaminganalytics.flink.udf;

import java.util.List;
import org.apache.flink.table.types.DataType;

/**
 * {@code MIN(x)} / {@code MAX(x)} over a frame: a monotonic deque of the frame's candidates (amortised O(1) a row).
 */
abstract class OverExtreme extends OverAggregate {
  private final boolean max;

  OverExtreme(boolean max) {
    this.max = max;
  }

  @Override
  protected void added(OverState s, Object value, long abs) {
    if (value == null) return;
    while (s.dqSize > 0) {
      int c = compare(s.valueAt(s.dequeBack()), value);
      if (max ? c <= 0 : c >= 0) s.dequePopBack();
      else break;
    }
    s.dequePushBack(abs);
  }

  @Override
  protected void removed(OverState s, Object value, long abs) {
    if (s.dqSize > 0 && s.dequeFront() == abs) s.dequePopFront();
  }

  @Override
  protected Object result(OverState s) {
    return s.dqSize > 0 ? s.valueAt(s.dequeFront()) : null;
  }

  @Override
  protected DataType outputType(List<DataType> args) {
    return args.get(4);
  }
}
