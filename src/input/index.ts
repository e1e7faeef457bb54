export type { InputColumnConfig, InputDecoder, InputFormatConfig } from './input-decoder.js';
export { InputErrorNames } from './input-decoder.js';
export { createInputDecoder } from './create-input-decoder.js';
export type { PathSegment } from './json-path.js';
export { parseJsonPath, JsonPathSyntaxError } from './json-path.js';
export { parseDateBytes, parseTimeBytes, parseTimestampBytes } from './datetime-text.js';
