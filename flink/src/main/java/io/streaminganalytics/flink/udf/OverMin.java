package io.streaminganalytics.flink.udf;

/** {@code MIN(x)} over a frame. */
public final class OverMin extends OverExtreme {
  public OverMin() {
    super(false);
  }
}
