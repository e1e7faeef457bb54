import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SqlSyntaxError } from '../../src/errors.js';
import type { StreamingAnalyticsStacks } from '../lib/build-app.js';
import { FlinkAppStack, type FlinkDeploymentTarget } from '../lib/flink-app-stack.js';
import { loadApplicationDefinition } from '../lib/application-definition.js';
import { buildFlinkTestApp, buildTestApp, fixtureAppDir } from './support/test-app.js';

type Statement = { Action: string | string[]; Resource: unknown; Sid?: string };

function statements(template: Template): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^ServiceRole') }] } });
  expect(Object.keys(policies)).toHaveLength(1);
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

/** The SqlJob property group's parts, joined in key order as the job does (tokens rendered as their JSON). */
function deployedScript(template: Template): { keys: string[]; text: string } {
  const app = Object.values(template.findResources('AWS::KinesisAnalyticsV2::Application'))[0];
  const groups = app.Properties.ApplicationConfiguration.EnvironmentProperties.PropertyGroups as { PropertyGroupId: string; PropertyMap: Record<string, unknown> }[];
  expect(groups.map((g) => g.PropertyGroupId)).toEqual(['SqlJob']);
  const keys = Object.keys(groups[0].PropertyMap).sort();
  const render = (v: unknown): string => (typeof v === 'string' ? v : (v as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].map((x) => (typeof x === 'string' ? x : `<${JSON.stringify(x)}>`)).join(''));
  return { keys, text: keys.map((k) => render(groups[0].PropertyMap[k])).join('') };
}

