package io.streaminganalytics.flink.udf;

import java.util.regex.Pattern;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * KDA {@code s SIMILAR TO pattern [ESCAPE e]}: the whole string matches the pattern ({@link SimilarPatterns}). A NULL
 * operand gives NULL; a malformed pattern or escape (a row KDA sends to error_stream) gives NULL.
 */
public final class SimilarTo extends ScalarFunction {
  private transient PatternCache<Pattern> cache;

  public Boolean eval(String s, String pattern) {
    if (s == null || pattern == null) return null;
    return matches(s, pattern, null);
  }

  public Boolean eval(String s, String pattern, String escape) {
    if (s == null || pattern == null || escape == null) return null;
    return matches(s, pattern, escape);
  }

  private Boolean matches(String s, String pattern, String escape) {
    if (cache == null) cache = new PatternCache<>();
    Pattern p = cache.get((escape == null ? "" : escape) + '\u0000' + pattern, k -> SimilarPatterns.similarTo(pattern, escape));
    return p == null ? null : p.matcher(s).matches();
  }
}
