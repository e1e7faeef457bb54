/**
 * The five stacks of the seed, wired together: what `infra/bin/app.ts` and the tests both build.
 */
import { type App, type Duration, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AnalyticsBucketStack, type AnalyticsBucketStackProps } from './analytics-bucket-stack.js';
import type { ApplicationDefinition, ApplicationValidator } from './application-definition.js';
import { CodeBucketStack } from './code-bucket-stack.js';
import { FlinkAppStack, type FlinkTranslator } from './flink-app-stack.js';
import type { FlinkSettingsInput } from './flink-settings.js';
import { InputStreamStack, type InputStreamStackProps } from './input-stream-stack.js';
import { ConfigError } from '../../src/errors.js';
import { checkName, NAME_RULES } from './naming.js';
import { PreprocessorStack } from './preprocessor-stack.js';
import { StreamingAppStack, type StreamingAppStackProps } from './streaming-app-stack.js';

/** Everything the app takes. Flat, like the seed's parameters; defaults in the stacks' props. */
export interface StreamingAnalyticsConfig {
  /** The seed's ProjectName: tags every resource, prefixes resource names. */
  readonly projectName: string;
  /** The seed's StackName: prefixes stack names (`{StackName}-InputStream`) and export names (`{StackName}:InputStream`). */
  readonly stackName: string;
  /** The seed's ApplicationName. */
  readonly applicationName: string;
  readonly application: ApplicationDefinition;
  readonly validateApplication?: ApplicationValidator;
  /** Folder of the preprocessor bundle (index.mjs). */
  readonly preprocessorCodePath: string;
  /** Folder of the analytics bundle (index.mjs). */
  readonly analyticsCodePath: string;
  readonly analyticsBucketName?: string;
  readonly codeBucketName?: string;
  readonly resultsPrefix?: AnalyticsBucketStackProps['resultsPrefix'];
  readonly errorStreamPrefix?: AnalyticsBucketStackProps['errorStreamPrefix'];
  readonly dataStreamName?: InputStreamStackProps['dataStreamName'];
  readonly shardCount?: InputStreamStackProps['shardCount'];
  readonly retentionHours?: InputStreamStackProps['retentionHours'];
  readonly preprocessorFunctionName?: string;
  readonly sourceRecordsAggregation?: boolean;
  readonly deaggregateWith?: StreamingAppStackProps['deaggregateWith'];
  readonly outputStreams?: readonly string[];
  readonly startingPosition?: StreamingAppStackProps['startingPosition'];
  readonly batchSize?: number;
  readonly maxBatchingWindow?: Duration;
  readonly retryAttempts?: number;
  readonly clockTickMinutes?: number;
  /** Run the cdk-nag AwsSolutions checks at synth. @default true */
  readonly nag?: boolean;
  /**
   * Which host runs the SQL: `lambda` (the project's engine on Lambda, per shard) or `flink` (the SQL translated
   * to Flink SQL on Managed Service for Apache Flink). @default 'lambda'
   */
  readonly engine?: Engine;
  /** engine flink: the job jar (flink/target/streaming-analytics-flink.jar). */
  readonly flinkJarPath?: string;
  /** engine flink: KDA SQL -> Flink SQL (src/translate). */
  readonly translateApplication?: FlinkTranslator;
  /** engine flink: parallelism, checkpointing, monitoring. */
  readonly flink?: FlinkSettingsInput;
}

export type Engine = 'lambda' | 'flink';
export const ENGINES: readonly Engine[] = ['lambda', 'flink'];

export interface StreamingAnalyticsStacks {
  readonly analyticsBucket: AnalyticsBucketStack;
  readonly codeBucket: CodeBucketStack;
  readonly inputStream: InputStreamStack;
  readonly preprocessor: PreprocessorStack;
  /** The Lambda host (engine lambda) or the MSF application (engine flink), both stack `StreamingApp`. */
  readonly streamingApp: StreamingAppStack | FlinkAppStack;
}

