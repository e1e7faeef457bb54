package io.streaminganalytics.flink.udf;

import org.apache.flink.table.functions.ScalarFunction;

/**
 * KDA {@code SUBSTRING(s FROM start [FOR length])} and {@code SUBSTRING(s, start [, length])} by position, counted as
 * the SQL standard does: a start below 1 shortens the length by 1 - start; past the end, or with length 0, the result
 * is ''. The comma form gives NULL for a start beyond the end of the string (SQLREF SUBSTRING). Called as
 * {@code SA_SUBSTRING(s, start, comma)} or {@code SA_SUBSTRING(s, start, length, comma)}; positions count UTF-16
 * units, as Java's String does. A negative length gives NULL (KDA sends that row to error_stream).
 */
public final class Substring extends ScalarFunction {
  public String eval(String s, Long start, Boolean comma) {
    if (s == null || start == null || comma == null) return null;
    if (comma && start > s.length()) return null;
    long first = Math.max(start, 1);
    return first > s.length() ? "" : s.substring((int) first - 1);
  }

  public String eval(String s, Long start, Long length, Boolean comma) {
    if (s == null || start == null || length == null || comma == null || length < 0) return null;
    if (comma && start > s.length()) return null;
    long end = Math.min(start + length, s.length() + 1L); // exclusive, 1-based
    long first = Math.max(start, 1);
    if (end <= first) return "";
    return s.substring((int) first - 1, (int) end - 1);
  }
}
