package io.streaminganalytics.flink.reference;

/** A JSON number with its text as written (the value of a character column) and its value as a double. */
public final class JsonNumber {
  private final String text;
  private final double value;

  public JsonNumber(String text) {
    this.text = text;
    this.value = Double.parseDouble(text);
  }

  public String text() {
    return text;
  }

  public double value() {
    return value;
  }
}
