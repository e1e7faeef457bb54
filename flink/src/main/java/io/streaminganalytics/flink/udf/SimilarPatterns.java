package io.streaminganalytics.flink.udf;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL SIMILAR TO patterns as java.util.regex patterns, translated as our engine translates them (its
 * sql-patterns.ts): {@code _} any character, {@code %} any run, {@code | * + ? {m,n} ( ) [...]} as in a regex
 * (every group non-capturing), {@code [:ALPHA:]}-style classes inside brackets, everything else literal
 * ({@code . ^ $ \} included). Throws IllegalArgumentException where the engine raises a row error.
 */
final class SimilarPatterns {
  private SimilarPatterns() {}

  private static final Map<String, String> CLASSES = Map.of(
      "ALPHA", "a-zA-Z",
      "UPPER", "A-Z",
      "LOWER", "a-z",
      "DIGIT", "0-9",
      "ALNUM", "a-zA-Z0-9",
      "SPACE", " ",
      // \x0B: in a Java class \v is every vertical whitespace, in the engine's JavaScript only the vertical tab.
      "WHITESPACE", " \\t\\n\\r\\f\\x0B");

  private static final Pattern REPEAT = Pattern.compile("^\\{(\\d+)(,(\\d*))?\\}");

  static String literal(char ch) {
    return "\\^$.*+?()[]{}|/-".indexOf(ch) >= 0 ? "\\" + ch : String.valueOf(ch);
  }

  static void checkEscape(String escape) {
    if (escape != null && escape.length() != 1) throw new IllegalArgumentException("ESCAPE must be exactly one character");
  }

  /** The regex body of a SIMILAR TO pattern (no anchors). */
  static String body(String pattern, String escape) {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    // A '+' right after a quantifier is a syntax error in the engine's regex dialect, a possessive quantifier in Java's.
    boolean afterQuantifier = false;
    for (int i = 0; i < pattern.length(); i++) {
      char ch = pattern.charAt(i);
      boolean quantifier = false;
      if (escape != null && ch == escape.charAt(0)) {
        if (i + 1 >= pattern.length()) throw new IllegalArgumentException("pattern ends with its escape character");
        out.append(literal(pattern.charAt(i + 1)));
        i++;
      } else {
        switch (ch) {
          case '_':
            out.append('.');
            break;
          case '%':
            out.append(".*");
            break;
          case '|':
            out.append(ch);
            break;
          case '*':
          case '+':
          case '?':
            if (ch == '+' && afterQuantifier) throw new IllegalArgumentException("nothing to repeat");
            out.append(ch);
            quantifier = ch != '?' || !afterQuantifier;
            break;
          case '(':
            depth++;
            out.append("(?:");
            break;
          case ')':
            if (--depth < 0) throw new IllegalArgumentException("unbalanced ')'");
            out.append(')');
            break;
          case '{': {
            Matcher m = REPEAT.matcher(pattern.substring(i));
            if (!m.find()) throw new IllegalArgumentException("bad repetition");
            if (afterQuantifier) throw new IllegalArgumentException("nothing to repeat");
            out.append(m.group());
            i += m.group().length() - 1;
            quantifier = true;
            break;
          }
          case '[': {
            int end = classEnd(pattern, i);
            out.append(charClass(pattern.substring(i + 1, end)));
            i = end;
            break;
          }
          default:
            out.append(literal(ch));
        }
      }
      afterQuantifier = quantifier;
    }
    if (depth != 0) throw new IllegalArgumentException("unbalanced '('");
    return out.toString();
  }

  private static int classEnd(String pattern, int open) {
    int i = open + 1;
    if (i < pattern.length() && pattern.charAt(i) == '^') i++;
    if (i < pattern.length() && pattern.charAt(i) == ']') i++;
    while (i < pattern.length()) {
      if (pattern.startsWith("[:", i)) {
        int close = pattern.indexOf(":]", i + 2);
        if (close > 0) {
          i = close + 2;
          continue;
        }
      }
      if (pattern.charAt(i) == ']') return i;
      i++;
    }
    throw new IllegalArgumentException("unclosed '['");
  }

  private static String charClass(String body) {
    StringBuilder out = new StringBuilder("[");
    int i = 0;
    if (!body.isEmpty() && body.charAt(0) == '^') {
      out.append('^');
      i = 1;
    }
    for (; i < body.length(); i++) {
      if (body.startsWith("[:", i)) {
        int close = body.indexOf(":]", i + 2);
        String cls = CLASSES.get(body.substring(i + 2, close).toUpperCase(Locale.ROOT));
        if (cls == null) throw new IllegalArgumentException("unknown class");
        out.append(cls);
        i = close + 1;
        continue;
      }
      char ch = body.charAt(i);
      if (ch == '-' && i > 0 && i < body.length() - 1) out.append('-');
      // '&' too: '&&' is an intersection inside a Java class, two characters in the engine's.
      else if ("\\]^[-&".indexOf(ch) >= 0) out.append('\\').append(ch);
      else out.append(ch);
    }
    return out.append(']').toString();
  }

  /** The whole-string pattern of {@code s SIMILAR TO pattern [ESCAPE e]}. */
  static Pattern similarTo(String pattern, String escape) {
    checkEscape(escape);
    return Pattern.compile(body(pattern, escape), Pattern.DOTALL);
  }

  /**
   * The pattern of {@code SUBSTRING(s SIMILAR pattern ESCAPE e)}: three SIMILAR TO patterns separated by
   * {@code e"}, the middle one as group 1.
   */
  static Pattern substringSimilar(String pattern, String escape) {
    checkEscape(escape);
    String separator = escape + '"';
    int first = pattern.indexOf(separator);
    int second = first < 0 ? -1 : pattern.indexOf(separator, first + separator.length());
    if (second < 0 || pattern.indexOf(separator, second + separator.length()) >= 0) {
      throw new IllegalArgumentException("the pattern must contain exactly two " + separator + " separators");
    }
    String before = pattern.substring(0, first);
    String middle = pattern.substring(first + separator.length(), second);
    String after = pattern.substring(second + separator.length());
    return Pattern.compile("(?:" + body(before, escape) + ")(" + body(middle, escape) + ")(?:" + body(after, escape) + ")", Pattern.DOTALL);
  }
}
