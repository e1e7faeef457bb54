package io.streaminganalytics.flink.udf;

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
  private static final long NONE = Long.MIN_VALUE;

  /** A cursor over the text; methods answer -1 on a mismatch. */
  private static final class Cursor {
    final String s;
    int pos;
    final int end;

    Cursor(String s, int pos, int end) {
      this.s = s;
      this.pos = pos;
      this.end = end;
    }

    int digits(int min, int max) {
      int v = 0;
      int n = 0;
      while (n < max && pos < end) {
        int d = s.charAt(pos) - '0';
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
        pos++;
        n++;
      }
      return n < min ? -1 : v;
    }

    boolean take(char c) {
      if (pos < end && s.charAt(pos) == c) {
        pos++;
        return true;
      }
      return false;
    }
  }

  private static Cursor trimmed(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && isSpace(s.charAt(a))) a++;
    while (b > a && isSpace(s.charAt(b - 1))) b--;
    return new Cursor(s, a, b);
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static int daysInMonth(int y, int m) {
    if (m == 2) return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28;
    return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
  }

  private static long readTime(Cursor c) {
    int h = c.digits(1, 2);
    if (h < 0 || h > 23 || !c.take(':')) return -1;
    int mi = c.digits(2, 2);
    if (mi < 0 || mi > 59) return -1;
    int sec = 0;
    long ms = 0;
    if (c.take(':')) {
      sec = c.digits(2, 2);
      if (sec < 0 || sec > 59) return -1;
      if (c.take('.')) {
        int start = c.pos;
        int f = c.digits(1, 9);
        if (f < 0) return -1;
        int n = c.pos - start;
        ms = n >= 3 ? (long) Math.floor(f / Math.pow(10, n - 3)) : f * (long) Math.pow(10, 3 - n);
      }
    }
    return ((h * 60L + mi) * 60 + sec) * 1000 + ms;
  }

  /** Epoch milliseconds of a timestamp text, or NONE. */
  static long timestamp(String text) {
    Cursor c = trimmed(text);
    int y = c.digits(4, 4);
    if (y < 0 || !c.take('-')) return NONE;
    int m = c.digits(1, 2);
    if (m < 1 || m > 12 || !c.take('-')) return NONE;
    int d = c.digits(1, 2);
    if (d < 1 || d > daysInMonth(y, m)) return NONE;
    long days = LocalDate.of(y, m, d).toEpochDay();
    long ms = 0;
    if (c.pos < c.end) {
      char sep = text.charAt(c.pos);
      if (sep != ' ' && sep != 'T' && sep != 't') return NONE;
      c.pos++;
      ms = readTime(c);
      if (ms < 0) return NONE;
      if (c.pos < c.end) {
        char z = text.charAt(c.pos);
        if (z == 'Z' || z == 'z') {
          c.pos++;
        } else if (z == '+' || z == '-') {
          c.pos++;
          int oh = c.digits(2, 2);
          if (oh < 0 || oh > 23) return NONE;
          c.take(':');
          int om = 0;
          if (c.pos < c.end) {
            om = c.digits(2, 2);
            if (om < 0 || om > 59) return NONE;
          }
          long offset = (oh * 60L + om) * 60_000L;
          ms += z == '+' ? -offset : offset;
        }
      }
    }
    if (c.pos != c.end) return NONE;
    return days * MS_PER_DAY + ms;
  }

  /** Milliseconds of the day of a time text (or of a timestamp text's time), or NONE. */
  static long time(String text) {
    Cursor c = trimmed(text);
    long ms = readTime(c);
    if (ms >= 0 && c.pos == c.end) return ms;
    long ts = timestamp(text);
    return ts == NONE ? NONE : Math.floorMod(ts, MS_PER_DAY);
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
