/**
 * Where the parts of a definition that are checked after reading came from (a field of the file, a SQL file, an
 * option of the command line), so that a check on the whole application reports the position the user wrote.
 */
import { ConfigError } from '../../errors.js';
import type { ApplicationDefinition } from '../../spec/app-definition.js';
import type { ErrorSite, FieldPath } from './source-document.js';

/** Makes the error for one place: a field of a file, or an option of the command line. */
export type Site = (message: string) => ConfigError;

export interface DefinitionSites {
  /** The SQL: its field in the file, or its own file. */
  readonly sql: Site;
  /** Per output: the field naming its in-application stream. */
  readonly outputStreams: readonly Site[];
  /** Per output: the field of its key prefix, when it has one of its own. */
  readonly outputPrefixes: readonly (Site | undefined)[];
  /** Per reference table: the field of its location. */
  readonly referenceLocations: readonly Site[];
  /** The field naming the preprocessor module, when there is one. */
  readonly preprocessorModule?: Site;
}

/** A definition as a reader produced it, with the sites of its parts. */
export interface ReadDefinition {
  readonly definition: ApplicationDefinition;
  readonly sites: DefinitionSites;
}

export function fieldSite(src: ErrorSite, path: FieldPath): Site {
  return (message) => src.error(path, message);
}

export function optionSite(option: string): Site {
  return (message) => new ConfigError(option, message);
}

export function fileSite(file: string): Site {
  return (message) => new ConfigError('(file)', message, { location: { file, line: 1, column: 1 } });
}
