package io.streaminganalytics.flink.udf;

/** {@code MAX(x)} over a frame. */
public final class OverMax extends OverExtreme {
  public OverMax() {
    super(true);
  }
}
