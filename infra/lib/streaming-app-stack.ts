/**
 * Stack 5 of the seed (streaming-app.yaml). AWS no longer runs KDA SQL applications, so this stack runs the
 * project's own engine as a Lambda function fed by a Kinesis event source mapping on the input stream, keeps
 * window state in a DynamoDB table (see infra/README.md for why not the mapping's tumbling windows), and
 * delivers rows through Firehose delivery streams (DirectPut) into the AnalyticsBucket: one per output stream
 * under the results prefix, one for error_stream under its prefix.
 */
import { CfnOutput, Duration, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ConfigError } from '../../src/errors.js';
import { ANALYTICS_ENV_VARS as ANALYTICS_ENV, CLOCK_TICK as CLOCK_TICK_EVENT, type Deaggregation } from '../../src/lambda/analytics/analytics-config.js';
import type { AnalyticsBucketStack } from './analytics-bucket-stack.js';
import { type ApplicationDefinition, type ApplicationValidator, checkApplicationShape, streamsCreatedBy } from './application-definition.js';
import { BundleFunction } from './bundle-function.js';
import type { CodeBucketStack } from './code-bucket-stack.js';
import type { InputStreamStack } from './input-stream-stack.js';
import { checkName, NAME_RULES } from './naming.js';
import { acknowledgeFirehoseCidrMapping, createOutputDelivery, KMS_GRANT_REASON } from './output-delivery.js';
import { checkMemory, type PreprocessorStack } from './preprocessor-stack.js';
import { SeedStack, type SeedStackProps } from './seed-stack.js';

export type StreamingAppExport = 'StreamingApp' | 'StreamingAppArn' | 'StateTable' | 'OnFailureQueue' | 'ErrorDeliveryStream';

/**
 * The environment variables the analytics function reads, the clock-tick event and the de-aggregation modes:
 * defined once, by the function (src/lambda/analytics/analytics-config.ts), so the stack and the code cannot drift.
 */
export { ANALYTICS_ENV_VARS as ANALYTICS_ENV, CLOCK_TICK as CLOCK_TICK_EVENT } from '../../src/lambda/analytics/analytics-config.js';
export type { Deaggregation } from '../../src/lambda/analytics/analytics-config.js';
/** Lambda's limit on the total size of a function's environment variables. */
const LAMBDA_ENV_LIMIT_BYTES = 4096;

export interface StreamingAppStackProps extends SeedStackProps {
  readonly analyticsBucket: AnalyticsBucketStack;
  readonly codeBucket: CodeBucketStack;
  readonly inputStream: InputStreamStack;
  /** Required when records are de-aggregated through the Preprocessor function. */
  readonly preprocessor?: PreprocessorStack;
  /** The seed's ApplicationName. */
  readonly applicationName: string;
  /** The SQL and input schema. */
  readonly application: ApplicationDefinition;
  /** Synth-time validation of the application (infra/lib/engine-validator.ts compiles it with the engine). @default - shape checks only */
  readonly validateApplication?: ApplicationValidator;
  /** In-application streams delivered to the bucket, one delivery stream each. @default ['DESTINATION_SQL_STREAM'] */
  readonly outputStreams?: readonly string[];
  /** The seed's SourceRecordsAggregation: the producer aggregates with the KPL. @default true */
  readonly sourceRecordsAggregation?: boolean;
  /** Where aggregated records are taken apart: through the Preprocessor function (as the seed wired it) or inside the analytics function. @default 'preprocessor' */
  readonly deaggregateWith?: 'preprocessor' | 'in-process';
  /** Where the mapping starts reading a new stream. @default LATEST (KDA's NOW) */
  readonly startingPosition?: 'LATEST' | 'TRIM_HORIZON';
  /** Records per invocation (1 to 10000). @default 1000 */
  readonly batchSize?: number;
  /** How long the mapping gathers records before invoking (0 to 300 s). @default 5 seconds */
  readonly maxBatchingWindow?: Duration;
  /** Retries of a failing batch before its records go to the on-failure queue (-1 = until they expire). @default 10 */
  readonly retryAttempts?: number;
  /** Records older than this go to the on-failure queue (60 s to 7 days). @default 1 day */
  readonly maxRecordAge?: Duration;
  /** @default 1024 */
  readonly memorySizeMiB?: number;
  /** @default 120 seconds */
  readonly timeout?: Duration;
  /**
   * Minutes between clock ticks: an invocation that advances every shard's clock to the current time so that
   * windows close while a shard receives no records (KDA closes windows as ROWTIME moves on, with or without
   * rows). 0 turns the tick off. @default 1
   */
  readonly clockTickMinutes?: number;
  /** Firehose buffering interval (0 to 900 s). @default 60 seconds */
  readonly deliveryBufferingInterval?: Duration;
  /** Firehose buffering size (1 to 128 MiB). @default 5 MiB */
  readonly deliveryBufferingSizeMiB?: number;
}

