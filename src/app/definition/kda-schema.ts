/**
 * KDA's API shapes for input and reference schemas (RecordColumns + RecordFormat), as they appear in
 * CloudFormation templates and in describe-application output, turned into the definition's RecordFormatDefinition.
 */
import type { RecordFormatDefinition } from '../../spec/app-definition.js';
import { checkRecordFormat, kdaFields } from './check-record-format.js';
import type { FieldPath, SourceDocument } from './source-document.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON from a user's file, checked field by field */
export function readKdaSchema(src: SourceDocument, schema: any, path: FieldPath): RecordFormatDefinition {
  if (!isObject(schema)) throw src.error(path, 'is required: an object with RecordColumns and RecordFormat');
  const columns = schema.RecordColumns;
  if (!Array.isArray(columns) || columns.length === 0) {
    throw src.error([...path, 'RecordColumns'], 'must be a non-empty list of {Name, SqlType, Mapping}');
  }
  const format = schema.RecordFormat?.RecordFormatType;
  if (format !== 'JSON' && format !== 'CSV') {
    throw src.error([...path, 'RecordFormat', 'RecordFormatType'], `must be "JSON" or "CSV". Received ${JSON.stringify(format)}`);
  }
  if (schema.RecordEncoding !== undefined && String(schema.RecordEncoding).toUpperCase() !== 'UTF-8') {
    throw src.error([...path, 'RecordEncoding'], `only UTF-8 is supported (as in KDA). Received ${JSON.stringify(schema.RecordEncoding)}`);
  }
  const mp = schema.RecordFormat?.MappingParameters ?? {};
  const out = {
    format,
    columns: columns.map((c: any, i: number) => {
      const at = [...path, 'RecordColumns', i];
      if (!isObject(c) || typeof c.Name !== 'string' || c.Name === '') throw src.error([...at, 'Name'], 'must be a non-empty string');
      if (typeof c.SqlType !== 'string' || c.SqlType === '') throw src.error([...at, 'SqlType'], 'must be a SQL type such as VARCHAR(8)');
      if (c.Mapping !== undefined && typeof c.Mapping !== 'string') throw src.error([...at, 'Mapping'], 'must be a JSONPath string');
      return { name: c.Name, sqlType: c.SqlType, ...(c.Mapping !== undefined ? { mapping: c.Mapping } : {}) };
    }),
  } as { -readonly [K in keyof RecordFormatDefinition]: RecordFormatDefinition[K] };
  if (format === 'JSON') {
    const p = mp.JSONMappingParameters?.RecordRowPath;
    if (p !== undefined) out.recordRowPath = String(p);
  } else {
    const csv = mp.CSVMappingParameters ?? {};
    if (csv.RecordRowDelimiter !== undefined) out.rowDelimiter = String(csv.RecordRowDelimiter);
    if (csv.RecordColumnDelimiter !== undefined) out.columnDelimiter = String(csv.RecordColumnDelimiter);
  }
  checkRecordFormat(src, out, kdaFields(path));
  return out;
}

export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/* eslint-enable @typescript-eslint/no-explicit-any */