/**
 * Adds the five stacks to `app`, in the seed's order, with the seed's dependency graph.
 *
 * @example
 * const app = new App();
 * buildStreamingAnalyticsApp(app, { projectName: 'ticker-demo', stackName: 'ticker', applicationName: 'ticker',
 *   application, preprocessorCodePath: 'build/lambda/preprocessor', analyticsCodePath: 'build/lambda/analytics' });
 */
export function buildStreamingAnalyticsApp(app: App, config: StreamingAnalyticsConfig): StreamingAnalyticsStacks {
  const projectName = checkName('projectName', config.projectName, NAME_RULES.projectName);
  const engine = config.engine ?? 'lambda';
  if (!ENGINES.includes(engine)) throw new ConfigError('engine', `must be one of ${ENGINES.map((e) => JSON.stringify(e)).join(', ')}. Received ${JSON.stringify(engine)}`);
  if (engine === 'flink') {
    if (config.flinkJarPath === undefined) throw new ConfigError('flinkJarPath', 'is required with engine "flink" (the job jar to deploy)');
    if (config.translateApplication === undefined) throw new ConfigError('translateApplication', 'is required with engine "flink" (the KDA SQL -> Flink SQL translator)');
  } else {
    for (const key of ['flink', 'flinkJarPath'] as const) {
      if (config[key] !== undefined) throw new ConfigError(key, `only applies with engine "flink"; the engine is ${JSON.stringify(engine)}`);
    }
  }
  if (engine === 'flink') {
    // The event source mapping's settings mean nothing to a Flink job: refuse them rather than ignore them.
    for (const key of ['deaggregateWith', 'batchSize', 'maxBatchingWindow', 'retryAttempts', 'clockTickMinutes'] as const) {
      if (config[key] !== undefined) throw new ConfigError(key, 'only applies with engine "lambda" (the event source mapping); the engine is "flink"');
    }
  }
  const common = { projectName, stackNamePrefix: config.stackName };
  const analyticsBucket = new AnalyticsBucketStack(app, {
    ...common,
    analyticsBucketName: config.analyticsBucketName,
    resultsPrefix: config.resultsPrefix,
    errorStreamPrefix: config.errorStreamPrefix,
  });
  const codeBucket = new CodeBucketStack(app, {
    ...common,
    codeBucketName: config.codeBucketName,
    preprocessorCodePath: config.preprocessorCodePath,
    analyticsCodePath: config.analyticsCodePath,
    ...(engine === 'flink' ? { flinkJarPath: config.flinkJarPath } : {}),
  });
  const inputStream = new InputStreamStack(app, {
    ...common,
    dataStreamName: config.dataStreamName,
    shardCount: config.shardCount,
    retentionHours: config.retentionHours,
  });
  // The seed's order: both buckets exist before the stream, so no record can flow before its output has a home.
  inputStream.addStackDependency(analyticsBucket, 'seed order: buckets before the stream');
  inputStream.addStackDependency(codeBucket, 'seed order: buckets before the stream');
  const preprocessor = new PreprocessorStack(app, { ...common, codeBucket, functionName: config.preprocessorFunctionName });
  preprocessor.addStackDependency(inputStream, 'seed order: the stream before its preprocessor');
  const shared = {
    ...common,
    analyticsBucket,
    codeBucket,
    inputStream,
    applicationName: config.applicationName,
    application: config.application,
    validateApplication: config.validateApplication,
    outputStreams: config.outputStreams,
    sourceRecordsAggregation: config.sourceRecordsAggregation,
    startingPosition: config.startingPosition,
  };
  const streamingApp = engine === 'flink'
    ? new FlinkAppStack(app, { ...shared, translateApplication: config.translateApplication!, flink: config.flink })
    : new StreamingAppStack(app, {
      ...shared,
      preprocessor,
      deaggregateWith: config.deaggregateWith,
      batchSize: config.batchSize,
      maxBatchingWindow: config.maxBatchingWindow,
      retryAttempts: config.retryAttempts,
      clockTickMinutes: config.clockTickMinutes,
    });
  Tags.of(app).add('ProjectName', projectName);
  if (config.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { analyticsBucket, codeBucket, inputStream, preprocessor, streamingApp };
}
