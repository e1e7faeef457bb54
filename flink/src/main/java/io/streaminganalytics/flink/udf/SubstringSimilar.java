package io.streaminganalytics.flink.udf;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * KDA {@code SUBSTRING(s SIMILAR pattern ESCAPE e)}: the pattern is three SIMILAR TO patterns separated by
 * {@code e"}; the first place in s where they match in turn is searched for (the SQLREF example takes '456' out of
 * '123456789' with '23#"456#"78') and the text the middle one matched is returned, NULL if they match nowhere.
 * A malformed pattern (a row KDA sends to error_stream) gives NULL.
 */
public final class SubstringSimilar extends ScalarFunction {
  private transient PatternCache<Pattern> cache;

  public String eval(String s, String pattern, String escape) {
    if (s == null || pattern == null || escape == null) return null;
    if (cache == null) cache = new PatternCache<>();
    Pattern p = cache.get(escape + '\u0000' + pattern, k -> SimilarPatterns.substringSimilar(pattern, escape));
    if (p == null) return null;
    Matcher m = p.matcher(s);
    return m.find() ? m.group(1) : null;
  }
}
