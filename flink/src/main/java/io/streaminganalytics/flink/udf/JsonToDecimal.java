package io.streaminganalytics.flink.udf;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code SA_JSON_DECIMAL(wrapped, precision, scale)}: a mapped JSON value into a DECIMAL(precision, scale) column
 * (see {@link JsonInput}): the number rounded half away from zero to the scale; one with more than precision - scale
 * whole digits is NULL. The result is DECIMAL(38, 18) (KDA's DECIMAL has at most 18 digits); the caller casts it.
 */
public final class JsonToDecimal extends ScalarFunction {
  public @DataTypeHint("DECIMAL(38, 18)") BigDecimal eval(String wrapped, Integer precision, Integer scale) {
    var v = JsonInput.value(wrapped);
    if (v == null || precision == null || scale == null) return null;
    // A boolean is 1 or 0 whatever the column's digits (as our decoder does).
    if (v.isBoolean()) return v.booleanValue() ? BigDecimal.ONE : BigDecimal.ZERO;
    Double d = JsonInput.number(v);
    if (d == null || d.isNaN() || d.isInfinite()) return null;
    BigDecimal r = BigDecimal.valueOf(d).setScale(scale, RoundingMode.HALF_UP);
    if (r.abs().compareTo(BigDecimal.TEN.pow(precision - scale)) >= 0) return null;
    return r;
  }
}
