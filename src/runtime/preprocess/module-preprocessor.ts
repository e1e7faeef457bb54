/**
 * Runs a user's preprocessor module in process, through the Kinesis Data Analytics input-preprocessing contract:
 * the module's `handler` gets `{invocationId, applicationArn, streamArn, records: [{recordId, data (base64),
 * kinesisStreamRecordMetadata}]}` and returns `{records: [{recordId, result: Ok | Dropped | ProcessingFailed, data}]}`.
 * As KDA did, every recordId must come back exactly once; a response that breaks the contract fails the batch.
 *
 * A handler may answer as a Lambda function may: through the callback of `(event, context, callback)` (the KDA
 * JavaScript blueprints, usually CommonJS), through `context.succeed`/`fail`/`done` (older blueprints), by returning
 * a promise (an async function), or by returning the response itself. The first answer counts. One that answers in
 * none of these ways within the timeout fails the batch with PREPROCESSOR_TIMEOUT rather than hanging the run.
 */
import { pathToFileURL } from 'node:url';
import { ConfigError, ExecutionError } from '../../errors.js';

export interface PreprocessorInputRecord {
  readonly data: Uint8Array;
  readonly shardId: string;
  readonly partitionKey: string;
  readonly sequenceNumber: string;
  readonly approximateArrivalTimestamp: number;
}

export type PreprocessorOutcome =
  | { readonly result: 'Ok'; readonly data: Uint8Array }
  | { readonly result: 'Dropped' }
  | { readonly result: 'ProcessingFailed'; readonly reason: string };

type Handler = (event: unknown, context: unknown, callback: (error?: unknown, result?: unknown) => void) => unknown;

/** How long a handler may take to answer one batch, as a Lambda function's timeout. */
export const DEFAULT_PREPROCESSOR_TIMEOUT_MS = 60_000;

export interface ModulePreprocessorOptions {
  /** @default DEFAULT_PREPROCESSOR_TIMEOUT_MS */
  readonly timeoutMs?: number;
}

export class ModulePreprocessor {
  private invocations = 0;

  private constructor(
    private readonly handler: Handler,
    private readonly path: string,
    private readonly timeoutMs: number,
  ) {}

  static async load(path: string, options: ModulePreprocessorOptions = {}): Promise<ModulePreprocessor> {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (e) {
      throw new ConfigError('input.preprocessor.module', `cannot load ${path}: ${(e as Error).message}`);
    }
    const handler = mod.handler ?? (mod.default as Record<string, unknown> | undefined)?.handler;
    if (typeof handler !== 'function') throw new ConfigError('input.preprocessor.module', `${path} exports no function 'handler'`);
    const timeoutMs = options.timeoutMs ?? DEFAULT_PREPROCESSOR_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new ConfigError('input.preprocessor.timeoutSeconds', `must be a positive number of seconds; received ${timeoutMs / 1000}`);
    return new ModulePreprocessor(handler as Handler, path, timeoutMs);
  }

  /** One outcome per input record, in order. Throws ExecutionError when the response breaks the contract. */
  async process(records: readonly PreprocessorInputRecord[], streamArn = 'arn:aws:kinesis:local:000000000000:stream/embedded'): Promise<PreprocessorOutcome[]> {
    if (records.length === 0) return [];
    const id = ++this.invocations;
    const event = {
      invocationId: `local-${id}`,
      applicationArn: 'arn:aws:kinesisanalytics:local:000000000000:application/local',
      streamArn,
      records: records.map((r, i) => ({
        recordId: String(i),
        data: Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength).toString('base64'),
        kinesisStreamRecordMetadata: {
          shardId: r.shardId,
          partitionKey: r.partitionKey,
          sequenceNumber: r.sequenceNumber,
          approximateArrivalTimestamp: r.approximateArrivalTimestamp,
        },
      })),
    };
    const response = (await this.invoke(event)) as { records?: { recordId?: unknown; result?: unknown; data?: unknown }[] } | undefined;
    const out = response?.records;
    if (!Array.isArray(out)) throw new ExecutionError('PREPROCESSOR_RESPONSE', `${this.path}: the response has no records array`);
    const byId = new Map<string, (typeof out)[number]>();
    for (const r of out) {
      const rid = String(r?.recordId);
      if (byId.has(rid)) throw new ExecutionError('PREPROCESSOR_RESPONSE', `${this.path}: recordId ${rid} returned twice`);
      byId.set(rid, r);
    }
    return records.map((_, i) => {
      const r = byId.get(String(i));
      if (!r) throw new ExecutionError('PREPROCESSOR_RESPONSE', `${this.path}: recordId ${i} missing from the response`);
      if (r.result === 'Dropped') return { result: 'Dropped' };
      if (r.result === 'ProcessingFailed') return { result: 'ProcessingFailed', reason: 'the preprocessor returned ProcessingFailed' };
      if (r.result !== 'Ok') throw new ExecutionError('PREPROCESSOR_RESPONSE', `${this.path}: recordId ${i} has result ${JSON.stringify(r.result)}; expected Ok, Dropped or ProcessingFailed`);
      if (typeof r.data !== 'string') throw new ExecutionError('PREPROCESSOR_RESPONSE', `${this.path}: recordId ${i} is Ok but has no base64 data`);
      return { result: 'Ok', data: Buffer.from(r.data, 'base64') };
    });
  }

  /** The handler's answer however it gives it (callback, context, promise, value), or a typed error. */
  private invoke(event: { invocationId: string }): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        fail(new ExecutionError('PREPROCESSOR_TIMEOUT', `${this.path}: the handler did not answer within ${this.timeoutMs / 1000} s (neither its callback, context.succeed/fail/done nor a returned promise or value)`));
      }, this.timeoutMs);
      const settle = (error: unknown, result: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error !== null && error !== undefined) {
          reject(new ExecutionError('PREPROCESSOR_FAILED', `${this.path}: the handler failed: ${error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error)}`, { cause: error }));
        } else resolve(result);
      };
      const fail = (error: ExecutionError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      };
      const callback = (error?: unknown, result?: unknown) => settle(error, result);
      const deadline = Date.now() + this.timeoutMs;
      const context = {
        functionName: 'local-preprocessor',
        awsRequestId: event.invocationId,
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
        callbackWaitsForEmptyEventLoop: true,
        succeed: (result?: unknown) => settle(null, result),
        fail: (error?: unknown) => settle(error ?? 'context.fail was called', undefined),
        done: (error?: unknown, result?: unknown) => settle(error, result),
      };
      let returned: unknown;
      try {
        returned = this.handler(event, context, callback);
      } catch (error) {
        settle(error ?? 'the handler threw', undefined);
        return;
      }
      if (isThenable(returned)) {
        returned.then((result) => settle(null, result), (error: unknown) => settle(error ?? 'the handler\'s promise was rejected', undefined));
      } else if (returned !== undefined) {
        settle(null, returned);
      }
      // Otherwise the handler answers later through its callback or context, or the timer fails the batch.
    });
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
