/**
 * Output destinations written as one string in definition files and on the command line:
 * `stdout`, `s3://bucket/prefix`, `kinesis://stream-name`, or a local folder path (`file://` optional).
 */
import { ConfigError } from '../../errors.js';
import type { DestinationDefinition } from '../../spec/app-definition.js';

const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

/**
 * @example
 * parseDestination('s3://my-bucket/analytics/', 'outputs[0].destination')
 * // { type: 's3', bucket: 'my-bucket', prefix: 'analytics/' }
 */
export function parseDestination(
  text: string,
  field: string,
  extra: { endpoint?: string; region?: string } = {},
): DestinationDefinition {
  if (text === 'stdout' || text === '-') return { type: 'stdout' };
  const s3 = /^s3:\/\/([^/]*)\/?(.*)$/.exec(text);
  if (s3) {
    if (!S3_BUCKET.test(s3[1])) {
      throw new ConfigError(field, `'${s3[1]}' is not a valid S3 bucket name (3-63 characters: lower-case letters, digits, '.' and '-'). Received '${text}'`);
    }
    return { type: 's3', bucket: s3[1], prefix: s3[2], ...extra };
  }
  const kinesis = /^kinesis:(?:\/\/)?(.*)$/.exec(text);
  if (kinesis) {
    if (!STREAM_NAME.test(kinesis[1])) {
      throw new ConfigError(field, `'${kinesis[1]}' is not a valid Kinesis stream name (1-128 of a-z A-Z 0-9 _ . -). Received '${text}'`);
    }
    return { type: 'kinesis', streamName: kinesis[1], ...extra };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && !text.startsWith('file://')) {
    throw new ConfigError(field, `unknown destination scheme in '${text}'; expected stdout, s3://bucket/prefix, kinesis://stream or a folder path`);
  }
  const path = text.startsWith('file://') ? text.slice('file://'.length) : text;
  if (path === '') throw new ConfigError(field, 'the destination folder path is empty');
  return { type: 'local', path };
}
