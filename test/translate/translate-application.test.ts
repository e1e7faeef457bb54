import { describe, expect, it } from 'vitest';
import { compileApplication } from '../../src/engine/index.js';
import { UnsupportedTranslationError } from '../../src/errors.js';
import { parseSqlType } from '../../src/types/sql-type.js';
import { dayTimeIntervalLiteral, literal } from '../../src/translate/flink-dialect.js';
import { translateApplication } from '../../src/translate/translate-application.js';

const input = {
  format: 'JSON' as const,
  columns: [
    { name: 'TICKER', sqlType: 'VARCHAR(4)', mapping: '$.TICKER' },
    { name: 'PRICE', sqlType: 'DOUBLE', mapping: '$.PRICE' },
  ],
};

function translate(sql: string) {
  const app = compileApplication({
    sql,
    inputs: [{ name: 'SOURCE_SQL_STREAM_001', columns: input.columns.map((c) => ({ name: c.name, type: parseSqlType(c.sqlType) })) }],
  });
  return translateApplication({
    plan: app.plan,
    input,
    source: { kind: 'kinesis', streamName: 'trades', region: 'eu-west-1' },
    sinks: [{ stream: 'DEST', format: 'JSON', target: { kind: 'kinesis', streamName: 'out' } }],
  }).script;
}

function refusal(sql: string): UnsupportedTranslationError {
  try {
    translate(sql);
  } catch (e) {
    if (e instanceof UnsupportedTranslationError) return e;
    throw e;
  }
  throw new Error('translated, but a refusal was expected');
}

const dest = 'CREATE OR REPLACE STREAM "DEST" (TICKER VARCHAR(4), P DOUBLE);\n';

describe('translateApplication', () => {
  it('reads Kinesis with the arrival time as event time and maps JSON columns', () => {
    const s = translate(`${dest}CREATE OR REPLACE PUMP "P1" AS INSERT INTO "DEST" SELECT STREAM TICKER, PRICE FROM "SOURCE_SQL_STREAM_001" WHERE PRICE > 10;`);
    expect(s).toContain("'connector' = 'kinesis'");
    expect(s).toContain("METADATA FROM 'timestamp'");
    expect(s).toContain('WATERMARK FOR `at` AS `at` - INTERVAL \'1\' SECOND');
    expect(s).toContain("JSON_VALUE(`__records`.`doc`, '$.PRICE')");
    expect(s).toContain("WHERE (`PRICE` > CAST(10 AS INT))");
    expect(s).toMatch(/EXECUTE STATEMENT SET\nBEGIN\nINSERT INTO `__sink_0_DEST` SELECT `TICKER`, `P` FROM `DEST`;\nEND;/);
  });

  it('turns a GROUP BY on STEP(ROWTIME) into a TUMBLE window stamped with its end', () => {
    const s = translate(
      `${dest}CREATE OR REPLACE PUMP "P1" AS INSERT INTO "DEST" SELECT STREAM TICKER, MIN(PRICE) FROM "SOURCE_SQL_STREAM_001" GROUP BY TICKER, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '10' SECOND);`,
    );
    expect(s).toContain("TABLE(TUMBLE(TABLE `__P1_1`, DESCRIPTOR(`ROWTIME`), INTERVAL '10' SECOND))");
    expect(s).toContain('SELECT `window_end` AS `ROWTIME`');
    expect(s).toContain('GROUP BY `window_start`, `window_end`, `c0`');
  });

  it('turns a sliding window into an OVER window on ROWTIME', () => {
    const s = translate(
      `${dest}CREATE OR REPLACE PUMP "P1" AS INSERT INTO "DEST" SELECT STREAM TICKER, AVG(PRICE) OVER (PARTITION BY TICKER RANGE INTERVAL '1' MINUTE PRECEDING) FROM "SOURCE_SQL_STREAM_001";`,
    );
    expect(s).toContain("OVER (PARTITION BY `TICKER` ORDER BY `ROWTIME` RANGE BETWEEN INTERVAL '1' MINUTE PRECEDING AND CURRENT ROW)");
  });

  it('refuses a stagger window with its line and column and why', () => {
    const e = refusal(
      `${dest}CREATE OR REPLACE PUMP "P1" AS INSERT INTO "DEST"\nSELECT STREAM TICKER, MIN(PRICE) FROM "SOURCE_SQL_STREAM_001" WINDOWED BY STAGGER (PARTITION BY TICKER RANGE INTERVAL '1' MINUTE);`,
    );
    expect(e.line).toBe(2);
    expect(e.column).toBe(1);
    expect(e.reason).toMatch(/STAGGER/);
  });

  it('refuses a query that sets ROWTIME itself', () => {
    const e = refusal(`CREATE OR REPLACE STREAM "DEST" (TICKER VARCHAR(4));\nCREATE OR REPLACE PUMP "P1" AS INSERT INTO "DEST" SELECT STREAM TICKER, ROWTIME AS ROWTIME FROM "SOURCE_SQL_STREAM_001";`);
    expect(e.reason).toMatch(/ROWTIME/);
    expect(e.line).toBeDefined();
  });
});

describe('flink dialect', () => {
  it('writes intervals Flink accepts', () => {
    expect(dayTimeIntervalLiteral(60_000)).toBe("INTERVAL '1' MINUTE");
    expect(dayTimeIntervalLiteral(1)).toBe("INTERVAL '0.001' SECOND");
    expect(dayTimeIntervalLiteral(7 * 86_400_000 + 1500)).toBe("INTERVAL '7 00:00:01.500' DAY TO SECOND(3)");
  });
  it('writes typed literals', () => {
    expect(literal(null, { kind: 'INTEGER' })).toBe('CAST(NULL AS INT)');
    expect(literal("it's", { kind: 'VARCHAR', length: 4 })).toBe("'it''s'");
    expect(literal(0, { kind: 'TIMESTAMP' })).toBe("TIMESTAMP '1970-01-01 00:00:00.000'");
  });
});
