/**
 * JSON Schema of the project's own application-definition file (YAML or JSON). Validated with ajv; the loader
 * turns ajv's first error into a ConfigError that names the field.
 */
const column = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'sqlType'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 128 },
    sqlType: { type: 'string', minLength: 1 },
    mapping: { type: 'string', pattern: '^\\$' },
  },
} as const;

const recordFormat = {
  format: { enum: ['JSON', 'CSV'] },
  recordRowPath: { type: 'string', pattern: '^\\$' },
  rowDelimiter: { type: 'string', minLength: 1 },
  columnDelimiter: { type: 'string', minLength: 1 },
  columns: { type: 'array', minItems: 1, maxItems: 1000, items: column },
} as const;

const endpoint = { type: 'string', pattern: '^https?://' } as const;

export const definitionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['input'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.-]+$' },
    sql: { type: 'string', minLength: 1, maxLength: 102400 },
    sqlFile: { type: 'string', minLength: 1 },
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['format', 'columns'],
      properties: {
        namePrefix: { type: 'string', minLength: 1, maxLength: 32 },
        source: {
          oneOf: [
            { enum: ['embedded'] },
            {
              type: 'object', additionalProperties: false, required: ['type'],
              properties: { type: { const: 'embedded' }, shards: { type: 'integer', minimum: 1, maximum: 64 } },
            },
            {
              type: 'object', additionalProperties: false, required: ['type', 'streamName'],
              properties: {
                type: { const: 'kinesis' },
                streamName: { type: 'string', pattern: '^[a-zA-Z0-9_.-]{1,128}$' },
                endpoint,
                region: { type: 'string', minLength: 1 },
              },
            },
            {
              type: 'object', additionalProperties: false, required: ['type', 'path'],
              properties: {
                type: { const: 'file' }, path: { type: 'string', minLength: 1 }, speed: { type: 'number', minimum: 0 },
                format: { enum: ['replay', 'ndjson', 'csv', 'lines'] }, rate: { type: 'number', exclusiveMinimum: 0 },
              },
            },
          ],
        },
        startingPosition: { enum: ['NOW', 'TRIM_HORIZON', 'LAST_STOPPED_POINT'] },
        preprocessor: {
          oneOf: [
            { enum: ['none', 'kpl'] },
            {
              type: 'object', additionalProperties: false, required: ['module'],
              properties: { module: { type: 'string', minLength: 1 }, timeoutSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 900 } },
            },
          ],
        },
        ...recordFormat,
      },
    },
    reference: {
      type: 'array',
      maxItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['tableName', 'location', 'format', 'columns'],
        properties: {
          tableName: { type: 'string', minLength: 1, maxLength: 32 },
          location: { type: 'string', minLength: 1 },
          endpoint,
          ...recordFormat,
        },
      },
    },
    outputs: {
      type: 'array',
      maxItems: 3,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['stream', 'destination'],
        properties: {
          stream: { type: 'string', minLength: 1, maxLength: 32 },
          destination: { type: 'string', minLength: 1 },
          endpoint,
          region: { type: 'string', minLength: 1 },
          format: { enum: ['JSON', 'CSV'] },
          prefix: { type: 'string' },
          bufferSizeBytes: { type: 'integer', minimum: 1, maximum: 128 * 1024 * 1024 },
          bufferIntervalMs: { type: 'integer', minimum: 0, maximum: 900_000 },
          includeRowtime: { type: 'boolean' },
        },
      },
    },
  },
} as const;
