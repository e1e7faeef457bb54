import { ConfigError } from '../errors.js';
import type { CorruptAggregatePolicy } from './decode-record-data.js';

/** Settings a deployed handler reads from its environment variables. */
export interface HandlerEnvironmentConfig {
  corruptAggregates: CorruptAggregatePolicy;
  /** Only the preprocessor uses it. */
  userRecordSeparator: string;
}

const SEPARATORS: Record<string, string> = { '': '', '\\n': '\n', '\\r\\n': '\r\n' };

/**
 * Reads `CORRUPT_AGGREGATES` (`fail` | `pass-through`, default `fail`) and `USER_RECORD_SEPARATOR`
 * (empty, `\n` or `\r\n` written as an escape, default empty).
 *
 * @throws ConfigError naming the variable and the value received.
 */
export function handlerConfigFromEnvironment(env: Record<string, string | undefined>): HandlerEnvironmentConfig {
  const policy = env.CORRUPT_AGGREGATES ?? 'fail';
  if (policy !== 'fail' && policy !== 'pass-through') {
    throw new ConfigError('CORRUPT_AGGREGATES', `expected 'fail' or 'pass-through'; received '${policy}'`);
  }
  const separator = env.USER_RECORD_SEPARATOR ?? '';
  if (!(separator in SEPARATORS)) {
    throw new ConfigError('USER_RECORD_SEPARATOR', `expected nothing, '\\n' or '\\r\\n'; received '${separator}'`);
  }
  return { corruptAggregates: policy, userRecordSeparator: SEPARATORS[separator] };
}
