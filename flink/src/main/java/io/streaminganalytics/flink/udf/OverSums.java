package io.streaminganalytics.flink.udf;

import java.math.BigDecimal;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * Running sums of a frame's numbers, exact as the values are: BIGINT in a long, DECIMAL in a BigDecimal, DOUBLE in a
 * double (the translation casts the integer types to BIGINT and REAL to DOUBLE).
 */
final class OverSums {
  private OverSums() {}

  static void add(OverState s, Object v, int sign) {
    if (v instanceof Long) {
      s.numKind = 1;
      s.longSum += sign * (Long) v;
    } else if (v instanceof BigDecimal) {
      s.numKind = 3;
      BigDecimal d = (BigDecimal) v;
      s.decimalSum = s.decimalSum == null ? (sign > 0 ? d : d.negate()) : (sign > 0 ? s.decimalSum.add(d) : s.decimalSum.subtract(d));
    } else {
      s.numKind = 2;
      s.doubleSum += sign * ((Number) v).doubleValue();
    }
  }

  /** Nothing left in the frame: start again from zero (no rounding residue in the double sum). */
  static void clear(OverState s) {
    s.longSum = 0;
    s.doubleSum = 0;
    s.decimalSum = null;
  }

  static Object sum(OverState s) {
    switch (s.numKind) {
      case 1:
        return s.longSum;
      case 3:
        return s.decimalSum == null ? BigDecimal.ZERO : s.decimalSum;
      default:
        return s.doubleSum;
    }
  }

  /** The average: over an exact type truncated toward zero to the argument's scale (KDA keeps the argument's type). */
  static Object average(OverState s, Object sum, long n, int scale) {
    if (sum instanceof Long) return (Long) sum / n;
    if (sum instanceof BigDecimal) return ((BigDecimal) sum).divide(BigDecimal.valueOf(n), scale, java.math.RoundingMode.DOWN);
    return ((Number) sum).doubleValue() / n;
  }

  /** BIGINT, DOUBLE, or DECIMAL(38, s) for a DECIMAL(p, s) argument. */
  static DataType type(DataType arg) {
    if (arg.getLogicalType().getTypeRoot() == LogicalTypeRoot.DECIMAL) {
      return DataTypes.DECIMAL(38, ((DecimalType) arg.getLogicalType()).getScale());
    }
    if (arg.getLogicalType().getTypeRoot() == LogicalTypeRoot.BIGINT) return DataTypes.BIGINT();
    return DataTypes.DOUBLE();
  }

  static int scale(DataType arg) {
    return arg.getLogicalType().getTypeRoot() == LogicalTypeRoot.DECIMAL ? ((DecimalType) arg.getLogicalType()).getScale() : 0;
  }
}
