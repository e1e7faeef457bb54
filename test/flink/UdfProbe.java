import io.streaminganalytics.flink.udf.CharToTimestamp;
import io.streaminganalytics.flink.udf.TimestampToChar;
import io.streaminganalytics.flink.udf.DecimalDivide;
import io.streaminganalytics.flink.udf.FastRegexLogParse;
import io.streaminganalytics.flink.udf.JsonToBoolean;
import io.streaminganalytics.flink.udf.JsonToDatetime;
import io.streaminganalytics.flink.udf.JsonToDecimal;
import io.streaminganalytics.flink.udf.JsonToDouble;
import io.streaminganalytics.flink.udf.JsonToInteger;
import io.streaminganalytics.flink.udf.RegexLogParse;
import io.streaminganalytics.flink.udf.Substring;
import io.streaminganalytics.flink.udf.VariableColumnLogParse;
import io.streaminganalytics.flink.udf.W3cLogParse;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.types.Row;

/**
 * Calls the job's UDFs directly (test/flink/udf-parity.test.ts): one JSON array per stdin line, [function, args...];
 * one JSON line per call on stdout: {"v": result} (a ROW as an array, datetimes as epoch milliseconds, decimals as
 * text) or {"error": message}.
 */
public final class UdfProbe {
  public static void main(String[] args) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    RegexLogParse regex = new RegexLogParse();
    FastRegexLogParse fast = new FastRegexLogParse();
    W3cLogParse w3c = new W3cLogParse();
    VariableColumnLogParse variable = new VariableColumnLogParse();
    CharToTimestamp c2t = new CharToTimestamp();
    TimestampToChar t2c = new TimestampToChar();
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      JsonNode a = mapper.readTree(line);
      Object v;
      try {
        v = switch (a.get(0).asText()) {
          case "REGEX_LOG_PARSE" -> regex.eval(s(a, 1), s(a, 2), null);
          case "FAST_REGEX_LOG_PARSE" -> fast.eval(s(a, 1), s(a, 2), null);
          case "W3C_LOG_PARSE" -> w3c.eval(s(a, 1), s(a, 2), null);
          case "VARIABLE_COLUMN_LOG_PARSE" -> variable.eval(s(a, 1), a.get(2).asInt(), s(a, 3), s(a, 4), s(a, 5), null);
          case "BOOLEAN" -> new JsonToBoolean().eval(s(a, 1));
          case "INTEGER" -> new JsonToInteger().eval(s(a, 1), a.get(2).asLong(), a.get(3).asLong());
          case "DOUBLE" -> new JsonToDouble().eval(s(a, 1), a.get(2).asDouble());
          case "DECIMAL" -> new JsonToDecimal().eval(s(a, 1), a.get(2).asInt(), a.get(3).asInt());
          case "TIMESTAMP" -> new JsonToDatetime.ToTimestamp().eval(s(a, 1));
          case "DATE" -> new JsonToDatetime.ToDate().eval(s(a, 1));
          case "TIME" -> new JsonToDatetime.ToTime().eval(s(a, 1));
          case "SUBSTRING" -> a.get(3).isNull()
              ? new Substring().eval(s(a, 1), a.get(2).asLong(), a.get(4).asBoolean())
              : new Substring().eval(s(a, 1), a.get(2).asLong(), a.get(3).asLong(), a.get(4).asBoolean());
          case "DIVIDE" -> new DecimalDivide().eval(new BigDecimal(s(a, 1)), new BigDecimal(s(a, 2)), a.get(3).asInt());
          case "CHAR_TO_TIMESTAMP" -> c2t.eval(s(a, 1), s(a, 2));
          case "TIMESTAMP_TO_CHAR" -> t2c.eval(s(a, 1), LocalDateTime.ofEpochSecond(Math.floorDiv(a.get(2).asLong(), 1000L), (int) Math.floorMod(a.get(2).asLong(), 1000L) * 1_000_000, ZoneOffset.UTC));
          default -> throw new IllegalArgumentException("unknown function " + a.get(0));
        };
      } catch (RuntimeException e) {
        out.println(mapper.writeValueAsString(java.util.Map.of("error", String.valueOf(e.getMessage()))));
        continue;
      }
      java.util.Map<String, Object> result = new java.util.HashMap<>();
      result.put("v", plain(v));
      out.println(mapper.writeValueAsString(result));
    }
    out.flush();
  }

  private static String s(JsonNode a, int i) {
    JsonNode n = a.get(i);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static Object plain(Object v) {
    if (v instanceof Row r) {
      List<Object> fields = new ArrayList<>();
      for (int i = 0; i < r.getArity(); i++) fields.add(r.getField(i));
      return fields;
    }
    if (v instanceof LocalDateTime t) return t.toInstant(ZoneOffset.UTC).toEpochMilli();
    if (v instanceof LocalDate d) return d.toEpochDay() * 86_400_000L;
    if (v instanceof LocalTime t) return t.toNanoOfDay() / 1_000_000L;
    if (v instanceof BigDecimal d) return d.toPlainString();
    return v;
  }
}
