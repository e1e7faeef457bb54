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
    expect(s).toContain("JSON_QUERY(`__records`.`doc`, '$.PRICE' WITH UNCONDITIONAL ARRAY WRAPPER) AS `__w2`");
    expect(s).toContain('SA_JSON_DOUBLE(`__w2`, CAST(1.7976931348623157E308 AS DOUBLE)) AS `PRICE`');
    // A row whose value does not fit its column is not ingested (KDA: error_stream).
    expect(s).toContain("WHERE (`PRICE` IS NOT NULL OR `__w2` IS NULL OR `__w2` = '[]')");
    expect(s).toContain("JSON_VALUE(`__records`.`doc`, '$.TICKER')");
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
    // Flink's RANGE frame would hold later rows of equal ROWTIME: every row is seen in arrival order (ROWS UNBOUNDED)
    // and SA_OVER_AVG keeps KDA's frame (a range of 60,000 ms; -1: no row-count bound).
    expect(s).toContain('SA_OVER_AVG(CAST(-1 AS BIGINT), CAST(60000 AS BIGINT), `ROWTIME`, CAST(NULL AS STRING), CAST(`PRICE` AS DOUBLE))');
    expect(s).toContain('OVER (PARTITION BY `TICKER` ORDER BY `ROWTIME` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)');
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

  it('calls the log-parser UDFs with the plan\'s ROW type and reads their fields', () => {
    const s = translate(
      `CREATE OR REPLACE STREAM "DEST" (A VARCHAR(64), B VARCHAR(64));\nCREATE OR REPLACE PUMP "P1" AS INSERT INTO "DEST" SELECT STREAM T.R.COLUMN1, T.R.COLUMN2 FROM (SELECT STREAM W3C_LOG_PARSE(TICKER, 'REFERER') AS R FROM "SOURCE_SQL_STREAM_001") AS T;`,
    );
    expect(s).toContain("SA_W3C_LOG_PARSE(`TICKER`, CAST('REFERER' AS STRING), 'ROW<`COLUMN1` VARCHAR(1024), `COLUMN2` VARCHAR(1024)>')");
    expect(s).toContain('(`c0`).`COLUMN2`');
    const v = translate(
      `CREATE OR REPLACE STREAM "DEST" (A VARCHAR(64));\nCREATE OR REPLACE PUMP "P1" AS INSERT INTO "DEST" SELECT STREAM (VARIABLE_COLUMN_LOG_PARSE(TICKER, 2, ',')).COLUMN2 FROM "SOURCE_SQL_STREAM_001";`,
    );
    expect(v).toContain("SA_VARIABLE_COLUMN_LOG_PARSE(`TICKER`, CAST(CAST(2 AS INT) AS INT), CAST(',' AS STRING), '', '', 'ROW<`COLUMN1` VARCHAR(1024), `COLUMN2` VARCHAR(1024)>')");
  });

  it('refuses the log parsers whose fields are typed (their conversion failures go to error_stream)', () => {
    const typed = (call: string) =>
      refusal(`CREATE OR REPLACE STREAM "DEST" (A VARCHAR(64));\nCREATE OR REPLACE PUMP "P1" AS INSERT INTO "DEST" SELECT STREAM CAST((${call}).C1 AS VARCHAR(64)) FROM "SOURCE_SQL_STREAM_001";`);
    expect(typed("FIXED_COLUMN_LOG_PARSE(TICKER, 'C1 TYPE INTEGER START 0 FOR 2')").reason).toMatch(/error_stream/);
    expect(typed("VARIABLE_COLUMN_LOG_PARSE(TICKER, 'C1 TYPE INTEGER', ',')").reason).toMatch(/typed column list/);
    expect(typed("REGEX_LOG_PARSE(TICKER, '(\\d+)', 'C1 INTEGER')").reason).toMatch(/VARCHAR\(1024\)/);
  });

  it('translates SUBSTRING by form, TIMESTAMP_TO_CHAR of NULL and DECIMAL division as KDA computes them', () => {
    const s = translate(
      `CREATE OR REPLACE STREAM "DEST" (A VARCHAR(8), B VARCHAR(8), C VARCHAR(16), D DECIMAL(18,14));\nCREATE OR REPLACE PUMP "P1" AS INSERT INTO "DEST" SELECT STREAM SUBSTRING(TICKER FROM -1 FOR 4), SUBSTRING(TICKER, 2), TIMESTAMP_TO_CHAR('yyyy', ROWTIME), CAST(PRICE AS DECIMAL(10,1)) / CAST(3 AS DECIMAL(10,3)) FROM "SOURCE_SQL_STREAM_001";`,
    );
    expect(s).toMatch(/SA_SUBSTRING\(`TICKER`, CAST\(\(- CAST\(1 AS INT\)\) AS BIGINT\), CAST\(CAST\(4 AS INT\) AS BIGINT\), FALSE\)|SA_SUBSTRING\(`TICKER`, CAST\(CAST\(-1 AS INT\) AS BIGINT\), CAST\(CAST\(4 AS INT\) AS BIGINT\), FALSE\)/);
    expect(s).toContain('SA_SUBSTRING(`TICKER`, CAST(CAST(2 AS INT) AS BIGINT), TRUE)');
    expect(s).toContain("WHEN `ROWTIME` IS NULL THEN 'null' ELSE SA_TIMESTAMP_TO_CHAR('yyyy', `ROWTIME`) END");
    expect(s).toMatch(/CAST\(SA_DECIMAL_DIVIDE\(CAST\(.* AS DECIMAL\(38, 18\)\), CAST\(.* AS DECIMAL\(38, 18\)\), 14\) AS DECIMAL\(18, 14\)\)/);
  });
});

