package io.streaminganalytics.flink.udf;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.types.DataType;

/**
 * {@code SUM(DISTINCT x)} (extra argument FALSE) and {@code AVG(DISTINCT x)} (TRUE) over a frame: each value of the
 * frame counted once, however many rows hold it.
 */
public final class OverDistinct extends OverAggregate {
  @Override
  protected void configure(OverState s, Object[] extras) {
    s.every = Boolean.TRUE.equals(extras[0]);
  }

  private static Object key(Object v) {
    // -0.0 and 0.0 are one value, as in SQL comparisons.
    return v instanceof Double && (Double) v == 0 ? (Object) 0.0d : v;
  }

  @Override
  protected void added(OverState s, Object value, long abs) {
    if (value == null) return;
    if (s.counts == null) s.counts = new HashMap<>();
    s.counts.merge(key(value), 1, Integer::sum);
  }

  @Override
  protected void removed(OverState s, Object value, long abs) {
    if (value == null) return;
    Object k = key(value);
    int c = s.counts.get(k) - 1;
    if (c == 0) s.counts.remove(k);
    else s.counts.put(k, c);
  }

  @Override
  protected Object result(OverState s) {
    if (s.counts == null || s.counts.isEmpty()) return null;
    OverState sums = new OverState();
    int scale = 0;
    for (Map.Entry<Object, Integer> e : s.counts.entrySet()) {
      OverSums.add(sums, e.getKey(), 1);
      if (e.getKey() instanceof BigDecimal) scale = Math.max(scale, ((BigDecimal) e.getKey()).scale());
    }
    Object sum = OverSums.sum(sums);
    return s.every ? OverSums.average(sums, sum, s.counts.size(), scale) : sum;
  }

  @Override
  protected DataType outputType(List<DataType> args) {
    return OverSums.type(args.get(4));
  }
}
