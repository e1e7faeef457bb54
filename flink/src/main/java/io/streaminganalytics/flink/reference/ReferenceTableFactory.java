package io.streaminganalytics.flink.reference;

import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.LookupTableSource;
import org.apache.flink.table.connector.source.lookup.LookupFunctionProvider;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

/**
 * Connector {@code 'sa-reference'}: a KDA reference data source as a Flink lookup table. The object (an S3 object
 * on MSF, a local file in tests; any path Flink's FileSystem reads) is read once when the lookup function opens,
 * decoded with the reference's format and mapping (CSV or JSON, {@link ReferenceDecoder}) and indexed by the join
 * keys; each stream row then looks it up (`JOIN ... FOR SYSTEM_TIME AS OF` a processing-time attribute). KDA
 * loads a reference table at application start and never refreshes it by itself, so the table is not re-read.
 *
 * <p>The table's last column is {@code __all INT NOT NULL}, 1 in every row: a join whose ON condition has no
 * equality with a table column looks up {@code __all = 1} (every row) and filters with its condition.
 *
 * <p>Options: {@code path}, {@code format} (CSV or JSON); CSV: {@code csv.row-delimiter},
 * {@code csv.column-delimiter}; JSON: {@code json.row-path} and {@code json.mappings}, JSON arrays of path segments
 * (a string is a member name, a number an array index, null every element of an array), the mappings one per
 * column, relative to the row.
 */
public final class ReferenceTableFactory implements DynamicTableSourceFactory {
  public static final String IDENTIFIER = "sa-reference";
  public static final String ALL_ROWS_COLUMN = "__all";
  public static final ConfigOption<String> PATH = ConfigOptions.key("path").stringType().noDefaultValue();
  public static final ConfigOption<String> FORMAT = ConfigOptions.key("format").stringType().noDefaultValue();
  public static final ConfigOption<String> ROW_DELIMITER = ConfigOptions.key("csv.row-delimiter").stringType().defaultValue("\n");
  public static final ConfigOption<String> COLUMN_DELIMITER = ConfigOptions.key("csv.column-delimiter").stringType().defaultValue(",");
  public static final ConfigOption<String> ROW_PATH = ConfigOptions.key("json.row-path").stringType().defaultValue("[]");
  public static final ConfigOption<String> MAPPINGS = ConfigOptions.key("json.mappings").stringType().noDefaultValue();

  @Override public String factoryIdentifier() { return IDENTIFIER; }
  @Override public Set<ConfigOption<?>> requiredOptions() { return Set.of(PATH, FORMAT); }
  @Override public Set<ConfigOption<?>> optionalOptions() { return Set.of(ROW_DELIMITER, COLUMN_DELIMITER, ROW_PATH, MAPPINGS); }

  @Override
  public DynamicTableSource createDynamicTableSource(Context context) {
    FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
    helper.validate();
    ReadableConfig o = helper.getOptions();
    DataType type = context.getCatalogTable().getResolvedSchema().toPhysicalRowDataType();
    RowType full = (RowType) type.getLogicalType();
    int n = full.getFieldCount();
    if (n < 1 || !ALL_ROWS_COLUMN.equals(full.getFieldNames().get(n - 1))) {
      throw new IllegalArgumentException("sa-reference: the table's last column must be " + ALL_ROWS_COLUMN + " INT");
    }
    RowType rowType = new RowType(full.getFields().subList(0, n - 1));
    // Decoding options are checked here, so a bad script fails when it is planned rather than when the job runs.
    ReferenceDecoder decoder = ReferenceDecoder.of(rowType, o.get(FORMAT), o.get(ROW_DELIMITER), o.get(COLUMN_DELIMITER), o.get(ROW_PATH), o.getOptional(MAPPINGS).orElse(null));
    return new Source(o.get(PATH), decoder);
  }

  static final class Source implements LookupTableSource {
    private final String path;
    private final ReferenceDecoder decoder;

    Source(String path, ReferenceDecoder decoder) { this.path = path; this.decoder = decoder; }

    @Override
    public LookupRuntimeProvider getLookupRuntimeProvider(LookupContext context) {
      int[][] keys = context.getKeys();
      int[] fields = new int[keys.length];
      for (int i = 0; i < keys.length; i++) {
        if (keys[i].length != 1) throw new IllegalArgumentException("sa-reference: a lookup key must be a top-level column");
        fields[i] = keys[i][0];
      }
      return LookupFunctionProvider.of(new ReferenceLookupFunction(path, decoder, fields));
    }

    @Override public DynamicTableSource copy() { return new Source(path, decoder); }
    @Override public String asSummaryString() { return IDENTIFIER; }
  }
}