describe('StreamingApp stack with engine flink (Managed Service for Apache Flink)', () => {
  let stacks: StreamingAnalyticsStacks;
  let template: Template;
  beforeAll(() => {
    // GIVEN the app over the fixtures with -c engine=flink
    stacks = buildFlinkTestApp().stacks;
    template = Template.fromStack(stacks.streamingApp);
  });

  it('is an AWS::KinesisAnalyticsV2::Application on the Flink 1.20 runtime, its code the job jar in the CodeBucket', () => {
    expect(stacks.streamingApp).toBeInstanceOf(FlinkAppStack);
    template.hasResourceProperties('AWS::KinesisAnalyticsV2::Application', {
      ApplicationName: 'sa-test-ticker',
      RuntimeEnvironment: 'FLINK-1_20',
      ServiceExecutionRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ServiceRole'), 'Arn'] },
      ApplicationConfiguration: Match.objectLike({
        ApplicationCodeConfiguration: {
          CodeContentType: 'ZIPFILE',
          CodeContent: { S3ContentLocation: { BucketARN: { 'Fn::ImportValue': 'satest:CodeBucketArn' }, FileKey: { 'Fn::ImportValue': 'satest:FlinkJarKey' } } },
        },
        ApplicationSnapshotConfiguration: { SnapshotsEnabled: true },
      }),
    });
  });

  it('replaces the Lambda host: no function, mapping, state table, queue or clock tick; the same delivery streams', () => {
    for (const type of ['AWS::Lambda::Function', 'AWS::Lambda::EventSourceMapping', 'AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::Events::Rule']) template.resourceCountIs(type, 0);
    template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 2);
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'sa-test-ticker-DESTINATION_SQL_STREAM',
      ExtendedS3DestinationConfiguration: Match.objectLike({ Prefix: 'results/DESTINATION_SQL_STREAM/' }),
    });
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', { DeliveryStreamName: 'sa-test-ticker-error_stream' });
  });

  it('sets checkpointing, parallelism and monitoring explicitly (CUSTOM), with the documented defaults', () => {
    template.hasResourceProperties('AWS::KinesisAnalyticsV2::Application', {
      ApplicationConfiguration: Match.objectLike({
        FlinkApplicationConfiguration: {
          CheckpointConfiguration: { ConfigurationType: 'CUSTOM', CheckpointingEnabled: true, CheckpointInterval: 60_000, MinPauseBetweenCheckpoints: 5000 },
          ParallelismConfiguration: { ConfigurationType: 'CUSTOM', Parallelism: 1, ParallelismPerKPU: 1, AutoScalingEnabled: false },
          MonitoringConfiguration: { ConfigurationType: 'CUSTOM', LogLevel: 'INFO', MetricsLevel: 'APPLICATION' },
        },
      }),
    });
  });

  it('deploys the translated script in the SqlJob property group, the deployment values filled in by CloudFormation', () => {
    // GIVEN the fixture's ticker SQL translated by src/translate for MSF
    const { keys, text } = deployedScript(template);
    expect(keys[0]).toBe('sql.000');
    // THEN a Kinesis source over the imported input stream in the stack's region, a Firehose sink per output
    expect(text).toMatch(/'connector' = 'kinesis', 'stream' = '<\{"Fn::ImportValue":"satest:InputStream"\}>'/);
    expect(text).toContain("'scan.stream.initpos' = 'LATEST'");
    expect(text).toContain("'aws.region' = '<{\"Ref\":\"AWS::Region\"}>'");
    expect(text).toMatch(/'connector' = 'firehose', 'delivery-stream' = '<\{"Ref":"OutputDESTINATIONSQLSTREAM[0-9A-F]+"\}>'/);
    expect(text).toMatch(/INSERT INTO .*DESTINATION_SQL_STREAM/);
    expect(text).not.toContain('${Token[');
  });

  it('grants the service role exactly the job\'s needs: read the input stream, put to its delivery streams, read the jar, write its log stream', () => {
    const all = statements(template);
    const actions = all.flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards', 'kms:Decrypt', 'firehose:PutRecordBatch', 's3:GetObject', 'logs:PutLogEvents']));
    expect(actions.filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);
    // No write to any bucket, no access to the state of another service.
    expect(actions.filter((a) => /^(s3:Put|s3:Delete|dynamodb:|sqs:|lambda:)/.test(a))).toEqual([]);
    const byAction = (a: string) => all.filter((s) => [s.Action].flat().includes(a)).map((s) => s.Resource);
    expect(byAction('kinesis:GetRecords')).toEqual([{ 'Fn::ImportValue': 'satest:InputStreamArn' }]);
    expect(byAction('s3:GetObject')).toEqual([{ 'Fn::Join': ['', [{ 'Fn::ImportValue': 'satest:CodeBucketArn' }, '/', { 'Fn::ImportValue': 'satest:FlinkJarKey' }]] }]);
    expect(JSON.stringify(byAction('logs:PutLogEvents'))).toContain(':log-group:/aws/kinesis-analytics/sa-test-ticker:log-stream:flink');
    expect(byAction('firehose:PutRecordBatch')).toHaveLength(1);
    expect((byAction('firehose:PutRecordBatch')[0] as unknown[])).toHaveLength(2);
  });

  it('lets only MSF, for this application of this account, assume the role', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { Service: 'kinesisanalytics.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnEquals: { 'aws:SourceArn': Match.anyValue() } },
        })],
      },
    });
  });

  it('logs to its own log group and stream through the CloudWatch logging option', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/kinesis-analytics/sa-test-ticker', RetentionInDays: 30 });
    template.hasResourceProperties('AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption', {
      ApplicationName: { Ref: Match.stringLikeRegexp('^Application') },
      CloudWatchLoggingOption: { LogStreamARN: Match.anyValue() },
    });
  });

  it('depends on the buckets and the stream but not on the Preprocessor stack (the job de-aggregates KPL records)', () => {
    const deps = stacks.streamingApp.dependencies.map((s) => s.node.id).sort();
    expect(deps).toEqual(['AnalyticsBucket', 'CodeBucket', 'InputStream']);
  });

  it('exports the application name and ARN under the seed names', () => {
    const outputs = Object.values(template.toJSON().Outputs as Record<string, { Export?: { Name: string } }>).flatMap((o) => (o.Export ? [o.Export.Name] : [])).sort();
    expect(outputs).toEqual(['satest:ErrorDeliveryStream', 'satest:StreamingApp', 'satest:StreamingAppArn']);
  });

  it('uploads the job jar to the CodeBucket under flink/ and exports its key', () => {
    const code = Template.fromStack(stacks.codeBucket);
    code.hasResourceProperties('Custom::CDKBucketDeployment', { DestinationBucketKeyPrefix: 'flink/', Extract: false });
    expect(stacks.codeBucket.exportedKeys).toContain('FlinkJarKey');
    // The Lambda host's CodeBucket has no jar.
    expect(buildTestApp().stacks.codeBucket.exportedKeys).not.toContain('FlinkJarKey');
  });
});

