/**
 * The settings of the application on Amazon Managed Service for Apache Flink (MSF) that a user chooses:
 * parallelism, checkpointing, monitoring. Checked at synth with the rule and the value received, like the
 * other inputs, so that a bad number fails `cdk synth` instead of an MSF update half-way through a deployment.
 */
import { ConfigError } from '../../src/errors.js';

/**
 * The MSF runtime the job is built for. CloudFormation's `AWS::KinesisAnalyticsV2::Application`
 * `RuntimeEnvironment` takes `FLINK-1_20` and `FLINK-2_2` among others; the value must match the Flink version
 * the job in flink/ is compiled against (its pom's `flink.version`), which a test checks.
 */
export const FLINK_RUNTIME_ENVIRONMENT = 'FLINK-1_20';

export type FlinkLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
export type FlinkMetricsLevel = 'APPLICATION' | 'OPERATOR' | 'PARALLELISM' | 'TASK';

/** What the user may set (all optional; defaults below). */
export interface FlinkSettingsInput {
  /**
   * Initial parallelism of the job: 1 to 256 (MSF's maximum). MSF allocates parallelism / parallelismPerKpu KPUs,
   * at most the application's KPU limit (64 unless raised through a quota increase). @default 1
   */
  readonly parallelism?: number;
  /** Parallel tasks per KPU (1 vCPU, 4 GiB): 1 for CPU-heavy SQL, up to 8 for I/O-bound jobs. @default 1 */
  readonly parallelismPerKpu?: number;
  /** Let MSF raise and lower the parallelism with CPU use. @default false (the user sizes the job) */
  readonly autoScaling?: boolean;
  /** Periodic checkpoints (the job's state and source positions). @default true */
  readonly checkpointing?: boolean;
  /** Seconds between checkpoints (1 s to 1 day). @default 60 */
  readonly checkpointIntervalSeconds?: number;
  /** Least seconds between the end of one checkpoint and the start of the next (0 to the interval). @default 5 */
  readonly minPauseBetweenCheckpointsSeconds?: number;
  /** Snapshots on stop and update, so a new version restores the state. @default true */
  readonly snapshots?: boolean;
  /** @default 'INFO' */
  readonly logLevel?: FlinkLogLevel;
  /** @default 'APPLICATION' */
  readonly metricsLevel?: FlinkMetricsLevel;
}

export type FlinkSettings = Required<FlinkSettingsInput>;

const LOG_LEVELS: readonly FlinkLogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];
const METRICS_LEVELS: readonly FlinkMetricsLevel[] = ['APPLICATION', 'OPERATOR', 'PARALLELISM', 'TASK'];
/** MSF's maximum Parallelism (its scaling guide: default 1, maximum 256). */
const MAX_PARALLELISM = 256;

/**
 * Fills the defaults and checks every value; throws a ConfigError naming the setting and the value received.
 *
 * @example
 * checkFlinkSettings({ parallelism: 4, checkpointIntervalSeconds: 30 });
 */
export function checkFlinkSettings(input: FlinkSettingsInput = {}): FlinkSettings {
  const int = (field: keyof FlinkSettingsInput, value: number, min: number, max: number, unit = ''): number => {
    if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(field, `must be an integer from ${min} to ${max}${unit}. Received ${JSON.stringify(value)}`);
    return value;
  };
  const parallelism = int('parallelism', input.parallelism ?? 1, 1, MAX_PARALLELISM);
  const parallelismPerKpu = int('parallelismPerKpu', input.parallelismPerKpu ?? 1, 1, 8);
  const checkpointIntervalSeconds = int('checkpointIntervalSeconds', input.checkpointIntervalSeconds ?? 60, 1, 86_400, ' (seconds)');
  const minPauseBetweenCheckpointsSeconds = int('minPauseBetweenCheckpointsSeconds', input.minPauseBetweenCheckpointsSeconds ?? 5, 0, 86_400, ' (seconds)');
  if (minPauseBetweenCheckpointsSeconds > checkpointIntervalSeconds) {
    throw new ConfigError('minPauseBetweenCheckpointsSeconds', `must not exceed checkpointIntervalSeconds (${checkpointIntervalSeconds}). Received ${minPauseBetweenCheckpointsSeconds}`);
  }
  const logLevel = input.logLevel ?? 'INFO';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('logLevel', `must be one of ${LOG_LEVELS.join(', ')}. Received ${JSON.stringify(logLevel)}`);
  const metricsLevel = input.metricsLevel ?? 'APPLICATION';
  if (!METRICS_LEVELS.includes(metricsLevel)) throw new ConfigError('metricsLevel', `must be one of ${METRICS_LEVELS.join(', ')}. Received ${JSON.stringify(metricsLevel)}`);
  return {
    parallelism,
    parallelismPerKpu,
    autoScaling: input.autoScaling ?? false,
    checkpointing: input.checkpointing ?? true,
    checkpointIntervalSeconds,
    minPauseBetweenCheckpointsSeconds,
    snapshots: input.snapshots ?? true,
    logLevel,
    metricsLevel,
  };
}
