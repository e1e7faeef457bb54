export type {
  ApplicationDefinition,
  ColumnDefinition,
  DefinitionOrigin,
  DestinationDefinition,
  InputDefinition,
  OutputDefinition,
  PreprocessorDefinition,
  RecordFormatDefinition,
  ReferenceDefinition,
  SourceDefinition,
  StartingPosition,
} from '../../spec/app-definition.js';
export { DEFAULT_NAME_PREFIX, DEFAULT_BUFFER_INTERVAL_MS, DEFAULT_BUFFER_SIZE_BYTES, DEFAULT_ERROR_PREFIX } from '../../spec/app-definition.js';
export { loadApplicationDefinition, DEFINITION_FILE_NAMES } from './load-app-definition.js';
export type { ImportOptions } from './import-options.js';
export { parseDestination } from './destination.js';
export { sqlPositionInFile } from '../../spec/sql-position.js';
