/**
 * Runs a user's preprocessor module in process, through the Kinesis Data Analytics input-preprocessing contract:
 * the module's `handler` gets `{invocationId, applicationArn, streamArn, records: [{recordId, data (base64),
 * kinesisStreamRecordMetadata}]}` and returns `{records: [{recordId, result: Ok | Dropped | ProcessingFailed, data}]}`.
 * As KDA did, every recordId must come back exactly once; a response that breaks the contract fails the batch.
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

type Handler = (event: unknown, context?: unknown) => unknown;

export class ModulePreprocessor {
  private invocations = 0;

  private constructor(
    private readonly handler: Handler,
    private readonly path: string,
  ) {}

  static async load(path: string): Promise<ModulePreprocessor> {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (e) {
      throw new ConfigError('input.preprocessor.module', `cannot load ${path}: ${(e as Error).message}`);
    }
    const handler = mod.handler ?? (mod.default as Record<string, unknown> | undefined)?.handler;
    if (typeof handler !== 'function') throw new ConfigError('input.preprocessor.module', `${path} exports no function 'handler'`);
    return new ModulePreprocessor(handler as Handler, path);
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
    const response = (await this.handler(event, { functionName: 'local-preprocessor', awsRequestId: event.invocationId })) as {
      records?: { recordId?: unknown; result?: unknown; data?: unknown }[];
    };
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
}
