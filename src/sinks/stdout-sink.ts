/**
 * Rows as text lines on standard output (or any writable stream): NDJSON by default, CSV when asked.
 */
import type { Writable } from 'node:stream';
import { createRowFormatter, deliveredRow, type OutputFormat, type RowFormatter } from './row-formatter.js';
import type { OutputRow, Sink } from './sink.js';

export interface StdoutSinkOptions {
  /** Default JSON. */
  format?: OutputFormat;
  csvDelimiter?: string;
  /** Deliver the row's ROWTIME as its first field (KDA did not: it delivers the stream's columns only). Default false. */
  includeRowtime?: boolean;
  /**
   * JSON only: write `{"stream":<name>,"row":{...}}` instead of the bare row, for when several streams share
   * the output. Default false.
   */
  includeStream?: boolean;
  /** Default process.stdout. The sink never ends it. */
  out?: Writable;
}

/**
 * Writes as rows arrive (no buffering beyond the stream's own) and waits for `drain` when the stream is full,
 * so a slow reader of a pipe slows the application down instead of filling memory.
 * @example
 * const sink = new StdoutSink();
 * await sink.write([{ stream: 'DEST', row: { TICKER: 'AMZN', N: 3 }, rowtime: 0 }]); // {"TICKER":"AMZN","N":3}
 */
export class StdoutSink implements Sink {
  private readonly out: Writable;
  private readonly formatter: RowFormatter;
  private readonly includeStream: boolean;
  private readonly includeRowtime: boolean;

  constructor(options: StdoutSinkOptions = {}) {
    this.out = options.out ?? process.stdout;
    this.formatter = createRowFormatter({ format: options.format ?? 'JSON', csvDelimiter: options.csvDelimiter, includeRowtime: options.includeRowtime });
    this.includeRowtime = options.includeRowtime ?? false;
    this.includeStream = (options.includeStream ?? false) && (options.format ?? 'JSON') === 'JSON';
  }

  async write(rows: readonly OutputRow[], _position?: string): Promise<void> {
    if (rows.length === 0) return;
    let text = '';
    for (const r of rows) {
      text += this.includeStream ? `${JSON.stringify({ stream: r.stream, row: this.includeRowtime ? r.row : deliveredRow(r.row) })}\n` : this.formatter(r.row);
    }
    if (!this.out.write(text)) await this.drained();
  }

  async flush(): Promise<void> {
    if (this.out.writableNeedDrain) await this.drained();
  }

  async close(): Promise<void> {
    await this.flush();
  }

  private drained(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onDrain = () => { this.out.off('error', onError); resolve(); };
      const onError = (error: Error) => { this.out.off('drain', onDrain); reject(error); };
      this.out.once('drain', onDrain);
      this.out.once('error', onError);
    });
  }
}
