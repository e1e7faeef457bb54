package io.streaminganalytics.flink.json;

import io.streaminganalytics.flink.reference.JsonNumber;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * JSON text as JavaScript writes it (JSON.stringify of JSON.parse), so an object or array mapped to a character
 * column has the text our engine gives it: compact, numbers in JavaScript's shortest form, the same escapes.
 */
public final class JsonText {
  private static final int MAX_SHOWN = 80;

  private JsonText() {}

  /** A value of the reference decoder's tree (Map, List, String, Boolean, JsonNumber, null). */
  public static String of(Object v) {
    StringBuilder sb = new StringBuilder();
    write(sb, v);
    return sb.toString();
  }

  /** A value in a message: quoted, escaped and cut to a readable length. */
  public static String show(String text) {
    StringBuilder sb = new StringBuilder();
    string(sb, text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "..." : text);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof JsonNumber) {
      double d = ((JsonNumber) v).value();
      sb.append(Double.isFinite(d) ? number(d) : "null");
    } else if (v instanceof String) {
      string(sb, (String) v);
    } else if (v instanceof Map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!first) sb.append(',');
        first = false;
        string(sb, (String) e.getKey());
        sb.append(':');
        write(sb, e.getValue());
      }
      sb.append('}');
    } else {
      sb.append('[');
      boolean first = true;
      for (Object e : (List<?>) v) {
        if (!first) sb.append(',');
        first = false;
        write(sb, e);
      }
      sb.append(']');
    }
  }

  /** A Jackson tree (numbers as JavaScript reads their text). */
  public static String of(JsonNode v) {
    StringBuilder sb = new StringBuilder();
    write(sb, v);
    return sb.toString();
  }

  private static void write(StringBuilder sb, JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      sb.append("null");
    } else if (v.isBoolean()) {
      sb.append(v.booleanValue());
    } else if (v.isNumber()) {
      double d = Double.parseDouble(v.numberValue().toString());
      sb.append(Double.isFinite(d) ? number(d) : "null");
    } else if (v.isTextual()) {
      string(sb, v.textValue());
    } else if (v.isObject()) {
      sb.append('{');
      boolean first = true;
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!first) sb.append(',');
        first = false;
        string(sb, e.getKey());
        sb.append(':');
        write(sb, e.getValue());
      }
      sb.append('}');
    } else {
      sb.append('[');
      boolean first = true;
      for (JsonNode e : v) {
        if (!first) sb.append(',');
        first = false;
        write(sb, e);
      }
      sb.append(']');
    }
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\b': sb.append("\\b"); break;
        case '\f': sb.append("\\f"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        default:
          boolean lone = Character.isSurrogate(c)
              && !(Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
              && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
          if (c < 0x20 || lone) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
      }
    }
    sb.append('"');
  }

  /** A finite double as JavaScript's Number#toString writes it. */
  public static String number(double d) {
    if (d == 0) return "0";
    BigDecimal b = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = b.unscaledValue().toString();
    int k = digits.length();
    int n = k - b.scale();
    StringBuilder sb = new StringBuilder(d < 0 ? "-" : "");
    if (k <= n && n <= 21) {
      sb.append(digits).append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      sb.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      sb.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      sb.append(digits.charAt(0));
      if (k > 1) sb.append('.').append(digits, 1, k);
      sb.append('e').append(n - 1 >= 0 ? "+" : "-").append(Math.abs(n - 1));
    }
    return sb.toString();
  }
}