describe('engine flink: settings from the context, checked at synth', () => {
  it('carries parallelism and checkpointing settings into the application', () => {
    const { stacks } = buildFlinkTestApp({ flink: { parallelism: 4, parallelismPerKpu: 2, autoScaling: true, checkpointIntervalSeconds: 30, minPauseBetweenCheckpointsSeconds: 10, logLevel: 'WARN', metricsLevel: 'TASK', snapshots: false } });
    Template.fromStack(stacks.streamingApp).hasResourceProperties('AWS::KinesisAnalyticsV2::Application', {
      ApplicationConfiguration: Match.objectLike({
        FlinkApplicationConfiguration: {
          CheckpointConfiguration: Match.objectLike({ CheckpointInterval: 30_000, MinPauseBetweenCheckpoints: 10_000 }),
          ParallelismConfiguration: Match.objectLike({ Parallelism: 4, ParallelismPerKPU: 2, AutoScalingEnabled: true }),
          MonitoringConfiguration: Match.objectLike({ LogLevel: 'WARN', MetricsLevel: 'TASK' }),
        },
        ApplicationSnapshotConfiguration: { SnapshotsEnabled: false },
      }),
    });
  });

  it('fails on out-of-range settings, naming the setting and the value received', () => {
    expect(() => buildFlinkTestApp({ flink: { parallelism: 0 } })).toThrow('parallelism: must be an integer from 1 to 256. Received 0');
    expect(() => buildFlinkTestApp({ flink: { parallelismPerKpu: 9 } })).toThrow('parallelismPerKpu: must be an integer from 1 to 8. Received 9');
    expect(() => buildFlinkTestApp({ flink: { checkpointIntervalSeconds: 10, minPauseBetweenCheckpointsSeconds: 20 } }))
      .toThrow('minPauseBetweenCheckpointsSeconds: must not exceed checkpointIntervalSeconds (10). Received 20');
  });

  it('refuses the event source mapping\'s settings with engine flink, and Flink settings without it', () => {
    expect(() => buildFlinkTestApp({ batchSize: 500 })).toThrow('batchSize: only applies with engine "lambda" (the event source mapping); the engine is "flink"');
    expect(() => buildTestApp({ flink: { parallelism: 2 } })).toThrow('flink: only applies with engine "flink"; the engine is "lambda"');
  });

  it('fails without the jar, or with a file that is not a jar, saying how to build it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'no-jar-'));
    expect(() => buildFlinkTestApp({ flinkJarPath: join(dir, 'missing.jar') })).toThrow(/flinkJarPath: no Flink job jar at .*missing\.jar.*mvn -q -f flink\/pom\.xml package/);
    writeFileSync(join(dir, 'text.jar'), 'not a zip');
    expect(() => buildFlinkTestApp({ flinkJarPath: join(dir, 'text.jar') })).toThrow(/flinkJarPath: ".*text\.jar" is not a jar/);
  });

  it('fails synth with the translator\'s reason when the application has no faithful translation', () => {
    const refuse = () => { throw new SqlSyntaxError('RANDOM_CUT_FOREST has no Flink translation', { line: 4, column: 10 }); };
    expect(() => buildFlinkTestApp({ translateApplication: refuse }))
      .toThrow('application.sql: application "ticker" cannot run on Flink: line 4, column 10: RANDOM_CUT_FOREST has no Flink translation');
  });

  it('hands the translator the deployment: region, input stream, starting position, KPL aggregation, delivery streams', () => {
    const seen: FlinkDeploymentTarget[] = [];
    buildFlinkTestApp({ startingPosition: 'TRIM_HORIZON', sourceRecordsAggregation: false, translateApplication: (_app, target) => { seen.push(target); return 'SELECT 1;'; } });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ startingPosition: 'TRIM_HORIZON', kplAggregated: false });
    expect(Object.keys(seen[0].outputDeliveryStreams)).toEqual(['DESTINATION_SQL_STREAM']);
  });

  it('cuts a long script into parts within MSF\'s 2048-character limit that join back into the script', () => {
    const script = Array.from({ length: 300 }, (_, i) => `INSERT INTO T SELECT ${i} AS N FROM S WHERE X = 'value ${i}';`).join('\n');
    const { stacks } = buildFlinkTestApp({ translateApplication: () => script });
    const { keys, text } = deployedScript(Template.fromStack(stacks.streamingApp));
    expect(keys.length).toBeGreaterThan(5);
    expect(keys).toEqual(keys.map((_, i) => `sql.${String(i).padStart(3, '0')}`));
    expect(text).toBe(script);
  });

  it('grants read on the reference tables\' S3 objects, and refuses a local reference file', () => {
    const base = loadApplicationDefinition(fixtureAppDir);
    const withRef = { ...base, references: [{ tableName: 'COMPANY', location: 's3://ref-data-bucket/tables/company.csv' }] };
    const all = statements(Template.fromStack(buildFlinkTestApp({ application: withRef }).stacks.streamingApp));
    const ref = all.find((s) => s.Sid === 'ReadReferenceData');
    expect(ref?.Action).toBe('s3:GetObject');
    expect(JSON.stringify(ref?.Resource)).toContain(':s3:::ref-data-bucket/tables/company.csv');
    expect(() => buildFlinkTestApp({ application: { ...base, references: [{ tableName: 'COMPANY', location: 'data/company.csv' }] } }))
      .toThrow('application.references[0].location: reference table COMPANY must be an s3://bucket/key object for the Flink host (MSF reads it from S3). Received "data/company.csv"');
  });

  it('translates a join with a reference table into a lookup table over its S3 object, which the role may read', () => {
    const base = loadApplicationDefinition(fixtureAppDir);
    const application = {
      ...base,
      sql:
        'CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (TICKER VARCHAR(4), COMPANY VARCHAR(20), PRICE REAL);\n' +
        'CREATE OR REPLACE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM s.TICKER_SYMBOL, c.COMPANY, s.PRICE FROM "SOURCE_SQL_STREAM_001" AS s LEFT JOIN "COMPANY" AS c ON s.TICKER_SYMBOL = c.TICKER;',
      references: [
        {
          tableName: 'COMPANY',
          location: 's3://ref-data-bucket/tables/company.csv',
          schema: { format: 'CSV' as const, columns: [{ name: 'TICKER', sqlType: 'VARCHAR(4)' }, { name: 'COMPANY', sqlType: 'VARCHAR(20)' }] },
        },
      ],
    };
    const template = Template.fromStack(buildFlinkTestApp({ application }).stacks.streamingApp);
    const { text } = deployedScript(template);
    expect(text).toContain("'connector' = 'sa-reference', 'path' = 's3://ref-data-bucket/tables/company.csv', 'format' = 'CSV'");
    expect(text).toMatch(/LEFT JOIN `__reference_COMPANY` FOR SYSTEM_TIME AS OF `s`\.`__proctime` AS `r`/);
    const ref = statements(template).find((st) => st.Sid === 'ReadReferenceData');
    expect(JSON.stringify(ref?.Resource)).toContain(':s3:::ref-data-bucket/tables/company.csv');
  });
});
