/**
 * The ticker workload of the SQL benchmarks: deterministic ~100-byte JSON records and the tumbling query over
 * them. bench-sql.ts and tumbling-profile.ts measure the same thing, so they read it from here.
 */
export const T0 = Date.UTC(2026, 0, 1);
const TICKERS = Array.from({ length: 50 }, (_, i) => `T${String(i).padStart(3, '0')}`);
const SECTORS = ['TECHNOLOGY', 'RETAIL', 'FINANCIAL', 'HEALTHCARE', 'ENERGY'];
export const INPUT_STREAM = 'SOURCE_SQL_STREAM_001';

/** Record i: deterministic (a small LCG), ~100 bytes, arrival T0 + i ms. */
export function record(i: number): string {
  const x = (Math.imul(i, 1103515245) + 12345) >>> 0;
  const t = TICKERS[x % 50];
  const price = ((x >>> 8) % 100000) / 100 + 1;
  const change = (((x >>> 4) % 2001) - 1000) / 100;
  return `{"TICKER":"${t}","SECTOR":"${SECTORS[x % 5]}","PRICE":${price},"CHANGE":${change},"TS":${T0 + i},"SEQ":${i}}`;
}

export const INPUT = {
  format: 'JSON' as const,
  recordRowPath: '$',
  columns: [
    { name: 'TICKER', sqlType: 'VARCHAR(4)', mapping: '$.TICKER' },
    { name: 'PRICE', sqlType: 'DOUBLE', mapping: '$.PRICE' },
  ],
};

export const TUMBLING_SQL = `
CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (TICKER VARCHAR(4), N BIGINT, MIN_PRICE DOUBLE, MAX_PRICE DOUBLE, AVG_PRICE DOUBLE);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM TICKER, COUNT(*), MIN(PRICE), MAX(PRICE), AVG(PRICE)
FROM "SOURCE_SQL_STREAM_001"
GROUP BY TICKER, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '60' SECOND);`;
