/**
 * What the analytics function's tests share: the ticker application's environment as the StreamingApp stack
 * sets it, an in-memory RowDelivery (no Firehose implementation runs locally: the one stand-in), a handler wired
 * to a dynalite state table, ticker records as KPL aggregates, and the oracle (the local ApplicationRuntime over
 * the same records in one go).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, KinesisStreamBatchResponse, KinesisStreamRecord } from 'aws-lambda';
import { ApplicationRuntime } from '../../src/runtime/application-runtime.js';
import { loadApplicationDefinition } from '../../src/app/definition/index.js';
import type { TickerGenerator } from '../../src/app/ticker/ticker-generator.js';
import { CLOCK_TICK, analyticsConfigFromEnvironment } from '../../src/lambda/analytics/analytics-config.js';
import { type AnalyticsHandlerOptions, type TickResult, createAnalyticsHandler } from '../../src/lambda/analytics/analytics-handler.js';
import type { DeliveryOutcome, RowDelivery } from '../../src/lambda/analytics/row-delivery.js';
import { ShardStateStore } from '../../src/lambda/analytics/shard-state-store.js';
import type { DynaliteServer } from './dynalite-server.js';
import { type RecordSpec, esmEvent } from './kinesis-esm-events.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** examples/ticker, read as every other part of the project reads it. */
export const ticker = loadApplicationDefinition(path.join(root, 'examples', 'ticker'));
export const OUT = 'sa-test-ticker-DESTINATION_SQL_STREAM';
export const ERR = 'sa-test-ticker-error_stream';
/** A window boundary (the ticker application's windows are 10 s of ROWTIME). */
export const T0 = Date.parse('2026-11-26T08:00:00.000Z');

/** The environment the StreamingApp stack gives the function, for the ticker application. */
export function tickerEnvironment(table: string, overrides: Record<string, string> = {}): Record<string, string> {
  const { format, recordRowPath, namePrefix, columns } = ticker.input;
  return {
    APPLICATION_NAME: 'ticker',
    APPLICATION_SQL: ticker.sql,
    APPLICATION_INPUT: JSON.stringify({ format, recordRowPath, namePrefix, columns }),
    DEAGGREGATION: 'in-process',
    OUTPUT_DELIVERY_STREAMS: JSON.stringify({ DESTINATION_SQL_STREAM: OUT }),
    ERROR_DELIVERY_STREAM: ERR,
    STATE_TABLE_NAME: table,
    // The tests compare window rows by their end (ROWTIME), which a delivered row carries only when asked.
    INCLUDE_ROWTIME: 'true',
    ...overrides,
  };
}

