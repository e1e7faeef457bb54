package io.streaminganalytics.flink.reference;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonFactory;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonParser;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonToken;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

/**
 * Decodes a reference data object into rows the way our input decoder (src/input) decodes a record payload with
 * the same schema. CSV: lines split on the row delimiter (empty lines give no row), fields on the column
 * delimiter, no quoting, columns by position (missing trailing fields NULL, extra ones ignored). JSON: documents
 * back to back; the row path leads to the rows (each document with {@code []}), the mappings to the values. A
 * row with a value that does not fit its column is not loaded (it is reported in {@code rejected}), as our
 * engine reports it on error_stream instead of loading it. Values are coerced by {@link ReferenceCoercer}.
 */
public final class ReferenceDecoder implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Marks a mapped path that leads nowhere (NULL), apart from a JSON null. */
  private static final Object MISSING = new Object();

  private final RowType rowType;
  private final boolean csv;
  private final String rowDelimiter;
  private final String columnDelimiter;
  private final List<Object> rowPath;
  private final List<List<Object>> mappings;
  private final ReferenceCoercer coercer;

  private ReferenceDecoder(RowType rowType, boolean csv, String rowDelimiter, String columnDelimiter, List<Object> rowPath, List<List<Object>> mappings) {
    this.rowType = rowType;
    this.csv = csv;
    this.rowDelimiter = rowDelimiter;
    this.columnDelimiter = columnDelimiter;
    this.rowPath = rowPath;
    this.mappings = mappings;
    this.coercer = new ReferenceCoercer(rowType);
  }

  /** Checks the options against the table's columns; an IllegalArgumentException says what is wrong. */
  public static ReferenceDecoder of(RowType rowType, String format, String rowDelimiter, String columnDelimiter, String rowPathJson, String mappingsJson) {
    if ("CSV".equals(format)) {
      if (rowDelimiter.isEmpty() || columnDelimiter.isEmpty() || rowDelimiter.equals(columnDelimiter)) {
        throw new IllegalArgumentException("sa-reference: the CSV row and column delimiters must be non-empty and differ");
      }
      return new ReferenceDecoder(rowType, true, rowDelimiter, columnDelimiter, List.of(), List.of());
    }
    if (!"JSON".equals(format)) throw new IllegalArgumentException("sa-reference: format must be CSV or JSON, not " + format);
    List<Object> rowPath = segments(parse(rowPathJson, "json.row-path"), "json.row-path", true);
    JsonNode m = parse(mappingsJson == null ? "null" : mappingsJson, "json.mappings");
    if (!m.isArray() || m.size() != rowType.getFieldCount()) {
      throw new IllegalArgumentException("sa-reference: json.mappings must be an array with one path per column (" + rowType.getFieldCount() + ")");
    }
    List<List<Object>> mappings = new ArrayList<>();
    for (JsonNode p : m) mappings.add(segments(p, "json.mappings", false));
    return new ReferenceDecoder(rowType, false, "\n", ",", rowPath, mappings);
  }

  private static JsonNode parse(String json, String option) {
    try {
      return MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException("sa-reference: " + option + " is not JSON: " + e.getMessage(), e);
    }
  }

  private static List<Object> segments(JsonNode path, String option, boolean allowAll) {
    if (!path.isArray()) throw new IllegalArgumentException("sa-reference: " + option + " holds a path that is not an array of segments");
    List<Object> out = new ArrayList<>();
    for (JsonNode s : path) {
      if (s.isTextual()) out.add(s.asText());
      else if (s.isInt() && s.asInt() >= 0) out.add(s.asInt());
      else if (s.isNull() && allowAll) out.add(null);
      else throw new IllegalArgumentException("sa-reference: " + option + ": a segment is a member name, an array index" + (allowAll ? " or null (every element)" : ""));
    }
    return out;
  }

  public RowType rowType() {
    return rowType;
  }

  /** The rows of the object; each row that is not loaded adds a line to {@code rejected}. */
  public List<RowData> decode(String text, List<String> rejected) {
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') text = text.substring(1);
    List<RowData> rows = new ArrayList<>();
    if (csv) decodeCsv(text, rows, rejected);
    else decodeJson(text, rows, rejected);
    return rows;
  }

  private void decodeCsv(String text, List<RowData> rows, List<String> rejected) {
    int width = rowType.getFieldCount();
    int pos = 0;
    while (pos < text.length()) {
      int end = text.indexOf(rowDelimiter, pos);
      if (end < 0) end = text.length();
      if (end > pos) {
        String line = text.substring(pos, end);
        GenericRowData row = new GenericRowData(width);
        int start = 0;
        try {
          for (int i = 0; i < width; i++) {
            if (start < 0) {
              row.setField(i, null);
              continue;
            }
            int cut = line.indexOf(columnDelimiter, start);
            String field = cut < 0 ? line.substring(start) : line.substring(start, cut);
            start = cut < 0 ? -1 : cut + columnDelimiter.length();
            row.setField(i, field.isEmpty() && !coercer.isCharacter(i) ? null : coercer.fromText(i, field, "CSV field"));
          }
          rows.add(row);
        } catch (ReferenceCoercer.CoercionException e) {
          rejected.add(e.getMessage() + " (line " + line + ")");
        }
      }
      pos = end + rowDelimiter.length();
    }
  }

  private void decodeJson(String text, List<RowData> rows, List<String> rejected) {
    JsonFactory factory = MAPPER.getFactory();
    int from = 0;
    while (from < text.length()) {
      int resume = -1;
      long docStart = 0;
      JsonParser p = null;
      try {
        p = factory.createParser(text.substring(from));
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
          docStart = p.currentTokenLocation().getCharOffset();
          Object doc = value(p, t);
          if (!(doc instanceof Map) && !(doc instanceof List)) {
            rejected.add("a document is a JSON scalar, not an object or array");
            continue;
          }
          List<Object> found = new ArrayList<>();
          navigate(doc, 0, found, rejected);
          for (Object r : found) {
            try {
              rows.add(row(r));
            } catch (ReferenceCoercer.CoercionException e) {
              rejected.add(e.getMessage());
            }
          }
        }
      } catch (Exception e) {
        // Broken JSON: the document is reported; decoding goes on at a line that starts a document: the line of
        // the fault when a new document starts there (the one before was cut short), else the next such line.
        rejected.add("invalid JSON: " + e.getMessage());
        long at = p == null ? 0 : p.currentLocation().getCharOffset();
        resume = resumeAt(text, from + (int) docStart, from + (int) Math.max(at - 1, docStart));
      } finally {
        if (p != null) {
          try {
            p.close();
          } catch (java.io.IOException ignored) {
            // Closing a parser over a string releases no resource.
          }
        }
      }
      if (resume <= from) break;
      from = resume;
    }
  }

  /** Where decoding resumes after a fault at {@code fault} in a document starting at {@code docStart}; -1 when nowhere. */
  private static int resumeAt(String text, int docStart, int fault) {
    int lineStart = text.lastIndexOf('\n', Math.min(fault, text.length() - 1)) + 1;
    if (lineStart > docStart && startsDocument(text, lineStart) >= 0) return startsDocument(text, lineStart);
    int nl = text.indexOf('\n', Math.max(fault, docStart));
    while (nl >= 0) {
      int s = startsDocument(text, nl + 1);
      if (s >= 0) return s;
      nl = text.indexOf('\n', nl + 1);
    }
    return -1;
  }

  /** The position of the '{' or '[' that starts the line at {@code lineStart} (after blanks), or -1. */
  private static int startsDocument(String text, int lineStart) {
    int s = lineStart;
    while (s < text.length() && (text.charAt(s) == ' ' || text.charAt(s) == '\t' || text.charAt(s) == '\r')) s++;
    return s < text.length() && (text.charAt(s) == '{' || text.charAt(s) == '[') ? s : -1;
  }

  private void navigate(Object v, int k, List<Object> found, List<String> rejected) {
    if (k == rowPath.size()) {
      if (v instanceof Map || v instanceof List) found.add(v);
      else rejected.add("the row at the record row path is a JSON scalar, not an object or array");
      return;
    }
    Object seg = rowPath.get(k);
    if (seg instanceof String) {
      if (v instanceof Map && ((Map<?, ?>) v).containsKey(seg)) navigate(((Map<?, ?>) v).get(seg), k + 1, found, rejected);
      return;
    }
    if (!(v instanceof List)) return;
    List<?> list = (List<?>) v;
    if (seg == null) {
      for (Object e : list) navigate(e, k + 1, found, rejected);
    } else if ((Integer) seg < list.size()) navigate(list.get((Integer) seg), k + 1, found, rejected);
  }

  private RowData row(Object r) {
    GenericRowData row = new GenericRowData(mappings.size());
    for (int i = 0; i < mappings.size(); i++) {
      Object v = r;
      for (Object seg : mappings.get(i)) {
        if (seg instanceof String) v = v instanceof Map && ((Map<?, ?>) v).containsKey(seg) ? ((Map<?, ?>) v).get(seg) : MISSING;
        else v = v instanceof List && (Integer) seg < ((List<?>) v).size() ? ((List<?>) v).get((Integer) seg) : MISSING;
        if (v == MISSING) break;
      }
      row.setField(i, v == MISSING ? null : coercer.fromJson(i, v));
    }
    return row;
  }

  /** A JSON value as plain Java: Map (members in order, the last of duplicate names wins), List, String, Boolean, JsonNumber, null. */
  private static Object value(JsonParser p, JsonToken t) throws java.io.IOException {
    switch (t) {
      case START_OBJECT: {
        Map<String, Object> m = new LinkedHashMap<>();
        for (JsonToken n = p.nextToken(); n != JsonToken.END_OBJECT; n = p.nextToken()) {
          String name = p.currentName();
          // JSON.parse semantics: a repeated name keeps its first position and takes the last value.
          m.put(name, value(p, p.nextToken()));
        }
        return m;
      }
      case START_ARRAY: {
        List<Object> l = new ArrayList<>();
        for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) l.add(value(p, n));
        return l;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return new JsonNumber(p.getText());
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new java.io.IOException("unexpected JSON token " + t);
    }
  }
}
