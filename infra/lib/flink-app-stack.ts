/**
 * Stack 5 of the seed on Apache Flink (`-c engine=flink`): the application translated to Flink SQL runs as an
 * Amazon Managed Service for Apache Flink (MSF) application (`AWS::KinesisAnalyticsV2::Application`, Flink
 * runtime) from the job jar in the CodeBucket. It reads the input stream itself (KPL de-aggregation in the job),
 * keeps window state in Flink's checkpoints (no state table, no on-failure queue, no clock tick: Flink's
 * watermarks close windows), and delivers rows through the same Firehose delivery streams as the Lambda host,
 * so results land under the same keys of the AnalyticsBucket.
 */
import { ArnFormat, Aws, CfnOutput, type Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as msf from 'aws-cdk-lib/aws-kinesisanalyticsv2';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ConfigError } from '../../src/errors.js';
import type { AnalyticsBucketStack } from './analytics-bucket-stack.js';
import type { ApplicationDefinition, ApplicationValidator } from './application-definition.js';
import type { CodeBucketStack } from './code-bucket-stack.js';
import { type PropertyGroup, sqlPropertyGroup } from './flink-properties.js';
import { checkFlinkSettings, FLINK_RUNTIME_ENVIRONMENT, type FlinkSettings, type FlinkSettingsInput } from './flink-settings.js';
import type { InputStreamStack } from './input-stream-stack.js';
import { checkName, NAME_RULES } from './naming.js';
import { acknowledgeFirehoseCidrMapping, createOutputDelivery, KMS_GRANT_REASON } from './output-delivery.js';
import { SeedStack, type SeedStackProps } from './seed-stack.js';
import { checkApplication, type StreamingAppExport } from './streaming-app-stack.js';

/**
 * Where the deployed job reads and writes: the values the translated script's connectors need. Some are
 * deploy-time values (CDK tokens) that CloudFormation fills in; the script may hold them as they are.
 */
export interface FlinkDeploymentTarget {
  /** The stack's region (a token unless the stack has an explicit environment). */
  readonly region: string;
  /** The input Kinesis data stream (name and ARN, imported from the InputStream stack). */
  readonly inputStreamName: string;
  readonly inputStreamArn: string;
  /** Where to start reading a stream the job has no checkpoint for. */
  readonly startingPosition: 'LATEST' | 'TRIM_HORIZON';
  /** The producer aggregates records with the KPL (the job de-aggregates them). */
  readonly kplAggregated: boolean;
  /** In-application output stream -> its Firehose delivery stream name. */
  readonly outputDeliveryStreams: Readonly<Record<string, string>>;
  /** The delivery stream of error_stream rows. */
  readonly errorDeliveryStream: string;
}

/**
 * Turns the application into the Flink SQL script the job runs on MSF (KDA SQL -> Flink SQL, src/translate):
 * a Kinesis source over the input stream, the SQL's streams and pumps, a Firehose sink per output stream and
 * one for error_stream. Throws (with line and column) when the application has no faithful translation.
 */
export type FlinkTranslator = (application: ApplicationDefinition, target: FlinkDeploymentTarget) => string;

export interface FlinkAppStackProps extends SeedStackProps {
  readonly analyticsBucket: AnalyticsBucketStack;
  /** Must have been given the job jar (`flinkJarPath`). */
  readonly codeBucket: CodeBucketStack;
  readonly inputStream: InputStreamStack;
  /** The seed's ApplicationName. */
  readonly applicationName: string;
  readonly application: ApplicationDefinition;
  /** Synth-time validation with the engine (as for the Lambda host). @default - shape checks only */
  readonly validateApplication?: ApplicationValidator;
  /** KDA SQL -> Flink SQL, called once at synth. */
  readonly translateApplication: FlinkTranslator;
  /** @default ['DESTINATION_SQL_STREAM'] */
  readonly outputStreams?: readonly string[];
  /** The producer aggregates with the KPL: the job de-aggregates. @default true */
  readonly sourceRecordsAggregation?: boolean;
  /** Where the job starts reading a stream it has no checkpoint for. @default LATEST (KDA's NOW) */
  readonly startingPosition?: 'LATEST' | 'TRIM_HORIZON';
  /** Parallelism, checkpointing, monitoring. @default - see FlinkSettingsInput */
  readonly flink?: FlinkSettingsInput;
  /** @default 60 seconds */
  readonly deliveryBufferingInterval?: Duration;
  /** @default 5 */
  readonly deliveryBufferingSizeMiB?: number;
  /** @default one month */
  readonly logRetention?: logs.RetentionDays;
}

/** The job's log stream in its log group. */
const LOG_STREAM_NAME = 'flink';

export class FlinkAppStack extends SeedStack<StreamingAppExport> {
  readonly application: msf.CfnApplication;
  readonly role: iam.Role;
  readonly applicationName: string;
  readonly settings: FlinkSettings;
  readonly errorDeliveryStream: firehose.DeliveryStream;
  readonly outputDeliveryStreams: ReadonlyMap<string, firehose.DeliveryStream>;
  /** The translated Flink SQL script (as deployed in the SqlJob property group). */
  readonly flinkSql: string;

