package io.streaminganalytics.flink.udf;

import java.text.SimpleDateFormat;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.GregorianCalendar;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * KDA {@code TIMESTAMP_TO_CHAR(format, ts)} with the java.text.SimpleDateFormat pattern KDA documents, in UTC, with
 * US week rules (weeks start on Sunday, week 1 holds January 1st) and the proleptic Gregorian calendar, as our engine
 * formats it (src/engine/functions/datetime-format.ts). Flink's DATE_FORMAT reads its pattern with
 * java.time.format.DateTimeFormatter, whose letters differ ('u' is the year there, the day of the week here).
 * The caller handles NULLs (a NULL timestamp prints as 'null'); a pattern SimpleDateFormat rejects gives NULL (KDA
 * sends such a row to error_stream).
 */
public final class TimestampToChar extends ScalarFunction {
  private final Map<String, SimpleDateFormat> formats = new HashMap<>();

  public String eval(String format, LocalDateTime ts) {
    if (format == null || ts == null) return null;
    SimpleDateFormat f = formats.get(format);
    if (f == null) {
      try {
        f = new SimpleDateFormat(format, Locale.US);
      } catch (IllegalArgumentException e) {
        return null;
      }
      GregorianCalendar calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"), Locale.US);
      calendar.setGregorianChange(new Date(Long.MIN_VALUE));
      f.setCalendar(calendar);
      if (formats.size() > 512) formats.clear();
      formats.put(format, f);
    }
    return f.format(new Date(ts.toInstant(ZoneOffset.UTC).toEpochMilli()));
  }
}
