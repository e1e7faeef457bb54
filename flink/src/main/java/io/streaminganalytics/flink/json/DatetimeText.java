package io.streaminganalytics.flink.json;

/**
 * DATE / TIME / TIMESTAMP text as our input decoder reads it (src/input/datetime-text.ts): a date
 * {@code YYYY-M[M]-D[D]}, optionally followed by ' ' or 'T' and {@code H[H]:MM[:SS[.fraction]]}, optionally
 * followed by 'Z' or {@code ±HH[:MM]} (converted to UTC; without a zone the text is UTC). Fractions of 1-9 digits
 * are truncated to milliseconds; surrounding ASCII whitespace is ignored. One reader for the input view's UDFs
 * (SA_JSON_TIMESTAMP & co) and the reference tables, so both read a datetime as the input decoder does.
 */
public final class DatetimeText {
  public static final long INVALID = Long.MIN_VALUE;
  private static final long MS_PER_DAY = 86_400_000L;

  private DatetimeText() {}

  public static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static final class Cursor {
    final String s;
    int pos;
    final int end;

    Cursor(String s) {
      int a = 0;
      int b = s.length();
      while (a < b && isSpace(s.charAt(a))) a++;
      while (b > a && isSpace(s.charAt(b - 1))) b--;
      this.s = s;
      this.pos = a;
      this.end = b;
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

  private static long readTime(Cursor cur) {
    int h = cur.digits(1, 2);
    if (h < 0 || h > 23 || !cur.take(':')) return -1;
    int mi = cur.digits(2, 2);
    if (mi < 0 || mi > 59) return -1;
    int s = 0;
    long ms = 0;
    if (cur.take(':')) {
      s = cur.digits(2, 2);
      if (s < 0 || s > 59) return -1;
      if (cur.take('.')) {
        int start = cur.pos;
        int f = cur.digits(1, 9);
        if (f < 0) return -1;
        int n = cur.pos - start;
        ms = n >= 3 ? (long) (f / Math.pow(10, n - 3)) : (long) (f * Math.pow(10, 3 - n));
      }
    }
    return ((h * 60L + mi) * 60 + s) * 1000 + ms;
  }

  private static int daysInMonth(int y, int m) {
    if (m == 2) return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28;
    return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
  }

  private static long readDate(Cursor cur) {
    int y = cur.digits(4, 4);
    if (y < 0 || !cur.take('-')) return INVALID;
    int m = cur.digits(1, 2);
    if (m < 1 || m > 12 || !cur.take('-')) return INVALID;
    int d = cur.digits(1, 2);
    if (d < 1 || d > daysInMonth(y, m)) return INVALID;
    return java.time.LocalDate.of(y, m, d).toEpochDay();
  }

  /** Epoch milliseconds (UTC), or INVALID. */
  public static long timestamp(String text) {
    Cursor cur = new Cursor(text);
    long days = readDate(cur);
    if (days == INVALID) return INVALID;
    long ms = 0;
    if (cur.pos < cur.end) {
      char sep = text.charAt(cur.pos);
      if (sep != ' ' && sep != 'T' && sep != 't') return INVALID;
      cur.pos++;
      ms = readTime(cur);
      if (ms < 0) return INVALID;
      if (cur.pos < cur.end) {
        char z = text.charAt(cur.pos);
        if (z == 'Z' || z == 'z') {
          cur.pos++;
        } else if (z == '+' || z == '-') {
          cur.pos++;
          int oh = cur.digits(2, 2);
          if (oh < 0 || oh > 23) return INVALID;
          cur.take(':');
          int om = 0;
          if (cur.pos < cur.end) {
            om = cur.digits(2, 2);
            if (om < 0 || om > 59) return INVALID;
          }
          long offset = (oh * 60L + om) * 60_000L;
          ms += z == '+' ? -offset : offset;
        }
      }
    }
    if (cur.pos != cur.end) return INVALID;
    return days * MS_PER_DAY + ms;
  }

  /** Milliseconds of the day, or INVALID. */
  public static long time(String text) {
    Cursor cur = new Cursor(text);
    long ms = readTime(cur);
    if (ms >= 0 && cur.pos == cur.end) return ms;
    long ts = timestamp(text);
    return ts == INVALID ? INVALID : ts - Math.floorDiv(ts, MS_PER_DAY) * MS_PER_DAY;
  }
}
