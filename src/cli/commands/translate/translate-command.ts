/**
 * `streaming-analytics translate <app> --to flink [--out dir]`: the application (any form `run` accepts) as a Flink
 * SQL script for the job in flink/, plus the Managed Service for Apache Flink application properties that carry it.
 * `run <app> --engine flink` (runOnFlink) runs the same translation on a local Flink MiniCluster.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { loadApplicationDefinition, type ApplicationDefinition, type OutputDefinition, type ReferenceDefinition, sqlPositionInFile } from '../../../app/definition/index.js';
import { compileApplication } from '../../../engine/index.js';
import { PlanError, SqlSyntaxError, UnsupportedTranslationError } from '../../../errors.js';
import { createInputDecoder } from '../../../input/index.js';
import { FileReplaySource } from '../../../kinesis/index.js';
import { deaggregate } from '../../../kpl/index.js';
import { type FlinkReference, type FlinkSink, type FlinkSource, translateApplication, type FlinkTranslation } from '../../../translate/index.js';
import { ExitCode } from '../../exit-codes.js';
import { addImportOptions, importOptionsFrom, type RunCommandOptions } from '../run/run-command.js';
import { DISABLE_KINESIS_CBOR_FLAG, ensureFlinkJar, type FlinkRunOptions, jvmFlagsFromEnv, runFlinkScript } from './flink-job.js';

/** MSF application properties: the script cut into values of at most this many characters. */
export const PROPERTY_CHUNK = 2000;

export interface TranslateCommandOptions extends RunCommandOptions {
  to?: string;
  out?: string;
}

/** SQL positions in the file the user wrote, as `run` reports them. */
function locate(e: unknown, def: ApplicationDefinition): unknown {
  if ((e instanceof SqlSyntaxError || e instanceof PlanError || e instanceof UnsupportedTranslationError) && e.line !== undefined && e.column !== undefined) {
    const at = sqlPositionInFile(def.origin, e.line, e.column);
    e.message = `${at.file}:${at.line}:${at.column}: ${e.message}`;
  }
  return e;
}

function sinkOf(o: OutputDefinition): FlinkSink {
  const d = o.destination;
  const base = { stream: o.stream, format: o.format, ...(o.includeRowtime ? { includeRowtime: true } : {}) };
  switch (d.type) {
    case 'local':
      return { ...base, target: { kind: 's3', url: `file://${path.resolve(d.path, o.prefix)}`, rolloverMs: o.bufferIntervalMs } };
    case 's3':
      return { ...base, target: { kind: 's3', url: `s3://${d.bucket}/${d.prefix}${o.prefix}`, rolloverMs: o.bufferIntervalMs } };
    case 'kinesis':
      return { ...base, target: { kind: 'kinesis', streamName: d.streamName, ...(d.region ? { region: d.region } : {}), ...(d.endpoint ? { endpoint: d.endpoint } : {}) } };
    case 'stdout':
      return { ...base, target: { kind: 'stdout' } };
  }
}

function kinesisSource(def: ApplicationDefinition): FlinkSource {
  const src = def.input.source;
  const startingPosition = def.input.startingPosition === 'TRIM_HORIZON' ? 'TRIM_HORIZON' : 'LATEST';
  if (src.type === 'kinesis') return { kind: 'kinesis', streamName: src.streamName, startingPosition, ...(src.region ? { region: src.region } : {}), ...(src.endpoint ? { endpoint: src.endpoint } : {}) };
  // A definition that reads a file or the embedded stream names no Kinesis stream: the script reads one named
  // after the application (pass --source kinesis://<stream> to choose it).
  return { kind: 'kinesis', streamName: def.name, startingPosition };
}

/**
 * A reference table as the job reads it: the S3 object the application names (read on MSF through its S3 file
 * system, with the application role's s3:GetObject), or a local file as a file:// URI (local runs).
 */
function referenceOf(r: ReferenceDefinition): FlinkReference {
  const location = r.location.startsWith('s3://') ? r.location : `file://${path.resolve(r.location)}`;
  return { tableName: r.tableName, format: { ...r, columns: [...r.columns] }, location };
}

