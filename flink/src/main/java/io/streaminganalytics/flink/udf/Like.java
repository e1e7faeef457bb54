package io.streaminganalytics.flink.udf;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * KDA {@code s LIKE pattern [ESCAPE e]}, matched as our engine does: {@code _} is one UTF-16 code unit, {@code %} any
 * run of them, everything else itself (case-sensitive); after the escape character only {@code _}, {@code %} or
 * the escape character may follow. A NULL operand gives NULL. An escape that is not one character, or a pattern
 * with a bad escape sequence, makes KDA send the row to error_stream; here it gives NULL.
 */
public final class Like extends ScalarFunction {
  /** A compiled pattern: per position, a literal character, or ONE ({@code _}) / ANY ({@code %}). */
  private static final char ONE = 0;
  private static final char ANY = 1;
  private static final char LITERAL = 2;

  private static final class Compiled {
    final char[] kinds;
    final char[] chars;

    Compiled(char[] kinds, char[] chars) {
      this.kinds = kinds;
      this.chars = chars;
    }
  }

  private static final Compiled INVALID = new Compiled(new char[0], new char[0]);
  private transient Map<String, Compiled> cache;

  public Boolean eval(String s, String pattern) {
    if (s == null || pattern == null) return null;
    return match(s, compiled(pattern, null));
  }

  public Boolean eval(String s, String pattern, String escape) {
    if (s == null || pattern == null || escape == null) return null;
    return match(s, compiled(pattern, escape));
  }

  private Compiled compiled(String pattern, String escape) {
    if (cache == null) cache = new HashMap<>();
    String key = (escape == null ? "" : escape) + '\u0000' + pattern;
    Compiled c = cache.get(key);
    if (c == null) {
      c = compile(pattern, escape);
      if (cache.size() > 512) cache.clear();
      cache.put(key, c);
    }
    return c;
  }

  static Compiled compile(String pattern, String escape) {
    if (escape != null && escape.length() != 1) return INVALID;
    char[] kinds = new char[pattern.length()];
    char[] chars = new char[pattern.length()];
    int n = 0;
    for (int i = 0; i < pattern.length(); i++) {
      char ch = pattern.charAt(i);
      if (escape != null && ch == escape.charAt(0)) {
        if (i + 1 >= pattern.length()) return INVALID;
        char next = pattern.charAt(i + 1);
        if (next != '_' && next != '%' && next != ch) return INVALID;
        kinds[n] = LITERAL;
        chars[n++] = next;
        i++;
      } else if (ch == '_') {
        kinds[n++] = ONE;
      } else if (ch == '%') {
        kinds[n++] = ANY;
      } else {
        kinds[n] = LITERAL;
        chars[n++] = ch;
      }
    }
    return new Compiled(java.util.Arrays.copyOf(kinds, n), java.util.Arrays.copyOf(chars, n));
  }

  /** Wildcard matching with one backtrack point (the last {@code %}), which is exact for {@code _} and {@code %}. */
  static Boolean match(String s, Compiled p) {
    if (p == INVALID) return null;
    int si = 0;
    int pi = 0;
    int star = -1;
    int mark = 0;
    int m = p.kinds.length;
    while (si < s.length()) {
      if (pi < m && (p.kinds[pi] == ONE || (p.kinds[pi] == LITERAL && p.chars[pi] == s.charAt(si)))) {
        si++;
        pi++;
      } else if (pi < m && p.kinds[pi] == ANY) {
        star = pi++;
        mark = si;
      } else if (star >= 0) {
        pi = star + 1;
        si = ++mark;
      } else {
        return false;
      }
    }
    while (pi < m && p.kinds[pi] == ANY) pi++;
    return pi == m;
  }
}
