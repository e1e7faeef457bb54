/**
 * Sliding-window applications on random data, for the Flink differential test: every analytic function over
 * RANGE, ROWS, CURRENT ROW and UNBOUNDED frames, with and without PARTITION BY, on rows with many equal ROWTIMEs,
 * gaps longer than the frames, and NULLs in every column (partition key included). The conformance cases show a
 * few rows each; these check that the translation (SA_OVER_* functions over a ROWS UNBOUNDED Flink window) is our
 * engine's semantics for any data. The seeds are fixed so a failure reproduces; SA_RANDOM_SEEDS=1,2,3 runs others.
 */
import type { FlinkCase } from './flink-case.js';

export const RANDOM_ROWS = 150;

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Rows with ties (steps of 0 and 1 ms), gaps beyond every frame, and NULLs in every column. */
function records(seed: number, n: number): FlinkCase['records'] {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  let t = Date.UTC(2026, 0, 1);
  const out: FlinkCase['records'] = [];
  for (let i = 0; i < n; i++) {
    t += pick([0, 0, 0, 1, 250, 499, 500, 501, 1000, 1999, 2000, 2001, 7000]);
    const maybe = <T>(v: T) => (rnd() < 0.2 ? null : v);
    out.push({
      at: new Date(t).toISOString(),
      data: {
        ID: i + 1,
        K: maybe(pick(['A', 'B', 'C'])),
        I: maybe(Math.floor(rnd() * 101) - 50),
        D: maybe(Math.round(rnd() * 20000 - 10000) / 100),
        M: maybe(Math.round(rnd() * 9998 - 4999) / 100),
        B: maybe(rnd() < 0.5),
        S: maybe(pick(['ant', 'bee', 'cat', 'dog', 'eel'])),
      },
    });
  }
  return out;
}

/** Every analytic function the plan knows, with the output column type KDA gives it. */
const CALLS: readonly [string, string][] = [
  ['COUNT(*)', 'BIGINT'],
  ['COUNT(D)', 'BIGINT'],
  ['SUM(I)', 'INTEGER'],
  ['AVG(I)', 'INTEGER'],
  ['SUM(D)', 'DOUBLE'],
  ['AVG(D)', 'DOUBLE'],
  ['SUM(M)', 'DECIMAL(8,2)'],
  ['AVG(M)', 'DECIMAL(8,2)'],
  ['MIN(S)', 'VARCHAR(8)'],
  ['MAX(S)', 'VARCHAR(8)'],
  ['MIN(D)', 'DOUBLE'],
  ['MAX(I)', 'INTEGER'],
  ['STDDEV_SAMP(D)', 'DOUBLE'],
  ['VAR_POP(I)', 'DOUBLE'],
  ['ANY(B)', 'BOOLEAN'],
  ['EVERY(B)', 'BOOLEAN'],
  ["EXP_AVG(D, INTERVAL '2' SECOND)", 'DOUBLE'],
  ['SUM(DISTINCT I)', 'INTEGER'],
  ['AVG(DISTINCT I)', 'INTEGER'],
  ['FIRST_VALUE(D)', 'DOUBLE'],
  ['FIRST_VALUE(D) IGNORE NULLS', 'DOUBLE'],
  ['LAST_VALUE(I) IGNORE NULLS', 'INTEGER'],
  ['NTH_VALUE(S, 2) FROM LAST IGNORE NULLS', 'VARCHAR(8)'],
  ['NTH_VALUE(I, 3)', 'INTEGER'],
  ['LAG(D)', 'DOUBLE'],
  ['LAG(I, 2, -1) IGNORE NULLS', 'INTEGER'],
  ['LAG(S, 0)', 'VARCHAR(8)'],
];

/** Two windows per case (two stages when the partitions differ), every call over each. */
const WINDOWS: readonly [string, string, string][] = [
  ['range-partitioned-and-rows', "PARTITION BY K RANGE INTERVAL '2' SECOND PRECEDING", 'ROWS 3 PRECEDING'],
  ['current-row-and-half-second', 'PARTITION BY K RANGE CURRENT ROW', "RANGE INTERVAL '0.5' SECOND PRECEDING"],
  ['unbounded-and-rows-partitioned', 'ROWS UNBOUNDED PRECEDING', 'PARTITION BY K ROWS 1 PRECEDING'],
];

function caseOf(name: string, w1: string, w2: string, seed: number): FlinkCase {
  const cols = ['ID INTEGER', 'K VARCHAR(4)'];
  const items = ['ID', 'K'];
  CALLS.forEach(([call, type], i) => {
    cols.push(`A${i} ${type}`, `B${i} ${type}`);
    items.push(`${call} OVER W1 AS A${i}`, `${call} OVER W2 AS B${i}`);
  });
  return {
    name,
    input: {
      format: 'JSON',
      recordRowPath: '$',
      columns: [
        { name: 'ID', sqlType: 'INTEGER', mapping: '$.ID' },
        { name: 'K', sqlType: 'VARCHAR(4)', mapping: '$.K' },
        { name: 'I', sqlType: 'INTEGER', mapping: '$.I' },
        { name: 'D', sqlType: 'DOUBLE', mapping: '$.D' },
        { name: 'M', sqlType: 'DECIMAL(8,2)', mapping: '$.M' },
        { name: 'B', sqlType: 'BOOLEAN', mapping: '$.B' },
        { name: 'S', sqlType: 'VARCHAR(8)', mapping: '$.S' },
      ],
    } as FlinkCase['input'],
    sql: `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (${cols.join(', ')});
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM ${items.join(',\n  ')}
FROM "SOURCE_SQL_STREAM_001"
WINDOW W1 AS (${w1}), W2 AS (${w2});`,
    records: records(seed, RANDOM_ROWS),
    tolerance: 1e-6,
  };
}

/** The random cases: three window pairs for each seed. */
export function randomSlidingCases(): FlinkCase[] {
  const seeds = (process.env.SA_RANDOM_SEEDS ?? '7').split(',').map(Number);
  return seeds.flatMap((seed) => WINDOWS.map(([name, w1, w2]) => caseOf(`sliding-random-${name}-seed-${seed}`, w1, w2, seed)));
}
