import { describe, expect, it } from 'vitest';
import { PlanError } from '../../errors.js';
import { planW3cLogParse } from './w3c-log-parse.js';

describe('W3C_LOG_PARSE', () => {
  it('parses COMMON into seven columns: %t keeps its brackets, "%r" loses its quotes (SQLREF example)', () => {
    const parser = planW3cLogParse('COMMON');
    expect(parser.fields.map((f) => f.name)).toEqual(['COLUMN1', 'COLUMN2', 'COLUMN3', 'COLUMN4', 'COLUMN5', 'COLUMN6', 'COLUMN7']);
    expect(parser.parse('192.168.254.30 - John [24/May/2004:22:01:02 -0700] "GET /icons/apache_pb.gif HTTP/1.1" 304 0')).toEqual([
      '192.168.254.30',
      '-',
      'John',
      '[24/May/2004:22:01:02 -0700]',
      'GET /icons/apache_pb.gif HTTP/1.1',
      '304',
      '0',
    ]);
  });

  it('parses COMMON WITH VHOST and NCSA EXTENDED (quoted referer and agent with spaces)', () => {
    expect(
      planW3cLogParse('COMMON WITH VHOST').parse('www.example.com 10.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.0" 200 512'),
    ).toEqual(['www.example.com', '10.0.0.1', '-', '-', '[01/Jan/2026:00:00:00 +0000]', 'GET / HTTP/1.0', '200', '512']);
    expect(
      planW3cLogParse('ncsa  extended').parse(
        '10.0.0.1 - bob [01/Jan/2026:00:00:00 +0000] "GET /a?q=\\"x\\" HTTP/1.1" 404 - "http://ref/" "Mozilla/5.0 (X11; Linux x86_64)"',
      ),
    ).toEqual(['10.0.0.1', '-', 'bob', '[01/Jan/2026:00:00:00 +0000]', 'GET /a?q=\\"x\\" HTTP/1.1', '404', '-', 'http://ref/', 'Mozilla/5.0 (X11; Linux x86_64)']);
  });

  it('parses REFERER, AGENT and IIS', () => {
    expect(planW3cLogParse('REFERER').parse('http://www.example.com/start.html -> /index.html')).toEqual([
      'http://www.example.com/start.html',
      '/index.html',
    ]);
    expect(planW3cLogParse('AGENT').parse('Mozilla/4.08 [en] (Win98; I ;Nav)')).toEqual(['Mozilla/4.08 [en] (Win98; I ;Nav)']);
    const iis = planW3cLogParse('IIS').parse(
      '192.168.114.201, -, 03/20/01, 7:55:20, W3SVC2, SALES1, 172.21.13.45, 4502, 163, 3223, 200, 0, GET, /DeptLogo.gif, -,',
    );
    expect(iis).toHaveLength(15);
    expect(iis?.[0]).toBe('192.168.114.201');
    expect(iis?.[13]).toBe('/DeptLogo.gif');
  });

  it('accepts custom Apache formats with {..} or [..] arguments and %%', () => {
    const parser = planW3cLogParse('%h %{X-Forwarded-For}i 100%% "%r" %D');
    expect(parser.fields).toHaveLength(4);
    expect(parser.parse('1.1.1.1 2.2.2.2 100% "POST /x HTTP/2" 1234')).toEqual(['1.1.1.1', '2.2.2.2', 'POST /x HTTP/2', '1234']);
    expect(planW3cLogParse('%[Referer]i -> %U').fields).toHaveLength(2);
  });

  it('gives NULL for a line that does not fit, and for NULL', () => {
    expect(planW3cLogParse('COMMON').parse('not a log line')).toBeNull();
    expect(planW3cLogParse('COMMON').parse(null)).toBeNull();
  });

  it('rejects a format that is neither predefined nor made of specifiers', () => {
    expect(() => planW3cLogParse('FANCY')).toThrow(PlanError);
    expect(() => planW3cLogParse('FANCY')).toThrow(/neither a predefined format/);
  });
});
