import { describe, expect, it } from 'vitest';
import { SqlTypes } from '../../types/sql-type.js';
import { planSysLogParse } from './sys-log-parse.js';

describe('SYS_LOG_PARSE', () => {
  it('gives COLUMN1 TIMESTAMP and COLUMN2 VARCHAR for "Mon DD HH:MM:SS server message"', () => {
    const parser = planSysLogParse();
    expect(parser.fields).toEqual([
      { name: 'COLUMN1', type: SqlTypes.TIMESTAMP },
      { name: 'COLUMN2', type: SqlTypes.varchar(1024) },
    ]);
    expect(parser.parse('Oct 11 22:14:15 mymachine su: su root failed for lonvick on /dev/pts/8')).toEqual([
      Date.UTC(1970, 9, 11, 22, 14, 15),
      'mymachine su: su root failed for lonvick on /dev/pts/8',
    ]);
    expect(parser.parse('<34>Oct 11 22:14:15 mymachine su: failed')).toEqual([Date.UTC(1970, 9, 11, 22, 14, 15), 'mymachine su: failed']);
    expect(parser.parse('Feb  5 17:32:18 10.0.0.99 Use the BFG!')).toEqual([Date.UTC(1970, 1, 5, 17, 32, 18), '10.0.0.99 Use the BFG!']);
  });

  it('gives NULL for a line without a syslog timestamp', () => {
    expect(planSysLogParse().parse('2026-01-01 hello')).toBeNull();
    expect(planSysLogParse().parse('Foo 11 22:14:15 x')).toBeNull();
    expect(planSysLogParse().parse(null)).toBeNull();
  });
});
