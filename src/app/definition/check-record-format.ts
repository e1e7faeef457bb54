/**
 * Checks a record format (columns, SQL types, JSONPath mappings, delimiters) when the definition is read, so that
 * a mistake is reported with the file, line and column of the field as the user wrote it (in the project's form
 * or in KDA's RecordColumns), not later by the input decoder with a path relative to the format alone.
 */
import { ConfigError } from '../../errors.js';
import { createInputDecoder } from '../../input/index.js';
import type { RecordFormatDefinition } from '../../spec/app-definition.js';
import type { FieldPath, SourceDocument } from './source-document.js';

/** The decoder's field (`columns[2].sqlType`, `recordRowPath`) as a path in the file's own vocabulary. */
export type FieldMapper = (field: readonly (string | number)[]) => FieldPath;

export function checkRecordFormat(src: SourceDocument, format: RecordFormatDefinition, where: FieldMapper): void {
  try {
    createInputDecoder({ ...format, columns: [...format.columns] });
  } catch (e) {
    if (!(e instanceof ConfigError) || e.location !== undefined) throw e;
    const field = e.field.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const prefix = `${e.field}: `;
    throw src.error(where(field), e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message);
  }
}

/** The project's own form names the fields as the decoder does, under `base` (e.g. `input`). */
export function ownFields(base: FieldPath): FieldMapper {
  return (field) => [...base, ...field];
}

const KDA_COLUMN_FIELDS: Record<string, string> = { name: 'Name', sqlType: 'SqlType', mapping: 'Mapping' };
const KDA_FORMAT_FIELDS: Record<string, FieldPath> = {
  format: ['RecordFormat', 'RecordFormatType'],
  recordRowPath: ['RecordFormat', 'MappingParameters', 'JSONMappingParameters', 'RecordRowPath'],
  rowDelimiter: ['RecordFormat', 'MappingParameters', 'CSVMappingParameters', 'RecordRowDelimiter'],
  columnDelimiter: ['RecordFormat', 'MappingParameters', 'CSVMappingParameters', 'RecordColumnDelimiter'],
};

/** KDA's InputSchema / ReferenceSchema at `base`: RecordColumns[i].SqlType, RecordFormat.…RecordRowPath. */
export function kdaFields(base: FieldPath): FieldMapper {
  return ([head, index, leaf]) => {
    if (head === 'columns') {
      const column = index === undefined ? [] : [index, ...(leaf === undefined ? [] : [KDA_COLUMN_FIELDS[leaf] ?? leaf])];
      return [...base, 'RecordColumns', ...column];
    }
    return [...base, ...(KDA_FORMAT_FIELDS[head] ?? [head])];
  };
}
