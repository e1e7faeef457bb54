package io.streaminganalytics.flink.udf;

import java.util.List;
import java.util.Optional;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.types.inference.TypeStrategy;

/**
 * A scalar function whose result is a ROW described by its last argument, a string literal in Flink's type syntax
 * ({@code 'ROW<`COLUMN1` VARCHAR(1024), ...>'}). The KDA log parsers return a ROW whose fields depend on their
 * constant arguments; the translator knows that ROW from the bound plan and passes it, so the field types Flink sees
 * are exactly the plan's.
 */
public abstract class RowTypedFunction extends ScalarFunction {
  /** Values longer than this are cut (SQLREF: the parsers' columns are VARCHAR(1024)). */
  static final int COLUMN_LENGTH = 1024;

  static String cut(String s) {
    return s == null || s.length() <= COLUMN_LENGTH ? s : s.substring(0, COLUMN_LENGTH);
  }

  @Override
  public TypeInference getTypeInference(DataTypeFactory typeFactory) {
    TypeStrategy output = ctx -> {
      List<DataType> args = ctx.getArgumentDataTypes();
      Optional<String> type = ctx.getArgumentValue(args.size() - 1, String.class);
      if (type.isEmpty()) throw ctx.newValidationError("the last argument of %s must be the ROW type as a string literal", ctx.getName());
      return Optional.of(typeFactory.createDataType(type.get()));
    };
    return TypeInference.newBuilder().outputTypeStrategy(output).build();
  }
}
