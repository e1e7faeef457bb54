package io.streaminganalytics.flink.udf;

import java.util.List;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;

/** {@code COUNT(x)} over a frame: the frame's non-NULL values ({@code COUNT(*)}: the value is a constant). */
public final class OverCount extends OverAggregate {
  @Override
  protected boolean needsRows() {
    return false;
  }

  @Override
  protected void added(OverState s, Object value, long abs) {
    if (value != null) s.nonNull++;
  }

  @Override
  protected void removed(OverState s, Object value, long abs) {
    if (value != null) s.nonNull--;
  }

  @Override
  protected Object result(OverState s) {
    return s.nonNull;
  }

  @Override
  protected DataType outputType(List<DataType> args) {
    return DataTypes.BIGINT();
  }
}
