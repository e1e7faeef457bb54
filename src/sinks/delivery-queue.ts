/**
 * Runs a sink's deliveries one at a time, in submission order, and latches the first failure: once a delivery
 * has failed, rows are missing at the destination, so every later call fails too and the application must
 * restart from its last checkpoint rather than carry on with a hole in its output.
 */
export class DeliveryQueue {
  private tail: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;

  /** The latched failure, if any. */
  get failed(): { error: unknown } | undefined {
    return this.failure;
  }

  /** Throws the latched failure, if any. */
  check(): void {
    if (this.failure) throw this.failure.error;
  }

  /** Queues a delivery; the promise settles when it (and everything queued before it) is done. */
  run(task: () => Promise<void>): Promise<void> {
    const next = this.tail.then(async () => {
      this.check();
      try {
        await task();
      } catch (error) {
        this.failure ??= { error };
        throw error;
      }
    });
    // The chain itself never rejects, so a later task is not skipped silently; it fails via check() instead.
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Queues a delivery nobody awaits (a timer's): its failure is latched and reported by the next call. */
  runDetached(task: () => Promise<void>): void {
    this.run(task).catch(() => undefined);
  }

  /** Resolves when everything queued so far is done; rejects with the latched failure. */
  async drain(): Promise<void> {
    await this.tail;
    this.check();
  }
}
