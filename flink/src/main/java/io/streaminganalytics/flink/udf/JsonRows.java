package io.streaminganalytics.flink.udf;

import io.streaminganalytics.flink.json.JsonText;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.DeserializationFeature;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.TableFunction;
import org.apache.flink.types.Row;

/**
 * {@code SA_JSON_ROWS(doc, spec)}: the rows of one JSON document under a KDA input schema that flattens an array
 * or maps whole arrays, each as {@code {"doc": <the row's document>, "arrays": [<text or null>, ...]}}, which the
 * plain mappings read ({@code $.doc.orders.orderId}, {@code $.arrays[0]}). {@code spec} is JSON:
 * {@code {"flatten": <path> | null, "arrays": [<path>, ...]}}, a path being an array of segments (a string is a
 * member name, a number an array index).
 *
 * <p>Flatten ({@code $.orders[0:].orderId}): one row per element of the array at the path, in order: the document
 * with the array replaced by that element, so {@code $.doc.orders.orderId} reads the element's member. An empty or
 * missing array, or a value there that is not an array, gives one row with the value removed (NULL in the
 * flattened columns), as our input decoder does.
 *
 * <p>Whole arrays ({@code $.orders[0:]} at the end of a mapping): {@code arrays[i]} is the text of the array at
 * the i-th path of the row's document as JavaScript writes it (compact, numbers in their shortest form), or null
 * when the value there is not an array.
 */
@FunctionHint(output = @DataTypeHint("ROW<doc STRING>"))
public final class JsonRows extends TableFunction<Row> {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private transient String specText;
  private transient List<Object> flatten;
  private transient List<List<Object>> arrays;

  public void eval(String doc, String spec) {
    if (doc == null) return;
    JsonNode root;
    try {
      parseSpec(spec);
      root = MAPPER.readTree(doc);
    } catch (Exception e) {
      // SA_RECORDS gives whole documents only: a document that does not parse again is not expected. It stays
      // one row, whose mappings find what they can.
      collect(Row.of(doc));
      return;
    }
    if (flatten == null) {
      emit(root);
      return;
    }
    JsonNode array = at(root, flatten);
    if (array == null || !array.isArray() || array.size() == 0) {
      remove(root, flatten);
      emit(root);
      return;
    }
    List<JsonNode> elements = new ArrayList<>();
    array.forEach(elements::add);
    for (JsonNode element : elements) {
      JsonNode copy = root.deepCopy();
      replace(copy, flatten, element.deepCopy());
      emit(copy);
    }
  }

  private void emit(JsonNode row) {
    ObjectNode out = MAPPER.createObjectNode();
    out.set("doc", row);
    ArrayNode texts = out.putArray("arrays");
    for (List<Object> p : arrays) {
      JsonNode v = at(row, p);
      // The array's text as our engine writes it (JSON.stringify); NULL for anything that is not an array.
      if (v != null && v.isArray()) texts.add(JsonText.of(v));
      else texts.addNull();
    }
    collect(Row.of(out.toString()));
  }

  private void parseSpec(String spec) throws Exception {
    if (spec.equals(specText)) return;
    JsonNode s = MAPPER.readTree(spec);
    flatten = s.hasNonNull("flatten") ? path(s.get("flatten")) : null;
    List<List<Object>> a = new ArrayList<>();
    if (s.has("arrays")) for (JsonNode p : s.get("arrays")) a.add(path(p));
    arrays = a;
    specText = spec;
  }

  private static List<Object> path(JsonNode p) {
    List<Object> out = new ArrayList<>();
    for (JsonNode seg : p) out.add(seg.isTextual() ? (Object) seg.asText() : (Object) seg.asInt());
    return out;
  }

  /** The value at the path, or null when the path leads nowhere. */
  private static JsonNode at(JsonNode node, List<Object> path) {
    JsonNode v = node;
    for (Object seg : path) {
      if (v == null) return null;
      v = seg instanceof String ? (v.isObject() ? v.get((String) seg) : null) : (v.isArray() ? v.get((Integer) seg) : null);
    }
    return v;
  }

  private static void remove(JsonNode root, List<Object> path) {
    replace(root, path, null);
  }

  /** Puts {@code value} at the path (removes what is there when null); a path that leads nowhere is left alone. */
  private static void replace(JsonNode root, List<Object> path, JsonNode value) {
    if (path.isEmpty()) return;
    JsonNode parent = at(root, path.subList(0, path.size() - 1));
    Object last = path.get(path.size() - 1);
    if (last instanceof String && parent != null && parent.isObject()) {
      if (value == null) ((ObjectNode) parent).remove((String) last);
      else ((ObjectNode) parent).set((String) last, value);
    } else if (last instanceof Integer && parent != null && parent.isArray() && (Integer) last < parent.size()) {
      // An element cannot be removed without moving the next ones: a JSON null reads as NULL as well.
      ((ArrayNode) parent).set((Integer) last, value == null ? MAPPER.nullNode() : value);
    }
  }
}
