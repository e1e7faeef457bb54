/**
 * The analytics function's settings, read from its environment. The variable names are the contract with the
 * StreamingApp stack (infra/lib/streaming-app-stack.ts, ANALYTICS_ENV; a test checks that both agree).
 */
import { createHash } from 'node:crypto';
import type { RuntimeSpec } from '../../runtime/application-runtime.js';
import { DEFAULT_NAME_PREFIX } from '../../spec/app-definition.js';
import { ConfigError } from '../../errors.js';
import type { CorruptAggregatePolicy } from '../decode-record-data.js';
import { handlerConfigFromEnvironment } from '../handler-config.js';

/** The environment variables (the same names as the stack's ANALYTICS_ENV). */
export const ANALYTICS_ENV_VARS = {
  applicationName: 'APPLICATION_NAME',
  applicationSql: 'APPLICATION_SQL',
  applicationInput: 'APPLICATION_INPUT',
  deaggregation: 'DEAGGREGATION',
  preprocessorFunctionName: 'PREPROCESSOR_FUNCTION_NAME',
  outputDeliveryStreams: 'OUTPUT_DELIVERY_STREAMS',
  errorDeliveryStream: 'ERROR_DELIVERY_STREAM',
  stateTableName: 'STATE_TABLE_NAME',
} as const;

/** The scheduled event that advances every shard's clock (no Records); the same object as the stack's. */
export const CLOCK_TICK = { source: 'streaming-analytics', action: 'advance-clock' } as const;

export type Deaggregation = 'preprocessor' | 'in-process' | 'none';

export interface AnalyticsConfig {
  readonly applicationName: string;
  /** What buildApplication takes. */
  readonly spec: RuntimeSpec;
  /** Hash of the SQL and the input schema: a snapshot is restored only into the application that wrote it. */
  readonly fingerprint: string;
  readonly deaggregation: Deaggregation;
  readonly preprocessorFunctionName?: string;
  /** In-application stream -> delivery stream. Streams not named here are not delivered (as in KDA). */
  readonly outputDeliveryStreams: ReadonlyMap<string, string>;
  readonly errorDeliveryStream: string;
  readonly stateTableName: string;
  readonly corruptAggregates: CorruptAggregatePolicy;
  /**
   * A clock tick advances an idle shard to (now - this), and only a shard that has had no records for this
   * long: records still in the mapping's batching window must not arrive behind the clock.
   * From CLOCK_TICK_GRACE_SECONDS. @default 30000
   */
  readonly tickGraceMs: number;
  /**
   * Deliver each output row's ROWTIME as its first key. From INCLUDE_ROWTIME (`true`/`false`). @default false: the
   * stream's columns only, as KDA delivered them
   */
  readonly includeRowtime: boolean;
}

/**
 * Reads and checks the environment. Every problem is a ConfigError naming the variable and the value received,
 * so a misconfigured function fails at its cold start with a clear message.
 *
 * @example const config = analyticsConfigFromEnvironment(process.env);
 */
export function analyticsConfigFromEnvironment(env: Record<string, string | undefined>): AnalyticsConfig {
  const V = ANALYTICS_ENV_VARS;
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value.trim() === '') throw new ConfigError(name, 'is required (set by the StreamingApp stack)');
    return value;
  };
  const applicationName = required(V.applicationName);
  const sql = required(V.applicationSql);
  const inputText = required(V.applicationInput);
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(inputText) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(V.applicationInput, `is not valid JSON: ${(error as Error).message}`);
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new ConfigError(V.applicationInput, `must be a JSON object (the input schema). Received ${inputText.slice(0, 80)}`);

  const deaggregation = required(V.deaggregation);
  if (deaggregation !== 'preprocessor' && deaggregation !== 'in-process' && deaggregation !== 'none') {
    throw new ConfigError(V.deaggregation, `must be "preprocessor", "in-process" or "none". Received ${JSON.stringify(deaggregation)}`);
  }
  const preprocessorFunctionName = deaggregation === 'preprocessor' ? required(V.preprocessorFunctionName) : undefined;

  const outputsText = required(V.outputDeliveryStreams);
  let outputs: unknown;
  try {
    outputs = JSON.parse(outputsText);
  } catch (error) {
    throw new ConfigError(V.outputDeliveryStreams, `is not valid JSON: ${(error as Error).message}`);
  }
  if (outputs === null || typeof outputs !== 'object' || Array.isArray(outputs) || Object.values(outputs).some((v) => typeof v !== 'string' || v === '')) {
    throw new ConfigError(V.outputDeliveryStreams, `must be a JSON object of in-application stream -> delivery stream name. Received ${outputsText.slice(0, 120)}`);
  }

  const grace = env.CLOCK_TICK_GRACE_SECONDS ?? '30';
  const tickGraceSeconds = Number(grace);
  if (!Number.isFinite(tickGraceSeconds) || tickGraceSeconds < 0) throw new ConfigError('CLOCK_TICK_GRACE_SECONDS', `must be a number of seconds >= 0. Received ${JSON.stringify(grace)}`);

  const includeRowtimeText = env.INCLUDE_ROWTIME ?? 'false';
  if (includeRowtimeText !== 'true' && includeRowtimeText !== 'false') throw new ConfigError('INCLUDE_ROWTIME', `must be "true" or "false". Received ${JSON.stringify(includeRowtimeText)}`);

  const spec: RuntimeSpec = {
    sql,
    // Where records come from is the event source mapping's business: only the input schema is here.
    input: { ...(input as object), namePrefix: typeof input.namePrefix === 'string' ? input.namePrefix : DEFAULT_NAME_PREFIX } as RuntimeSpec['input'],
    origin: { file: V.applicationSql, form: 'definition' },
  };
  return {
    applicationName,
    spec,
    fingerprint: createHash('sha256').update(sql).update('\0').update(inputText).digest('hex').slice(0, 16),
    deaggregation,
    preprocessorFunctionName,
    outputDeliveryStreams: new Map(Object.entries(outputs as Record<string, string>)),
    errorDeliveryStream: required(V.errorDeliveryStream),
    stateTableName: required(V.stateTableName),
    corruptAggregates: handlerConfigFromEnvironment(env).corruptAggregates,
    tickGraceMs: tickGraceSeconds * 1000,
    includeRowtime: includeRowtimeText === 'true',
  };
}
