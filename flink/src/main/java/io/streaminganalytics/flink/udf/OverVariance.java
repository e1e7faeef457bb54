package io.streaminganalytics.flink.udf;

import java.util.List;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;

/**
 * {@code VAR_POP / VAR_SAMP / STDDEV_POP / STDDEV_SAMP(x)} over a frame, the kind as a literal argument. Two passes
 * over the frame's values (the mean, then the squared deviations) rather than running sums of squares, which
 * cancel badly; NULL when the frame has no value (or one, for the sample kinds).
 */
public final class OverVariance extends OverAggregate {
  @Override
  protected void configure(OverState s, Object[] extras) {
    if (s.kind == null) s.kind = String.valueOf(extras[0]);
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
    long n = s.nonNull;
    boolean pop = s.kind.endsWith("_POP");
    long denom = pop ? n : n - 1;
    if (n == 0 || denom <= 0) return null;
    double mean = 0;
    for (long i = s.first; i < s.end(); i++) {
      Object v = s.valueAt(i);
      if (v != null) mean += ((Number) v).doubleValue();
    }
    mean /= n;
    double m2 = 0;
    for (long i = s.first; i < s.end(); i++) {
      Object v = s.valueAt(i);
      if (v != null) {
        double d = ((Number) v).doubleValue() - mean;
        m2 += d * d;
      }
    }
    double variance = Math.max(m2, 0) / denom;
    return s.kind.startsWith("STDDEV") ? Math.sqrt(variance) : variance;
  }

  @Override
  protected DataType outputType(List<DataType> args) {
    return DataTypes.DOUBLE();
  }
}
