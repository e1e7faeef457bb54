package io.streaminganalytics.flink.udf;

import org.apache.flink.table.functions.ScalarFunction;

/** {@code SA_JSON_BOOLEAN(wrapped)}: a mapped JSON value into a BOOLEAN column (see {@link JsonInput}). */
public final class JsonToBoolean extends ScalarFunction {
  public Boolean eval(String wrapped) {
    var v = JsonInput.value(wrapped);
    return v == null ? null : JsonInput.bool(v);
  }
}
