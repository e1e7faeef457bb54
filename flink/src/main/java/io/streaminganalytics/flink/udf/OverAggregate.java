package io.streaminganalytics.flink.udf;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.InputTypeStrategies;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.types.inference.TypeStrategies;

/**
 * A KDA sliding-window function over a frame that ends at the current row, computed row by row.
 *
 * <p>The translation calls it {@code SA_OVER_x(frameRows, frameMs, ROWTIME, partition, value, extra...) OVER
 * (PARTITION BY ... ORDER BY ROWTIME ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)}: Flink then feeds a
 * partition's rows one at a time, in event-time order and rows of equal time in arrival order, and reads the value
 * after each row. {@code partition} (a string, or NULL) names the KDA partition within the Flink one, when the KDA
 * window partitions on more keys than Flink does (all the windows of one query share one Flink window, so that
 * every window sees the rows of equal time in the same order). The
 * function keeps only the rows of the current row's frame: {@code ROWS n PRECEDING} the last n+1 rows
 * ({@code frameRows} = n), {@code RANGE INTERVAL d PRECEDING} the rows whose ROWTIME is at least the current one's
 * minus d ({@code frameMs} = d), -1 for no limit. So a row's RANGE frame holds the rows that arrived before it and
 * itself, never a later row of the same ROWTIME (Flink's own RANGE frame holds every peer), and the state stays
 * bounded by the frame.
 */
public abstract class OverAggregate extends AggregateFunction<Object, OverPartitions> {
  private static final Object[] NONE = new Object[0];

  @Override
  public OverPartitions createAccumulator() {
    return new OverPartitions();
  }

  public void accumulate(OverPartitions p, Object rows, Object ms, Object rowtime, Object part, Object value) {
    step(p, rows, ms, rowtime, part, value, NONE);
  }

  public void accumulate(OverPartitions p, Object rows, Object ms, Object rowtime, Object part, Object value, Object x1) {
    step(p, rows, ms, rowtime, part, value, new Object[] {x1});
  }

  public void accumulate(OverPartitions p, Object rows, Object ms, Object rowtime, Object part, Object value, Object x1, Object x2) {
    step(p, rows, ms, rowtime, part, value, new Object[] {x1, x2});
  }

  public void accumulate(OverPartitions p, Object rows, Object ms, Object rowtime, Object part, Object value, Object x1, Object x2, Object x3) {
    step(p, rows, ms, rowtime, part, value, new Object[] {x1, x2, x3});
  }

  @Override
  public Object getValue(OverPartitions p) {
    return p.current == null ? null : result(p.current);
  }

  private void step(OverPartitions p, Object rows, Object ms, Object rowtime, Object part, Object value, Object[] extras) {
    OverState s = p.of((String) part);
    p.current = s;
    if (!s.configured) {
      s.frameRows = ((Number) rows).longValue();
      s.frameMs = ((Number) ms).longValue();
      s.configured = true;
    }
    configure(s, extras);
    long t = epochMillis(rowtime);
    if (s.frameRows < 0 && s.frameMs < 0 && !needsRows()) {
      // Unbounded frame and nothing to read back: the running figures are enough.
      s.now = t;
      added(s, value, -1);
      return;
    }
    long abs = s.push(t, value);
    added(s, value, abs);
    while (s.size > 0 && ((s.frameRows >= 0 && s.size > s.frameRows + 1) || (s.frameMs >= 0 && s.timeAt(s.first) < t - s.frameMs))) {
      long a = s.first;
      Object v = s.popOldest();
      removed(s, v, a);
    }
  }

  static long epochMillis(Object rowtime) {
    return ((LocalDateTime) rowtime).toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  /** Reads the per-call arguments after the value (constants such as n, or per-row ones such as LAG's default). */
  protected void configure(OverState s, Object[] extras) {}

  /** True when the result reads the frame's rows back (not only running figures). */
  protected boolean needsRows() {
    return true;
  }

  /** The current row entered the frame (abs: its index, -1 when rows are not kept). */
  protected abstract void added(OverState s, Object value, long abs);

  /** The oldest row left the frame. */
  protected void removed(OverState s, Object value, long abs) {}

  protected abstract Object result(OverState s);

  /** The result type, from the argument types (frameRows, frameMs, ROWTIME, partition, value, extra...). */
  protected abstract DataType outputType(List<DataType> args);

  @Override
  public TypeInference getTypeInference(DataTypeFactory typeFactory) {
    return TypeInference.newBuilder()
        .inputTypeStrategy(InputTypeStrategies.WILDCARD)
        .accumulatorTypeStrategy(TypeStrategies.explicit(typeFactory.createRawDataType(OverPartitions.class)))
        .outputTypeStrategy(ctx -> Optional.of(outputType(ctx.getArgumentDataTypes()).nullable()))
        .build();
  }

  /** The n-th value (1-based) of the frame's rows [lo, hi) from the oldest (or the newest), NULLs skipped when asked. */
  static Object nth(OverState s, long lo, long hi, long n, boolean fromEnd, boolean ignoreNulls, Object missing) {
    if (!ignoreNulls) {
      long i = fromEnd ? hi - n : lo + n - 1;
      return i >= lo && i < hi ? s.valueAt(i) : missing;
    }
    long k = 0;
    if (fromEnd) {
      for (long i = hi - 1; i >= lo; i--) if (s.valueAt(i) != null && ++k == n) return s.valueAt(i);
    } else {
      for (long i = lo; i < hi; i++) if (s.valueAt(i) != null && ++k == n) return s.valueAt(i);
    }
    return missing;
  }

  /** Numbers, text and booleans as KDA orders them (a NaN equals everything, as in our engine's comparisons). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compare(Object a, Object b) {
    if (a instanceof Double || a instanceof Float) {
      double x = ((Number) a).doubleValue();
      double y = ((Number) b).doubleValue();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    if (a instanceof byte[]) {
      byte[] x = (byte[]) a;
      byte[] y = (byte[]) b;
      int n = Math.min(x.length, y.length);
      for (int i = 0; i < n; i++) if (x[i] != y[i]) return (x[i] & 0xff) - (y[i] & 0xff);
      return x.length - y.length;
    }
    return ((Comparable) a).compareTo(b);
  }
}
