import { SqlTypes } from '../../types/sql-type.js';
import { LOG_COLUMN_LENGTH, rowTypeOf, varcharValue, type LogParser } from './log-parser.js';
import { ExecutionError } from '../../errors.js';
import { parseDateTime } from '../functions/index.js';

const FIELDS = [
  { name: 'COLUMN1', type: SqlTypes.TIMESTAMP },
  { name: 'COLUMN2', type: SqlTypes.varchar(LOG_COLUMN_LENGTH) },
];
const SYSLOG_LINE = /^(?:<\d{1,3}>)?([A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2}) (.*)$/s;

/**
 * SYS_LOG_PARSE(input) (SQLREF sql-reference-sys-log-parse): a syslog line `Mon DD HH:MM:SS message` gives
 * COLUMN1 TIMESTAMP and COLUMN2 VARCHAR (the rest of the line: host and message). An RFC 3164 priority
 * prefix such as `<34>` is skipped. The syslog timestamp has no
 * year; as with Java's SimpleDateFormat ("MMM d HH:mm:ss") the year is 1970. A line that does not start with
 * such a timestamp gives NULL.
 *
 * @example
 * planSysLogParse().parse('Feb  5 17:32:18 host sshd[1]: ok') // [Date.UTC(1970, 1, 5, 17, 32, 18), 'host sshd[1]: ok']
 */
export function planSysLogParse(): LogParser {
  return {
    functionName: 'SYS_LOG_PARSE',
    fields: FIELDS,
    rowType: rowTypeOf(FIELDS),
    parse(input) {
      if (input === null) return null;
      const m = SYSLOG_LINE.exec(input);
      if (!m) return null;
      let time: number;
      try {
        time = parseDateTime(m[1].replace(/ {2}/, ' '), 'MMM d HH:mm:ss');
      } catch (e) {
        if (e instanceof ExecutionError) return null;
        throw e;
      }
      return [time, varcharValue(m[2])];
    },
  };
}
