package io.streaminganalytics.flink.udf;

import java.time.Duration;
import java.util.List;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;

/**
 * {@code EXP_AVG(x, half-life)} over a frame: the average of the frame's values, each weighted by one half for
 * every half-life of its age at the current row's time. NULL when the half-life is not positive or the frame holds
 * no value.
 */
public final class OverExpAvg extends OverAggregate {
  @Override
  protected void configure(OverState s, Object[] extras) {
    s.extra = extras[0];
  }

  @Override
  protected void added(OverState s, Object value, long abs) {}

  @Override
  protected Object result(OverState s) {
    if (!(s.extra instanceof Duration)) return null;
    double halfLife = ((Duration) s.extra).toMillis();
    if (!(halfLife > 0)) return null;
    double num = 0;
    double den = 0;
    for (long i = s.first; i < s.end(); i++) {
      Object v = s.valueAt(i);
      if (v == null) continue;
      double w = Math.pow(0.5, (s.now - s.timeAt(i)) / halfLife);
      num += w * ((Number) v).doubleValue();
      den += w;
    }
    return den == 0 ? null : num / den;
  }

  @Override
  protected DataType outputType(List<DataType> args) {
    return DataTypes.DOUBLE();
  }
}