/** Binds the application (the engine's function registry) and translates its plan. */
export function translateDefinition(def: ApplicationDefinition, source: FlinkSource, sinks: readonly FlinkSink[], stopAt?: number): FlinkTranslation {
  try {
    if (def.input.preprocessor.type === 'module') {
      throw new UnsupportedTranslationError('an input preprocessor module (a KDA preprocessing Lambda) runs in Node; the Flink job has no equivalent stage');
    }
    const input = { ...def.input, columns: [...def.input.columns] };
    const decoder = createInputDecoder(input);
    const app = compileApplication({
      sql: def.sql,
      inputs: [{ name: `${def.input.namePrefix}_001`, columns: decoder.columns.map((c) => ({ name: c.name, type: c.type })) }],
      references: def.references.map((r) => ({ name: r.tableName, columns: createInputDecoder({ ...r, columns: [...r.columns] }).columns.map((c) => ({ name: c.name, type: c.type })), rows: [] })),
    });
    const references = def.references.map(referenceOf);
    return translateApplication({ plan: app.plan, input, source, sinks, references, ...(stopAt !== undefined ? { stopAt } : {}) });
  } catch (e) {
    throw locate(e, def);
  }
}

/** The MSF property groups that carry a script (flink/README.md: group SqlJob, keys sql.000, sql.001, ...). */
export function applicationProperties(script: string): { PropertyGroupId: string; PropertyMap: Record<string, string> }[] {
  const map: Record<string, string> = {};
  for (let i = 0, k = 0; i < script.length; i += PROPERTY_CHUNK, k++) map[`sql.${String(k).padStart(3, '0')}`] = script.slice(i, i + PROPERTY_CHUNK);
  return [{ PropertyGroupId: 'SqlJob', PropertyMap: map }];
}

export function registerTranslateCommand(program: Command, setCode: (code: number) => void): void {
  addImportOptions(
    program
      .command('translate')
      .description('translate an application to Flink SQL for the Flink job in flink/ (exit 3 with line, column and why when a construct has no faithful translation)')
      .argument('<app>', 'application: a folder with application.yaml, a definition file, a CloudFormation template or describe-application JSON'),
  )
    .requiredOption('--to <engine>', 'target engine: flink')
    .option('--out <dir>', 'write <dir>/<name>.flink.sql and <dir>/application-properties.json instead of printing the script')
    .action((app: string, opts: TranslateCommandOptions) => setCode(translateCommand(app, opts)));
}

export function translateCommand(app: string, o: TranslateCommandOptions, out: (s: string) => void = (s) => process.stdout.write(s)): number {
  if (o.to !== 'flink') throw new InvalidArgumentError(`--to ${o.to ?? ''}: the only target is flink`);
  const def = loadApplicationDefinition(app, importOptionsFrom(o));
  const t = translateDefinition(def, kinesisSource(def), def.outputs.map(sinkOf));
  if (o.out) {
    mkdirSync(o.out, { recursive: true });
    const sqlFile = path.join(o.out, `${def.name}.flink.sql`);
    writeFileSync(sqlFile, t.script);
    writeFileSync(path.join(o.out, 'application-properties.json'), `${JSON.stringify(applicationProperties(t.script), null, 2)}\n`);
    process.stderr.write(`wrote ${sqlFile} and ${path.join(o.out, 'application-properties.json')}\n`);
  } else out(t.script);
  for (const s of t.emptyOutputs) process.stderr.write(`note: no pump writes stream ${s}; its output is left out\n`);
  return ExitCode.OK;
}

/**
 * `run --engine flink`: the translated application on a local MiniCluster. A file source is replayed as
 * arrival-stamped payloads (KPL aggregates de-aggregated by our own de-aggregator first); a Kinesis source is
 * read by Flink's Kinesis connector. Outputs go where `run` delivers them.
 */
