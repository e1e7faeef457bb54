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
