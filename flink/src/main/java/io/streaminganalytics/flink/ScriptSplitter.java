package io.streaminganalytics.flink;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Flink SQL script into statements at semicolons that are outside string literals, quoted identifiers and
 * comments. An {@code EXECUTE STATEMENT SET BEGIN ... END;} block is kept as one statement, because its inner
 * INSERTs end with semicolons too.
 */
public final class ScriptSplitter {
  private ScriptSplitter() {}

  public static List<String> split(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int n = script.length();
    boolean inBlock = false;
    for (int i = 0; i < n; i++) {
      char c = script.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        int j = i + 1;
        while (j < n) {
          if (script.charAt(j) == c) {
            if (j + 1 < n && script.charAt(j + 1) == c) { j += 2; continue; }
            break;
          }
          j++;
        }
        cur.append(script, i, Math.min(j + 1, n));
        i = j;
        continue;
      }
      if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
        int j = script.indexOf('\n', i);
        i = j < 0 ? n : j;
        cur.append('\n');
        continue;
      }
      if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
        int j = script.indexOf("*/", i + 2);
        i = j < 0 ? n : j + 1;
        cur.append(' ');
        continue;
      }
      if (c == ';') {
        String stmt = cur.toString().trim();
        if (!inBlock && startsWithWords(stmt, "EXECUTE", "STATEMENT", "SET")) inBlock = true;
        if (inBlock) {
          if (endsWithWord(stmt, "END")) {
            inBlock = false;
          } else {
            cur.append(';');
            continue;
          }
        }
        if (!stmt.isEmpty()) out.add(stmt);
        cur.setLength(0);
        continue;
      }
      cur.append(c);
    }
    String last = cur.toString().trim();
    if (!last.isEmpty()) out.add(last);
    return out;
  }

  static boolean startsWithWords(String s, String... words) {
    String[] parts = s.trim().split("\\s+", words.length + 1);
    if (parts.length < words.length) return false;
    for (int i = 0; i < words.length; i++) if (!parts[i].equalsIgnoreCase(words[i])) return false;
    return true;
  }

  static boolean endsWithWord(String s, String word) {
    String t = s.trim();
    if (t.length() < word.length()) return false;
    String tail = t.substring(t.length() - word.length());
    if (!tail.equalsIgnoreCase(word)) return false;
    return t.length() == word.length() || Character.isWhitespace(t.charAt(t.length() - word.length() - 1));
  }

  /** The INSERT statements inside an {@code EXECUTE STATEMENT SET BEGIN ... END} block. */
  public static List<String> statementSetInserts(String block) {
    String t = block.trim();
    int begin = indexOfWord(t, "BEGIN");
    String body = t.substring(begin + "BEGIN".length(), t.length() - "END".length());
    return split(body);
  }

  private static int indexOfWord(String s, String word) {
    String upper = s.toUpperCase(java.util.Locale.ROOT);
    int i = upper.indexOf(word);
    if (i < 0) throw new IllegalArgumentException("statement set without " + word);
    return i;
  }
}
