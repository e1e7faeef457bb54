package io.streaminganalytics.flink.reference;

import io.streaminganalytics.flink.json.DatetimeText;
import io.streaminganalytics.flink.json.JsonText;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.BinaryType;
import org.apache.flink.table.types.logical.CharType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarBinaryType;
import org.apache.flink.table.types.logical.VarCharType;

/**
 * KDA's coercion of source values into column types (DG sch-mapping.html), as src/input/column-coercer.ts does
 * it, producing Flink's internal values. Numbers are doubles as in the engine (an integer column takes a number
 * without a fraction inside the type's range; DECIMAL rounds half away from zero on the number's shortest decimal
 * text); text is parsed with the engine's rules; CHAR/VARCHAR(n) truncate silently and CHAR pads.
 */
final class ReferenceCoercer implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern NUMERIC_TEXT = Pattern.compile("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?");
  private static final Pattern BASE64_TEXT = Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");
  private static final double REAL_MAX = 3.4028234663852886e38;
  private static final long MS_PER_DAY = 86_400_000L;

  static final class CoercionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CoercionException(String message) {
      super(message, null, false, false);
    }
  }

  private final List<String> names;
  private final LogicalType[] types;

  ReferenceCoercer(RowType rowType) {
    this.names = rowType.getFieldNames();
    this.types = rowType.getChildren().toArray(new LogicalType[0]);
  }

  boolean isCharacter(int col) {
    LogicalTypeRoot r = types[col].getTypeRoot();
    return r == LogicalTypeRoot.CHAR || r == LogicalTypeRoot.VARCHAR;
  }

  private CoercionException fail(int col, String what, String shown, String reason) {
    return new CoercionException("cannot convert " + what + " " + shown + " to " + types[col].asSummaryString() + " for column \"" + names.get(col) + "\": " + reason);
  }

  private StringData fitText(int col, String text) {
    LogicalType t = types[col];
    int n = t instanceof VarCharType ? ((VarCharType) t).getLength() : t instanceof CharType ? ((CharType) t).getLength() : Integer.MAX_VALUE;
    if (n == VarCharType.MAX_LENGTH) return StringData.fromString(text);
    if (text.length() > n) return StringData.fromString(text.substring(0, n));
    if (t instanceof CharType && text.length() < n) return StringData.fromString(text + " ".repeat(n - text.length()));
    return StringData.fromString(text);
  }

  /** A decoded JSON value (see ReferenceDecoder.value) into column {@code col}. */
  Object fromJson(int col, Object v) {
    if (v == null) return null;
    if (v instanceof Boolean) return fromBoolean(col, (Boolean) v);
    if (v instanceof JsonNumber) return fromNumber(col, ((JsonNumber) v).value(), ((JsonNumber) v).text(), "JSON number");
    if (v instanceof String) return isCharacter(col) ? fitText(col, (String) v) : fromText(col, (String) v, "JSON string");
    String json = JsonText.of(v);
    String what = v instanceof Map ? "JSON object" : "JSON array";
    if (isCharacter(col)) return fitText(col, json);
    throw fail(col, what, JsonText.show(json), "a " + what + " can only be mapped to a CHAR or VARCHAR column");
  }

  Object fromBoolean(int col, boolean b) {
    switch (types[col].getTypeRoot()) {
      case BOOLEAN:
        return b;
      case CHAR:
      case VARCHAR:
        return fitText(col, b ? "true" : "false");
      case TINYINT:
      case SMALLINT:
      case INTEGER:
      case BIGINT:
      case FLOAT:
      case DOUBLE:
      case DECIMAL:
        return fromNumber(col, b ? 1 : 0, b ? "1" : "0", "JSON boolean");
      default:
        throw fail(col, "JSON boolean", String.valueOf(b), "a boolean cannot be converted to this type");
    }
  }

  Object fromNumber(int col, double v, String text, String what) {
    String shown = "JSON number".equals(what) ? text : JsonText.show(text);
    LogicalType t = types[col];
    switch (t.getTypeRoot()) {
      case TINYINT:
        return (byte) integral(col, v, shown, what, -128, 127);
      case SMALLINT:
        return (short) integral(col, v, shown, what, -32768, 32767);
      case INTEGER:
        return (int) integral(col, v, shown, what, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case BIGINT:
        return integral(col, v, shown, what, -9223372036854775808.0, 9223372036854775807.0);
      case DOUBLE:
        if (!Double.isFinite(v)) throw fail(col, what, shown, "it is out of range");
        return v;
      case FLOAT:
        if (!(Math.abs(v) <= REAL_MAX)) throw fail(col, what, shown, "it is out of range");
        return (float) v;
      case DECIMAL: {
        if (!Double.isFinite(v)) throw fail(col, what, shown, "it is out of range");
        DecimalType d = (DecimalType) t;
        BigDecimal r = new BigDecimal(JsonText.number(v)).setScale(d.getScale(), RoundingMode.HALF_UP);
        if (r.abs().compareTo(BigDecimal.TEN.pow(d.getPrecision() - d.getScale())) >= 0) {
          throw fail(col, what, shown, "it has too many digits before the decimal point");
        }
        return DecimalData.fromBigDecimal(r, d.getPrecision(), d.getScale());
      }
      case BOOLEAN:
        return v != 0;
      case CHAR:
      case VARCHAR:
        return fitText(col, text);
      default:
        throw fail(col, what, shown, "a number cannot be converted to this type");
    }
  }

  private long integral(int col, double v, String shown, String what, double lo, double hi) {
    if (v != Math.rint(v) || Double.isInfinite(v)) {
      throw fail(col, what, shown, Double.isFinite(v) ? "it has a fractional part (precision would be lost)" : "it is out of range");
    }
    if (v < lo || v > hi) {
      throw fail(col, what, shown, "it is out of range [" + JsonText.number(lo) + ", " + JsonText.number(hi) + "]");
    }
    return (long) v;
  }

  /** Text (a CSV field or a JSON string) into column {@code col}. */
  Object fromText(int col, String text, String what) {
    LogicalType t = types[col];
    switch (t.getTypeRoot()) {
      case CHAR:
      case VARCHAR:
        return fitText(col, text);
      case BOOLEAN:
        return text.length() == 4 && (text.charAt(0) | 0x20) == 't' && (text.charAt(1) | 0x20) == 'r' && (text.charAt(2) | 0x20) == 'u' && (text.charAt(3) | 0x20) == 'e';
      case TINYINT:
      case SMALLINT:
      case INTEGER:
      case BIGINT:
      case FLOAT:
      case DOUBLE:
      case DECIMAL: {
        String s = strip(text);
        if (s.isEmpty() || !NUMERIC_TEXT.matcher(s).matches()) throw fail(col, what, JsonText.show(text), "it is not a number");
        return fromNumber(col, Double.parseDouble(s), text, what);
      }
      case TIMESTAMP_WITHOUT_TIME_ZONE: {
        long ms = DatetimeText.timestamp(text);
        if (ms == DatetimeText.INVALID) throw fail(col, what, JsonText.show(text), "expected 'yyyy-MM-dd HH:mm:ss[.SSS]' or ISO 'yyyy-MM-ddTHH:mm:ss[.SSS][Z]'");
        return TimestampData.fromEpochMillis(ms);
      }
      case DATE: {
        long ms = DatetimeText.timestamp(text);
        if (ms == DatetimeText.INVALID) throw fail(col, what, JsonText.show(text), "expected 'yyyy-MM-dd'");
        return (int) Math.floorDiv(ms, MS_PER_DAY);
      }
      case TIME_WITHOUT_TIME_ZONE: {
        long ms = DatetimeText.time(text);
        if (ms == DatetimeText.INVALID) throw fail(col, what, JsonText.show(text), "expected 'HH:mm:ss[.SSS]'");
        return (int) ms;
      }
      case BINARY:
      case VARBINARY: {
        if (!BASE64_TEXT.matcher(text).matches()) throw fail(col, what, JsonText.show(text), "it is not base64");
        byte[] bytes = Base64.getDecoder().decode(text);
        int n = t instanceof BinaryType ? ((BinaryType) t).getLength() : ((VarBinaryType) t).getLength();
        if (n != VarBinaryType.MAX_LENGTH && bytes.length > n) throw fail(col, what, JsonText.show(text), "it decodes to " + bytes.length + " bytes, more than " + n);
        if (t instanceof BinaryType && bytes.length < n) return java.util.Arrays.copyOf(bytes, n);
        return bytes;
      }
      default:
        throw fail(col, what, JsonText.show(text), "this type cannot be the type of an input column");
    }
  }

  private static String strip(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && DatetimeText.isSpace(s.charAt(a))) a++;
    while (b > a && DatetimeText.isSpace(s.charAt(b - 1))) b--;
    return s.substring(a, b);
  }
}
