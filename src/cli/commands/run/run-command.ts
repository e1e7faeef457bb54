/**
 * `streaming-analytics run <app>`: runs an application (a definition folder or file, a CloudFormation template
 * holding a KDA application, or describe-application JSON) until Ctrl-C, `--duration` or `--records`.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadApplicationDefinition, type ApplicationDefinition, type ImportOptions, type OutputDefinition } from '../../../app/definition/index.js';
import type { OutputRow } from '../../../sinks/index.js';
import { ProgressDisplay } from '../../../app/pipeline/progress-display.js';
import { runApplication } from '../../../app/run/run-application.js';
import { ExitCode } from '../../exit-codes.js';
import { runOnFlink } from '../translate/translate-command.js';
import { InvalidArgumentError } from 'commander';
import { collectKeyValue, parseDestinations, parseDuration, parseNonNegativeNumber, parsePositiveInt, parsePreprocessor, parseSource } from '../../option-parsers.js';

export interface RunCommandOptions {
  source?: string;
  replaySpeed?: number;
  sourceFormat?: string;
  sourceRate?: number;
  kinesisEndpoint?: string;
  region?: string;
  startingPosition?: 'NOW' | 'TRIM_HORIZON' | 'LAST_STOPPED_POINT';
  preprocessor?: string;
  output?: Record<string, string>;
  includeRowtime?: string[];
  outputDir?: string;
  s3Endpoint?: string;
  reference?: Record<string, string>;
  parameter?: Record<string, string>;
  var?: Record<string, string>;
  varFile?: string[];
  checkpointDir?: string;
  startOver?: boolean;
  duration?: number;
  records?: number;
  rate?: number;
  seed?: number;
  json?: boolean;
}

/** The options shared by `run` and `validate` that map the AWS resources an application names. */
export function importOptionsFrom(o: RunCommandOptions): ImportOptions {
  return {
    ...(o.source ? { source: parseSource(o.source, o.kinesisEndpoint, o.region) } : {}),
    ...(o.preprocessor ? { preprocessor: parsePreprocessor(o.preprocessor) } : {}),
    ...(o.startingPosition ? { startingPosition: o.startingPosition } : {}),
    ...(o.outputDir ? { outputDir: o.outputDir } : {}),
    ...(o.output ? { destinations: parseDestinations(o.output, o.s3Endpoint) } : {}),
    ...(o.includeRowtime ? { includeRowtime: o.includeRowtime } : {}),
    ...(o.reference ? { references: o.reference } : {}),
    ...(o.parameter ? { parameters: o.parameter } : {}),
    ...(o.var ? { variables: o.var } : {}),
    ...(o.varFile ? { varFiles: o.varFile } : {}),
  };
}

