/**
 * The job's Java UDFs (flink/src/main/java/io/streaminganalytics/flink/udf) against our engine, call by call: the
 * log parsers, the input coercion of mapped JSON values, SUBSTRING, DECIMAL division, CHAR_TO_TIMESTAMP and TIMESTAMP_TO_CHAR. The
 * UDF classes are called directly by a one-file Java program (UdfProbe.java, run by `java` from source on the job's
 * classpath: no Flink job), on fixed and seeded random inputs; the expected value is what our engine computes.
 * Where our engine sends the row to error_stream (it throws, or the decoder reports an error), the UDF must give NULL:
 * the documented difference of the Flink job (docs/flink.md).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureFlinkJar } from '../../src/cli/commands/translate/flink-job.js';
import { charToTimestamp, decimalDivide, substringComma, substringFrom, timestampToChar } from '../../src/engine/functions/index.js';
import { planLogParseFunction } from '../../src/engine/logparse/index.js';
import { createInputDecoder } from '../../src/input/index.js';
import type { Value } from '../../src/types/sql-type.js';

const here = path.dirname(fileURLToPath(import.meta.url));
type Call = [string, ...unknown[]];

/** Runs every call through UdfProbe in one JVM; one answer per call. */
function probe(calls: readonly Call[]): ({ v: unknown } | { error: string })[] {
  const jar = ensureFlinkJar();
  const r = spawnSync('java', ['-cp', jar.classpath, path.join(here, 'UdfProbe.java')], { input: calls.map((c) => JSON.stringify(c)).join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`UdfProbe failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { v: unknown } | { error: string });
}

/** What our engine gives, NULL where it throws (its row goes to error_stream). */
function orNull<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function strings(rand: () => number, alphabet: string, count: number, maxLength: number): string[] {
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(rand() * (maxLength + 1)) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join(''));
}

const cases: { call: Call; expected: unknown; what: string }[] = [];
const rand = random(20261207);

// ---- log parsers
const logParsers: [string, Value[], string[]][] = [
  ['REGEX_LOG_PARSE', ['(\\w.+) (\\d.+) (\\w.+) (\\w.+)'], ['203.0.113.24 - - [25/Mar/2018:15:25:37 -0700] "GET /index.php HTTP/1.1" 200 125 "-" "Mozilla/5.0 [en] Gecko/20100101 Firefox/52.0"', ...strings(rand, 'ab1 2x-', 40, 14)]],
  ['REGEX_LOG_PARSE', ['(\\d+)-(\\d+)?'], strings(rand, '12-a', 40, 8)],
  ['REGEX_LOG_PARSE', ['([a-z]+)|([0-9]+)'], strings(rand, 'ab12 ', 40, 6)],
  ['FAST_REGEX_LOG_PARSE', ['(.*)_+(.*)'], ['Mary____had_a_little_lamb', ...strings(rand, 'ab_', 60, 10)]],
  ['FAST_REGEX_LOG_PARSE', ['(.*)_+(<Alpha>.*)'], ['Mary____had_a_little_lamb', ...strings(rand, 'a1_', 60, 10)]],
  ['FAST_REGEX_LOG_PARSE', ['(<Digit>+)"-"(.*)'], strings(rand, '12-a', 60, 8)],
  ['FAST_REGEX_LOG_PARSE', ['a(b*)c(.*)'], strings(rand, 'abc', 60, 8)],
  ['FAST_REGEX_LOG_PARSE', ['([a-c]*) (<1-12>)(.?)'], strings(rand, 'ab 1290', 60, 8)],
  ['W3C_LOG_PARSE', ['COMMON'], ['192.168.254.30 - John [24/May/2004:22:01:02 -0700] "GET /icons/apache_pb.gif HTTP/1.1" 304 0', '1.2.3.4  -  - [x] "GET / \\"q\\" HTTP/1.0" 200 12 ', '1.2.3.4 - - "GET /" 200 1', ...strings(rand, 'a "[]-', 30, 24)]],
  ['W3C_LOG_PARSE', ['NCSA EXTENDED'], ['1.2.3.4 - - [24/May/2004:22:01:02 -0700] "GET / HTTP/1.1" 200 5 "http://r/" "Mozilla/5.0 (X11)"']],
  ['W3C_LOG_PARSE', ['referer'], ['http://a/b -> /index.html', 'x -> y z']],
  ['W3C_LOG_PARSE', ['IIS'], ['192.168.114.201, -, 03/20/01, 7:55:20, W3SVC2, SALES1, 172.21.13.45, 4502, 163, 3223, 200, 0, GET, /DeptLogo.gif, -,', 'a,b']],
  ['W3C_LOG_PARSE', ['%h %u "%r" %b'], strings(rand, 'a "b', 40, 16)],
  ['VARIABLE_COLUMN_LOG_PARSE', [3, ','], strings(rand, 'a,b', 40, 8)],
  ['VARIABLE_COLUMN_LOG_PARSE', [2, '::', '\\', '"'], strings(rand, 'a:\\"b', 60, 10)],
  ['VARIABLE_COLUMN_LOG_PARSE', [4, '|', null, '[]'], strings(rand, 'a|[]', 60, 10)],
];
for (const [fn, args, inputs] of logParsers) {
  const parser = planLogParseFunction(fn, args);
  for (const input of inputs) {
    const extra = fn === 'VARIABLE_COLUMN_LOG_PARSE' ? [args[0], args[1], args[2] ?? null, args[3] ?? null] : args;
    cases.push({ call: [fn, input, ...extra], expected: parser.parse(input), what: `${fn}(${JSON.stringify(input)}, ${JSON.stringify(args)})` });
  }
}

// ---- input coercion of a mapped JSON value
const jsonValues = [
  'true', 'false', '0', '5', '-3', '42.0', '1.5', '1e3', '127', '128', '-129', '2147483648', '-2147483648', '9007199254740991', '9007199254740993',
  '0.125', '2.675', '-2.5', '99.995', '999.995', '1e39', '3.4028234663852886e38', '"42"', '" 42\\t"', '"4 2"', '"1.5e3"', '".5"', '"+1"', '"1."', '"abc"', '""',
  '"TRUE"', '"true"', '"yes"', '"tRuE"', '" true"', 'null', '{"a":1}', '[1]', '"2018-05-09T12:50:41.337000"', '"1992-02-14 18:35:44.0"', '"2018-05-09T12:50:41Z"',
  '"2018-05-09 12:50:41+02:00"', '"2018-05-09T12:50:41.337-0130"', '"2018-05-09"', '"2018-02-30"', '"2016-02-29 23:59:59.999999999"', '"12:00:01.5"', '"2018-5-9 1:02"',
  '" 2018-05-09 "', '"2018-05-09T24:00:00"', '"0001-01-01 00:00:00"',
];
const columnTypes: [string, (w: string) => Call][] = [
  ['BOOLEAN', (w) => ['BOOLEAN', w]],
  ['TINYINT', (w) => ['INTEGER', w, -128, 127]],
  ['INTEGER', (w) => ['INTEGER', w, -2147483648, 2147483647]],
  ['BIGINT', (w) => ['INTEGER', w, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]],
  ['REAL', (w) => ['DOUBLE', w, 3.4028234663852886e38]],
  ['DOUBLE', (w) => ['DOUBLE', w, Number.MAX_VALUE]],
  ['DECIMAL(5,2)', (w) => ['DECIMAL', w, 5, 2]],
  ['DECIMAL(18,0)', (w) => ['DECIMAL', w, 18, 0]],
  ['TIMESTAMP', (w) => ['TIMESTAMP', w]],
  ['DATE', (w) => ['DATE', w]],
  ['TIME', (w) => ['TIME', w]],
];
for (const [sqlType, call] of columnTypes) {
  const decoder = createInputDecoder({ format: 'JSON', recordRowPath: '$', columns: [{ name: 'V', sqlType, mapping: '$.V' }] });
  for (const json of [...jsonValues, undefined]) {
    let expected: Value = null;
    decoder.decode(json === undefined ? '{}' : `{"V": ${json}}`, (row) => (expected = row[0]), () => (expected = null));
    cases.push({ call: call(json === undefined ? '[]' : `[${json}]`), expected, what: `${json ?? '(missing)'} into ${sqlType}` });
  }
}

// ---- SUBSTRING by position, both forms
for (const start of [-3, -1, 0, 1, 2, 8, 9, 10, 11]) {
  for (const length of [null, 0, 1, 4, 12, -1]) {
    for (const comma of [false, true]) {
      const f = comma ? substringComma : substringFrom;
      const expected = orNull(() => (length === null ? f('123456789', start) : f('123456789', start, length)));
      cases.push({ call: ['SUBSTRING', '123456789', start, length, comma], expected, what: `SUBSTRING${comma ? ',' : ' FROM'} ${start} FOR ${length}` });
    }
  }
}

// ---- DECIMAL division at the result scale
for (const [a, b, scale] of [['1', '3', 14], ['-7.5', '2', 6], ['0.3', '0.1', 6], ['10', '-3', 2], ['123.456', '0.007', 10], ['-1', '3', 0], ['2', '3', 18], ['1', '0', 6]] as const) {
  cases.push({ call: ['DIVIDE', a, b, scale], expected: orNull(() => decimalDivide(Number(a), Number(b), scale)), what: `${a} / ${b} at scale ${scale}` });
}

// ---- CHAR_TO_TIMESTAMP
for (const [format, text] of [
  ['yyyy', '09-16 03:15'], ['yyyy', '16 03:15'], ['yy', '45'], ['yy', '46'], ['y', '10'], ['y', '2010'], ['yyyy-MM-dd HH:mm:ss', '2009-09-16 03:15:24'],
  ['MM/dd/yy hh:mm:ss', '09/16/11 03:15:24'], ['yyyy-MM-dd', '2009-02-30'], ['yyyyMMdd', '20090916'], ['MMM dd, yyyy', 'March 7, 2010'], ['dd MMM yyyy', '07 Mar 2010'],
  ['yyyy-MM-dd', '1582-10-10'], ['yyyy-MM-dd', '0009-01-01'], ['yyyy-MM-dd HH:mm:ss.SSS', '2020-01-01 00:00:00.5'], ['HH:mm', '25:00'], ['HH:mm', '23:59'],
  ["yyyy-MM-dd'T'HH:mm:ssXXX", '2020-01-01T10:00:00+02:00'], ['yyyy', 'abc'], ['h:mm a', '3:15 PM'], ['yyyy-MM-dd', ' 2009-09-16'], ["'at' yyyy", 'at 2001'],
] as const) {
  cases.push({ call: ['CHAR_TO_TIMESTAMP', format, text], expected: orNull(() => charToTimestamp(format, text)), what: `CHAR_TO_TIMESTAMP('${format}', '${text}')` });
}

// ---- TIMESTAMP_TO_CHAR: every pattern letter, over fixed dates (year and week boundaries, the 1582 calendar change,
// years before 1) and seeded random instants from 1 BC to 2400.
const formatPatterns = ['yyyy-MM-dd HH:mm:ss.SSS', 'u', 'w', 'W', 'D', 'd', 'F', 'E', 'EEE', 'EEEE', 'MMM', 'MMMM', 'M', 'yy', 'y', 'YYYY', 'G yyyy', 'a h:mm', 'K k H', "'week' w 'of' YYYY", 'z Z X'];
const instants = [
  Date.UTC(2026, 11, 7, 5, 4, 3, 2), Date.UTC(2026, 0, 1), Date.UTC(2025, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 2), Date.UTC(2020, 1, 29, 12),
  Date.UTC(1582, 9, 4), Date.UTC(1582, 9, 15), Date.UTC(1969, 11, 31, 23, 59, 59, 999), Date.UTC(1970, 0, 1), -62135596800000 - 86_400_000,
  ...Array.from({ length: 40 }, () => Math.floor(-62167219200000 + rand() * (13569465600000 + 62167219200000))),
];
for (const format of formatPatterns) {
  for (const ms of instants) cases.push({ call: ['TIMESTAMP_TO_CHAR', format, ms], expected: orNull(() => timestampToChar(format, ms)), what: `TIMESTAMP_TO_CHAR('${format}', ${new Date(ms).toISOString()})` });
}

/** The UDF's answer in our engine's representation (decimals come as text). */
function asEngineValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(asEngineValue);
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return v;
}

describe('the job\'s UDFs compute what our engine computes', () => {
  let answers: ReturnType<typeof probe>;
  beforeAll(() => {
    answers = probe(cases.map((c) => c.call));
  }, 900_000);

  it(`answers ${cases.length} calls as our engine does (NULL where it sends the row to error_stream)`, () => {
    expect(answers.length).toBe(cases.length);
    const wrong = cases.flatMap((c, i) => {
      const a = answers[i];
      if ('error' in a) return [`${c.what}: the UDF failed: ${a.error}`];
      const got = typeof c.expected === 'string' || Array.isArray(c.expected) ? a.v : asEngineValue(a.v);
      return JSON.stringify(got) === JSON.stringify(c.expected) ? [] : [`${c.what}: UDF ${JSON.stringify(a.v)}, engine ${JSON.stringify(c.expected)}`];
    });
    expect(wrong).toEqual([]);
  });
});
