package io.streaminganalytics.flink.udf;

import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code SA_JSON_DOUBLE(wrapped, max)}: a mapped JSON value into a DOUBLE or REAL column whose largest magnitude is
 * max (see {@link JsonInput}): true/false are 1/0, numeric text is parsed; a value beyond max is NULL.
 */
public final class JsonToDouble extends ScalarFunction {
  public Double eval(String wrapped, Double max) {
    var v = JsonInput.value(wrapped);
    if (v == null || max == null) return null;
    Double d = JsonInput.number(v);
    if (d == null || d.isNaN() || Math.abs(d) > max) return null;
    return d;
  }
}
