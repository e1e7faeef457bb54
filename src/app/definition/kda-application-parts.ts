/**
 * Pieces shared by the two importers of AWS's own descriptions of a KDA application (CloudFormation and
 * describe-application): outputs, reference tables and the preprocessor, mapped through ImportOptions.
 */
import { join } from 'node:path';
import {
  DEFAULT_BUFFER_INTERVAL_MS,
  DEFAULT_BUFFER_SIZE_BYTES,
  DEFAULT_ERROR_PREFIX,
  type OutputDefinition,
  type PreprocessorDefinition,
} from '../../spec/app-definition.js';
import { folderNameFor, type ImportOptions } from './import-options.js';

/**
 * An output of the application. Locally, every output defaults to a local bucket folder named after the output,
 * under `outputDir`, whatever AWS destination (Firehose, Kinesis, Lambda) the application named.
 */
export function importOutput(name: string, format: string | undefined, options: ImportOptions): OutputDefinition {
  const destination = options.destinations?.[name] ?? { type: 'local' as const, path: join(options.outputDir ?? 'output', folderNameFor(name)) };
  return {
    stream: name,
    destination,
    format: format === 'CSV' ? 'CSV' : 'JSON',
    // Firehose's defaults are 5 MiB / 300 s; locally a short interval makes results visible sooner.
    bufferSizeBytes: DEFAULT_BUFFER_SIZE_BYTES,
    bufferIntervalMs: destination.type === 'local' || destination.type === 'stdout' ? 1000 : DEFAULT_BUFFER_INTERVAL_MS,
    prefix: name.toLowerCase() === 'error_stream' ? DEFAULT_ERROR_PREFIX : '',
  };
}

/** The seed's input Lambda is the KPL de-aggregation blueprint, so an input Lambda maps to the built-in one. */
export function importPreprocessor(hasInputLambda: boolean, options: ImportOptions): PreprocessorDefinition {
  return options.preprocessor ?? (hasInputLambda ? { type: 'kpl' } : { type: 'none' });
}

/** `arn:aws:s3:::my-bucket` -> `my-bucket`; undefined when the ARN is not a literal string. */
export function bucketFromArn(arn: unknown): string | undefined {
  if (typeof arn !== 'string') return undefined;
  const m = /^arn:aws[a-z-]*:s3:::([^/]+)$/.exec(arn);
  return m ? m[1] : undefined;
}
