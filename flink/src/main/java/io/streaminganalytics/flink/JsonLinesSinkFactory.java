package io.streaminganalytics.flink;

import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkFunctionProvider;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.DataType;

/**
 * Connector {@code 'sa-jsonl'}: appends each inserted row to a local file as one JSON object per line, with the
 * column names as keys and the value formats of {@code streaming-analytics replay} (TIMESTAMP as
 * "YYYY-MM-DD HH:MM:SS.SSS" in UTC). For local runs and tests; it accepts inserts only, so a query whose result
 * would update earlier rows fails to plan instead of writing rows KDA would not produce.
 */
public final class JsonLinesSinkFactory implements DynamicTableSinkFactory {
  public static final String IDENTIFIER = "sa-jsonl";
  public static final ConfigOption<String> PATH = ConfigOptions.key("path").stringType().noDefaultValue();
  public static final ConfigOption<String> STREAM = ConfigOptions.key("stream").stringType().noDefaultValue();

  @Override public String factoryIdentifier() { return IDENTIFIER; }
  @Override public Set<ConfigOption<?>> requiredOptions() { return Set.of(PATH); }
  @Override public Set<ConfigOption<?>> optionalOptions() { return Set.of(STREAM); }

  @Override
  public DynamicTableSink createDynamicTableSink(Context context) {
    FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
    helper.validate();
    DataType type = context.getCatalogTable().getResolvedSchema().toPhysicalRowDataType();
    String stream = helper.getOptions().get(STREAM);
    return new Sink(helper.getOptions().get(PATH), stream, type);
  }

  static final class Sink implements DynamicTableSink {
    private final String path;
    private final String stream;
    private final DataType type;

    Sink(String path, String stream, DataType type) { this.path = path; this.stream = stream; this.type = type; }

    @Override public ChangelogMode getChangelogMode(ChangelogMode requested) { return ChangelogMode.insertOnly(); }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
      DataStructureConverter conv = context.createDataStructureConverter(type);
      java.util.List<String> names = org.apache.flink.table.types.DataType.getFieldNames(type);
      return SinkFunctionProvider.of(new JsonLinesSinkFunction(path, stream, names, conv), 1);
    }

    @Override public DynamicTableSink copy() { return new Sink(path, stream, type); }
    @Override public String asSummaryString() { return IDENTIFIER; }
  }
}
