package io.streaminganalytics.flink.udf;

import java.util.List;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;

/**
 * {@code ANY / SOME(b)} (extra argument FALSE) and {@code EVERY(b)} (TRUE) over a frame: NULL when the frame holds
 * no non-NULL value.
 */
public final class OverBoolean extends OverAggregate {
  @Override
  protected boolean needsRows() {
    return false;
  }

  @Override
  protected void configure(OverState s, Object[] extras) {
    s.every = Boolean.TRUE.equals(extras[0]);
  }

  @Override
  protected void added(OverState s, Object value, long abs) {
    if (value == null) return;
    s.nonNull++;
    if (Boolean.TRUE.equals(value)) s.trues++;
  }

  @Override
  protected void removed(OverState s, Object value, long abs) {
    if (value == null) return;
    s.nonNull--;
    if (Boolean.TRUE.equals(value)) s.trues--;
  }

  @Override
  protected Object result(OverState s) {
    if (s.nonNull == 0) return null;
    return s.every ? s.trues == s.nonNull : s.trues > 0;
  }

  @Override
  protected DataType outputType(List<DataType> args) {
    return DataTypes.BOOLEAN();
  }
}
