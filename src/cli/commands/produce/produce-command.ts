/**
 * `streaming-analytics produce`: a KPL-style producer of generated ticker records (TICKER_SYMBOL, SECTOR, CHANGE,
 * PRICE, EVENT_TIME) into a Kinesis stream at an endpoint, into a replay file, or into an in-process stream.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { EmbeddedStream } from '../../../kinesis/index.js';
import { EmbeddedTarget, FileTarget, KinesisTarget } from '../../../app/producer/producer-targets.js';
import { TickerProducer, type ProducerTarget } from '../../../app/producer/ticker-producer.js';
import { ExitCode } from '../../exit-codes.js';
import { parseDuration, parsePositiveInt } from '../../option-parsers.js';

export interface ProduceCommandOptions {
  to: string;
  kinesisEndpoint?: string;
  region?: string;
  rate: number;
  duration?: number;
  records?: number;
  seed?: number;
  tickers?: number;
  aggregate: boolean;
  maxAggregateBytes?: number;
}

export function registerProduceCommand(program: Command, setCode: (code: number) => void): void {
  program
    .command('produce')
    .description('produce generated ticker records, KPL-aggregated, at a chosen rate')
    .requiredOption('--to <target>', 'kinesis://<stream-name> (with --kinesis-endpoint for a local emulator), file://<path> (a recording for run --source file://: NDJSON lines, or the binary format for a path ending in .krec) or embedded (an in-process stream: measures the producer)')
    .option('--kinesis-endpoint <url>', 'Kinesis API endpoint; default: AWS')
    .option('--region <region>', 'AWS region')
    .option('--rate <n>', 'user records per second', parsePositiveInt, 1000)
    .option('--duration <time>', 'stop after this long (e.g. 30s); default: until --records or Ctrl-C', parseDuration)
    .option('--records <n>', 'stop after this many user records', parsePositiveInt)
    .option('--seed <n>', 'seed of the generated records', parsePositiveInt)
    .option('--tickers <n>', 'number of distinct ticker symbols', parsePositiveInt, 50)
    .option('--no-aggregate', 'send each record as its own Kinesis record instead of KPL aggregates')
    .option('--max-aggregate-bytes <n>', 'largest aggregate in bytes (the KPL default is 51200)', parsePositiveInt)
    .action(async (opts: ProduceCommandOptions) => setCode(await produceCommand(opts)));
}

export async function produceCommand(o: ProduceCommandOptions): Promise<number> {
  let target: ProducerTarget & { close?: () => unknown };
  let where: string;
  const k = /^kinesis:(?:\/\/)?([a-zA-Z0-9_.-]{1,128})$/.exec(o.to);
  const f = /^file:(?:\/\/)?(.+)$/.exec(o.to);
  if (k) {
    target = await KinesisTarget.connect({ streamName: k[1], endpoint: o.kinesisEndpoint, region: o.region });
    where = `Kinesis stream ${k[1]}${o.kinesisEndpoint ? ` at ${o.kinesisEndpoint}` : ''}`;
  } else if (f) {
    target = new FileTarget(f[1]);
    where = `file ${f[1]}`;
  } else if (o.to === 'embedded') {
    target = new EmbeddedTarget(new EmbeddedStream({ shardCount: 2 }));
    where = 'an in-process stream';
  } else {
    throw new InvalidArgumentError(`--to '${o.to}' is not a target: use kinesis://<stream-name>, file://<path> or embedded`);
  }
  const producer = new TickerProducer(target, {
    recordsPerSecond: o.rate,
    seed: o.seed,
    tickers: o.tickers,
    aggregate: o.aggregate,
    maxAggregateBytes: o.maxAggregateBytes,
  });
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  const started = Date.now();
  try {
    process.stderr.write(`producing ticker records at ${o.rate}/s into ${where}${o.aggregate ? ' (KPL-aggregated)' : ''}\n`);
    await producer.run({ durationMs: o.duration, maxRecords: o.records, signal: abort.signal });
    const s = (Date.now() - started) / 1000;
    process.stderr.write(`produced ${producer.userRecords} user records in ${producer.kinesisRecords} Kinesis records in ${s.toFixed(1)} s\n`);
    return ExitCode.OK;
  } finally {
    process.removeListener('SIGINT', onSignal);
    await target.close?.();
  }
}