describe('scalar functions with our engine semantics (Java UDFs of the job)', () => {
  const pump = (select: string) =>
    translate(`CREATE OR REPLACE STREAM "DEST" (A VARCHAR(8), B TIMESTAMP);\nCREATE OR REPLACE PUMP "P1" AS INSERT INTO "DEST" SELECT STREAM ${select} FROM "SOURCE_SQL_STREAM_001";`);

  it('calls the pattern UDFs for LIKE, SIMILAR TO, SUBSTRING regex/SIMILAR, REGEX_REPLACE and TRIM of a column', () => {
    expect(pump(`CASE WHEN TICKER LIKE 'a\\_%' ESCAPE '\\' THEN 'y' END, NULL`)).toContain("SA_LIKE(`TICKER`, 'a\\_%', '\\')");
    expect(pump(`CASE WHEN TICKER SIMILAR TO 'a#_%' ESCAPE '#' THEN 'y' END, NULL`)).toContain("SA_SIMILAR_TO(`TICKER`, 'a#_%', '#')");
    expect(pump(`SUBSTRING(TICKER FROM 'A+'), NULL`)).toContain("SA_SUBSTRING_REGEX(`TICKER`, 'A+')");
    expect(pump(`SUBSTRING(TICKER SIMILAR 'A#"B#"C' ESCAPE '#'), NULL`)).toContain("SA_SUBSTRING_SIMILAR(`TICKER`, 'A#\"B#\"C', '#')");
    expect(pump(`REGEX_REPLACE(TICKER, 'A', 'B', 2, 1), NULL`)).toMatch(/SA_REGEX_REPLACE\(`TICKER`, 'A', 'B', CAST\(.* AS DOUBLE\), CAST\(.* AS DOUBLE\)\)/);
    expect(pump(`TRIM(LEADING SUBSTRING(TICKER FROM 1 FOR 1) FROM TICKER), NULL`)).toContain("SA_TRIM('LEADING', ");
    expect(() => pump(`TRIM(BOTH 'ab' FROM TICKER), NULL`)).toThrow(UnsupportedTranslationError);
    expect(pump(`OVERLAY(TICKER PLACING 'x' FROM 2), TO_TIMESTAMP(0)`)).toMatch(/SA_OVERLAY\(`TICKER`, 'x', CAST\(.* AS DOUBLE\)\) AS `c0`, SA_TO_TIMESTAMP\(CAST\(.* AS DOUBLE\)\)/);
  });

  it('calls the interval UDFs for interval * and /, EXTRACT of an interval and calendar STEP', () => {
    expect(pump(`NULL, TIMESTAMP '2000-01-01 00:00:00' + INTERVAL '1' HOUR * PRICE`)).toContain("SA_DAY_TIME_INTERVAL_SCALE(INTERVAL '1' HOUR, CAST(`PRICE` AS DOUBLE), FALSE)");
    expect(pump(`NULL, TIMESTAMP '2000-01-01 00:00:00' - INTERVAL '1' MONTH / 2`)).toContain('SA_YEAR_MONTH_INTERVAL_SCALE(');
    expect(pump(`NULL, TIMESTAMP '2000-01-01 00:00:00' + (PRICE) MINUTE`)).toContain("SA_DAY_TIME_INTERVAL_SCALE(INTERVAL '0.001' SECOND, CAST(`PRICE` AS DOUBLE) * CAST(CAST(60000 AS INT) AS DOUBLE), FALSE)");
    expect(pump(`CAST(EXTRACT(SECOND FROM INTERVAL '1' MINUTE) AS VARCHAR(8)), NULL`)).toContain("CAST(SA_EXTRACT_INTERVAL('SECOND', INTERVAL '1' MINUTE) AS DECIMAL(5, 3))");
    expect(pump(`NULL, TIMESTAMP '1970-01-01 00:00:00' + FLOOR((ROWTIME - TIMESTAMP '1970-01-01 00:00:00') SECOND / 10 TO SECOND)`)).toMatch(
      /SA_FLOOR_INTERVAL\(SA_DAY_TIME_INTERVAL_SCALE\(SA_TIMESTAMP_DIFF\(`ROWTIME`, TIMESTAMP '1970-01-01 00:00:00.000', CAST\(1 AS BIGINT\)\), .*, TRUE\), CAST\(1000 AS BIGINT\), FALSE\)/,
    );
    expect(pump(`NULL, ROWTIME - (ROWTIME - TIMESTAMP '2000-01-01 00:00:00') MONTH`)).toContain('SA_MONTHS_BETWEEN(`ROWTIME`, ');
    expect(pump(`NULL, STEP(TIMESTAMP '2004-09-30 13:48:23' BY INTERVAL '1' YEAR)`)).toContain("SA_STEP_INTERVAL(TIMESTAMP '2004-09-30 13:48:23.000', INTERVAL '1-0' YEAR(4) TO MONTH)");
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
