/**
 * Errors of the whole project, typed by the phase that raises them. Every class ends in `Error` and sets
 * `name`, so logs and the CLI can tell them apart without `instanceof` across module copies.
 */

/** A position in a source text, 1-based. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Where in a file a problem is. */
export interface FileLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/**
 * Base of every error this project raises on purpose. Context (positions, file, field, stream) lives in fields:
 * `detail` is what went wrong on its own, `message` is composed once by the constructor from `detail` and the
 * error's own context (the SQL line and column, the config field), and nothing edits it afterwards. Where in a
 * file the problem is may be learnt later (a SQL error inside a YAML template): {@link locate} records it in
 * `location`, and {@link describeError} composes the text users see from it.
 */
export class StreamingAnalyticsError extends Error {
  /** What went wrong, without position or context. */
  readonly detail: string;
  /** The file (and line and column in it) the offending text was read from, when known. */
  location: FileLocation | undefined;
  constructor(detail: string, options?: ErrorOptions & { location?: FileLocation; message?: string }) {
    super(options?.message ?? detail, options);
    this.name = new.target.name;
    this.detail = detail;
    this.location = options?.location;
  }

  /** Records where in a file the problem is (the message is left as it is). Returns this error. */
  locate(location: FileLocation): this {
    this.location = location;
    return this;
  }
}

function positionPrefix(position: SourcePosition | undefined): string {
  return position ? `line ${position.line}, column ${position.column}: ` : '';
}

/** The SQL text (or a SQL type name) does not parse. Carries the position of the offending token when known. */
export class SqlSyntaxError extends StreamingAnalyticsError {
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** What the parser expected at that point, when it knows. */
  readonly expected: readonly string[];
  constructor(detail: string, position?: SourcePosition, expected: readonly string[] = []) {
    super(detail, { message: positionPrefix(position) + detail });
    this.line = position?.line;
    this.column = position?.column;
    this.expected = expected;
  }
}

/** The SQL parses but is not a valid application (unknown name, type mismatch, non-monotonic GROUP BY...). */
export class PlanError extends StreamingAnalyticsError {
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(detail: string, position?: SourcePosition) {
    super(detail, { message: positionPrefix(position) + detail });
    this.line = position?.line;
    this.column = position?.column;
  }
}

/** A construct of the dialect that this engine does not implement (yet). Raised at plan time, never silently. */
export class NotImplementedError extends StreamingAnalyticsError {
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(detail: string, position?: SourcePosition) {
    super(detail, { message: positionPrefix(position) + detail });
    this.line = position?.line;
    this.column = position?.column;
  }
}

/**
 * A valid application (or part of one) that has no faithful translation to another engine's dialect (Flink SQL):
 * reported with the position of the construct and why, never dropped.
 */
export class UnsupportedTranslationError extends StreamingAnalyticsError {
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly reason: string;
  constructor(reason: string, position?: SourcePosition) {
    super(position ? `line ${position.line}, column ${position.column}: ${reason}` : reason);
    this.reason = reason;
    this.line = position?.line;
    this.column = position?.column;
  }
}

/**
 * A failure while evaluating one row (division by zero, failed coercion...). The engine catches it, writes a
 * row to error_stream and goes on: it never stops the application.
 */
export class ExecutionError extends StreamingAnalyticsError {
  /** A short, stable name for error_stream.ERROR_NAME. */
  readonly errorName: string;
  /** The in-application stream the row was bound for, when known. */
  readonly stream: string | undefined;
  constructor(errorName: string, detail: string, options?: ErrorOptions & { stream?: string }) {
    super(detail, options);
    this.errorName = errorName;
    this.stream = options?.stream;
  }
}

/** Bytes that do not decode (a corrupt KPL aggregate, a payload that is not the declared format). */
export class CodecError extends StreamingAnalyticsError {}

