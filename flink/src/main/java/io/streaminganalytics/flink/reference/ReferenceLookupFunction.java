package io.streaminganalytics.flink.reference;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.LookupFunction;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lookup of one reference table: the object is read through Flink's FileSystem (s3:// through the S3 file
 * system plugin, file:// locally) when the function opens, decoded, and indexed by the join key columns. A key
 * with a NULL part matches nothing (`=` with NULL is UNKNOWN), as in our engine; -0.0 and 0.0 are one key.
 */
public final class ReferenceLookupFunction extends LookupFunction {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ReferenceLookupFunction.class);

  private final String path;
  private final ReferenceDecoder decoder;
  private final int[] keyFields;
  private transient Map<List<Object>, List<RowData>> index;
  /** Getters of the key row a lookup receives: the key columns in the order of {@code keyFields}. */
  private transient RowData.FieldGetter[] lookupGetters;

  public ReferenceLookupFunction(String path, ReferenceDecoder decoder, int[] keyFields) {
    this.path = path;
    this.decoder = decoder;
    this.keyFields = keyFields;
  }

  @Override
  public void open(FunctionContext context) throws Exception {
    String text = read(path);
    List<String> rejected = new ArrayList<>();
    List<RowData> rows = decoder.decode(text, rejected);
    for (String r : rejected) LOG.warn("reference table {}: a row was not loaded: {}", path, r);
    RowType type = decoder.rowType();
    RowData.FieldGetter[] getters = new RowData.FieldGetter[keyFields.length];
    lookupGetters = new RowData.FieldGetter[keyFields.length];
    for (int i = 0; i < keyFields.length; i++) {
      LogicalType t = keyFields[i] == type.getFieldCount() ? new IntType(false) : type.getTypeAt(keyFields[i]);
      getters[i] = RowData.createFieldGetter(t, keyFields[i]);
      lookupGetters[i] = RowData.createFieldGetter(t, i);
    }
    Map<List<Object>, List<RowData>> idx = new HashMap<>();
    for (RowData decoded : rows) {
      RowData row = withAllRowsColumn(decoded, type.getFieldCount());
      List<Object> key = keyOf(row, getters);
      if (key != null) idx.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
    }
    index = idx;
    LOG.info("reference table {}: {} rows loaded, {} rejected", path, rows.size(), rejected.size());
  }

  /** The decoded row and the constant 1 of the table's last column (ReferenceTableFactory.ALL_ROWS_COLUMN). */
  private static RowData withAllRowsColumn(RowData row, int width) {
    GenericRowData out = new GenericRowData(width + 1);
    GenericRowData in = (GenericRowData) row;
    for (int i = 0; i < width; i++) out.setField(i, in.getField(i));
    out.setField(width, 1);
    return out;
  }

  private static String read(String location) throws IOException {
    Path p = new Path(location);
    FileSystem fs = p.getFileSystem();
    try (FSDataInputStream in = fs.open(p)) {
      return new String(readAll(in), StandardCharsets.UTF_8);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
    return out.toByteArray();
  }

  private static List<Object> keyOf(RowData row, RowData.FieldGetter[] getters) {
    List<Object> key = new ArrayList<>(getters.length);
    for (RowData.FieldGetter g : getters) {
      Object v = g.getFieldOrNull(row);
      if (v == null) return null;
      key.add(normalize(v));
    }
    return key;
  }

  private static Object normalize(Object v) {
    if (v instanceof StringData) return v.toString();
    if (v instanceof DecimalData) return ((DecimalData) v).toBigDecimal().stripTrailingZeros();
    if (v instanceof Double && (Double) v == 0.0) return 0.0d;
    if (v instanceof Float && (Float) v == 0.0f) return 0.0f;
    return v;
  }

  @Override
  public Collection<RowData> lookup(RowData keyRow) {
    List<Object> key = keyOf(keyRow, lookupGetters);
    if (key == null) return Collections.emptyList();
    List<RowData> hit = index.get(key);
    return hit == null ? Collections.emptyList() : hit;
  }
}
