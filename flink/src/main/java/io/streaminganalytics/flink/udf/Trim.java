package io.streaminganalytics.flink.udf;

import org.apache.flink.table.functions.ScalarFunction;

/**
 * KDA {@code TRIM(side character FROM s)} for a character that is not a literal: the character must be exactly one
 * character long (KDA sends the row to error_stream otherwise; this gives NULL). side is BOTH, LEADING or TRAILING.
 */
public final class Trim extends ScalarFunction {
  public String eval(String side, String character, String s) {
    if (character == null || s == null) return null;
    if (character.length() != 1) return null;
    char c = character.charAt(0);
    int start = 0;
    int end = s.length();
    if (!"TRAILING".equals(side)) while (start < end && s.charAt(start) == c) start++;
    if (!"LEADING".equals(side)) while (end > start && s.charAt(end - 1) == c) end--;
    return s.substring(start, end);
  }
}
