package io.streaminganalytics.flink.udf;

import org.apache.flink.table.functions.ScalarFunction;

/**
 * KDA {@code OVERLAY(s PLACING replacement FROM start [FOR length])} as our engine computes it:
 * {@code SUBSTRING(s FROM 1 FOR start - 1) || replacement || SUBSTRING(s FROM start + length)}, length defaulting to
 * the replacement's; a start below 1 has no head (OVERLAY('12345' PLACING 'foo' FROM 0) is 'foo345'). Start and
 * length are truncated toward zero; a negative length (a row KDA sends to error_stream) gives NULL.
 */
public final class Overlay extends ScalarFunction {
  public String eval(String s, String replacement, Double start) {
    if (replacement == null) return null;
    return eval(s, replacement, start, (double) replacement.length());
  }

  public String eval(String s, String replacement, Double start, Double length) {
    if (s == null || replacement == null || start == null || length == null) return null;
    if (!Double.isFinite(start) || !Double.isFinite(length)) return null;
    // Whole numbers by truncation toward zero, as the engine reads them.
    long from = (long) (double) start;
    long len = (long) (double) length;
    if (len < 0) return null;
    return from(s, 1, Math.max(0, from - 1)) + replacement + from(s, from + len, -1);
  }

  /** SUBSTRING(s FROM start [FOR length]) by the SQL standard (length -1: to the end). */
  private static String from(String s, long start, long length) {
    long first = Math.max(start, 1);
    if (length < 0) return first - 1 >= s.length() ? "" : s.substring((int) (first - 1));
    long end = Math.min(start + length, s.length() + 1L);
    if (end <= first) return "";
    return s.substring((int) (first - 1), (int) (end - 1));
  }
}
