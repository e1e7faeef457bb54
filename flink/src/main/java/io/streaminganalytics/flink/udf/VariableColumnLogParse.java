package io.streaminganalytics.flink.udf;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.types.Row;

/**
 * KDA {@code VARIABLE_COLUMN_LOG_PARSE(input, n, delimiter [, escape, quote])} with a column count: COLUMN1..n
 * VARCHAR(1024). The input is split on the delimiter string; the escape string makes the next character literal; the
 * quote string is one character (begin = end) or two (begin, end) and a quoted part keeps delimiters, its quotes
 * removed. Missing fields are NULL, fields beyond the n-th are ignored. Called as
 * {@code SA_VARIABLE_COLUMN_LOG_PARSE(input, n, delimiter, escape, quote, rowType)} (escape, quote: '' for none).
 */
public final class VariableColumnLogParse extends RowTypedFunction {
  public Row eval(String input, Integer count, String delimiter, String escape, String quote, String rowType) {
    if (input == null || count == null || delimiter == null || delimiter.isEmpty()) return null;
    String esc = escape == null || escape.isEmpty() ? null : escape;
    Character open = quote == null || quote.isEmpty() ? null : quote.charAt(0);
    Character close = quote == null || quote.isEmpty() ? null : quote.length() > 1 ? quote.charAt(1) : quote.charAt(0);
    List<String> parts = split(input, delimiter, esc, open, close, count);
    Row row = new Row(count);
    for (int i = 0; i < count; i++) row.setField(i, i < parts.size() ? cut(parts.get(i)) : null);
    return row;
  }

  static List<String> split(String input, String delimiter, String escape, Character open, Character close, int limit) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inQuote = false;
    int i = 0;
    while (i < input.length()) {
      if (escape != null && input.startsWith(escape, i) && i + escape.length() < input.length()) {
        current.append(input.charAt(i + escape.length()));
        i += escape.length() + 1;
        continue;
      }
      char c = input.charAt(i);
      if (inQuote) {
        if (close != null && c == close) inQuote = false;
        else current.append(c);
        i++;
        continue;
      }
      if (open != null && c == open) {
        inQuote = true;
        i++;
        continue;
      }
      if (input.startsWith(delimiter, i)) {
        out.add(current.toString());
        if (out.size() >= limit) return out;
        current.setLength(0);
        i += delimiter.length();
        continue;
      }
      current.append(c);
      i++;
    }
    out.add(current.toString());
    return out;
  }
}
