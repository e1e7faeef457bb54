/**
 * Exit codes of the command, so that scripts can tell a usage mistake from a bad application from a failure
 * while running.
 */
import { ConfigError, NotImplementedError, PlanError, SqlSyntaxError, UnsupportedTranslationError } from '../errors.js';

export const ExitCode = {
  OK: 0,
  /** Something failed while running (an endpoint, a file, a bug). */
  RUNTIME_FAILURE: 1,
  /** The command line itself is wrong: unknown command or option, missing argument, bad option value. */
  USAGE: 2,
  /** The application is not valid: its SQL, its schema or its configuration. */
  INVALID_APPLICATION: 3,
} as const;

export function exitCodeFor(error: unknown): number {
  if (error instanceof SqlSyntaxError || error instanceof PlanError || error instanceof NotImplementedError || error instanceof ConfigError || error instanceof UnsupportedTranslationError) {
    return ExitCode.INVALID_APPLICATION;
  }
  return ExitCode.RUNTIME_FAILURE;
}
