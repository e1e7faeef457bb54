package io.streaminganalytics.flink.udf;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.types.Row;

/**
 * KDA {@code REGEX_LOG_PARSE(input, 'java regex')}: one VARCHAR(1024) field per capturing group, from the first match
 * of the pattern in the input (Matcher.find()); no match or a NULL input gives a NULL ROW, a group that did not take
 * part gives NULL. Called as {@code SA_REGEX_LOG_PARSE(input, pattern, rowType)}.
 */
public final class RegexLogParse extends RowTypedFunction {
  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

  public Row eval(String input, String pattern, String rowType) {
    if (input == null || pattern == null) return null;
    Matcher m = patterns.computeIfAbsent(pattern, Pattern::compile).matcher(input);
    if (!m.find()) return null;
    Row row = new Row(m.groupCount());
    for (int i = 1; i <= m.groupCount(); i++) row.setField(i - 1, cut(m.group(i)));
    return row;
  }
}
