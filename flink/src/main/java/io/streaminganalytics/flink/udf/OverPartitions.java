package io.streaminganalytics.flink.udf;

import java.util.HashMap;

/**
 * The accumulator of {@link OverAggregate}: the frame state of each KDA partition that shares one Flink partition.
 * A window whose PARTITION BY goes beyond the keys Flink partitions on keeps its finer partitions here, keyed by
 * their key values (as the translation encodes them); a window Flink partitions exactly keeps one state.
 */
public final class OverPartitions {
  public OverState single;
  public HashMap<String, OverState> byKey;
  /** The state the last row went to, whose value {@code getValue} reads. */
  public transient OverState current;

  OverState of(String key) {
    if (key == null) {
      if (single == null) single = new OverState();
      return single;
    }
    if (byKey == null) byKey = new HashMap<>();
    return byKey.computeIfAbsent(key, k -> new OverState());
  }
}
