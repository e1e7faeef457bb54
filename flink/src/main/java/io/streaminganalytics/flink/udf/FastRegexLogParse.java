package io.streaminganalytics.flink.udf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.flink.types.Row;

/**
 * KDA {@code FAST_REGEX_LOG_PARSE(input, 'fast regex')}: one VARCHAR(1024) field per top-level group. Called as
 * {@code SA_FAST_REGEX_LOG_PARSE(input, pattern, rowType)}.
 *
 * <p>The pattern language is the dk.brics automaton syntax the SQLREF page documents ({@code |}, {@code ? * +
 * {n,m}}, classes, {@code .}, {@code #} empty language, {@code @} any string, {@code "text"}, {@code ()},
 * {@code <Name>} classes, {@code <n-m>} numbers, {@code \c}; no {@code &} or {@code ~}). Matching follows the page
 * as our engine reads it: the pattern is cut into a sequence of pieces (each top-level group, and each run of items
 * between groups) matched left to right without backtracking, and the whole input must be consumed, else the ROW is
 * NULL. A group ends at the first position where the next piece can start; the text between groups goes as far as it
 * can with the next piece still able to start after it; the last piece takes the rest of the input.
 */
public final class FastRegexLogParse extends RowTypedFunction {
  /** A node of the parsed pattern: its regex source (Java syntax), what it can start with, and its length. */
  private record Node(String kind, String source, String first, boolean nullable, Integer length, List<Node> items, Node inner, int min, int max) {
    static Node atom(String source, Integer length, String first, boolean nullable) {
      return new Node("atom", source, first, nullable, length, List.of(), null, 0, 0);
    }
  }

  private record Piece(boolean capture, Pattern exact, Pattern first, boolean nullable, Integer fixedLength) {}

  private static final Map<String, String> NAMED = Map.ofEntries(
      Map.entry("Digit", "[0-9]"), Map.entry("Alpha", "[a-zA-Z]"), Map.entry("Alnum", "[a-zA-Z0-9]"),
      Map.entry("Upper", "[A-Z]"), Map.entry("Lower", "[a-z]"), Map.entry("Punct", "[!-\\/:-@\\[-`{-~]"),
      Map.entry("Space", "[ \\t\\n\\x0B\\f\\r]"), Map.entry("Blank", "[ \\t]"), Map.entry("Cntrl", "[\\x00-\\x1F\\x7F]"),
      Map.entry("Graph", "[!-~]"), Map.entry("Print", "[ -~]"), Map.entry("XDigit", "[0-9a-fA-F]"),
      Map.entry("ASCII", "[\\x00-\\x7F]"));
  private static final int INF = Integer.MAX_VALUE;

  private final Map<String, List<Piece>> compiled = new ConcurrentHashMap<>();

  public Row eval(String input, String pattern, String rowType) {
    if (input == null || pattern == null) return null;
    List<Piece> pieces = compiled.computeIfAbsent(pattern, FastRegexLogParse::compile);
    List<String> captured = match(pieces, input);
    if (captured == null) return null;
    Row row = new Row(captured.size());
    for (int i = 0; i < captured.size(); i++) row.setField(i, cut(captured.get(i)));
    return row;
  }

  // ------------------------------------------------------------------ matching

  private static List<String> match(List<Piece> pieces, String input) {
    List<String> out = new ArrayList<>();
    int len = input.length();
    int pos = 0;
    for (int k = 0; k < pieces.size(); k++) {
      Piece piece = pieces.get(k);
      int end = -1;
      if (k == pieces.size() - 1) {
        if (exactAt(piece, input, pos, len)) end = len;
      } else if (piece.fixedLength != null) {
        int e = pos + piece.fixedLength;
        if (e <= len && exactAt(piece, input, pos, e) && canStart(pieces, k + 1, input, e)) end = e;
      } else if (piece.capture) {
        for (int e = pos; e <= len; e++) {
          if (exactAt(piece, input, pos, e) && canStart(pieces, k + 1, input, e)) {
            end = e;
            break;
          }
        }
      } else {
        for (int e = len; e >= pos; e--) {
          if (exactAt(piece, input, pos, e) && canStart(pieces, k + 1, input, e)) {
            end = e;
            break;
          }
        }
      }
      if (end < 0) return null;
      if (piece.capture) out.add(input.substring(pos, end));
      pos = end;
    }
    return pos == len ? out : null;
  }

  private static boolean exactAt(Piece p, String input, int from, int to) {
    return p.exact.matcher(input.substring(from, to)).matches();
  }

  private static boolean canStart(List<Piece> pieces, int k, String input, int at) {
    int len = input.length();
    if (k == pieces.size()) return at == len;
    if (k == pieces.size() - 1) return exactAt(pieces.get(k), input, at, len);
    Piece p = pieces.get(k);
    if (at < len && p.first != null && p.first.matcher(String.valueOf(input.charAt(at))).matches()) return true;
    return p.nullable && canStart(pieces, k + 1, input, at);
  }

  // ------------------------------------------------------------------ compiling

