package io.streaminganalytics.flink.udf;

import java.util.Iterator;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.TableFunction;
import org.apache.flink.types.Row;

/**
 * {@code SA_RECORDS(payload, format, rowDelimiter)}: the rows of one record payload, as KDA reads them. JSON: each
 * document of the payload (several may stand back to back), as its JSON text; a payload that stops parsing gives
 * the documents before the fault. CSV: each non-empty line, split on the row delimiter (any string).
 */
@FunctionHint(output = @DataTypeHint("ROW<doc STRING>"))
public final class Records extends TableFunction<Row> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public void eval(String payload, String format, String rowDelimiter) {
    if (payload == null) return;
    if ("CSV".equals(format)) {
      String delim = rowDelimiter == null || rowDelimiter.isEmpty() ? "\n" : rowDelimiter;
      int start = 0;
      while (start <= payload.length()) {
        int end = payload.indexOf(delim, start);
        if (end < 0) end = payload.length();
        String line = payload.substring(start, end);
        if (!line.isEmpty()) collect(Row.of(line));
        start = end + delim.length();
      }
      return;
    }
    try {
      Iterator<JsonNode> docs = MAPPER.readerFor(JsonNode.class).readValues(payload);
      while (docs.hasNext()) collect(Row.of(docs.next().toString()));
    } catch (Exception e) {
      // The documents already collected stay; the rest of a corrupt payload is not readable.
    }
  }
}