/** Delivery into memory; can be told to fail lines, or to throw as if the process died mid-delivery. */
export class MemoryDelivery implements RowDelivery {
  readonly lines = new Map<string, string[]>();
  failLines = 0;
  crash = false;
  /** Lines this matches are answered undeliverable (as FirehoseRowDelivery answers rows over 1000 KiB). */
  tooBig: (line: string) => boolean = () => false;
  readonly calls: { stream: string; lines: number }[] = [];
  async deliver(stream: string, lines: readonly string[]): Promise<DeliveryOutcome> {
    if (this.crash) throw new Error('simulated crash during delivery');
    this.calls.push({ stream, lines: lines.length });
    const undeliverable = lines.map((_, i) => i).filter((i) => this.tooBig(lines[i]));
    const failed = lines.map((_, i) => i).filter((i) => !undeliverable.includes(i)).slice(0, Math.max(0, this.failLines));
    this.failLines -= failed.length;
    const list = this.lines.get(stream) ?? [];
    lines.forEach((l, i) => {
      if (!failed.includes(i) && !undeliverable.includes(i)) list.push(l);
    });
    this.lines.set(stream, list);
    const outcome: DeliveryOutcome = failed.length > 0 ? { failed, lastError: 'ServiceUnavailableException' } : { failed: [] };
    return undeliverable.length > 0 ? { ...outcome, undeliverable } : outcome;
  }
  rows(stream = OUT): Record<string, unknown>[] {
    return (this.lines.get(stream) ?? []).map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

/** Metrics that publish nothing (the EMF lines would drown the test output); a metrics test captures its own. */
export function quietMetrics(): Metrics {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  try {
    return new Metrics({ namespace: 'AnalyticsTest', serviceName: 'ticker' });
  } finally {
    delete process.env.POWERTOOLS_METRICS_DISABLED;
  }
}

export const silentLogger = () => new Logger({ logLevel: 'SILENT' });

export interface Harness {
  handler: ReturnType<typeof createAnalyticsHandler>;
  delivery: MemoryDelivery;
  store: ShardStateStore;
  clock: { now: number };
  invoke(records: KinesisStreamRecord[], context?: Context): Promise<KinesisStreamBatchResponse>;
  tick(now: number): Promise<TickResult>;
}

let tables = 0;

/** A handler for the ticker application over a fresh state table in `db`. */
export async function harness(db: DynaliteServer, env: Record<string, string> = {}, extra: Partial<AnalyticsHandlerOptions> = {}): Promise<Harness> {
  const name = `analytics-${process.pid}-${++tables}`;
  await db.createStateTable(name);
  const config = analyticsConfigFromEnvironment(tickerEnvironment(name, env));
  const store = new ShardStateStore(db.client, name);
  const delivery = new MemoryDelivery();
  const clock = { now: T0 };
  const handler = createAnalyticsHandler({ config, store, delivery, clock: () => clock.now, logger: silentLogger(), metrics: quietMetrics(), ...extra });
  return {
    handler,
    delivery,
    store,
    clock,
    invoke: async (records, context) => (await handler(esmEvent(records), context)) as KinesisStreamBatchResponse,
    tick: async (now) => {
      clock.now = now;
      return (await handler({ ...CLOCK_TICK })) as TickResult;
    },
  };
}

/** Ticker records: `count` Kinesis records from `fromMs`, `stepMs` apart, each a KPL aggregate of `perRecord` user records. */
export function tickerSpecs(gen: TickerGenerator, count: number, fromMs: number, stepMs: number, perRecord = 3): RecordSpec[] {
  return Array.from({ length: count }, (_, i) => {
    const arrivalMs = fromMs + i * stepMs;
    const users = Array.from({ length: perRecord }, () => {
      const t = gen.next(arrivalMs);
      return { partitionKey: t.TICKER_SYMBOL, data: JSON.stringify(t) };
    });
    return { kind: 'aggregate' as const, users, arrivalMs };
  });
}

/** The oracle: the local runtime over the same user records in one go (in arrival order), then the clock moved to `until`. */
export function localRows(specs: readonly RecordSpec[], until: number): { rows: Record<string, unknown>[]; errors: Record<string, unknown>[] } {
  const runtime = ApplicationRuntime.compile({ sql: ticker.sql, input: ticker.input, origin: ticker.origin }, { clock: () => T0 });
  const rows: Record<string, unknown>[] = [];
  const errors: Record<string, unknown>[] = [];
  runtime.onOutput((stream, row) => (stream === 'error_stream' ? errors : rows).push(JSON.parse(JSON.stringify(row)) as Record<string, unknown>));
  for (const s of [...specs].sort((a, b) => a.arrivalMs - b.arrivalMs)) {
    if (s.kind === 'aggregate') for (const u of s.users) runtime.ingest(u.data, s.arrivalMs);
    else if (s.kind === 'plain') runtime.ingest(s.user.data, s.arrivalMs);
  }
  runtime.advanceTo(until);
  return { rows, errors };
}

/** Rows in a fixed order (window, then ticker), for comparing runs that emit in different orders. */
export const byKey = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => `${a.ROWTIME}${a.TICKER_SYMBOL}`.localeCompare(`${b.ROWTIME}${b.TICKER_SYMBOL}`));
