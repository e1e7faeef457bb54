/**
 * The application definition: one description of a KDA-style application that drives local runs, replays and
 * the AWS deployment. It is what every accepted file form (our YAML/JSON, a CloudFormation template holding an
 * `AWS::KinesisAnalytics::Application` or a V2 SQL application, the JSON of `describe-application`, a Terraform
 * `aws_kinesis_analytics_application`) becomes.
 */

/** One column of the input or of a reference table, as KDA's RecordColumn. */
export interface ColumnDefinition {
  readonly name: string;
  readonly sqlType: string;
  /** JSONPath of the value (JSON records only). */
  readonly mapping?: string;
}

/** How record payloads map to rows: KDA's RecordFormat + RecordColumns. */
export interface RecordFormatDefinition {
  readonly format: 'JSON' | 'CSV';
  /** JSON: path to the parent of the records. Default `$`. */
  readonly recordRowPath?: string;
  /** CSV: row delimiter. Default `\n`. */
  readonly rowDelimiter?: string;
  /** CSV: column delimiter. Default `,`. */
  readonly columnDelimiter?: string;
  readonly columns: readonly ColumnDefinition[];
}

export type StartingPosition = 'NOW' | 'TRIM_HORIZON' | 'LAST_STOPPED_POINT';

/** Where records come from. */
export type SourceDefinition =
  /** The in-process stream (the default): records come from the `produce` command run in the same process. */
  | { readonly type: 'embedded'; readonly shards?: number }
  /** A Kinesis data stream through the Kinesis API, on AWS or at any endpoint (a local emulator). */
  | { readonly type: 'kinesis'; readonly streamName: string; readonly endpoint?: string; readonly region?: string }
  /** A file: a recording (replay lines with arrival times, CSV with an arrival column, a dump) or plain records. */
  | {
      readonly type: 'file';
      readonly path: string;
      /** What the file holds (see FileSourceFormat). @default - detected from its first line */
      readonly format?: FileSourceFormat;
      /** Plain records only: arrivals this many per second from the first record's time. @default - each arrives when read */
      readonly rate?: number;
      /** Pace of the replay: 0 (the default) as fast as possible, 1 keeps the gaps between arrival times, 2 halves them. */
      readonly speed?: number;
    };

/**
 * `replay`: the project's recording format (NDJSON lines `{"at", "data" | "dataBase64", ...}`, a CSV file with an
 * arrival-time column `at`, or a stream dump). `ndjson`, `csv`, `lines`: one record per line, the line as the
 * record's data (a CSV file without a header, as KDA's CSV records have none).
 */
export type FileSourceFormat = 'replay' | 'ndjson' | 'csv' | 'lines';

/**
 * What KPL de-aggregation does with a record that starts with the KPL magic but fails verification (too short, a
 * wrong MD5, a body that does not parse): `fail` (the default) makes it one error_stream row; `pass-through` hands
 * its bytes on as one plain record, as the KCL does. The same two policies exist on every host.
 */
export type CorruptAggregatePolicy = 'fail' | 'pass-through';

/** The preprocessing stage between the stream and the input mapping. */
export type PreprocessorDefinition =
  | { readonly type: 'none' }
  /** The built-in KPL de-aggregation (what the seed's Lambda blueprint did). */
  | { readonly type: 'kpl'; readonly corruptAggregates?: CorruptAggregatePolicy }
  /** A module exporting `handler`, implementing the KDA input-preprocessing contract. */
  | {
      readonly type: 'module';
      readonly path: string;
      /** How long the handler may take to answer a batch. @default 60000 */
      readonly timeoutMs?: number;
    };

export interface InputDefinition extends RecordFormatDefinition {
  /** The in-application input stream is `<namePrefix>_001`. Default `SOURCE_SQL_STREAM`. */
  readonly namePrefix: string;
  readonly source: SourceDefinition;
  readonly startingPosition: StartingPosition;
  readonly preprocessor: PreprocessorDefinition;
}

export interface ReferenceDefinition extends RecordFormatDefinition {
  readonly tableName: string;
  /** A local file path or an `s3://bucket/key` URL. */
  readonly location: string;
  /** For s3:// locations: the S3 endpoint (a local radosgw, for example). Default: AWS. */
  readonly endpoint?: string;
}

export type DestinationDefinition =
  /** A local folder laid out like Firehose writes to S3. */
  | { readonly type: 'local'; readonly path: string }
  | { readonly type: 's3'; readonly bucket: string; readonly prefix: string; readonly endpoint?: string; readonly region?: string }
  | { readonly type: 'kinesis'; readonly streamName: string; readonly endpoint?: string; readonly region?: string }
  | { readonly type: 'stdout' };

export interface OutputDefinition {
  /** The in-application stream to deliver (`error_stream` included). Case-sensitive, as KDA's Output.Name. */
  readonly stream: string;
  readonly destination: DestinationDefinition;
  readonly format: 'JSON' | 'CSV';
  /** Deliver when this many bytes are buffered. */
  readonly bufferSizeBytes: number;
  /** Deliver at least this often (ms). */
  readonly bufferIntervalMs: number;
  /** Key prefix inside the destination (Firehose's Prefix); error_stream rows default to `errors/`. */
  readonly prefix: string;
  /**
   * Deliver each row's ROWTIME as its first field. @default false: exactly the stream's columns, in declared order,
   * as KDA delivered them (ROWTIME is not returned unless selected as a column).
   */
  readonly includeRowtime?: boolean;
}

export interface ApplicationDefinition {
  readonly name: string;
  readonly sql: string;
  readonly input: InputDefinition;
  readonly references: readonly ReferenceDefinition[];
  readonly outputs: readonly OutputDefinition[];
  /** Where the definition came from, so that errors can name the file and the position of the SQL in it. */
  readonly origin: DefinitionOrigin;
}

/** The file a definition was read from and where its SQL starts in that file (1-based), when known. */
export interface DefinitionOrigin {
  readonly file: string;
  readonly form: 'definition' | 'cloudformation' | 'describe-application' | 'terraform';
  readonly sqlFile?: string;
  /** Position of the first SQL character in `sqlFile ?? file`; SQL positions are shifted by it. */
  readonly sqlStart?: { readonly line: number; readonly column: number };
  /** The SQL text sits in the file as an indented block (YAML): columns of lines after the first shift by this. */
  readonly sqlIndent?: number;
  /**
   * The SQL sits in the file as a quoted string (a JSON string, say): its text as written, escapes and all, so
   * that a position after an escaped newline still maps to the file's line and column.
   */
  readonly sqlQuoted?: { readonly style: 'double' | 'single'; readonly text: string };
}

export const DEFAULT_NAME_PREFIX = 'SOURCE_SQL_STREAM';
/** Firehose's defaults for S3 delivery: 5 MiB or 300 s, whichever comes first. */
export const DEFAULT_BUFFER_SIZE_BYTES = 5 * 1024 * 1024;
export const DEFAULT_BUFFER_INTERVAL_MS = 300_000;
export const DEFAULT_ERROR_PREFIX = 'errors/';
