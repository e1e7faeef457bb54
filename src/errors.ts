/**
 * Errors of the whole project, typed by the phase that raises them. Every class ends in `Error` and sets
 * `name`, so logs and the CLI can tell them apart without `instanceof` across module copies.
 */

/** A position in a source text, 1-based. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Base of every error this project raises on purpose. */
export class StreamingAnalyticsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The SQL text does not parse. Carries the position of the offending token. */
export class SqlSyntaxError extends StreamingAnalyticsError {
  readonly line: number;
  readonly column: number;
  /** What the parser expected at that point, when it knows. */
  readonly expected: readonly string[];
  constructor(message: string, position: SourcePosition, expected: readonly string[] = []) {
    super(`line ${position.line}, column ${position.column}: ${message}`);
    this.line = position.line;
    this.column = position.column;
    this.expected = expected;
  }
}

/** The SQL parses but is not a valid application (unknown name, type mismatch, non-monotonic GROUP BY...). */
export class PlanError extends StreamingAnalyticsError {
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(message: string, position?: SourcePosition) {
    super(position ? `line ${position.line}, column ${position.column}: ${message}` : message);
    this.line = position?.line;
    this.column = position?.column;
  }
}

/** A construct of the dialect that this engine does not implement (yet). Raised at plan time, never silently. */
export class NotImplementedError extends StreamingAnalyticsError {}

/**
 * A failure while evaluating one row (division by zero, failed coercion...). The engine catches it, writes a
 * row to error_stream and goes on: it never stops the application.
 */
export class ExecutionError extends StreamingAnalyticsError {
  /** A short, stable name for error_stream.ERROR_NAME. */
  readonly errorName: string;
  constructor(errorName: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.errorName = errorName;
  }
}

/** Bytes that do not decode (a corrupt KPL aggregate, a payload that is not the declared format). */
export class CodecError extends StreamingAnalyticsError {}

/** Where in a file a configuration problem is. */
export interface FileLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/**
 * A configuration that is not valid. `field` names the offending field as a path (e.g. `input.columns[2].sqlType`);
 * `location`, when known, is the file (and line and column) it was read from.
 */
export class ConfigError extends StreamingAnalyticsError {
  readonly field: string;
  readonly location: FileLocation | undefined;
  constructor(field: string, message: string, options?: ErrorOptions & { location?: FileLocation }) {
    const loc = options?.location;
    const where = loc ? `${loc.file}${loc.line ? `:${loc.line}${loc.column ? `:${loc.column}` : ''}` : ''}: ` : '';
    super(`${where}${field}: ${message}`, options);
    this.field = field;
    this.location = loc;
  }
}

/** An invariant broke: a bug in this project. */
export class InternalError extends StreamingAnalyticsError {
  constructor(message: string, options?: ErrorOptions) {
    super(`internal error (a bug in streaming-analytics, please report it): ${message}`, options);
  }
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
