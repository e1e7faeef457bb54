/**
 * How the AWS resources that a KDA application names (its source stream, preprocessor Lambda, Firehose or
 * Kinesis destinations, S3 reference object) map to things that run here. Used for CloudFormation templates,
 * describe-application JSON and Terraform files; the command line's `run`/`validate` options fill it.
 */
import type { DestinationDefinition, PreprocessorDefinition, SourceDefinition, StartingPosition } from '../../spec/app-definition.js';

export interface ImportOptions {
  /** Where records come from. @default - the embedded stream */
  readonly source?: SourceDefinition;
  /** The preprocessor stage. @default - built-in KPL de-aggregation when the application has an input Lambda, else none */
  readonly preprocessor?: PreprocessorDefinition;
  readonly startingPosition?: StartingPosition;
  /** Folder under which each output gets a local bucket folder named after it. @default - `output` */
  readonly outputDir?: string;
  /**
   * Destination per output name (KDA's Output.Name), overriding the local default; a name the application has no
   * output for adds one (JSON rows), within KDA's limit of outputs per application.
   */
  readonly destinations?: Readonly<Record<string, DestinationDefinition>>;
  /** Outputs whose rows carry their ROWTIME as first field (`--include-rowtime <stream>`), by stream name. */
  readonly includeRowtime?: readonly string[];
  /** Location (file path or s3:// URL) per reference table name, overriding the S3 object the application names. */
  readonly references?: Readonly<Record<string, string>>;
  /** CloudFormation parameter values, overriding the template's defaults (`AWS::Region`... override the pseudo parameters). */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Terraform variable values (`--var name=value`), overriding .tfvars files and defaults. */
  readonly variables?: Readonly<Record<string, string>>;
  /** Terraform .tfvars files (`--var-file`), later ones overriding earlier ones. */
  readonly varFiles?: readonly string[];
}

/** `ANALYTICS_OUTPUT` -> `analytics-output`: a folder name for an output. */
export function folderNameFor(outputName: string): string {
  return outputName.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'output';
}
