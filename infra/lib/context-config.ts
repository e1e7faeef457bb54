/**
 * Reads the app's inputs from CDK context (`cdk.json` "context" or `-c key=value`), parses and checks them.
 * A context key that looks like one of ours but is not (a typo) fails synth with a suggestion.
 */
import { Duration } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import { ConfigError } from '../../src/errors.js';
import type { StreamingAnalyticsConfig } from './build-app.js';

/** The context keys of this app and what they set. */
export const CONTEXT_KEYS = {
  projectName: 'ProjectName: tag on every resource, prefix of resource names',
  stackName: 'StackName: prefix of stack names and export names',
  applicationName: 'ApplicationName',
  applicationPath: 'the application: a folder with application.yaml, a definition file, a CloudFormation template or describe-application JSON',
  bundleDir: 'folder of the Lambda bundles (<bundleDir>/<name>/index.mjs), default build/lambda',
  outputStreams: 'comma-separated in-application streams to deliver',
  analyticsBucketName: 'physical name of the analytics bucket',
  codeBucketName: 'physical name of the code bucket',
  dataStreamName: 'DataStreamName: name of the input stream',
  shardCount: 'shards of the input stream, or "on-demand"',
  retentionHours: 'retention of the input stream in hours',
  preprocessorFunctionName: 'name of the preprocessor function',
  sourceRecordsAggregation: 'SourceRecordsAggregation: true when the producer aggregates with the KPL',
  deaggregateWith: '"preprocessor" or "in-process"',
  startingPosition: '"LATEST" or "TRIM_HORIZON"',
  batchSize: 'records per invocation of the analytics function',
  maxBatchingWindowSeconds: 'seconds the mapping gathers records',
  retryAttempts: 'retries of a failing batch',
  clockTickMinutes: 'minutes between clock ticks that close windows on idle shards (0 = off)',
  resultsPrefix: 'key prefix of result rows',
  errorStreamPrefix: 'key prefix of error_stream rows',
  engine: '"lambda" (default) or "flink" (Managed Service for Apache Flink)',
  flinkJarPath: 'engine flink: the job jar, default flink/target/streaming-analytics-flink.jar',
  parallelism: 'engine flink: parallelism of the job, 1-256',
  parallelismPerKpu: 'engine flink: parallel tasks per KPU, 1-8',
  autoScaling: 'engine flink: "true" lets MSF scale the parallelism',
  checkpointing: 'engine flink: "true" (default) or "false"',
  checkpointIntervalSeconds: 'engine flink: seconds between checkpoints',
  minPauseBetweenCheckpointsSeconds: 'engine flink: least seconds between two checkpoints',
  snapshots: 'engine flink: "true" (default) takes a snapshot on stop and update',
  logLevel: 'engine flink: DEBUG, INFO, WARN or ERROR',
  metricsLevel: 'engine flink: APPLICATION, OPERATOR, PARALLELISM or TASK',
} as const;

/** Where the Maven build of flink/ writes the job jar (flink/pom.xml's finalName). */
export const DEFAULT_FLINK_JAR = 'flink/target/streaming-analytics-flink.jar';

export type ContextKey = keyof typeof CONTEXT_KEYS;

/** What the context yields: the config minus what the entry point adds (bundles, application, validator). */
export type ContextConfig = Omit<StreamingAnalyticsConfig, 'application' | 'validateApplication' | 'preprocessorCodePath' | 'analyticsCodePath' | 'translateApplication'> & {
  readonly applicationPath: string;
  readonly bundleDir: string;
};

/**
 * Reads and checks the context.
 *
 * @example
 * const config = readContextConfig(app.node); // cdk synth -c projectName=demo -c shardCount=on-demand
 */
