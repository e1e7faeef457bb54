package io.streaminganalytics.flink.udf;

import java.text.ParsePosition;
import java.text.SimpleDateFormat;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.GregorianCalendar;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * KDA {@code CHAR_TO_TIMESTAMP(format, text)} with the Java SimpleDateFormat pattern KDA documents, in UTC and English,
 * read as our engine reads it (src/engine/functions/datetime-format.ts): non-lenient (every field in its range), text
 * after the pattern's end ignored ('yyyy' reads '09-16 03:15' as the year 9), the proleptic Gregorian calendar, two-digit
 * years ({@code yy}) in the century window starting 1946, and a lone {@code y} read literally ('10' is the year 10).
 * A text that does not parse gives NULL (KDA sends such a row to error_stream instead).
 */
public final class CharToTimestamp extends ScalarFunction {
  private static final long TWO_DIGIT_YEAR_START = -757382400000L; // 1946-01-01T00:00:00Z
  private final Map<String, SimpleDateFormat> formats = new HashMap<>();

  public @DataTypeHint("TIMESTAMP(3)") LocalDateTime eval(String format, String text) {
    if (format == null || text == null) return null;
    SimpleDateFormat f = formats.get(format);
    if (f == null) {
      try {
        f = compile(format);
      } catch (IllegalArgumentException e) {
        return null;
      }
      formats.put(format, f);
    }
    ParsePosition pos = new ParsePosition(0);
    Date d = f.parse(text, pos);
    if (d == null) return null;
    return LocalDateTime.ofEpochSecond(Math.floorDiv(d.getTime(), 1000), (int) Math.floorMod(d.getTime(), 1000) * 1_000_000, ZoneOffset.UTC);
  }

  static SimpleDateFormat compile(String pattern) {
    SimpleDateFormat f = new SimpleDateFormat(literalLoneYear(pattern), Locale.ENGLISH);
    GregorianCalendar calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"), Locale.ENGLISH);
    calendar.setGregorianChange(new Date(Long.MIN_VALUE));
    f.setCalendar(calendar);
    f.setLenient(false);
    f.set2DigitYearStart(new Date(TWO_DIGIT_YEAR_START));
    return f;
  }

  /**
   * A lone {@code y} or {@code Y} not followed by another pattern letter becomes {@code yyy}: SimpleDateFormat would
   * put a two-digit year read by one letter into the century window, KDA reads it literally. (Followed by a numeric
   * field, the letter count is the field's width and must stay.)
   */
  static String literalLoneYear(String pattern) {
    StringBuilder out = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\'') quoted = !quoted;
      boolean lone = !quoted && (c == 'y' || c == 'Y')
          && (i == 0 || pattern.charAt(i - 1) != c)
          && (i + 1 >= pattern.length() || !Character.isLetter(pattern.charAt(i + 1)) || pattern.charAt(i + 1) > 'z');
      out.append(lone ? String.valueOf(c).repeat(3) : String.valueOf(c));
    }
    return out.toString();
  }
}