  constructor(scope: Construct, props: FlinkAppStackProps) {
    super(scope, 'StreamingApp', { description: 'streaming-analytics: the analytics application (the SQL translated to Flink SQL, on Managed Service for Apache Flink)', ...props });
    const appName = checkName('applicationName', props.applicationName, NAME_RULES.applicationName);
    const outputStreams = checkApplication(props);
    this.settings = checkFlinkSettings(props.flink);
    const base = `${this.projectName}-${appName}`;
    this.applicationName = checkName('applicationName (derived as {projectName}-{applicationName})', base, NAME_RULES.msfApplication);
    const references = referenceObjects(props.application);

    const bucket = s3.Bucket.fromBucketArn(this, 'AnalyticsBucketRef', props.analyticsBucket.importInto(this, 'AnalyticsBucketArn'));
    const codeBucketArn = props.codeBucket.importInto(this, 'CodeBucketArn');
    const jarKey = props.codeBucket.importInto(this, 'FlinkJarKey');
    const inputStreamArn = props.inputStream.importInto(this, 'InputStreamArn');
    const inputStream = kinesis.Stream.fromStreamAttributes(this, 'InputStreamRef', {
      streamArn: inputStreamArn,
      encryptionKey: kms.Key.fromKeyArn(this, 'InputStreamKeyRef', props.inputStream.importInto(this, 'InputStreamKeyArn')),
    });

    const key = new kms.Key(this, 'AppKey', { description: `Encrypts the delivery streams of ${base}`, enableKeyRotation: true });
    const delivery = createOutputDelivery(this, {
      key,
      bucket,
      analyticsBucket: props.analyticsBucket,
      baseName: base,
      outputStreams,
      bufferingInterval: props.deliveryBufferingInterval,
      bufferingSizeMiB: props.deliveryBufferingSizeMiB,
    });
    this.outputDeliveryStreams = delivery.outputs;
    this.errorDeliveryStream = delivery.errorStream;

    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: this.logGroupName,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    new logs.LogStream(this, 'LogStream', { logGroup, logStreamName: LOG_STREAM_NAME });

    const applicationArn = this.formatArn({ service: 'kinesisanalytics', resource: 'application', resourceName: this.applicationName });
    this.role = new iam.Role(this, 'ServiceRole', {
      description: `Service execution role of the MSF application ${this.applicationName}`,
      // Only MSF acting for this application of this account may take the role (confused-deputy protection).
      assumedBy: new iam.ServicePrincipal('kinesisanalytics.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID }, ArnEquals: { 'aws:SourceArn': applicationArn } },
      }),
    });
    this.grantJobNeeds({ inputStream, delivery: delivery.all, codeBucketArn, jarKey, references });

    const startingPosition = props.startingPosition ?? 'LATEST';
    if (startingPosition !== 'LATEST' && startingPosition !== 'TRIM_HORIZON') throw new ConfigError('startingPosition', `must be "LATEST" or "TRIM_HORIZON". Received ${JSON.stringify(startingPosition)}`);
    this.flinkSql = translate(props, {
      region: Aws.REGION,
      inputStreamName: props.inputStream.importInto(this, 'InputStream'),
      inputStreamArn,
      startingPosition,
      kplAggregated: props.sourceRecordsAggregation ?? true,
      outputDeliveryStreams: Object.fromEntries([...delivery.outputs].map(([stream, d]) => [stream, d.deliveryStreamName])),
      errorDeliveryStream: delivery.errorStream.deliveryStreamName,
    });
    this.application = this.createApplication(codeBucketArn, jarKey, [sqlPropertyGroup(this.flinkSql)]);
    // MSF checks the role's access to the jar when the application is created: the policy must exist first
    // (the role itself is already a dependency through ServiceExecutionRole).
    this.application.node.addDependency(this.role.node.findChild('DefaultPolicy'));

    new msf.CfnApplicationCloudWatchLoggingOption(this, 'Logging', {
      applicationName: this.application.ref,
      cloudWatchLoggingOption: { logStreamArn: this.logStreamArn(LOG_STREAM_NAME) },
    });

