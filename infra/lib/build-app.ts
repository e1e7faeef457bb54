/**
 * The five stacks of the seed, wired together: what `infra/bin/app.ts` and the tests both build.
 */
import { type App, type Duration, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AnalyticsBucketStack, type AnalyticsBucketStackProps } from './analytics-bucket-stack.js';
import type { ApplicationDefinition, ApplicationValidator } from './application-definition.js';
import { CodeBucketStack } from './code-bucket-stack.js';
import { InputStreamStack, type InputStreamStackProps } from './input-stream-stack.js';
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
}

export interface StreamingAnalyticsStacks {
  readonly analyticsBucket: AnalyticsBucketStack;
  readonly codeBucket: CodeBucketStack;
  readonly inputStream: InputStreamStack;
  readonly preprocessor: PreprocessorStack;
  readonly streamingApp: StreamingAppStack;
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
  const streamingApp = new StreamingAppStack(app, {
    ...common,
    analyticsBucket,
    codeBucket,
    inputStream,
    preprocessor,
    applicationName: config.applicationName,
    application: config.application,
    validateApplication: config.validateApplication,
    outputStreams: config.outputStreams,
    sourceRecordsAggregation: config.sourceRecordsAggregation,
    deaggregateWith: config.deaggregateWith,
    startingPosition: config.startingPosition,
    batchSize: config.batchSize,
    maxBatchingWindow: config.maxBatchingWindow,
    retryAttempts: config.retryAttempts,
    clockTickMinutes: config.clockTickMinutes,
  });
  Tags.of(app).add('ProjectName', projectName);
  if (config.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { analyticsBucket, codeBucket, inputStream, preprocessor, streamingApp };
}
