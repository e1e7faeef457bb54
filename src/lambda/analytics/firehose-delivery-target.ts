/**
 * The analytics function's delivery target (the runtime's `DeliveryTarget` port): rows of the delivered
 * in-application streams go to their Firehose delivery streams as newline-terminated JSON lines (RowDelivery).
 * Firehose accepts or refuses each entry: the rows it refused after every retry are answered as undelivered, and
 * the loop commits them again as the shard's pending rows. A row no Firehose record can hold is dropped and logged.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { InternalError } from '../../errors.js';
import { ERROR_STREAM } from '../../runtime/application-runtime.js';
import type { DeliveryResult, DeliveryTarget } from '../../runtime/shard-loop.js';
import { deliveredRow, type OutputRow } from '../../sinks/index.js';
import type { RowDelivery } from './row-delivery.js';

/**
 * A row on its way to Firehose. Rows loaded from a committed state carry their delivery stream and line as they
 * were committed (the application may have changed since).
 */
export interface PendingRow extends OutputRow {
  readonly deliveryStream?: string;
  readonly line?: string;
}

/** Counts of one delivery target, added to the invocation's metrics. */
export interface DeliveryCounts {
  RowsOut: number;
  ErrorRows: number;
  RowsDelivered: number;
  DeliveryFailures: number;
  RowsDropped: number;
}

export class FirehoseDeliveryTarget implements DeliveryTarget {
  readonly counts: DeliveryCounts = { RowsOut: 0, ErrorRows: 0, RowsDelivered: 0, DeliveryFailures: 0, RowsDropped: 0 };

  constructor(
    private readonly delivery: RowDelivery,
    private readonly outputDeliveryStreams: ReadonlyMap<string, string>,
    private readonly errorDeliveryStream: string,
    private readonly logger: Logger,
    private readonly shardKey: string,
    /** Keep ROWTIME in the delivered lines; KDA delivered the stream's columns only. */
    private readonly includeRowtime = false,
  ) {}

  accepts(stream: string): boolean {
    if (stream === ERROR_STREAM) {
      this.counts.ErrorRows++;
      return true;
    }
    if (!this.outputDeliveryStreams.has(stream)) return false;
    this.counts.RowsOut++;
    return true;
  }

  /** The delivery stream and line of a row (as committed, for a row loaded from the state). */
  route(row: PendingRow): { deliveryStream: string; line: string } {
    const deliveryStream = row.deliveryStream ?? (row.stream === ERROR_STREAM ? this.errorDeliveryStream : this.outputDeliveryStreams.get(row.stream));
    if (deliveryStream === undefined) throw new InternalError(`no delivery stream for ${row.stream}`);
    return { deliveryStream, line: row.line ?? `${JSON.stringify(this.includeRowtime ? row.row : deliveredRow(row.row))}\n` };
  }

  async deliver(rows: readonly OutputRow[]): Promise<DeliveryResult> {
    const byStream = new Map<string, { lines: string[]; rows: PendingRow[] }>();
    for (const row of rows as readonly PendingRow[]) {
      const { deliveryStream, line } = this.route(row);
      let group = byStream.get(deliveryStream);
      if (!group) byStream.set(deliveryStream, (group = { lines: [], rows: [] }));
      group.lines.push(line);
      group.rows.push({ ...row, deliveryStream, line });
    }
    const undelivered: PendingRow[] = [];
    for (const [stream, { lines, rows: mine }] of byStream) {
      const outcome = await this.delivery.deliver(stream, lines);
      const dropped = outcome.undeliverable ?? [];
      this.counts.RowsDelivered += lines.length - outcome.failed.length - dropped.length;
      if (dropped.length > 0) {
        // No retry can deliver these: keeping them pending would retry them forever.
        this.counts.RowsDropped += dropped.length;
        this.logger.error('rows too big for a Firehose record were dropped', { shardKey: this.shardKey, deliveryStream: stream, rows: dropped.length, bytes: dropped.map((i) => lines[i].length), start: dropped.map((i) => lines[i].slice(0, 200)) });
      }
      if (outcome.failed.length > 0) {
        this.counts.DeliveryFailures += outcome.failed.length;
        undelivered.push(...outcome.failed.map((i) => mine[i]));
        this.logger.error('rows not delivered; they stay in the shard state and are delivered by the next invocation', { shardKey: this.shardKey, deliveryStream: stream, rows: outcome.failed.length, lastError: outcome.lastError });
      }
    }
    return { undelivered };
  }

  async close(): Promise<void> {}
}