/**
 * A configuration that is not valid. `field` names the offending field as a path (e.g. `input.columns[2].sqlType`),
 * or is undefined where the code that finds the problem does not know it (a JSONPath on its own: the caller that
 * knows the field wraps it); `location`, when known, is the file (and line and column) it was read from.
 */
export class ConfigError extends StreamingAnalyticsError {
  readonly field: string | undefined;
  constructor(field: string | undefined, detail: string, options?: ErrorOptions & { location?: FileLocation }) {
    super(detail, { ...options, message: field === undefined ? detail : `${field}: ${detail}` });
    this.field = field;
  }
}

/** An invariant broke: a bug in this project. */
export class InternalError extends StreamingAnalyticsError {
  constructor(detail: string, options?: ErrorOptions) {
    super(detail, { ...options, message: `internal error (a bug in streaming-analytics, please report it): ${detail}` });
  }
}

/**
 * The text a user sees for an error: `file:line:column: ` when the error knows where in a file it is, then the
 * message (which carries the error's own context: the SQL line and column, the config field).
 *
 * @example
 * describeError(new PlanError('unknown column TICKR', { line: 3, column: 17 }).locate({ file: 'app.sql', line: 3, column: 17 }))
 * // 'app.sql:3:17: line 3, column 17: unknown column TICKR'
 */
export function describeError(error: StreamingAnalyticsError): string {
  const loc = error.location;
  if (loc === undefined) return error.message;
  const where = loc.line === undefined ? loc.file : loc.column === undefined ? `${loc.file}:${loc.line}` : `${loc.file}:${loc.line}:${loc.column}`;
  return `${where}: ${error.message}`;
}

/**
 * The `default` of a switch that handles every member of a closed union (plan node kinds, aggregate kinds...).
 * `value` is typed `never`, so a member added to the union and not handled fails the type check here; at run
 * time it is reached only through a value from outside the type, which is a bug.
 */
export function unhandledKind(what: string, value: never): never {
  const v = value as unknown;
  const kind = typeof v === 'object' && v !== null && 'kind' in v ? (v as { kind: unknown }).kind : v;
  throw new InternalError(`no handler for ${what} ${JSON.stringify(kind)}`)
}

/** Plain words for the file-system error codes a user meets, so the message says what to fix. */
const FILE_SYSTEM_CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  ENOENT: 'no such file or folder',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
};

/**
 * A file-system operation failed. Names the operation and the path; `code` is the system's (ENOSPC, EACCES...).
 * `cause` keeps the original error for `--debug`.
 */
export class FileSystemError extends StreamingAnalyticsError {
  readonly path: string;
  readonly operation: string;
  readonly code: string | undefined;
  /** `detail` replaces the cause's description; `note` is appended (what was kept, what to do). */
  constructor(operation: string, path: string, cause: unknown, options: { detail?: string; note?: string } = {}) {
    const code = (cause as { code?: unknown } | undefined)?.code;
    const codeText = typeof code === 'string' ? code : undefined;
    const why = options.detail ?? (codeText ? `${FILE_SYSTEM_CAUSES[codeText] ?? (cause as Error).message} (${codeText})` : String((cause as Error | undefined)?.message ?? cause));
    super(`cannot ${operation} ${path}: ${why}${options.note ? `; ${options.note}` : ''}`, { cause });
    this.path = path;
    this.operation = operation;
    this.code = codeText;
  }
}

/**
 * A checkpoint file that cannot be trusted: damaged, altered, cut short or not a checkpoint at all. It is never
 * used; the message says what the user can do. An invalid-state error (exit code 3), like a bad configuration.
 */
export class CheckpointDamagedError extends ConfigError {
  readonly file: string;
  constructor(file: string, problem: string, options?: ErrorOptions) {
    super('checkpoint', `${problem}. It is not used. Restore a good copy of it, or move it away to start over from the source's starting position (rows already delivered may then be written again)`, { ...options, location: { file } });
    this.file = file;
  }
}
