/**
 * Reads a sample of record payloads from where `run` would read them (the embedded stream with its producer, a
 * Kinesis stream or emulator, a replay file) or from a plain file of records (one per line), after the same
 * preprocessing `run` applies (none, KPL de-aggregation, a preprocessor module): the source and preprocessing
 * code is the one `run` uses (the local host's sources, the runtime's preprocessing stage), so discovery sees
 * exactly the payloads the input mapping will see.
 */
import { readFileSync } from 'node:fs';
import type { PreprocessorDefinition, SourceDefinition } from '../app/definition/index.js';
import { createSource } from '../app/pipeline/source-factory.js';
import { EmbeddedTarget } from '../app/producer/producer-targets.js';
import { TickerProducer } from '../app/producer/ticker-producer.js';
import { ConfigError } from '../errors.js';
import type { SourceRecord, StartingPosition } from '../kinesis/index.js';
import { createPreprocessStage } from '../runtime/preprocess/preprocess-stage.js';

/** Where the sample comes from: a source `run` reads, or a plain file holding one record payload per line. */
export type SampleSource = SourceDefinition | { readonly type: 'records'; readonly path: string };

export interface SampleOptions {
  readonly preprocessor: PreprocessorDefinition;
  /** Stop after this many payloads (user records after preprocessing). */
  readonly maxRecords: number;
  /** Stop reading a live source after this long (ms). */
  readonly maxMs: number;
  /** Kinesis sources: where to start. @default TRIM_HORIZON (the oldest records, so a quiet stream still gives a sample) */
  readonly startingPosition?: StartingPosition;
  readonly seed?: number;
}

export interface RecordSample {
  /** The payloads the input mapping would get, in order. */
  readonly payloads: Uint8Array[];
  /** Source records read (a KPL aggregate counts as one). */
  readonly sourceRecords: number;
  /** Records the preprocessing stage rejected (a corrupt aggregate, a failed preprocessor), with why. */
  readonly failed: { readonly reason: string; readonly data: Uint8Array }[];
}

export async function sampleRecords(source: SampleSource, options: SampleOptions): Promise<RecordSample> {
  if (source.type === 'records') return preprocess(plainRecords(source.path), options);
  const built = createSource(source, { pollMs: 100 });
  const stage = await createPreprocessStage(options.preprocessor, built.source.shardHashKeyRange?.bind(built.source));
  const payloads: Uint8Array[] = [];
  const failed: { reason: string; data: Uint8Array }[] = [];
  let sourceRecords = 0;
  const stop = new AbortController();
  const producing = built.embedded
    ? new TickerProducer(new EmbeddedTarget(built.embedded), { recordsPerSecond: Math.max(options.maxRecords * 4, 1000), seed: options.seed }).run({ signal: stop.signal, durationMs: options.maxMs })
    : undefined;
  const deadline = Date.now() + options.maxMs;
  await built.source.start(options.startingPosition ?? 'TRIM_HORIZON');
  try {
    while (payloads.length < options.maxRecords && Date.now() < deadline) {
      const batch = await built.source.read();
      sourceRecords += batch.records.length;
      await stage.process(batch.records, {
        payload: (data) => void (payloads.length < options.maxRecords && payloads.push(data)),
        failed: (e, r) => void failed.push({ reason: `${e.errorName}: ${e.message}`, data: r.data }),
      });
      if (batch.done) break;
    }
  } finally {
    stop.abort();
    await built.source.close();
    await producing;
  }
  return { payloads, sourceRecords, failed };
}

/** A plain file: one record per line (CR LF or LF), as they would sit on the stream. */
function plainRecords(path: string): SourceRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(path, `cannot read the records file: ${(e as Error).message}`, { cause: e });
  }
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const encoder = new TextEncoder();
  return lines.map((line, i) => ({
    shardId: 'shardId-000000000000',
    sequenceNumber: String(i + 1),
    partitionKey: String(i + 1),
    data: encoder.encode(line),
    approximateArrivalTimestamp: 0,
  }));
}

async function preprocess(records: SourceRecord[], options: SampleOptions): Promise<RecordSample> {
  const stage = await createPreprocessStage(options.preprocessor);
  const payloads: Uint8Array[] = [];
  const failed: { reason: string; data: Uint8Array }[] = [];
  let sourceRecords = 0;
  for (const r of records) {
    if (payloads.length >= options.maxRecords) break;
    sourceRecords++;
    await stage.process([r], {
      payload: (data) => void (payloads.length < options.maxRecords && payloads.push(data)),
      failed: (e) => void failed.push({ reason: `${e.errorName}: ${e.message}`, data: r.data }),
    });
  }
  return { payloads, sourceRecords, failed };
}