  static List<Piece> compile(String pattern) {
    Parser parser = new Parser(pattern);
    Node root = parser.union();
    if (parser.i < pattern.length()) throw parser.fail("unexpected '" + pattern.charAt(parser.i) + "'");
    List<Node> items = root.kind.equals("concat") ? root.items : List.of(root);
    List<Piece> pieces = new ArrayList<>();
    List<Node> pending = new ArrayList<>();
    for (Node item : items) {
      if (item.kind.equals("group")) {
        if (!pending.isEmpty()) pieces.add(piece(pending, false));
        pending = new ArrayList<>();
        pieces.add(piece(List.of(item.inner), true));
      } else {
        pending.add(item);
      }
    }
    if (!pending.isEmpty()) pieces.add(piece(pending, false));
    if (pieces.stream().noneMatch(Piece::capture)) throw new IllegalArgumentException("FAST_REGEX_LOG_PARSE: the pattern '" + pattern + "' has no top-level group");
    return pieces;
  }

  private static Piece piece(List<Node> nodes, boolean capture) {
    Node node = nodes.size() == 1 ? nodes.get(0) : new Node("concat", null, null, false, null, List.copyOf(nodes), null, 0, 0);
    String first = firstChars(node);
    return new Piece(capture, Pattern.compile(source(node), Pattern.DOTALL), first == null ? null : Pattern.compile(first, Pattern.DOTALL), nullable(node), fixedLength(node));
  }

  private static String source(Node n) {
    switch (n.kind) {
      case "atom": return n.source;
      case "group": return "(?:" + source(n.inner) + ")";
      case "concat": {
        StringBuilder s = new StringBuilder();
        for (Node x : n.items) s.append(source(x));
        return s.toString();
      }
      case "union": {
        List<String> parts = new ArrayList<>();
        for (Node x : n.items) parts.add(source(x));
        return "(?:" + String.join("|", parts) + ")";
      }
      default: {
        String inner = "(?:" + source(n.inner) + ")";
        if (n.min == 0 && n.max == INF) return inner + "*";
        if (n.min == 1 && n.max == INF) return inner + "+";
        if (n.min == 0 && n.max == 1) return inner + "?";
        return inner + "{" + n.min + "," + (n.max == INF ? "" : String.valueOf(n.max)) + "}";
      }
    }
  }

  private static boolean nullable(Node n) {
    switch (n.kind) {
      case "atom": return n.nullable;
      case "group": return nullable(n.inner);
      case "concat": return n.items.stream().allMatch(FastRegexLogParse::nullable);
      case "union": return n.items.stream().anyMatch(FastRegexLogParse::nullable);
      default: return n.min == 0 || nullable(n.inner);
    }
  }

  private static String join(List<String> parts) {
    List<String> present = parts.stream().filter(p -> p != null).toList();
    return present.isEmpty() ? null : present.size() == 1 ? present.get(0) : "(?:" + String.join("|", present) + ")";
  }

  private static String firstChars(Node n) {
    switch (n.kind) {
      case "atom": return n.first;
      case "group": return firstChars(n.inner);
      case "repeat": return n.max == 0 ? null : firstChars(n.inner);
      case "union": return join(n.items.stream().map(FastRegexLogParse::firstChars).toList());
      default: {
        List<String> parts = new ArrayList<>();
        for (Node item : n.items) {
          parts.add(firstChars(item));
          if (!nullable(item)) break;
        }
        return join(parts);
      }
    }
  }

  private static Integer fixedLength(Node n) {
    switch (n.kind) {
      case "atom": return n.length;
      case "group": return fixedLength(n.inner);
      case "concat": {
        int total = 0;
        for (Node item : n.items) {
          Integer k = fixedLength(item);
          if (k == null) return null;
          total += k;
        }
        return total;
      }
      case "union": {
        Integer first = fixedLength(n.items.get(0));
        for (Node item : n.items) {
          Integer k = fixedLength(item);
          if (k == null || !k.equals(first)) return null;
        }
        return first;
      }
      default: {
        Integer k = fixedLength(n.inner);
        return k != null && (n.min == n.max || k == 0) ? k * n.min : null;
      }
    }
  }

  /** A character as itself in a Java regex, outside or inside a class. */
  private static String literal(char c) {
    return Character.isLetterOrDigit(c) ? String.valueOf(c) : c < 0x80 ? "\\" + c : String.format("\\u%04X", (int) c);
  }

  private static final class Parser {
    final String p;
    int i;

    Parser(String pattern) {
      this.p = pattern;
    }

    IllegalArgumentException fail(String message) {
      return new IllegalArgumentException("FAST_REGEX_LOG_PARSE: " + message + " at index " + i + " of the fast regex '" + p + "'");
    }

    Character peek() {
      return i < p.length() ? p.charAt(i) : null;
    }

    Node union() {
      List<Node> items = new ArrayList<>();
      items.add(concat());
      while (peek() != null && peek() == '|') {
        i++;
        items.add(concat());
      }
      return items.size() == 1 ? items.get(0) : new Node("union", null, null, false, null, items, null, 0, 0);
    }

