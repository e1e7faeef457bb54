package io.streaminganalytics.flink.udf;

import java.util.HashMap;

/**
 * The accumulator of the sliding-window functions ({@link OverAggregate}): the rows of one partition that are
 * inside the current row's frame, oldest first, as a ring of (event time, value), and the running figures of the
 * function. Rows are addressed by an absolute index (0 for the partition's first row ever), so a MIN/MAX deque can
 * refer to them while the ring moves.
 */
public final class OverState {
  /** Frame: how many rows before the current one (-1: no limit), and how many ms back, inclusive (-1: no limit). */
  public long frameRows = -1;
  public long frameMs = -1;
  public boolean configured;

  public long[] times = new long[8];
  public Object[] vals = new Object[8];
  /** Ring position of the oldest row, and how many rows the frame holds. */
  public int head;
  public int size;
  /** Absolute index of the oldest row held. */
  public long first;
  /** Event time of the current (last added) row. */
  public long now;

  // Running figures (which ones a function uses is its own business).
  public long nonNull;
  public long trues;
  public long longSum;
  public double doubleSum;
  public java.math.BigDecimal decimalSum;
  /** MIN/MAX: absolute indices of the candidates, values in monotonic order (a ring as well). */
  public long[] deque = new long[8];
  public int dqHead;
  public int dqSize;
  /** SUM/AVG(DISTINCT): how many rows of the frame hold each value. */
  public HashMap<Object, Integer> counts;
  /** Per-row arguments the result depends on (LAG's default, EXP_AVG's half-life). */
  public Object extra;
  /** Constant arguments: NTH_VALUE's and LAG's n, FROM LAST, IGNORE NULLS, EVERY (not ANY), the variance kind. */
  public long n = 1;
  public boolean fromLast;
  public boolean ignoreNulls;
  public boolean every;
  public String kind;
  /** Which running sum holds the values: 0 none yet, 1 long, 2 double, 3 decimal. */
  public byte numKind;

  public Object valueAt(long abs) {
    return vals[(int) ((head + (abs - first)) % vals.length)];
  }

  public long timeAt(long abs) {
    return times[(int) ((head + (abs - first)) % times.length)];
  }

  /** Absolute index one past the newest row. */
  public long end() {
    return first + size;
  }

  public long push(long time, Object value) {
    if (size == times.length) grow();
    int at = (head + size) % times.length;
    times[at] = time;
    vals[at] = value;
    size++;
    now = time;
    return first + size - 1;
  }

  /** Drops the oldest row and returns its value. */
  public Object popOldest() {
    Object v = vals[head];
    vals[head] = null;
    head = (head + 1) % vals.length;
    size--;
    first++;
    return v;
  }

  private void grow() {
    int n = times.length;
    long[] t = new long[n * 2];
    Object[] v = new Object[n * 2];
    for (int i = 0; i < size; i++) {
      t[i] = times[(head + i) % n];
      v[i] = vals[(head + i) % n];
    }
    times = t;
    vals = v;
    head = 0;
  }

  public long dequeFront() {
    return deque[dqHead];
  }

  public long dequeBack() {
    return deque[(dqHead + dqSize - 1) % deque.length];
  }

  public void dequePushBack(long abs) {
    if (dqSize == deque.length) {
      long[] d = new long[deque.length * 2];
      for (int i = 0; i < dqSize; i++) d[i] = deque[(dqHead + i) % deque.length];
      deque = d;
      dqHead = 0;
    }
    deque[(dqHead + dqSize) % deque.length] = abs;
    dqSize++;
  }

  public void dequePopBack() {
    dqSize--;
  }

  public void dequePopFront() {
    dqHead = (dqHead + 1) % deque.length;
    dqSize--;
  }
}