export function readContextConfig(node: Node): ContextConfig {
  checkUnknownKeys(node);
  const str = (key: ContextKey): string | undefined => {
    const v: unknown = node.tryGetContext(key);
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'object') throw new ConfigError(`context ${key}`, `must be a plain value. Received ${JSON.stringify(v)}`);
    return String(v);
  };
  const int = (key: ContextKey): number | undefined => {
    const v = str(key);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v)) throw new ConfigError(`context ${key}`, `must be an integer. Received ${JSON.stringify(v)}`);
    return Number(v);
  };
  const oneOf = <T extends string>(key: ContextKey, values: readonly T[]): T | undefined => {
    const v = str(key);
    if (v !== undefined && !values.includes(v as T)) throw new ConfigError(`context ${key}`, `must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}. Received ${JSON.stringify(v)}`);
    return v as T | undefined;
  };
  const bool = (key: ContextKey): boolean | undefined => {
    const v = oneOf(key, ['true', 'false']);
    return v === undefined ? undefined : v === 'true';
  };
  const aggregation = oneOf('sourceRecordsAggregation', ['true', 'false']);
  const engine = oneOf('engine', ['lambda', 'flink']);
  const flinkKeys = ['flinkJarPath', 'parallelism', 'parallelismPerKpu', 'autoScaling', 'checkpointing', 'checkpointIntervalSeconds', 'minPauseBetweenCheckpointsSeconds', 'snapshots', 'logLevel', 'metricsLevel'] as const;
  if (engine !== 'flink') {
    const given = flinkKeys.find((k) => str(k) !== undefined);
    if (given) throw new ConfigError(`context ${given}`, 'only applies with -c engine=flink');
  }
  const flink = engine === 'flink'
    ? {
      parallelism: int('parallelism'),
      parallelismPerKpu: int('parallelismPerKpu'),
      autoScaling: bool('autoScaling'),
      checkpointing: bool('checkpointing'),
      checkpointIntervalSeconds: int('checkpointIntervalSeconds'),
      minPauseBetweenCheckpointsSeconds: int('minPauseBetweenCheckpointsSeconds'),
      snapshots: bool('snapshots'),
      logLevel: oneOf('logLevel', ['DEBUG', 'INFO', 'WARN', 'ERROR']),
      metricsLevel: oneOf('metricsLevel', ['APPLICATION', 'OPERATOR', 'PARALLELISM', 'TASK']),
    }
    : undefined;
  const shards = str('shardCount');
  const windowSeconds = int('maxBatchingWindowSeconds');
  const projectName = str('projectName') ?? 'streaming-analytics';
  return {
    projectName,
    stackName: str('stackName') ?? projectName,
    applicationName: str('applicationName') ?? 'ticker',
    applicationPath: str('applicationPath') ?? 'examples/ticker',
    bundleDir: str('bundleDir') ?? 'build/lambda',
    outputStreams: str('outputStreams')?.split(',').map((s) => s.trim()),
    analyticsBucketName: str('analyticsBucketName'),
    codeBucketName: str('codeBucketName'),
    dataStreamName: str('dataStreamName'),
    shardCount: shards === undefined || shards === 'on-demand' ? shards : int('shardCount'),
    retentionHours: int('retentionHours'),
    preprocessorFunctionName: str('preprocessorFunctionName'),
    sourceRecordsAggregation: aggregation === undefined ? undefined : aggregation === 'true',
    deaggregateWith: oneOf('deaggregateWith', ['preprocessor', 'in-process']),
    startingPosition: oneOf('startingPosition', ['LATEST', 'TRIM_HORIZON']),
    batchSize: int('batchSize'),
    maxBatchingWindow: windowSeconds === undefined ? undefined : Duration.seconds(windowSeconds),
    retryAttempts: int('retryAttempts'),
    clockTickMinutes: int('clockTickMinutes'),
    resultsPrefix: str('resultsPrefix'),
    errorStreamPrefix: str('errorStreamPrefix'),
    ...(engine === undefined ? {} : { engine }),
    ...(engine === 'flink' ? { flinkJarPath: str('flinkJarPath') ?? DEFAULT_FLINK_JAR, flink: dropUndefined(flink!) } : {}),
  };
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Plain camelCase keys are ours; CDK's own keys have a prefix ("@aws-cdk/...", "aws:cdk:...") or hyphens, so a
 * plain key we do not know is a typo.
 */
function checkUnknownKeys(node: Node): void {
  const known = Object.keys(CONTEXT_KEYS);
  for (const key of Object.keys(node.getAllContext())) {
    if (!/^[a-z][a-zA-Z0-9]*$/.test(key) || known.includes(key)) continue;
    const suggestion = known.map((k) => [k, distance(k.toLowerCase(), key.toLowerCase())] as const).sort((a, b) => a[1] - b[1])[0];
    const hint = suggestion[1] <= 3 ? `did you mean ${JSON.stringify(suggestion[0])}? ` : '';
    throw new ConfigError(`context ${key}`, `is not a setting of this app; ${hint}the settings are: ${known.join(', ')}`);
  }
}

/** Levenshtein distance (small strings only). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
