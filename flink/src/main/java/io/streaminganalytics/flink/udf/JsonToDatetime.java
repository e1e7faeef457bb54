package io.streaminganalytics.flink.udf;

import io.streaminganalytics.flink.json.DatetimeText;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code SA_JSON_TIMESTAMP(wrapped)}, {@code SA_JSON_DATE(wrapped)}, {@code SA_JSON_TIME(wrapped)} (one class per SQL
 * name, below): a mapped JSON string into a TIMESTAMP, DATE or TIME column, as our input decoder reads datetime text
 * (src/input/datetime-text.ts): a date {@code YYYY-M[M]-D[D]}, optionally followed by a blank or {@code T} and a time
 * {@code H[H]:MM[:SS[.fraction]]}, optionally followed by {@code Z} or an offset {@code ±HH[:MM]} (the instant is taken
 * to UTC; without a zone the text is UTC). Fractions of 1 to 9 digits are cut to milliseconds; blanks around the text
 * are ignored. A DATE drops the time of day, a TIME reads a bare time or drops the date. Anything else (a number, a
 * boolean, text that does not fit) is NULL.
 */
public final class JsonToDatetime {
  private JsonToDatetime() {}

  private static final long MS_PER_DAY = 86_400_000L;
  private static final long NONE = DatetimeText.INVALID;

  private static long timestamp(String text) {
    return DatetimeText.timestamp(text);
  }

  private static long time(String text) {
    return DatetimeText.time(text);
  }

  private static String text(String wrapped) {
    var v = JsonInput.value(wrapped);
    return v != null && v.isTextual() ? v.textValue() : null;
  }

  private static LocalDateTime of(long ms) {
    return LocalDateTime.ofEpochSecond(Math.floorDiv(ms, 1000), (int) Math.floorMod(ms, 1000) * 1_000_000, ZoneOffset.UTC);
  }

  /** SA_JSON_TIMESTAMP. */
  public static final class ToTimestamp extends ScalarFunction {
    public @DataTypeHint("TIMESTAMP(3)") LocalDateTime eval(String wrapped) {
      String t = text(wrapped);
      long ms = t == null ? NONE : timestamp(t);
      return ms == NONE ? null : of(ms);
    }
  }

  /** SA_JSON_DATE. */
  public static final class ToDate extends ScalarFunction {
    public LocalDate eval(String wrapped) {
      String t = text(wrapped);
      long ms = t == null ? NONE : timestamp(t);
      return ms == NONE ? null : LocalDate.ofEpochDay(Math.floorDiv(ms, MS_PER_DAY));
    }
  }

  /** SA_JSON_TIME. */
  public static final class ToTime extends ScalarFunction {
    public @DataTypeHint("TIME(3)") LocalTime eval(String wrapped) {
      String t = text(wrapped);
      long ms = t == null ? NONE : time(t);
      return ms == NONE ? null : LocalTime.ofNanoOfDay(ms * 1_000_000L);
    }
  }
}
