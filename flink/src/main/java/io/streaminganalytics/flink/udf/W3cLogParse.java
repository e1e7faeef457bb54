package io.streaminganalytics.flink.udf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.types.Row;

/**
 * KDA {@code W3C_LOG_PARSE(input, format)}: a predefined format (COMMON, COMMON WITH VHOST, NCSA EXTENDED, REFERER,
 * AGENT, IIS; case and spacing ignored) or an Apache LogFormat string; one VARCHAR(1024) field per specifier. %t keeps
 * its brackets; a specifier between double quotes is read to the closing quote (backslash escapes allowed) without the
 * quotes; other specifiers are one token without blanks, a last unquoted one takes the rest of the line; runs of
 * spaces in the format match runs of spaces. A line that does not fit gives a NULL ROW. Called as
 * {@code SA_W3C_LOG_PARSE(input, format, rowType)}.
 *
 * <p>Blanks are the characters JavaScript's {@code \s} matches (our engine's reading of the format), not Java's
 * narrower set.
 */
public final class W3cLogParse extends RowTypedFunction {
  private static final String SPACE = "[\\t\\n\\x0B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF]";
  private static final String NON_SPACE = "[^\\t\\n\\x0B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF]";
  private static final Map<String, String> PREDEFINED = Map.of(
      "COMMON", "%h %l %u %t \"%r\" %>s %b",
      "COMMON WITH VHOST", "%v %h %l %u %t \"%r\" %>s %b",
      "NCSA EXTENDED", "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-agent}i\"",
      "REFERER", "%{Referer}i -> %U",
      "AGENT", "%{User-agent}i");
  private static final int IIS_FIELDS = 15;
  private static final Pattern SPECIFIER = Pattern.compile("%([!<>0-9,]*)(?:\\{([^}]*)\\}|\\[([^\\]]*)\\])?([a-zA-Z%])");

  private record Compiled(Pattern pattern, int count) {}

  private final Map<String, Compiled> formats = new ConcurrentHashMap<>();

  public Row eval(String input, String format, String rowType) {
    if (input == null || format == null) return null;
    Compiled c = formats.computeIfAbsent(format, W3cLogParse::compile);
    Matcher m = c.pattern.matcher(input);
    if (!m.find()) return null;
    Row row = new Row(c.count);
    for (int i = 1; i <= c.count; i++) row.setField(i - 1, cut(m.group(i)));
    return row;
  }

  static Compiled compile(String format) {
    String name = format.replaceAll("^" + SPACE + "+|" + SPACE + "+$", "").replaceAll(SPACE + "+", " ").toUpperCase(Locale.ROOT);
    if (name.equals("IIS")) {
      StringBuilder s = new StringBuilder("^" + SPACE + "*");
      for (int i = 0; i < IIS_FIELDS; i++) s.append(i == 0 ? "" : "," + SPACE + "*").append("([^,]*?)");
      s.append(SPACE).append("*,?").append(SPACE).append("*\\z");
      return new Compiled(Pattern.compile(s.toString(), Pattern.DOTALL), IIS_FIELDS);
    }
    return apache(PREDEFINED.getOrDefault(name, format));
  }

  private static Compiled apache(String format) {
    // Tokens: a literal text (String) or a specifier letter (Character).
    List<Object> tokens = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    Matcher m = SPECIFIER.matcher(format);
    while (i < format.length()) {
      if (format.charAt(i) != '%') {
        literal.append(format.charAt(i++));
        continue;
      }
      if (!m.find(i) || m.start() != i) throw new IllegalArgumentException("W3C_LOG_PARSE: bad format specifier at index " + i + " of '" + format + "'");
      i = m.end();
      if (m.group(4).equals("%")) {
        literal.append('%');
        continue;
      }
      if (literal.length() > 0) tokens.add(literal.toString());
      literal.setLength(0);
      tokens.add(m.group(4).charAt(0));
    }
    if (literal.length() > 0) tokens.add(literal.toString());
    int specs = 0;
    StringBuilder source = new StringBuilder("^" + SPACE + "*");
    for (int k = 0; k < tokens.size(); k++) {
      Object t = tokens.get(k);
      if (t instanceof String text) {
        source.append(quoteLiteral(text));
        continue;
      }
      specs++;
      Object prev = k > 0 ? tokens.get(k - 1) : null;
      Object next = k + 1 < tokens.size() ? tokens.get(k + 1) : null;
      boolean quoted = prev instanceof String p && p.endsWith("\"") && next instanceof String n && n.startsWith("\"");
      if (quoted) source.append("((?:[^\"\\\\]|\\\\.)*)");
      else if ((Character) t == 't') source.append("(\\[[^\\]]*\\])");
      else if (next == null) source.append("(.*?)");
      else source.append("(").append(NON_SPACE).append("*)");
    }
    if (specs == 0) throw new IllegalArgumentException("W3C_LOG_PARSE: '" + format + "' is neither a predefined format nor a format with % specifiers");
    source.append(SPACE).append("*\\z");
    return new Compiled(Pattern.compile(source.toString(), Pattern.DOTALL), specs);
  }

  /** A literal part of the format: its characters as themselves, a run of spaces as one or more spaces. */
  private static String quoteLiteral(String text) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == ' ') {
        while (i < text.length() && text.charAt(i) == ' ') i++;
        out.append(" +");
        continue;
      }
      out.append(Pattern.quote(String.valueOf(c)));
      i++;
    }
    return out.toString();
  }
}
