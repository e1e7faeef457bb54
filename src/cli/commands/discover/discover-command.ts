/**
 * `streaming-analytics discover <source>`: infers an input schema from a sample of records (KDA's
 * DiscoverInputSchema) and prints the `input:` block of an application definition, or writes a new application
 * folder with `--write`. The preview of mapped rows, the notes and the records that did not fit go to stderr, so
 * stdout holds only the YAML (or, with --json, one JSON document).
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { PreprocessorDefinition } from '../../../app/definition/index.js';
import {
  discoverInputSchema, formatTable, inputBlock, inputBlockYaml, previewRows, sampleRecords, writeApplicationFolder,
  type SampleSource,
} from '../../../discover/index.js';
import { ExitCode } from '../../exit-codes.js';
import { parseDuration, parsePositiveInt, parsePreprocessor, parseSource } from '../../option-parsers.js';

export interface DiscoverCommandOptions {
  kinesisEndpoint?: string;
  region?: string;
  preprocessor: string;
  sample: number;
  sampleTime: number;
  startingPosition?: 'NOW' | 'TRIM_HORIZON';
  format?: 'JSON' | 'CSV';
  rowPath?: string;
  arrays: 'text' | 'rows';
  write?: string;
  json?: boolean;
  seed?: number;
  preview: number;
}

function oneOf<T extends string>(values: readonly T[]): (text: string) => T {
  return (text) => {
    if ((values as readonly string[]).includes(text)) return text as T;
    throw new InvalidArgumentError(`'${text}' is not one of ${values.join(', ')}`);
  };
}

export function registerDiscoverCommand(program: Command, setCode: (code: number) => void): void {
  program
    .command('discover')
    .description("infer an application's input schema from a sample of records (like KDA's DiscoverInputSchema) and print its input: block")
    .argument('<source>', 'embedded (the demo producer), kinesis://<stream-name>, file://<path> (a replay file, as run --source reads it) or a plain file of records, one per line')
    .option('--kinesis-endpoint <url>', 'Kinesis API endpoint for kinesis:// sources (e.g. a local emulator); default: AWS')
    .option('--region <region>', 'AWS region for kinesis:// sources')
    .option('--preprocessor <kind>', 'none, kpl (built-in KPL de-aggregation; records without the KPL magic pass through) or module:<path>', 'kpl')
    .option('--sample <n>', 'records (after preprocessing) to infer the schema from', parsePositiveInt, 300)
    .option('--sample-time <time>', 'stop sampling a live source after this long (e.g. 5s)', parseDuration, 5000)
    .option('--starting-position <position>', 'kinesis:// sources: TRIM_HORIZON (the default: the oldest records) or NOW', oneOf(['NOW', 'TRIM_HORIZON'] as const))
    .option('--format <format>', 'JSON or CSV instead of detecting it', oneOf(['JSON', 'CSV'] as const))
    .option('--row-path <jsonpath>', "JSON: the record row path (default $, or $[0:] when records are arrays), e.g. '$.orders[0:]'")
    .option('--arrays <how>', 'JSON arrays of objects inside a row: text (their JSON text) or rows (one row per element, mapped with [0:])', oneOf(['text', 'rows'] as const), 'text')
    .option('--write <folder>', 'write a new application folder (application.yaml + a pass-through application.sql) instead of printing')
    .option('--preview <n>', 'rows to show as the schema maps them', parsePositiveInt, 10)
    .option('--seed <n>', 'embedded source: seed of the generated records', parsePositiveInt)
    .option('--json', 'print one JSON document (schema, notes, preview, records that did not fit) instead of YAML')
    .action(async (source: string, opts: DiscoverCommandOptions) => setCode(await discoverCommand(source, opts)));
}

/** `kinesis://`, `file://` and `embedded` are sources `run` reads; anything else is a plain file of records. */
export function parseSampleSource(text: string, endpoint?: string, region?: string): SampleSource {
  if (text === 'embedded' || /^(kinesis|file):/.test(text)) return parseSource(text, endpoint, region);
  return { type: 'records', path: text };
}

export async function discoverCommand(sourceText: string, o: DiscoverCommandOptions, out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  const source = parseSampleSource(sourceText, o.kinesisEndpoint, o.region);
  const preprocessor: PreprocessorDefinition = parsePreprocessor(o.preprocessor);
  const sample = await sampleRecords(source, { preprocessor, maxRecords: o.sample, maxMs: o.sampleTime, startingPosition: o.startingPosition, seed: o.seed });
  const discovery = discoverInputSchema(sample.payloads, { format: o.format, recordRowPath: o.rowPath, arrays: o.arrays });
  const preview = previewRows(discovery.schema, sample.payloads, o.preview);
  const runSource = source.type === 'records' ? undefined : source;
  const unfit = [
    ...sample.failed.map((f) => ({ record: null as number | null, reason: f.reason, text: Buffer.from(f.data).toString('utf8', 0, 200) })),
    ...discovery.unfit.map((u) => ({ record: u.index, reason: u.reason, text: u.text })),
    // A record discovery set aside fails the decoder too; it is listed once, with discovery's reason.
    ...preview.errors.filter((e) => !discovery.unfit.some((u) => u.index === e.index)).map((e) => ({ record: e.index, reason: e.reason, text: e.text.slice(0, 200) })),
  ];
  const summary = `${sample.sourceRecords} source record(s), ${sample.payloads.length} record(s) after preprocessing (${preprocessor.type}), ${discovery.rows} row(s): ${discovery.schema.format}, ${discovery.schema.columns.length} column(s)`;
  if (o.json) {
    out(
      JSON.stringify({
        summary,
        input: inputBlock(discovery.schema, { source: runSource, preprocessor }),
        notes: discovery.notes,
        preview: { columns: preview.columns.map((c) => c.name), rows: preview.rows },
        unfit,
      }) + '\n',
    );
    return ExitCode.OK;
  }
  err(`${summary}\n\n${formatTable(preview.columns, preview.rows)}\n\n`);
  if (discovery.notes.length > 0) err(`notes:\n${discovery.notes.map((n) => `  - ${n}\n`).join('')}\n`);
  if (unfit.length > 0) {
    err(`${unfit.length} record(s) did not fit:\n`);
    for (const u of unfit.slice(0, 20)) err(`  ${u.record === null ? 'preprocessing' : `record ${u.record}`}: ${u.reason}\n    ${JSON.stringify(u.text)}\n`);
    if (unfit.length > 20) err(`  ... and ${unfit.length - 20} more\n`);
    err('\n');
  }
  if (o.write) {
    const files = writeApplicationFolder(o.write, discovery.schema, { source: runSource, preprocessor });
    err(`wrote ${files.join(' and ')}; run it with: streaming-analytics run ${o.write}\n`);
    return ExitCode.OK;
  }
  out(inputBlockYaml(discovery.schema, { source: runSource, preprocessor }));
  return ExitCode.OK;
}
