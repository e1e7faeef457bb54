package io.streaminganalytics.flink.udf;

import java.util.regex.Pattern;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How a mapped JSON value becomes a column value, as KDA's input schema coerces it (DG "Mapping JSON Data Types to
 * SQL Data Types", our input decoder's table in src/input/README.md). The value comes to the SA_JSON_* functions as
 * a one-element JSON array, the text {@code JSON_QUERY(doc, path WITH UNCONDITIONAL ARRAY WRAPPER)} gives, so the
 * function sees the value's JSON kind (a string "42" and a number 42 coerce differently); no element (a missing
 * member) or JSON null is NULL. A value that does not fit its column gives NULL (KDA sends that record to
 * error_stream instead).
 */
final class JsonInput {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern NUMERIC_TEXT = Pattern.compile("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?");

  private JsonInput() {}

  /** The wrapped value, or null for no value / JSON null / text that is not JSON. */
  static JsonNode value(String wrapped) {
    if (wrapped == null) return null;
    JsonNode node;
    try {
      node = MAPPER.readTree(wrapped);
    } catch (Exception e) {
      return null;
    }
    if (node == null || !node.isArray() || node.size() == 0) return null;
    JsonNode v = node.get(0);
    return v == null || v.isNull() ? null : v;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  static String trim(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && isSpace(s.charAt(a))) a++;
    while (b > a && isSpace(s.charAt(b - 1))) b--;
    return s.substring(a, b);
  }

  /** A number from a JSON number, a boolean (1/0) or numeric text; null when the value is none of these. */
  static Double number(JsonNode v) {
    if (v.isBoolean()) return v.booleanValue() ? 1.0 : 0.0;
    if (v.isNumber()) return v.doubleValue();
    if (v.isTextual()) {
      String t = trim(v.textValue());
      return NUMERIC_TEXT.matcher(t).matches() ? Double.parseDouble(t) : null;
    }
    return null;
  }

  /** BOOLEAN: a JSON boolean itself, a number 0 false and others true, text 'true' in any ASCII case true and other text false. */
  static Boolean bool(JsonNode v) {
    if (v.isBoolean()) return v.booleanValue();
    if (v.isNumber()) return v.doubleValue() != 0;
    if (v.isTextual()) {
      String t = v.textValue();
      if (t.length() != 4) return false;
      String lower = "true";
      for (int i = 0; i < 4; i++) if ((t.charAt(i) | 0x20) != lower.charAt(i)) return false;
      return true;
    }
    return null;
  }
}