export function addImportOptions(cmd: Command): Command {
  return cmd
    .option('--source <source>', 'where records come from: embedded (an in-process stream fed by a KPL producer), kinesis://<stream-name> or file://<path>')
    .option('--kinesis-endpoint <url>', 'Kinesis API endpoint for kinesis:// sources (e.g. a local emulator); default: AWS')
    .option('--region <region>', 'AWS region for kinesis:// sources and s3:// outputs')
    .option('--starting-position <position>', 'NOW, TRIM_HORIZON or LAST_STOPPED_POINT')
    .option('--preprocessor <kind>', 'none, kpl (built-in KPL de-aggregation; a corrupt aggregate becomes an error_stream row), kpl:pass-through (a corrupt aggregate goes on as one plain record, as the KCL does) or module:<path> (a KDA preprocessing handler)')
    .option('--output <name=destination>', 'deliver in-application stream <name> to a folder, s3://bucket/prefix, kinesis://stream or stdout; a stream the application does not deliver gets an output (at most 3 in all, error_stream included) (repeatable)', collectKeyValue)
    .option('--include-rowtime <stream>', 'deliver the ROWTIME of each row of this output\'s stream as its first field (by default a row holds exactly the stream\'s columns, as in KDA) (repeatable)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--output-dir <dir>', 'for CloudFormation and describe-application input: the folder under which each output gets a local bucket folder', undefined)
    .option('--s3-endpoint <url>', 'S3 endpoint for s3:// outputs (e.g. a local radosgw); default: AWS')
    .option('--reference <table=location>', 'location (file or s3://bucket/key) of a reference table (repeatable)', collectKeyValue)
    .option('--parameter <key=value>', 'CloudFormation parameter value, or a pseudo parameter such as AWS::Region=eu-west-1 (repeatable)', collectKeyValue)
    .option('--var <name=value>', 'Terraform variable value (repeatable)', collectKeyValue)
    .option('--var-file <file>', 'Terraform .tfvars file (repeatable; later files win, --var wins over all)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
}

export function registerRunCommand(program: Command, setCode: (code: number) => void): void {
  addImportOptions(
    program
      .command('run')
      .description('run an application until Ctrl-C (graceful: with --checkpoint-dir open windows are kept in the checkpoint, without one they are closed and delivered), --duration or --records; SIGHUP reloads its reference data (KDA reloaded it only on request)')
      .argument('<app>', 'application: a folder with application.yaml, a definition file, a CloudFormation template or describe-application JSON'),
  )
    .option('--replay-speed <x>', 'file sources only: pace of the replay; 0 (the default) as fast as possible, 1 keeps the gaps between arrival times, 2 halves them', parseNonNegativeNumber)
    .option('--source-format <format>', 'file sources: replay (a recording: {"at","data"|"dataBase64"} lines, CSV with an "at" column, a dump, a binary .krec recording), or plain records one per line: ndjson, csv (no header) or lines; default: detected from the first line (a binary recording by its header)')
    .option('--source-rate <n>', 'file sources of plain records: arrivals per second from the first record (default: each record arrives when read)', parsePositiveInt)
    .option('--checkpoint-dir <dir>', 'keep checkpoints here and resume from the last one on restart; Ctrl-C and --duration keep open windows in it')
    .option('--start-over', 'with --checkpoint-dir holding no checkpoint while the output holds objects of an earlier run: start afresh anyway (otherwise refused, as it would deliver their rows again)')
    .option('--duration <time>', 'stop after this long (e.g. 30s, 5m)', parseDuration)
    .option('--records <n>', 'stop after this many records read from the source (Kinesis records: a KPL aggregate counts as one)', parsePositiveInt)
    .option('--rate <n>', 'embedded source only: user records per second of the in-process KPL producer', parsePositiveInt, 1000)
    .option('--seed <n>', 'seed of the generated records and of randomized functions', parsePositiveInt)
    .option('--json', 'progress as JSON log lines (the default when not on a terminal)')
    .option('--engine <engine>', 'node (the default: this process) or flink (the application translated to Flink SQL, on a local Flink MiniCluster; file:// and kinesis:// sources; --duration stops the job with a draining savepoint, which closes every open window)', 'node')
    .option('--parallelism <n>', '--engine flink only: the Flink job parallelism', parsePositiveInt)
    .action(async (app: string, opts: RunCommandOptions & { engine?: string; parallelism?: number }) => {
      if (opts.engine === 'flink') return setCode(await runOnFlink(app, opts));
      if (opts.engine !== 'node') throw new InvalidArgumentError(`--engine ${opts.engine}: node or flink`);
      setCode(await runCommand(app, opts));
    });
}

export async function runCommand(app: string, o: RunCommandOptions): Promise<number> {
  const def = withFileFormat(withReplaySpeed(loadApplicationDefinition(app, importOptionsFrom(o)), o.replaySpeed), o.sourceFormat, o.sourceRate);
  const progress = new ProgressDisplay(process.stderr, { json: o.json });
  progress.message(describe(def));
  const abort = new AbortController();
  const onSignal = () => {
    progress.message('stopping: delivering buffered output and saving a checkpoint (Ctrl-C again to quit at once)');
    process.once('SIGINT', () => process.exit(130));
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const summary = await runApplication(def, {
      checkpointDir: o.checkpointDir,
      startOver: o.startOver,
      log: (line) => progress.message(line),
      durationMs: o.duration,
      maxRecords: o.records,
      signal: abort.signal,
      produceRate: o.rate,
      seed: o.seed,
      progress,
      // A terminal line can redraw twice a second; log lines every 5 s keep logs readable.
      progressIntervalMs: progress.json ? 5000 : 500,
      onDelivered: (out, rows) => progress.message(describeDelivery(out, rows)),
    });
    progress.message(`stopped (${summary.reason}): ${JSON.stringify(summary.metrics)}`);
    return ExitCode.OK;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/** `--replay-speed` paces a file source, whether `--source` or the definition named the file. */
function withReplaySpeed(def: ApplicationDefinition, speed: number | undefined): ApplicationDefinition {
  if (speed === undefined) return def;
  const src = def.input.source;
  if (src.type !== 'file') throw new InvalidArgumentError(`--replay-speed applies to file sources; this run reads ${src.type === 'kinesis' ? `kinesis://${src.streamName}` : src.type}`);
  return { ...def, input: { ...def.input, source: { ...src, speed } } };
}

const FILE_FORMATS = ['replay', 'ndjson', 'csv', 'lines'] as const;

/** `--source-format` and `--source-rate` say what a file source holds, whether `--source` or the definition named it. */
export function withFileFormat(def: ApplicationDefinition, format: string | undefined, rate: number | undefined): ApplicationDefinition {
  if (format === undefined && rate === undefined) return def;
  const src = def.input.source;
  if (src.type !== 'file') throw new InvalidArgumentError(`--source-format and --source-rate apply to file sources; this run reads ${src.type === 'kinesis' ? `kinesis://${src.streamName}` : src.type}`);
  const known = FILE_FORMATS.find((f) => f === format);
  if (format !== undefined && known === undefined) throw new InvalidArgumentError(`--source-format ${format}: one of ${FILE_FORMATS.join(', ')}`);
  if (rate !== undefined && known === 'replay') throw new InvalidArgumentError('--source-rate applies to plain records (ndjson, csv, lines): a recording carries its own arrival times');
  return { ...def, input: { ...def.input, source: { ...src, ...(known ? { format: known } : {}), ...(rate !== undefined ? { rate } : {}) } } };
}

/** A delivery as the demo shows it: where the rows went and the first few of them. */
function describeDelivery(out: OutputDefinition, rows: readonly OutputRow[]): string {
  const SAMPLE = 3;
  const sample = rows.slice(0, SAMPLE).map((r) => `  ${JSON.stringify(r.row)}`);
  const more = rows.length > SAMPLE ? [`  ... and ${rows.length - SAMPLE} more`] : [];
  return [`${rows.length} ${out.stream} row(s) delivered to ${where(out)}`, ...sample, ...more].join('\n');
}

function where(o: OutputDefinition): string {
  const d = o.destination;
  const base = d.type === 'local' ? resolve(d.path) : d.type === 's3' ? `s3://${d.bucket}/${d.prefix}` : d.type === 'kinesis' ? `kinesis://${d.streamName}` : 'stdout';
  return `${base}${o.prefix ? `${base.endsWith('/') ? '' : '/'}${o.prefix}` : ''}`;
}

function describe(def: ApplicationDefinition): string {
  const src = def.input.source;
  const from = src.type === 'embedded' ? 'the embedded stream (with an in-process KPL producer)' : src.type === 'kinesis' ? `Kinesis stream ${src.streamName}${src.endpoint ? ` at ${src.endpoint}` : ''}` : `file ${src.path}`;
  const to = def.outputs.map((o) => `${o.stream} -> ${where(o)}`).join('; ');
  return `running ${def.name}: records from ${from}, preprocessor ${def.input.preprocessor.type}; results: ${to || 'no outputs'}`;
}