export async function runOnFlink(app: string, o: RunCommandOptions & { parallelism?: number }): Promise<number> {
  const def = loadApplicationDefinition(app, importOptionsFrom(o));
  const src = def.input.source;
  let source: FlinkSource;
  const work = mkdtempSync(path.join(tmpdir(), 'sa-flink-run-'));
  if (src.type === 'file') {
    const records = path.join(work, 'records.jsonl');
    const lines: string[] = [];
    const reader = new FileReplaySource({ path: src.path });
    await reader.start('TRIM_HORIZON');
    const text = new TextDecoder();
    const stamp = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      for (const rec of r.records) {
        const users = def.input.preprocessor.type === 'kpl' ? deaggregate(rec).map((u) => u.data) : [rec.data];
        for (const d of users) lines.push(JSON.stringify({ at: stamp(rec.approximateArrivalTimestamp), arrival: stamp(rec.approximateArrivalTimestamp), data: text.decode(d) }));
        if (o.records !== undefined && lines.length >= o.records) break;
      }
    }
    writeFileSync(records, lines.join('\n') + '\n');
    source = { kind: 'file', path: records };
  } else if (src.type === 'kinesis') {
    source = kinesisSource(def);
  } else {
    throw new InvalidArgumentError('--engine flink reads a file:// or kinesis:// source (the embedded stream lives in this Node process)');
  }
  const t = translateDefinition(def, source, def.outputs.map(sinkOf));
  const script = path.join(work, `${def.name}.flink.sql`);
  writeFileSync(script, t.script);
  for (const s of t.emptyOutputs) process.stderr.write(`note: no pump writes stream ${s}; its output is left out${s.toLowerCase() === 'error_stream' ? ' (the Flink job has no error_stream)' : ''}\n`);
  const jar = ensureFlinkJar(undefined, (s) => process.stderr.write(`${s}\n`));
  const options = localRunOptions(def, source, o.duration);
  process.stderr.write(`running ${def.name} on a local Flink MiniCluster (script ${script}${o.duration !== undefined ? `, stopping after ${o.duration} ms with a draining savepoint` : ''})\n`);
  const r = await runFlinkScript(jar, script, o.parallelism ?? 1, (s) => process.stderr.write(s), options);
  return r.code === 0 ? ExitCode.OK : ExitCode.RUNTIME_FAILURE;
}

/**
 * What a local run needs beyond the script: the JVM flags of SA_FLINK_JVM_OPTS, plus
 * DISABLE_KINESIS_CBOR_FLAG when the Kinesis source has its own endpoint (an emulator such as kinesalite cuts
 * large CBOR answers short; Kinesis itself accepts JSON too); for S3 outputs at an endpoint of their own
 * (radosgw, MinIO) the endpoint and path-style access as Flink configuration (keys come from the environment, as
 * for `run`); and checkpoints as often as the shortest buffer interval of a file or S3 output, because Flink's
 * filesystem sink commits its part files at checkpoints. A failure ends the run (no restarts).
 */
export function localRunOptions(def: ApplicationDefinition, source: FlinkSource, durationMs?: number): FlinkRunOptions {
  const jvmFlags = jvmFlagsFromEnv();
  if (source.kind === 'kinesis' && source.endpoint && !jvmFlags.includes(DISABLE_KINESIS_CBOR_FLAG)) jvmFlags.push(DISABLE_KINESIS_CBOR_FLAG);
  // A local check fails with the job's error instead of restarting it over and over (Flink's default once
  // checkpointing is on).
  const conf: Record<string, string> = { 'restart-strategy.type': 'none' };
  const fileOutputs = def.outputs.filter((x) => x.destination.type === 'local' || x.destination.type === 's3');
  if (fileOutputs.length > 0) conf['execution.checkpointing.interval'] = `${Math.max(1000, Math.min(...fileOutputs.map((x) => x.bufferIntervalMs)))} ms`;
  const endpoints = new Set(def.outputs.flatMap((x) => (x.destination.type === 's3' && x.destination.endpoint ? [x.destination.endpoint] : [])));
  if (endpoints.size > 1) throw new InvalidArgumentError(`--engine flink: S3 outputs at different endpoints (${[...endpoints].join(', ')}) share one Flink file system; give them one endpoint`);
  for (const e of endpoints) {
    conf['s3.endpoint'] = e;
    conf['s3.path.style.access'] = 'true';
  }
  return { jvmFlags, conf, ...(durationMs !== undefined ? { stopAfterMs: durationMs } : {}) };
}
