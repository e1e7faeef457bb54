package io.streaminganalytics.flink.udf;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A small per-instance cache of compiled patterns: patterns are usually literals, so a row costs a map lookup.
 * A pattern that does not compile is cached as {@code invalid} so it is not compiled again on every row.
 */
final class PatternCache<T> {
  private static final int LIMIT = 512;
  private final Map<String, Object> entries = new LinkedHashMap<>();
  private static final Object INVALID = new Object();

  /** The compiled form of {@code key}, or null when {@code compile} throws (the row's error). */
  @SuppressWarnings("unchecked")
  T get(String key, Function<String, T> compile) {
    Object hit = entries.get(key);
    if (hit == null) {
      try {
        hit = compile.apply(key);
      } catch (RuntimeException e) {
        hit = INVALID;
      }
      if (entries.size() >= LIMIT) entries.remove(entries.keySet().iterator().next());
      entries.put(key, hit);
    }
    return hit == INVALID ? null : (T) hit;
  }
}
