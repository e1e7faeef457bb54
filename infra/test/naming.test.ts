import { describe, expect, it } from 'vitest';
import { checkName, NAME_RULES } from '../lib/naming.js';
import { buildTestApp } from './support/test-app.js';

describe('AWS naming rules at synth', () => {
  it('fails on a bucket name S3 would refuse, naming the prop, the rule and the value', () => {
    expect(() => buildTestApp({ analyticsBucketName: 'My_Analytics' }))
      .toThrow('analyticsBucketName: must be an S3 bucket name: 3-63 characters of lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit; it contains a character that is not allowed there. Received "My_Analytics"');
    expect(() => buildTestApp({ codeBucketName: 'xn--code' })).toThrow(/codeBucketName: .*it starts with the reserved prefix "xn--". Received "xn--code"/);
    expect(() => buildTestApp({ codeBucketName: 'a'.repeat(64) })).toThrow(/codeBucketName: .*it has 64 characters/);
  });

  it('fails on a stream name Kinesis would refuse', () => {
    expect(() => buildTestApp({ dataStreamName: 'ticker input' })).toThrow(/dataStreamName: must be a Kinesis data stream name: .*Received "ticker input"/);
  });

  it('fails on a project name that cannot prefix resource names', () => {
    expect(() => buildTestApp({ projectName: 'Ticker_Demo' })).toThrow(/projectName: must be a project name .*Received "Ticker_Demo"/);
  });

  it('fails on a stack name prefix that cannot be a stack or export name', () => {
    expect(() => buildTestApp({ stackName: '1ticker' })).toThrow(/stackName: must be a stack name prefix .*Received "1ticker"/);
  });

  it('fails when derived names outgrow a limit, naming the input that made them', () => {
    // 32-character project + 32-character application: the function name would have 65 characters.
    expect(() => buildTestApp({ projectName: 'p'.repeat(32), applicationName: 'a'.repeat(32) }))
      .toThrow(/^applicationName \(derived as \{projectName\}-\{applicationName\}\): must be a Lambda function name: .*it has 65 characters/);
    // The delivery stream names are longer still: the output stream name is part of them.
    expect(() => buildTestApp({ projectName: 'p'.repeat(21), applicationName: 'a'.repeat(20) }))
      .toThrow(/^outputStreams\[0\] \(derived as \{projectName\}-\{applicationName\}-\{stream\}\): must be a Firehose delivery stream name: .*it has 65 characters/);
  });

  it('accepts names at the limits and leaves deploy-time tokens alone', () => {
    expect(checkName('b', 'abc', NAME_RULES.bucket)).toBe('abc');
    expect(checkName('b', 'a'.repeat(63), NAME_RULES.bucket)).toBe('a'.repeat(63));
    expect(checkName('s', 'A-b_c.1', NAME_RULES.kinesisStream)).toBe('A-b_c.1');
    expect(() => checkName('b', '192.168.1.1', NAME_RULES.bucket)).toThrow(/formatted as an IP address/);
  });
});