export class StreamingAppStack extends SeedStack<StreamingAppExport> {
  readonly function: lambda.Function;
  readonly stateTable: dynamodb.Table;
  readonly onFailureQueue: sqs.Queue;
  readonly errorDeliveryStream: firehose.DeliveryStream;
  /** Output stream name -> its delivery stream. */
  readonly outputDeliveryStreams: ReadonlyMap<string, firehose.DeliveryStream>;
  readonly deaggregation: Deaggregation;

  constructor(scope: Construct, props: StreamingAppStackProps) {
    super(scope, 'StreamingApp', { description: 'streaming-analytics: the analytics application (the SQL engine on Lambda, fed by the input stream)', ...props });
    const appName = checkName('applicationName', props.applicationName, NAME_RULES.applicationName);
    const outputStreams = checkApplication(props);
    this.deaggregation = chooseDeaggregation(props);
    const numbers = checkMappingNumbers(props);
    const base = `${this.projectName}-${appName}`;
    // Every physical name derives from projectName and applicationName: check them all before building anything.
    const derived = '(derived as {projectName}-{applicationName}';
    const functionName = checkName(`applicationName ${derived})`, base, NAME_RULES.lambdaFunction);
    const tableName = checkName(`applicationName ${derived}-state)`, `${base}-state`, NAME_RULES.dynamoTable);
    const queueName = checkName(`applicationName ${derived}-on-failure)`, `${base}-on-failure`, NAME_RULES.sqsQueue);

    // Imports, by the seed's export names, through the producing stacks (typo-proof).
    const bucket = s3.Bucket.fromBucketArn(this, 'AnalyticsBucketRef', props.analyticsBucket.importInto(this, 'AnalyticsBucketArn'));
    const codeBucket = s3.Bucket.fromBucketAttributes(this, 'CodeBucketRef', {
      bucketName: props.codeBucket.importInto(this, 'CodeBucket'),
    });
    const inputStream = kinesis.Stream.fromStreamAttributes(this, 'InputStreamRef', {
      streamArn: props.inputStream.importInto(this, 'InputStreamArn'),
      encryptionKey: kms.Key.fromKeyArn(this, 'InputStreamKeyRef', props.inputStream.importInto(this, 'InputStreamKeyArn')),
    });
    const preprocessor = this.deaggregation === 'preprocessor'
      ? lambda.Function.fromFunctionAttributes(this, 'PreprocessorRef', { functionArn: props.preprocessor!.importInto(this, 'PreprocessorArn'), sameEnvironment: true })
      : undefined;

    const key = new kms.Key(this, 'AppKey', { description: `Encrypts the state table, the on-failure queue and the delivery streams of ${base}`, enableKeyRotation: true });

    this.stateTable = new dynamodb.Table(this, 'StateTable', {
      tableName,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
    });

    this.onFailureQueue = new sqs.Queue(this, 'OnFailureQueue', {
      queueName,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.onFailureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination of the event source mapping (records of batches that exhausted their retries); a DLQ of a DLQ would have no consumer.',
    });

    const delivery = createOutputDelivery(this, {
      key,
      bucket,
      analyticsBucket: props.analyticsBucket,
      baseName: base,
      outputStreams,
      bufferingInterval: numbers.bufferingInterval,
      bufferingSizeMiB: numbers.bufferingSizeMiB,
    });
    const outputs = delivery.outputs;
    this.outputDeliveryStreams = outputs;
    this.errorDeliveryStream = delivery.errorStream;

    const environment: Record<string, string> = {
      [ANALYTICS_ENV.applicationName]: appName,
      [ANALYTICS_ENV.applicationSql]: props.application.sql,
      [ANALYTICS_ENV.applicationInput]: JSON.stringify(props.application.input),
      [ANALYTICS_ENV.deaggregation]: this.deaggregation,
      [ANALYTICS_ENV.outputDeliveryStreams]: JSON.stringify(Object.fromEntries([...outputs].map(([s, d]) => [s, d.deliveryStreamName]))),
      [ANALYTICS_ENV.errorDeliveryStream]: this.errorDeliveryStream.deliveryStreamName,
      [ANALYTICS_ENV.stateTableName]: this.stateTable.tableName,
      POWERTOOLS_SERVICE_NAME: appName,
      ...(preprocessor ? { [ANALYTICS_ENV.preprocessorFunctionName]: props.preprocessor!.importInto(this, 'Preprocessor') } : {}),
    };
    checkEnvironmentSize(environment);

    const fn = new BundleFunction(this, 'Analytics', {
      functionName,
      functionNameField: `applicationName ${derived})`,
      description: `Runs the SQL application ${appName} on the input stream`,
      codeBucket,
      codeKey: props.codeBucket.importInto(this, 'AnalyticsCodeKey'),
      memorySizeMiB: numbers.memorySizeMiB,
      timeout: numbers.timeout,
      environment,
    });
    this.function = fn.function;

    // Least privilege through grants: read the stream (the mapping), state, outputs, the preprocessor.
    this.stateTable.grantReadWriteData(this.function);
    for (const d of [...outputs.values(), this.errorDeliveryStream]) d.grantPutRecords(this.function);
    preprocessor?.grantInvoke(this.function);

    this.function.addEventSource(new KinesisEventSource(inputStream, {
      startingPosition: props.startingPosition === 'TRIM_HORIZON' ? lambda.StartingPosition.TRIM_HORIZON : lambda.StartingPosition.LATEST,
      // One invocation per shard at a time: records of a shard reach the engine in order.
      parallelizationFactor: 1,
      batchSize: numbers.batchSize,
      maxBatchingWindow: numbers.maxBatchingWindow,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: numbers.retryAttempts,
      maxRecordAge: numbers.maxRecordAge,
      onFailure: new SqsDlq(this.onFailureQueue),
    }));

    if (numbers.clockTickMinutes > 0) {
      new events.Rule(this, 'ClockTick', {
        description: `Advances the clock of ${appName} so that windows close on idle shards`,
        schedule: events.Schedule.rate(Duration.minutes(numbers.clockTickMinutes)),
        // A missed tick is harmless: the next one (or the next record) advances the clock as far.
        targets: [new targets.LambdaFunction(this.function, { event: events.RuleTargetInput.fromObject(CLOCK_TICK_EVENT), retryAttempts: 0 })],
      });
    }

    this.exportSeed('StreamingApp', this.function.functionName, 'Name of the analytics function');
    this.exportSeed('StreamingAppArn', this.function.functionArn, 'ARN of the analytics function');
    this.exportSeed('StateTable', this.stateTable.tableName, 'Name of the window state table');
    this.exportSeed('OnFailureQueue', this.onFailureQueue.queueUrl, 'URL of the queue receiving records of batches that failed for good');
    this.exportSeed('ErrorDeliveryStream', this.errorDeliveryStream.deliveryStreamName, 'Name of the error_stream delivery stream');
    outputs.forEach((d, stream) => new CfnOutput(this, `DeliveryStream-${stream}`, { value: d.deliveryStreamName, description: `Delivery stream of ${stream}` }));
    this.acknowledgeGrantWildcards();
  }

