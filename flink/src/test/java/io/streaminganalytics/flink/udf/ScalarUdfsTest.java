package io.streaminganalytics.flink.udf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.Period;
import org.junit.Test;

/**
 * The scalar UDFs give what our engine's functions (src/engine/functions) give for the same arguments; the
 * expected values are the engine's answers (SQLREF examples and edge cases), and NULL where the engine raises a
 * row error (KDA's error_stream).
 */
public class ScalarUdfsTest {
  private static LocalDateTime ts(String s) {
    return LocalDateTime.parse(s.replace(' ', 'T'));
  }

  @Test
  public void like() {
    Like f = new Like();
    assertEquals(true, f.eval("a_", "a\\_", "\\"));
    assertEquals(false, f.eval("ab", "a\\_", "\\"));
    assertEquals(true, f.eval("123aXYZ", "_%_a%_"));
    assertEquals(true, f.eval("a\nb", "a_b"));
    // One UTF-16 code unit per '_', as the engine matches.
    assertEquals(false, f.eval("\uD83D\uDE00", "_"));
    assertEquals(true, f.eval("\uD83D\uDE00", "__"));
    assertNull(f.eval("x", "a\\b", "\\"));
    assertNull(f.eval("x", "%", "ab"));
    assertNull(f.eval(null, "%"));
  }

  @Test
  public void similarTo() {
    SimilarTo f = new SimilarTo();
    assertEquals(true, f.eval("TECHNOLOGY", "%TECH%"));
    assertEquals(true, f.eval("abc", "[[:LOWER:]]+"));
    assertEquals(true, f.eval("a.c", "a.c"));
    assertEquals(false, f.eval("abc", "a.c"));
    assertEquals(true, f.eval("a+b", "a#+b", "#"));
    assertEquals(true, f.eval("a&b", "[a&&b]+"));
    assertEquals(false, f.eval("line\n", "line"));
    assertNull(f.eval("x", "(a"));
  }

  @Test
  public void substrings() {
    SubstringSimilar s = new SubstringSimilar();
    assertEquals("456", s.eval("123456789", "23#\"456#\"78", "#"));
    assertEquals("NOLO", s.eval("TECHNOLOGY", "TECH%\"NOLO%\"GY", "%"));
    assertNull(s.eval("abc", "a#\"x#\"c", "#"));
    assertNull(s.eval("abc", "a#\"b", "#"));
    SubstringRegex r = new SubstringRegex();
    assertEquals("LOGY", r.eval("TECHNOLOGY", "L[A-Z]*"));
    assertNull(r.eval("TECHNOLOGY", "FOO"));
    assertNull(r.eval("TECHNOLOGY", "("));
  }

  @Test
  public void regexReplace() {
    RegexReplace f = new RegexReplace();
    assertEquals("31/01/2020", f.eval("2020-01-31", "(\\d+)-(\\d+)-(\\d+)", "$3/$2/$1", 1.0, 0.0));
    assertEquals("xx", f.eval("aaa", "a*", "x", 1.0, 0.0));
    assertEquals("a-b+c", f.eval("a-b-c", "-", "+", 1.0, 2.0));
    assertEquals("a-b+c", f.eval("a-b-c", "-", "+", 3.0, 0.0));
    assertEquals("abc", f.eval("abc", "b", "x", 10.0, 0.0));
    assertEquals("abc", f.eval("abc", "b", "x", 1.0, 1.5));
    assertNull(f.eval("abc", "b", "$2", 1.0, 0.0));
    assertNull(f.eval("abc", "b", "x", 0.0, 0.0));
  }

  @Test
  public void trim() {
    Trim f = new Trim();
    assertEquals("axx", f.eval("LEADING", "x", "xxaxx"));
    assertEquals("xxa", f.eval("TRAILING", "x", "xxaxx"));
    assertEquals("a", f.eval("BOTH", "x", "xxaxx"));
    assertNull(f.eval("BOTH", "ab", "x"));
  }

  @Test
  public void overlayAndToTimestamp() {
    Overlay f = new Overlay();
    assertEquals("1foo45", f.eval("12345", "foo", 2.0, 2.0));
    assertEquals("foo345", f.eval("12345", "foo", 0.0));
    assertEquals("foo12345", f.eval("12345", "foo", -2.0, 1.0));
    assertEquals("12345foo", f.eval("12345", "foo", 9.0));
    assertEquals("12foo345", f.eval("12345", "foo", 3.0, 0.0));
    assertEquals("", f.eval("12345", "", 1.0, 10.0));
    assertEquals("x2345", f.eval("12345", "x", 1.5, 1.0));
    assertNull(f.eval("12345", "x", 1.0, -1.0));
    assertEquals(ts("1969-12-31 23:59:59.998"), new ToTimestamp().eval(-1.5));
    assertEquals(ts("1970-01-01 00:00:01.234"), new ToTimestamp().eval(1234.9));
  }

  @Test
  public void intervals() {
    StepInterval step = new StepInterval();
    assertEquals(ts("2004-01-01 00:00:00"), step.eval(ts("2004-09-30 13:48:23"), Period.ofYears(1)));
    assertEquals(ts("1969-10-01 00:00:00"), step.eval(ts("1969-12-31 23:59:59.999"), Period.ofMonths(3)));
    assertEquals(ts("2004-09-24 00:00:00"), step.eval(ts("2004-09-27 13:48:23"), Duration.ofDays(5)));
    assertNull(step.eval(ts("2004-09-27 13:48:23"), Period.ofMonths(0)));

    ExtractInterval extract = new ExtractInterval();
    assertEquals(5.678, extract.eval("SECOND", Duration.parse("P2DT3H4M5.678S")), 0);
    assertEquals(-5.0, extract.eval("HOUR", Duration.ofHours(-29)), 0);
    assertEquals(-1.0, extract.eval("YEAR", Period.ofMonths(-13)), 0);
    assertEquals(-1.0, extract.eval("MONTH", Period.ofMonths(-13)), 0);
    assertNull(extract.eval("DAY", Period.ofMonths(1)));

    DayTimeIntervalScale dt = new DayTimeIntervalScale();
    assertEquals(Duration.parse("P6DT8H"), dt.eval(Duration.parse("P3DT4H"), 2.0, false));
    assertEquals(Duration.parse("P1DT14H"), dt.eval(Duration.parse("P3DT4H"), 2.0, true));
    assertEquals(Duration.ofMillis(-334), dt.eval(Duration.ofSeconds(-1), 3.0, true));
    assertNull(dt.eval(Duration.ofSeconds(1), 0.0, true));
    YearMonthIntervalScale ym = new YearMonthIntervalScale();
    assertEquals(19, ym.eval(Period.ofMonths(13), 1.5, false).toTotalMonths());
    assertEquals(-6, ym.eval(Period.ofMonths(-13), 2.0, true).toTotalMonths());

    assertEquals(Duration.ofMillis(-129_600_000), new TimestampDiff().eval(ts("2000-01-01 00:00:00"), ts("2000-01-02 12:30:00"), 3_600_000L));
    assertEquals(1, new MonthsBetween().eval(ts("2004-03-30 00:00:00"), ts("2004-01-31 00:00:00")).toTotalMonths());
    FloorInterval floor = new FloorInterval();
    assertEquals(Duration.ofMillis(-2000), floor.eval(Duration.ofMillis(-1500), 1000L, false));
    assertEquals(Duration.ofMillis(-1000), floor.eval(Duration.ofMillis(-1500), 1000L, true));
    assertEquals(Duration.ofMillis(2000), floor.eval(Duration.ofMillis(1500), 1000L, true));
  }
}