    Node concat() {
      List<Node> items = new ArrayList<>();
      while (true) {
        Character c = peek();
        if (c == null || c == '|' || c == ')') break;
        if (c == '&') throw fail("intersection (&) is not supported");
        items.add(repeat());
      }
      return items.size() == 1 ? items.get(0) : new Node("concat", null, null, false, null, items, null, 0, 0);
    }

    Node repeat() {
      Node node = simple();
      while (true) {
        Character c = peek();
        if (c == null) break;
        if (c == '?') node = rep(node, 0, 1);
        else if (c == '*') node = rep(node, 0, INF);
        else if (c == '+') node = rep(node, 1, INF);
        else if (c == '{') {
          java.util.regex.Matcher m = Pattern.compile("^\\{(\\d+)(,(\\d*))?\\}").matcher(p.substring(i));
          if (!m.find()) throw fail("bad {n,m} repetition");
          int min = Integer.parseInt(m.group(1));
          int max = m.group(2) == null ? min : m.group(3).isEmpty() ? INF : Integer.parseInt(m.group(3));
          if (max < min) throw fail("{n,m} with m < n");
          node = rep(node, min, max);
          i += m.group(0).length();
          continue;
        } else break;
        i++;
      }
      return node;
    }

    static Node rep(Node node, int min, int max) {
      return new Node("repeat", null, null, false, null, List.of(), node, min, max);
    }

    char charExp() {
      if (i >= p.length()) throw fail("unexpected end of pattern");
      char c = p.charAt(i);
      if (c == '\\') {
        i++;
        if (i >= p.length()) throw fail("trailing backslash");
        c = p.charAt(i);
      }
      i++;
      return c;
    }

    Node simple() {
      int start = i;
      char c = p.charAt(i);
      switch (c) {
        case '~': throw fail("complement (~) is not supported");
        case '.':
          i++;
          return Node.atom("[\\s\\S]", 1, "[\\s\\S]", false);
        case '#':
          i++;
          return Node.atom("(?!)", 0, null, false);
        case '@':
          i++;
          return Node.atom("[\\s\\S]*", null, "[\\s\\S]", true);
        case '"': {
          int end = p.indexOf('"', i + 1);
          if (end < 0) throw fail("unclosed \"string\"");
          String text = p.substring(i + 1, end);
          i = end + 1;
          StringBuilder s = new StringBuilder();
          for (char x : text.toCharArray()) s.append(literal(x));
          return Node.atom(s.toString(), text.length(), text.isEmpty() ? null : literal(text.charAt(0)), text.isEmpty());
        }
        case '(': {
          i++;
          if (peek() != null && peek() == ')') {
            i++;
            return new Node("group", null, null, false, null, List.of(), Node.atom("", 0, null, true), 0, 0);
          }
          Node node = union();
          if (peek() == null || peek() != ')') {
            i = start;
            throw fail("unclosed (");
          }
          i++;
          return new Node("group", null, null, false, null, List.of(), node, 0, 0);
        }
        case '[': {
          i++;
          StringBuilder s = new StringBuilder("[");
          if (peek() != null && peek() == '^') {
            s.append('^');
            i++;
          }
          boolean empty = true;
          while (peek() == null || peek() != ']') {
            if (peek() == null) {
              i = start;
              throw fail("unclosed [");
            }
            char from = charExp();
            s.append(literal(from));
            if (peek() != null && peek() == '-' && i + 1 < p.length() && p.charAt(i + 1) != ']') {
              i++;
              char to = charExp();
              if (to < from) throw fail("bad range " + from + "-" + to);
              s.append('-').append(literal(to));
            }
            empty = false;
          }
          i++;
          if (empty) throw fail("empty character class");
          String cls = s.append(']').toString();
          return Node.atom(cls, 1, cls, false);
        }
        case '<': {
          int end = p.indexOf('>', i);
          if (end < 0) throw fail("unclosed <");
          String name = p.substring(i + 1, end);
          i = end + 1;
          java.util.regex.Matcher interval = Pattern.compile("^(\\d+)-(\\d+)$").matcher(name);
          if (interval.find()) return numeric(interval.group(1), interval.group(2));
          String cls = NAMED.get(name);
          if (cls == null) throw fail("unknown named pattern <" + name + ">");
          return Node.atom(cls, 1, cls, false);
        }
        case ')': case '|': case '?': case '*': case '+': case '{': case '}': case ']': case '>': case '&':
          throw fail("unexpected '" + c + "'");
        default: {
          char ch = charExp();
          return Node.atom(literal(ch), 1, literal(ch), false);
        }
      }
    }

    Node numeric(String lo, String hi) {
      long min = Long.parseLong(lo);
      long max = Long.parseLong(hi);
      if (max < min) throw fail("bad interval <" + lo + "-" + hi + ">");
      if (max - min > 100000) throw fail("interval <" + lo + "-" + hi + "> is too wide");
      boolean same = lo.length() == hi.length();
      List<String> values = new ArrayList<>();
      for (long n = max; n >= min; n--) values.add(same ? String.format("%0" + lo.length() + "d", n) : String.valueOf(n));
      return Node.atom((same ? "" : "0*") + "(?:" + String.join("|", values) + ")", same ? lo.length() : null, "[0-9]", false);
    }
  }
}
