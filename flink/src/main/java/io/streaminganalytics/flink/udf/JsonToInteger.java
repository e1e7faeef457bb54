package io.streaminganalytics.flink.udf;

import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code SA_JSON_INTEGER(wrapped, lo, hi)}: a mapped JSON value into an integer column whose range is [lo, hi]
 * (see {@link JsonInput}): true/false are 1/0, numeric text is parsed; a fraction or a value out of range is NULL.
 */
public final class JsonToInteger extends ScalarFunction {
  public Long eval(String wrapped, Long lo, Long hi) {
    var v = JsonInput.value(wrapped);
    if (v == null || lo == null || hi == null) return null;
    Double d = JsonInput.number(v);
    if (d == null || d.isInfinite() || d.isNaN() || d != Math.rint(d) || d < lo || d > hi) return null;
    return d.longValue();
  }
}
