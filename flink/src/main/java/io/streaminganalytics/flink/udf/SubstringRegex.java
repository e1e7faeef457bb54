package io.streaminganalytics.flink.udf;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * KDA {@code SUBSTRING(s FROM regex)}: the first match of the Java regular expression in s, NULL when there is
 * none. A pattern Java rejects (a row KDA sends to error_stream) gives NULL.
 */
public final class SubstringRegex extends ScalarFunction {
  private transient PatternCache<Pattern> cache;

  public String eval(String s, String regex) {
    if (s == null || regex == null) return null;
    if (cache == null) cache = new PatternCache<>();
    Pattern p = cache.get(regex, Pattern::compile);
    if (p == null) return null;
    Matcher m = p.matcher(s);
    return m.find() ? m.group() : null;
  }
}
