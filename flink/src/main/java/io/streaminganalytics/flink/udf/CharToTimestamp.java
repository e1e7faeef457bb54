package io.streaminganalytics.flink.udf;

import java.text.ParsePosition;
import java.text.SimpleDateFormat;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.TimeZone;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * KDA {@code CHAR_TO_TIMESTAMP(format, text)} with the Java SimpleDateFormat pattern KDA documents, in UTC.
 * A text that does not parse gives NULL (KDA sends such a row to error_stream instead).
 */
public final class CharToTimestamp extends ScalarFunction {
  public @DataTypeHint("TIMESTAMP(3)") LocalDateTime eval(String format, String text) {
    if (format == null || text == null) return null;
    SimpleDateFormat f = new SimpleDateFormat(format);
    f.setTimeZone(TimeZone.getTimeZone("UTC"));
    f.setLenient(false);
    ParsePosition pos = new ParsePosition(0);
    Date d = f.parse(text, pos);
    if (d == null || pos.getIndex() != text.length()) return null;
    return LocalDateTime.ofEpochSecond(Math.floorDiv(d.getTime(), 1000), (int) Math.floorMod(d.getTime(), 1000) * 1_000_000, ZoneOffset.UTC);
  }
}