    this.exportSeed('StreamingApp', this.application.ref, 'Name of the MSF application');
    this.exportSeed('StreamingAppArn', applicationArn, 'ARN of the MSF application');
    this.exportSeed('ErrorDeliveryStream', this.errorDeliveryStream.deliveryStreamName, 'Name of the error_stream delivery stream');
    this.outputDeliveryStreams.forEach((d, stream) => new CfnOutput(this, `DeliveryStream-${stream}`, { value: d.deliveryStreamName, description: `Delivery stream of ${stream}` }));
    new CfnOutput(this, 'LogGroupName', { value: logGroup.logGroupName, description: 'CloudWatch log group of the Flink job' });
    acknowledgeFirehoseCidrMapping(this);
  }

  private createApplication(codeBucketArn: string, jarKey: string, groups: readonly PropertyGroup[]): msf.CfnApplication {
    const s = this.settings;
    return new msf.CfnApplication(this, 'Application', {
      applicationName: this.applicationName,
      applicationDescription: `streaming-analytics: the SQL application ${this.applicationName} translated to Flink SQL`,
      runtimeEnvironment: FLINK_RUNTIME_ENVIRONMENT,
      serviceExecutionRole: this.role.roleArn,
      applicationConfiguration: {
        applicationCodeConfiguration: {
          codeContentType: 'ZIPFILE',
          codeContent: { s3ContentLocation: { bucketArn: codeBucketArn, fileKey: jarKey } },
        },
        environmentProperties: { propertyGroups: groups.map((g) => ({ propertyGroupId: g.propertyGroupId, propertyMap: g.propertyMap })) },
        flinkApplicationConfiguration: {
          checkpointConfiguration: {
            configurationType: 'CUSTOM',
            checkpointingEnabled: s.checkpointing,
            checkpointInterval: s.checkpointIntervalSeconds * 1000,
            minPauseBetweenCheckpoints: s.minPauseBetweenCheckpointsSeconds * 1000,
          },
          parallelismConfiguration: {
            configurationType: 'CUSTOM',
            parallelism: s.parallelism,
            parallelismPerKpu: s.parallelismPerKpu,
            autoScalingEnabled: s.autoScaling,
          },
          monitoringConfiguration: { configurationType: 'CUSTOM', logLevel: s.logLevel, metricsLevel: s.metricsLevel },
        },
        applicationSnapshotConfiguration: { snapshotsEnabled: s.snapshots },
      },
    });
  }

  /**
   * Least privilege, statement by statement: read the input stream (and decrypt it), put records into this
   * app's delivery streams, read the one jar object and the reference objects, write the job's log stream.
   */
  private grantJobNeeds(p: {
    inputStream: kinesis.IStream;
    delivery: readonly firehose.DeliveryStream[];
    codeBucketArn: string;
    jarKey: string;
    references: readonly { tableName: string; arn: string }[];
  }): void {
    p.inputStream.grantRead(this.role);
    for (const d of p.delivery) d.grantPutRecords(this.role);
    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'ReadJobJar',
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: [`${p.codeBucketArn}/${p.jarKey}`],
    }));
    if (p.references.length > 0) {
      this.role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadReferenceData', actions: ['s3:GetObject'], resources: p.references.map((r) => r.arn) }));
    }
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'ListLogGroups', actions: ['logs:DescribeLogGroups'], resources: [this.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME })] }));
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'ListLogStreams', actions: ['logs:DescribeLogStreams'], resources: [this.logStreamArn('*')] }));
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'WriteLogs', actions: ['logs:PutLogEvents'], resources: [this.logStreamArn(LOG_STREAM_NAME)] }));
    this.acknowledgeRoleWildcards();
  }

  /** ARN of a log stream of the job's log group (names are fixed at synth, so the ARN is too). */
  private logStreamArn(streamName: string): string {
    return this.formatArn({ service: 'logs', resource: 'log-group', resourceName: `${this.logGroupName}:log-stream:${streamName}`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }

  private get logGroupName(): string {
    return `/aws/kinesis-analytics/${this.applicationName}`;
  }

  private acknowledgeRoleWildcards(): void {
    Validations.of(this.role).acknowledge(
      { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason: KMS_GRANT_REASON },
      { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason: KMS_GRANT_REASON },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*]',
        reason: 'logs:DescribeLogGroups has no resource-level scope narrower than the account\'s log groups; MSF calls it to find the job\'s log group. Writes are limited to the one log stream.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:${this.logGroupName}:log-stream:*]`,
        reason: 'logs:DescribeLogStreams on the job\'s own log group: MSF lists its streams to find the one it writes (PutLogEvents is granted on that stream only).',
      },
    );
  }
}

function translate(props: FlinkAppStackProps, target: FlinkDeploymentTarget): string {
  try {
    return props.translateApplication(props.application, target);
  } catch (error) {
    throw new ConfigError('application.sql', `application ${JSON.stringify(props.applicationName)} cannot run on Flink: ${(error as Error).message}`, { cause: error });
  }
}

/** The S3 objects of the application's reference tables, as ARNs; only s3:// locations can be read on MSF. */
function referenceObjects(application: ApplicationDefinition): { tableName: string; arn: string }[] {
  return (application.references ?? []).map((r, i) => {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(r.location);
    if (!m) throw new ConfigError(`application.references[${i}].location`, `reference table ${r.tableName} must be an s3://bucket/key object for the Flink host (MSF reads it from S3). Received ${JSON.stringify(r.location)}`);
    return { tableName: r.tableName, arn: `arn:${Aws.PARTITION}:s3:::${m[1]}/${m[2]}` };
  });
}
