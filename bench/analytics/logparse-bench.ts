// Micro-benchmark: lines/s of the log parsers on an access-log line (about 130 characters).
// Run: node --import tsx bench/analytics/logparse-bench.ts [lines]
import { planLogParseFunction } from '../../src/engine/logparse/log-parse-functions.js';

const lines = Number(process.argv[2] ?? 50000);
const line = '192.168.254.30 - John [24/May/2004:22:01:02 -0700] "GET /icons/apache_pb.gif HTTP/1.1" 304 0 "-" "Mozilla/5.0 (X11)"';
const cases: [string, string, unknown[]][] = [
  ['W3C_LOG_PARSE NCSA EXTENDED', 'W3C_LOG_PARSE', ['NCSA EXTENDED']],
  ['REGEX_LOG_PARSE 4 groups', 'REGEX_LOG_PARSE', ['([^ ]*) ([^ ]*) ([^ ]*) (.*)']],
  ['FAST_REGEX_LOG_PARSE 4 groups', 'FAST_REGEX_LOG_PARSE', ['([^ ]*) ([^ ]*) ([^ ]*) (@)']],
  ['VARIABLE_COLUMN_LOG_PARSE 9 columns', 'VARIABLE_COLUMN_LOG_PARSE', [9, ' ', '\\', '"']],
];
for (const [label, fn, args] of cases) {
  const parser = planLogParseFunction(fn, args as never);
  for (let i = 0; i < 1000; i++) parser.parse(line);
  let fields = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < lines; i++) fields += parser.parse(line)?.length ?? 0;
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  console.log(
    `${label}: ${Math.round(lines / seconds)} lines/s wall, ${Math.round(lines / ((cpu.user + cpu.system) / 1e6))} lines/CPU-s (${fields / lines} fields per line)`,
  );
}
