package io.streaminganalytics.flink.udf;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * KDA {@code REGEX_REPLACE(original, regex, replacement, startPosition, occurrence)}: java.lang.String.replaceAll
 * semantics (Java regex, {@code $n} group references) applied to the text from {@code startPosition} (1-based) on;
 * {@code occurrence} 0 replaces every match, n > 0 only the n-th. A start beyond the text gives the text unchanged.
 * A NULL argument gives NULL. Where KDA sends the row to error_stream (a start below 1, a negative occurrence, a
 * regex or replacement Java rejects) this gives NULL.
 */
public final class RegexReplace extends ScalarFunction {
  private transient PatternCache<Pattern> cache;

  public String eval(String original, String regex, String replacement, Double startPosition, Double occurrence) {
    if (original == null || regex == null || replacement == null || startPosition == null || occurrence == null) return null;
    if (!(startPosition >= 1) || !(occurrence >= 0)) return null;
    if (cache == null) cache = new PatternCache<>();
    Pattern p = cache.get(regex, Pattern::compile);
    if (p == null) return null;
    double start = Math.floor(startPosition);
    if (start > original.length()) return original;
    String head = original.substring(0, (int) start - 1);
    Matcher m = p.matcher(original.substring((int) start - 1));
    StringBuilder out = new StringBuilder(head);
    int seen = 0;
    try {
      while (m.find()) {
        seen++;
        if (occurrence == 0 || seen == occurrence) {
          m.appendReplacement(out, replacement);
          if (occurrence != 0) break;
        }
      }
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return null;
    }
    m.appendTail(out);
    return out.toString();
  }
}