  /** Wildcards the CDK grant methods generate; each is scoped to one resource of this app. */
  private acknowledgeGrantWildcards(): void {
    const kmsReason = KMS_GRANT_REASON;
    Validations.of(this.function.role!).acknowledge(
      { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason: kmsReason },
      { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason: kmsReason },
    );
    if (this.deaggregation === 'preprocessor') {
      Validations.of(this.function.role!).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${this.stackNamePrefix}:PreprocessorArn:*]`,
        reason: 'Generated by grantInvoke on the preprocessor function: the ":*" covers its versions and aliases, nothing else.',
      });
    }
    acknowledgeFirehoseCidrMapping(this);
  }
}

/** Checks the application (shape, engine validation hook) and the output stream names; returns them. */
export function checkApplication(props: Pick<StreamingAppStackProps, 'application' | 'applicationName' | 'validateApplication' | 'outputStreams'>): string[] {
  checkApplicationShape(props.application, 'application.');
  let streams: readonly string[] | undefined;
  if (props.validateApplication) {
    try {
      streams = props.validateApplication(props.application)?.streams;
    } catch (error) {
      throw new ConfigError('application.sql', `application ${JSON.stringify(props.applicationName)} is not valid: ${(error as Error).message}`, { cause: error });
    }
  }
  const created = streams ?? streamsCreatedBy(props.application.sql);
  const outputStreams = [...(props.outputStreams ?? ['DESTINATION_SQL_STREAM'])];
  if (outputStreams.length === 0) throw new ConfigError('outputStreams', 'must name at least one in-application stream to deliver');
  outputStreams.forEach((stream, i) => {
    if (outputStreams.indexOf(stream) !== i) throw new ConfigError(`outputStreams[${i}]`, `repeats ${JSON.stringify(stream)}`);
    if (stream.toLowerCase() === 'error_stream') throw new ConfigError(`outputStreams[${i}]`, 'error_stream is always delivered (under errorStreamPrefix); do not list it');
    if (!created.includes(stream)) {
      throw new ConfigError(`outputStreams[${i}]`, `${JSON.stringify(stream)} is not a stream the application creates; it creates: ${created.join(', ') || '(none)'}`);
    }
  });
  return outputStreams;
}

function chooseDeaggregation(props: StreamingAppStackProps): Deaggregation {
  if (props.sourceRecordsAggregation === false) return 'none';
  const mode = props.deaggregateWith ?? 'preprocessor';
  if (mode !== 'preprocessor' && mode !== 'in-process') throw new ConfigError('deaggregateWith', `must be "preprocessor" or "in-process". Received ${JSON.stringify(mode)}`);
  if (mode === 'preprocessor' && !props.preprocessor) throw new ConfigError('preprocessor', 'is required when records are de-aggregated through the Preprocessor function (deaggregateWith "preprocessor")');
  return mode;
}

function checkMappingNumbers(props: StreamingAppStackProps) {
  const batchSize = props.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new ConfigError('batchSize', `must be an integer from 1 to 10000. Received ${JSON.stringify(batchSize)}`);
  const maxBatchingWindow = props.maxBatchingWindow ?? Duration.seconds(5);
  if (maxBatchingWindow.toSeconds() > 300) throw new ConfigError('maxBatchingWindow', `must be at most 300 seconds. Received ${maxBatchingWindow.toSeconds()} seconds`);
  const retryAttempts = props.retryAttempts ?? 10;
  if (!Number.isInteger(retryAttempts) || retryAttempts < -1 || retryAttempts > 10_000) throw new ConfigError('retryAttempts', `must be an integer from -1 to 10000. Received ${JSON.stringify(retryAttempts)}`);
  const maxRecordAge = props.maxRecordAge ?? Duration.days(1);
  if (maxRecordAge.toSeconds() < 60 || maxRecordAge.toSeconds() > 604_800) throw new ConfigError('maxRecordAge', `must be from 60 seconds to 7 days. Received ${maxRecordAge.toSeconds()} seconds`);
  const memorySizeMiB = props.memorySizeMiB ?? 1024;
  checkMemory('memorySizeMiB', memorySizeMiB);
  const timeout = props.timeout ?? Duration.seconds(120);
  if (timeout.toSeconds() < 1 || timeout.toSeconds() > 900) throw new ConfigError('timeout', `must be from 1 to 900 seconds. Received ${timeout.toSeconds()} seconds`);
  const bufferingInterval = props.deliveryBufferingInterval ?? Duration.seconds(60);
  if (bufferingInterval.toSeconds() > 900) throw new ConfigError('deliveryBufferingInterval', `must be at most 900 seconds. Received ${bufferingInterval.toSeconds()} seconds`);
  const bufferingSizeMiB = props.deliveryBufferingSizeMiB ?? 5;
  if (!Number.isInteger(bufferingSizeMiB) || bufferingSizeMiB < 1 || bufferingSizeMiB > 128) throw new ConfigError('deliveryBufferingSizeMiB', `must be an integer from 1 to 128. Received ${JSON.stringify(bufferingSizeMiB)}`);
  const clockTickMinutes = props.clockTickMinutes ?? 1;
  if (!Number.isInteger(clockTickMinutes) || clockTickMinutes < 0 || clockTickMinutes > 60) throw new ConfigError('clockTickMinutes', `must be an integer from 0 (off) to 60. Received ${JSON.stringify(clockTickMinutes)}`);
  return { batchSize, maxBatchingWindow, retryAttempts, maxRecordAge, memorySizeMiB, timeout, bufferingInterval, bufferingSizeMiB, clockTickMinutes };
}

/** Lambda refuses environments over 4 KB; say so at synth, naming the application, rather than at deploy. */
function checkEnvironmentSize(environment: Record<string, string>): void {
  // Values known only at deploy time (imported names) count as their longest possible length (64).
  const bytes = Object.entries(environment).reduce((n, [k, v]) => n + Buffer.byteLength(k) + (v.includes('${Token[') ? 64 : Buffer.byteLength(v)), 0);
  if (bytes > LAMBDA_ENV_LIMIT_BYTES) {
    throw new ConfigError('application', `the SQL and input schema make the analytics function's environment ${bytes} bytes; Lambda allows ${LAMBDA_ENV_LIMIT_BYTES}. Shorten the SQL (comments count too) or the input schema`);
  }
}
