package io.streaminganalytics.flink;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.PluginUtils;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * Runs a Flink SQL script produced by {@code streaming-analytics translate --to flink}.
 *
 * <pre>
 *   SqlJob &lt;script.sql&gt; [--parallelism N] [--conf key=value]...   run one script to completion (local MiniCluster)
 *          [--stop-after MILLIS]                                   ... or, if it is still running then, stop it with a
 *                                                                    draining savepoint (end of input: every window closes)
 *   SqlJob --server [--parallelism N] [--conf key=value]...          read one script path per line on stdin, answer
 *                                                                    DONE/FAILED lines
 *   SqlJob                                      on Managed Service for Apache Flink: the script is in the
 *                                               application properties, group "SqlJob", keys "sql.000", "sql.001", ...
 * </pre>
 */
public final class SqlJob {
  static final String PROPERTIES_FILE = "/etc/flink/application_properties.json";
  static final String PROPERTY_GROUP = "SqlJob";

  private SqlJob() {}

  public static void main(String[] args) throws Exception {
    Integer parallelism = null;
    boolean server = false;
    String script = null;
    Long stopAfterMs = null;
    Configuration conf = new Configuration();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--server" -> server = true;
        case "--parallelism" -> parallelism = Integer.parseInt(args[++i]);
        case "--stop-after" -> stopAfterMs = Long.parseLong(args[++i]);
        case "--conf" -> {
          if (i + 1 >= args.length) throw new IllegalArgumentException("--conf needs key=value");
          confEntry(conf, args[++i]);
        }
        default -> script = args[i];
      }
    }
    clusterConf = conf;
    // File systems (s3://, ...) read their options (endpoint, keys, path style) from the configuration given here;
    // without this call a local run would see them unconfigured.
    FileSystem.initialize(conf, PluginUtils.createPluginManagerFromRootFolder(conf));
    if (server || script != null) {
      // Local runs end the JVM when the work is done: file systems such as s3:// leave non-daemon thread pools
      // behind that would otherwise keep it alive for their keep-alive time (about a minute).
      int code = 0;
      try {
        if (server) serve(parallelism);
        else run(Files.readString(Path.of(script), StandardCharsets.UTF_8), parallelism, true, stopAfterMs);
      } catch (Throwable t) {
        t.printStackTrace();
        code = 1;
      }
      System.exit(code);
    }
    Map<String, String> props = applicationProperties(new File(PROPERTIES_FILE));
    if (parallelism == null && props.containsKey("parallelism")) parallelism = Integer.parseInt(props.get("parallelism"));
    run(scriptFromProperties(props), parallelism, false, null);
  }

  /**
   * The Flink configuration every job of this JVM starts from (empty unless {@code --conf} entries were given):
   * checkpointing, file-system endpoints and the like are cluster settings a script's {@code SET} cannot reach.
   */
  private static Configuration clusterConf = new Configuration();

  /** One {@code --conf key=value} entry; the value may itself contain '='. */
  static void confEntry(Configuration conf, String entry) {
    int eq = entry.indexOf('=');
    if (eq <= 0) throw new IllegalArgumentException("--conf must be key=value, got: " + entry);
    conf.setString(entry.substring(0, eq).trim(), entry.substring(eq + 1));
  }

  /** One JVM for many jobs: a test suite pays the JVM and class loading once. */
  static void serve(Integer parallelism) throws Exception {
    PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    // Flink and user code may print; keep the protocol channel clean.
    System.setOut(System.err);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    protocol.println("READY");
    String line;
    while ((line = in.readLine()) != null) {
      String path = line.trim();
      if (path.isEmpty()) continue;
      try {
        run(Files.readString(Path.of(path), StandardCharsets.UTF_8), parallelism, true, null);
        protocol.println("DONE " + path);
      } catch (Throwable t) {
        protocol.println("FAILED " + path + " " + oneLine(rootMessage(t)));
      }
    }
  }

  static String rootMessage(Throwable t) {
    StringBuilder sb = new StringBuilder();
    Throwable cur = t;
    while (cur != null) {
      if (sb.length() > 0) sb.append(" <- ");
      sb.append(cur.getClass().getSimpleName()).append(": ").append(cur.getMessage());
      if (cur.getCause() == cur) break;
      cur = cur.getCause();
    }
    return sb.toString();
  }

  static String oneLine(String s) {
    String t = s.replaceAll("\\s+", " ");
    return t.length() > 4000 ? t.substring(0, 4000) : t;
  }

  /**
   * Runs every statement; the INSERTs (bare or in one statement set) are executed together and, locally, awaited:
   * to their end, or for {@code stopAfterMs} and then stopped with a draining savepoint. Draining ends the input
   * (a final watermark closes every open window) and the savepoint commits what sinks hold, so an unbounded
   * source (Kinesis) can be checked with a bounded local run.
   */
  static void run(String script, Integer parallelism, boolean local, Long stopAfterMs) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration(clusterConf));
    if (parallelism != null) env.setParallelism(parallelism);
    StreamTableEnvironment tEnv = StreamTableEnvironment.create(env, EnvironmentSettings.inStreamingMode());
    // KDA timestamps are UTC; TIMESTAMP_LTZ values convert to TIMESTAMP in UTC.
    tEnv.getConfig().set("table.local-time-zone", "UTC");
    List<String> inserts = new ArrayList<>();
    for (String stmt : ScriptSplitter.split(script)) {
      if (ScriptSplitter.startsWithWords(stmt, "EXECUTE", "STATEMENT", "SET")) {
        inserts.addAll(ScriptSplitter.statementSetInserts(stmt));
      } else if (ScriptSplitter.startsWithWords(stmt, "INSERT")) {
        inserts.add(stmt);
      } else if (ScriptSplitter.startsWithWords(stmt, "SET")) {
        applySet(tEnv, stmt);
      } else {
        tEnv.executeSql(stmt);
      }
    }
    if (inserts.isEmpty()) return;
    StatementSet set = tEnv.createStatementSet();
    for (String ins : inserts) set.addInsertSql(ins);
    TableResult result = set.execute();
    if (!local) return;
    if (stopAfterMs == null) {
      result.await();
      return;
    }
    JobClient job = result.getJobClient().orElseThrow(() -> new IllegalStateException("the statement set started no job"));
    try {
      job.getJobExecutionResult().get(stopAfterMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException stillRunning) {
      Path savepoints = Files.createTempDirectory("sa-flink-savepoint-");
      try {
        job.stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();
        job.getJobExecutionResult().get();
      } finally {
        deleteTree(savepoints);
      }
    }
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  /** {@code SET 'key' = 'value'} in a script configures the table environment. */
  static void applySet(StreamTableEnvironment tEnv, String stmt) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?is)SET\\s+'([^']*)'\\s*=\\s*'([^']*)'").matcher(stmt.trim());
    if (!m.matches()) throw new IllegalArgumentException("SET must be SET 'key' = 'value': " + stmt);
    tEnv.getConfig().getConfiguration().setString(m.group(1), m.group(2));
  }

  /** The MSF application properties file: [{"PropertyGroupId": ..., "PropertyMap": {...}}]. */
  static Map<String, String> applicationProperties(File file) throws Exception {
    Map<String, String> out = new TreeMap<>();
    if (!file.exists()) throw new IllegalArgumentException("no script argument and no " + file + "; usage: SqlJob <script.sql> | --server");
    JsonNode groups = new ObjectMapper().readTree(file);
    for (JsonNode g : groups) {
      if (!PROPERTY_GROUP.equals(g.path("PropertyGroupId").asText())) continue;
      g.path("PropertyMap").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  /** The script is split over keys sql.000, sql.001, ... because one property value is limited in length. */
  static String scriptFromProperties(Map<String, String> props) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : props.entrySet()) {
      if (e.getKey().startsWith("sql.")) sb.append(e.getValue());
    }
    if (sb.length() == 0) throw new IllegalArgumentException("property group " + PROPERTY_GROUP + " has no sql.NNN keys");
    return sb.toString();
  }
}
