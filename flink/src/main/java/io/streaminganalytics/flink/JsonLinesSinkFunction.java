package io.streaminganalytics.flink;

import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;
import org.apache.flink.table.connector.sink.DynamicTableSink.DataStructureConverter;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.Row;

/** Writes rows as JSON lines; see {@link JsonLinesSinkFactory}. */
final class JsonLinesSinkFunction extends RichSinkFunction<RowData> {
  private static final long serialVersionUID = 1L;
  static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  private final String path;
  private final String stream;
  private final List<String> names;
  private final DataStructureConverter converter;
  private transient BufferedWriter out;
  private transient ObjectMapper mapper;

  JsonLinesSinkFunction(String path, String stream, List<String> names, DataStructureConverter converter) {
    this.path = path; this.stream = stream; this.names = names; this.converter = converter;
  }

  @Override
  public void open(Configuration parameters) throws Exception {
    converter.open(org.apache.flink.table.connector.RuntimeConverter.Context.create(getClass().getClassLoader()));
    out = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(path, true), StandardCharsets.UTF_8));
    mapper = new ObjectMapper();
  }

  @Override
  public void invoke(RowData value, Context context) throws Exception {
    Row row = (Row) converter.toExternal(value);
    ObjectNode obj = mapper.createObjectNode();
    for (int i = 0; i < names.size(); i++) put(obj, names.get(i), row.getField(i));
    if (stream != null) {
      ObjectNode wrap = mapper.createObjectNode();
      wrap.put("stream", stream);
      wrap.set("row", obj);
      obj = wrap;
    }
    out.write(mapper.writeValueAsString(obj));
    out.write('\n');
  }

  static void put(ObjectNode obj, String name, Object v) {
    if (v == null) obj.putNull(name);
    else if (v instanceof LocalDateTime t) obj.put(name, TS.format(t));
    else if (v instanceof Instant t) obj.put(name, TS.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC)));
    else if (v instanceof BigDecimal d) obj.put(name, d);
    else if (v instanceof Double d) obj.put(name, d);
    else if (v instanceof Float f) obj.put(name, f);
    else if (v instanceof Long l) obj.put(name, l);
    else if (v instanceof Integer n) obj.put(name, n);
    else if (v instanceof Short n) obj.put(name, n);
    else if (v instanceof Byte n) obj.put(name, n);
    else if (v instanceof Boolean b) obj.put(name, b);
    else obj.put(name, v.toString());
  }

  @Override
  public void close() throws Exception {
    if (out != null) out.close();
  }
}
