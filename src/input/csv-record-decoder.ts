/**
 * CSV payloads (KDA `CSVMappingParameters`): rows split on the row delimiter, fields on the column delimiter
 * (both any non-empty string), columns mapped by position. As in KDA there is no quoting, a header line is
 * not skipped, the schema may take a prefix of the fields, and fields missing at the end of a line are NULL.
 * Empty lines (e.g. after the payload's last row delimiter) give no row; a record with no line at all is an
 * INPUT_PARSE_ERROR (nothing vanishes without a trace). An empty field is NULL in a
 * non-character column and '' in a character column.
 */
import { Buffer } from 'node:buffer';
import { ExecutionError } from '../errors.js';
import type { SqlType, Value } from '../types/sql-type.js';
import { ColumnCoercer, FAILED } from './column-coercer.js';
import type { InputDecoder } from './input-decoder.js';
import { InputErrorNames } from './input-decoder.js';
import { toBuffer } from './byte-text.js';

export interface CsvDecoderSpec {
  readonly names: readonly string[];
  readonly types: readonly SqlType[];
  readonly rowDelimiter: string;
  readonly columnDelimiter: string;
}

/** Decodes CSV record payloads into rows; one instance per schema. */
export class CsvRecordDecoder implements InputDecoder {
  readonly columns: readonly { name: string; type: SqlType }[];
  private readonly coercer: ColumnCoercer;
  private readonly rowDelimiter: Buffer;
  private readonly columnDelimiter: Buffer;
  private readonly width: number;

  constructor(spec: CsvDecoderSpec) {
    this.columns = spec.names.map((name, i) => ({ name, type: spec.types[i] }));
    this.coercer = new ColumnCoercer(spec.names, spec.types);
    this.rowDelimiter = Buffer.from(spec.rowDelimiter, 'utf8');
    this.columnDelimiter = Buffer.from(spec.columnDelimiter, 'utf8');
    this.width = spec.names.length;
  }

  decode(
    payload: Uint8Array | string,
    onRow: (row: Value[]) => void,
    onError: (error: ExecutionError, raw: Uint8Array | string) => void,
  ): void {
    const buf = toBuffer(payload);
    const end = buf.length;
    const rd = this.rowDelimiter;
    let pos = 0;
    let lines = 0;
    while (pos < end) {
      let rowEnd = buf.indexOf(rd, pos);
      if (rowEnd < 0) rowEnd = end;
      if (rowEnd > pos) {
        lines++;
        const message = this.decodeLine(buf.subarray(pos, rowEnd));
        if (message === null) onRow(this.row);
        else {
          const raw = typeof payload === 'string' ? buf.toString('utf8', pos, rowEnd) : payload.subarray(pos, rowEnd);
          onError(new ExecutionError(InputErrorNames.COERCION, message), raw);
        }
      }
      pos = rowEnd + rd.length;
    }
    // A record without a single line would otherwise leave no trace: it is an error with its bytes.
    if (lines === 0) {
      const what = end === 0 ? 'record is empty (0 bytes)' : `record is blank (${end} bytes, only row delimiters)`;
      onError(new ExecutionError(InputErrorNames.PARSE, `${what}: no CSV line in it`), payload);
    }
  }

  private row: Value[] = [];

  /** Decodes one line into this.row; returns the first coercion failure, or null. */
  private decodeLine(line: Buffer): string | null {
    const width = this.width;
    const cd = this.columnDelimiter;
    const co = this.coercer;
    const row: Value[] = new Array(width);
    let error: string | null = null;
    let start = 0;
    const end = line.length;
    for (let col = 0; col < width; col++) {
      if (start > end) {
        row[col] = null; // the line has fewer fields than the schema
        continue;
      }
      let fieldEnd = cd.length === 1 ? indexOfByte(line, cd[0], start, end) : line.indexOf(cd, start);
      if (fieldEnd < 0) fieldEnd = end;
      let v: Value | typeof FAILED;
      if (fieldEnd === start) v = co.isCharacter(col) ? co.fitText(col, '') : null;
      else v = co.fromText(col, line, start, fieldEnd, isAscii(line, start, fieldEnd), 'CSV field');
      if (v === FAILED) {
        error ??= co.message;
        v = null;
      }
      row[col] = v;
      start = fieldEnd + cd.length;
    }
    this.row = row;
    return error;
  }
}

function isAscii(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] >= 0x80) return false;
  return true;
}

function indexOfByte(buf: Uint8Array, byte: number, start: number, end: number): number {
  for (let i = start; i < end; i++) if (buf[i] === byte) return i;
  return -1;
}
