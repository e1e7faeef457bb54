// Prints what the JDK computes for each input line, as a JSON array of strings (one per line).
// Input lines: kind TAB arg1 TAB arg2 ...; every arg is UTF-8 text in hex. Run with Java 17 or later:
//   java JavaReference.java < inputs.tsv
// Kinds: parse(pattern, text) and format(pattern, epochMs) with java.text.SimpleDateFormat in UTC, Locale.US,
// non-lenient, proleptic Gregorian, two-digit years from 1946; replace(regex, text, replacement) with
// String.replaceAll; find(regex, text) with Matcher.find (groups joined by |); double(text) and float(text)
// with Double.toString / Float.toString. A thrown exception prints ERROR:<class>.
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.*;
import java.util.regex.*;

public class JavaReference {
  static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  static SimpleDateFormat dateFormat(String pattern) {
    SimpleDateFormat df = new SimpleDateFormat(pattern, Locale.US);
    GregorianCalendar calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"), Locale.US);
    calendar.setGregorianChange(new Date(Long.MIN_VALUE));
    df.setCalendar(calendar);
    df.setLenient(false);
    Calendar start = new GregorianCalendar(TimeZone.getTimeZone("UTC"), Locale.US);
    start.clear();
    start.set(1946, 0, 1);
    df.set2DigitYearStart(start.getTime());
    return df;
  }

  static String run(String kind, String[] a) throws Exception {
    switch (kind) {
      case "parse": return String.valueOf(dateFormat(a[0]).parse(a[1]).getTime());
      case "format": return dateFormat(a[0]).format(new Date(Long.parseLong(a[1])));
      case "replace": return a[1].replaceAll(a[0], a[2]);
      case "find": {
        Matcher m = Pattern.compile(a[0]).matcher(a[1]);
        if (!m.find()) return "NOMATCH";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i <= m.groupCount(); i++) {
          if (i > 0) b.append('|');
          b.append(m.group(i) == null ? "<null>" : m.group(i));
        }
        return b.toString();
      }
      case "double": return Double.toString(Double.parseDouble(a[0]));
      case "float": return Float.toString(Float.parseFloat(a[0]));
      default: throw new IllegalArgumentException(kind);
    }
  }

  public static void main(String[] args) {
    Scanner in = new Scanner(System.in, StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    while (in.hasNextLine()) {
      String[] f = in.nextLine().split("\t", -1);
      String[] a = new String[f.length - 1];
      for (int k = 1; k < f.length; k++) a[k - 1] = new String(HexFormat.of().parseHex(f[k]), StandardCharsets.UTF_8);
      String result;
      try {
        result = run(f[0], a);
      } catch (Exception e) {
        result = "ERROR:" + e.getClass().getSimpleName();
      }
      out.add(json(result));
    }
    System.out.println("[" + String.join(",\n", out) + "]");
  }
}
