import { PlanError } from '../../errors.js';
import { rowTypeOf, varcharColumns, varcharValue, type LogParser } from './log-parser.js';

/**
 * The predefined formats of W3C_LOG_PARSE (SQLREF sql-reference-w3c-log-parse). The page writes header
 * arguments as %[Referer]i; Apache writes %{Referer}i; both are accepted.
 */
export const W3C_PREDEFINED_FORMATS: Readonly<Record<string, string>> = {
  COMMON: '%h %l %u %t "%r" %>s %b',
  'COMMON WITH VHOST': '%v %h %l %u %t "%r" %>s %b',
  'NCSA EXTENDED': '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"',
  REFERER: '%{Referer}i -> %U',
  AGENT: '%{User-agent}i',
};

/**
 * IIS is Microsoft's (non-W3C) IIS log format: 15 comma-separated fields (client IP, user name, date, time,
 * service, server name, server IP, time taken, bytes received, bytes sent, status, Windows status, request
 * method, target, parameters), each line ending in a comma.
 */
const IIS_FIELDS = 15;

const SPECIFIER = /%([!<>0-9,]*)(?:\{([^}]*)\}|\[([^\]]*)\])?([a-zA-Z%])/y;

/**
 * W3C_LOG_PARSE(input, format): a predefined format name (COMMON, COMMON WITH VHOST, NCSA EXTENDED, REFERER,
 * AGENT, IIS; case and spacing ignored) or an Apache LogFormat string of %-specifiers. One VARCHAR(1024) column
 * COLUMN1..n per specifier, in order. %t keeps its brackets ([24/May/2004:22:01:02 -0700]); a specifier written
 * between double quotes ("%r") is read up to the closing quote (backslash escapes allowed) and returned without
 * the quotes; other specifiers are one space-free token, except a last unquoted one, which takes the rest of the
 * line. Runs of spaces in the format match runs of spaces. A line that does not fit gives NULL.
 * (SQLREF chooses some column types from the specifier; we return every column as VARCHAR(1024) as the
 * conformance case expects, and leave conversion to CAST.)
 *
 * @example
 * planW3cLogParse('COMMON').parse('1.2.3.4 - John [24/May/2004:22:01:02 -0700] "GET / HTTP/1.1" 304 0')
 * // ['1.2.3.4', '-', 'John', '[24/May/2004:22:01:02 -0700]', 'GET / HTTP/1.1', '304', '0']
 */
export function planW3cLogParse(format: string): LogParser {
  const name = format.trim().replace(/\s+/g, ' ').toUpperCase();
  let source: string;
  let count: number;
  if (name === 'IIS') {
    source = `^\\s*${Array.from({ length: IIS_FIELDS }, () => '([^,]*?)').join(',\\s*')}\\s*,?\\s*$`;
    count = IIS_FIELDS;
  } else {
    ({ source, count } = compileApacheFormat(W3C_PREDEFINED_FORMATS[name] ?? format));
  }
  const regex = new RegExp(source, 's');
  const fields = varcharColumns(count);
  return {
    functionName: 'W3C_LOG_PARSE',
    fields,
    rowType: rowTypeOf(fields),
    parse(input) {
      if (input === null) return null;
      const m = regex.exec(input);
      if (!m) return null;
      return m.slice(1, count + 1).map((v) => varcharValue(v));
    },
  };
}

function compileApacheFormat(format: string): { source: string; count: number } {
  type Token = { kind: 'literal'; text: string } | { kind: 'spec'; letter: string; at: number };
  const tokens: Token[] = [];
  let literal = '';
  let i = 0;
  while (i < format.length) {
    if (format[i] !== '%') {
      literal += format[i++];
      continue;
    }
    SPECIFIER.lastIndex = i;
    const m = SPECIFIER.exec(format);
    if (!m) throw new PlanError(`W3C_LOG_PARSE: bad format specifier at index ${i} of '${format}'`);
    i = SPECIFIER.lastIndex;
    if (m[4] === '%') {
      literal += '%';
      continue;
    }
    if (literal) tokens.push({ kind: 'literal', text: literal });
    literal = '';
    tokens.push({ kind: 'spec', letter: m[4], at: m.index });
  }
  if (literal) tokens.push({ kind: 'literal', text: literal });
  const specs = tokens.filter((t) => t.kind === 'spec').length;
  if (specs === 0) {
    throw new PlanError(`W3C_LOG_PARSE: '${format}' is neither a predefined format (${[...Object.keys(W3C_PREDEFINED_FORMATS), 'IIS'].join(', ')}) nor a format with % specifiers`);
  }
  let source = '^\\s*';
  tokens.forEach((t, k) => {
    if (t.kind === 'literal') {
      source += t.text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&').replace(/ +/g, ' +');
      return;
    }
    const prev = tokens[k - 1];
    const next = tokens[k + 1];
    const quoted = prev?.kind === 'literal' && prev.text.endsWith('"') && next?.kind === 'literal' && next.text.startsWith('"');
    if (quoted) source += '((?:[^"\\\\]|\\\\.)*)';
    else if (t.letter === 't') source += '(\\[[^\\]]*\\])';
    else if (next === undefined) source += '(.*?)';
    else source += '(\\S*)';
  });
  source += '\\s*$';
  return { source, count: specs };
}
