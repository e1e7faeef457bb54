/**
 * The delimiters of CSV records, detected from a sample: the row delimiter (`\r\n` when the records use it, else
 * `\n`) and the column delimiter that splits the most rows into the same number of fields, of `,`, tab, `;`, `|`.
 * KDA's CSV has no quoting, so neither has the detection.
 */

export interface CsvDialect {
  readonly rowDelimiter: string;
  readonly columnDelimiter: string;
  /** The number of fields most rows have. */
  readonly fields: number;
}

const CANDIDATES = [',', '\t', ';', '|'] as const;

/** The rows of a record: split on the row delimiter, empty rows (after the last delimiter) left out. */
export function splitRows(text: string, rowDelimiter: string): string[] {
  return text.split(rowDelimiter).filter((l) => l !== '');
}

export function detectCsvDialect(records: readonly string[]): CsvDialect {
  const rowDelimiter = records.some((r) => r.includes('\r\n')) ? '\r\n' : '\n';
  const rows = records.flatMap((r) => splitRows(r, rowDelimiter));
  let best: { delimiter: string; fields: number; consistency: number } = { delimiter: ',', fields: 1, consistency: 0 };
  for (const delimiter of CANDIDATES) {
    const counts = new Map<number, number>();
    for (const row of rows) {
      const n = row.split(delimiter).length;
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    // The most common field count, and the share of rows that have it.
    let mode = 1;
    let modeRows = 0;
    for (const [n, c] of counts) if (c > modeRows || (c === modeRows && n > mode)) [mode, modeRows] = [n, c];
    if (mode < 2) continue;
    const consistency = modeRows / rows.length;
    if (consistency > best.consistency || (consistency === best.consistency && mode > best.fields)) best = { delimiter, fields: mode, consistency };
  }
  return { rowDelimiter, columnDelimiter: best.delimiter, fields: best.fields };
}
