package io.streaminganalytics.flink.udf;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * KDA's DECIMAL division {@code a / b} at the result type's scale: the exact quotient cut toward zero to that scale
 * (the direction of integer division). Flink would round its own, smaller-scale quotient. Called as
 * {@code SA_DECIMAL_DIVIDE(a, b, scale)} with the operands as DECIMAL(38, 18) (KDA's decimals have at most 18
 * digits); the caller casts the DECIMAL(38, 18) result to the plan's type. Division by zero gives NULL (KDA sends that
 * row to error_stream).
 */
public final class DecimalDivide extends ScalarFunction {
  public @DataTypeHint("DECIMAL(38, 18)") BigDecimal eval(
      @DataTypeHint("DECIMAL(38, 18)") BigDecimal a, @DataTypeHint("DECIMAL(38, 18)") BigDecimal b, Integer scale) {
    if (a == null || b == null || scale == null || b.signum() == 0) return null;
    return a.divide(b, scale, RoundingMode.DOWN);
  }
}
