import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SqlSyntaxError } from '../../src/errors.js';
import type { ApplicationDefinition } from '../lib/application-definition.js';
import { CLOCK_TICK_EVENT } from '../lib/streaming-app-stack.js';
import { buildTestApp } from './support/test-app.js';

type Env = Record<string, unknown>;

function functionEnv(template: Template): Env {
  const fns = template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } });
  expect(Object.keys(fns)).toHaveLength(1);
  return Object.values(fns)[0].Properties.Environment.Variables as Env;
}

describe('StreamingApp stack', () => {
  let template: Template;
  beforeAll(() => {
    // GIVEN the app over the fixtures, de-aggregating through the Preprocessor function (the default)
    template = Template.fromStack(buildTestApp().stacks.streamingApp);
  });

  it('feeds the analytics function from the input stream in shard order, with partial batch responses, bisect and an on-failure queue', () => {
    // THEN
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::ImportValue': 'satest:InputStreamArn' },
      FunctionName: { Ref: Match.stringLikeRegexp('AnalyticsFunction') },
      ParallelizationFactor: 1,
      BatchSize: 1000,
      MaximumBatchingWindowInSeconds: 5,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 86400,
      StartingPosition: 'LATEST',
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('OnFailureQueue'), 'Arn'] } } },
      TumblingWindowInSeconds: Match.absent(),
    });
  });

  it('keeps window state in a DynamoDB table with point-in-time recovery and KMS encryption', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'sa-test-ticker-state',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
    });
  });

  it('delivers the output stream and error_stream through encrypted DirectPut delivery streams into their prefixes', () => {
    template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 2);
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'sa-test-ticker-DESTINATION_SQL_STREAM',
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK' },
      ExtendedS3DestinationConfiguration: Match.objectLike({
        BucketARN: { 'Fn::ImportValue': 'satest:AnalyticsBucketArn' },
        Prefix: 'results/DESTINATION_SQL_STREAM/',
        ErrorOutputPrefix: 'delivery-failures/sa-test-ticker-DESTINATION_SQL_STREAM/',
      }),
    });
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'sa-test-ticker-error_stream',
      ExtendedS3DestinationConfiguration: Match.objectLike({ Prefix: 'error_stream/' }),
    });
  });

  it('wires the function to the application, the delivery streams, the state table and the preprocessor through its environment', () => {
    const env = functionEnv(template);
    expect(env.APPLICATION_NAME).toBe('ticker');
    expect(env.APPLICATION_SQL).toMatch(/CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM"/);
    expect(JSON.parse(env.APPLICATION_INPUT as string)).toMatchObject({ format: 'JSON', columns: expect.arrayContaining([{ name: 'TICKER_SYMBOL', sqlType: 'VARCHAR(4)', mapping: '$.TICKER_SYMBOL' }]) });
    expect(env.DEAGGREGATION).toBe('preprocessor');
    expect(env.PREPROCESSOR_FUNCTION_NAME).toEqual({ 'Fn::ImportValue': 'satest:Preprocessor' });
    expect(env.STATE_TABLE_NAME).toEqual({ Ref: expect.stringMatching(/StateTable/) });
    expect(env.ERROR_DELIVERY_STREAM).toEqual({ Ref: expect.stringMatching(/ErrorStreamDelivery/) });
    expect(env.OUTPUT_DELIVERY_STREAMS).toEqual({ 'Fn::Join': ['', ['{"DESTINATION_SQL_STREAM":"', { Ref: expect.stringMatching(/^OutputDESTINATIONSQLSTREAM/) }, '"}']] });
  });

  it('grants the function exactly its needs: state table, delivery streams, preprocessor invoke', () => {
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('AnalyticsRole') }] } });
    const actions = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:GetItem', 'firehose:PutRecordBatch', 'lambda:InvokeFunction', 'kinesis:GetRecords', 'sqs:SendMessage']));
    expect(actions.filter((a) => a.endsWith(':*') || a === '*')).toEqual([]);
  });

  it('de-aggregates in process without the Preprocessor stack when asked', () => {
    // GIVEN deaggregateWith in-process / WHEN synthesized
    const { stacks } = buildTestApp({ deaggregateWith: 'in-process' });
    const env = functionEnv(Template.fromStack(stacks.streamingApp));
    // THEN no preprocessor reference and no dependency on its stack
    expect(env.DEAGGREGATION).toBe('in-process');
    expect(env.PREPROCESSOR_FUNCTION_NAME).toBeUndefined();
    expect(stacks.streamingApp.dependencies.map((s) => s.node.id)).not.toContain('Preprocessor');
  });

  it('skips de-aggregation when the producer does not aggregate (SourceRecordsAggregation false)', () => {
    const { stacks } = buildTestApp({ sourceRecordsAggregation: false });
    expect(functionEnv(Template.fromStack(stacks.streamingApp)).DEAGGREGATION).toBe('none');
  });

  it('calls the validateApplication hook with the application and fails synth with its message', () => {
    const seen: ApplicationDefinition[] = [];
    buildTestApp({ validateApplication: (a) => { seen.push(a); return { streams: ['DESTINATION_SQL_STREAM'] }; } });
    expect(seen).toHaveLength(1);
    expect(seen[0].sql).toMatch(/STREAM_PUMP/);
    expect(seen[0].input.columns).toHaveLength(4);
    expect(() => buildTestApp({ validateApplication: () => { throw new SqlSyntaxError('expected FROM', { line: 9, column: 5 }); } }))
      .toThrow('application.sql: application "ticker" is not valid: line 9, column 5: expected FROM');
  });

  it('fails when an output stream is not created by the application, listing the streams it creates', () => {
    expect(() => buildTestApp({ outputStreams: ['DESTINATON_SQL_STREAM'] }))
      .toThrow('outputStreams[0]: "DESTINATON_SQL_STREAM" is not a stream the application creates; it creates: DESTINATION_SQL_STREAM');
    expect(() => buildTestApp({ outputStreams: ['OTHER'], validateApplication: () => ({ streams: ['A', 'B'] }) }))
      .toThrow('it creates: A, B');
  });

  it('fails on an input schema the engine could never read, naming the field', () => {
    const application = { sql: 'CREATE STREAM "DESTINATION_SQL_STREAM" (a INT);', input: { format: 'CSV' as const, columns: [{ name: 'a', sqlType: 'INT', mapping: '$.a' }] } };
    expect(() => buildTestApp({ application })).toThrow('application.input.columns[0].mapping: is only allowed for the JSON format');
    expect(() => buildTestApp({ application: { ...application, input: { format: 'JSON', columns: [{ name: 'a', sqlType: 'STRING' }] } } }))
      .toThrow(/application\.input\.columns\[0\]\.sqlType: must be a KDA SQL type .*Received "STRING"/);
  });

  it('fails when the application would not fit in the function environment (4 KB)', () => {
    const sql = `CREATE STREAM "DESTINATION_SQL_STREAM" (a INT);\n-- ${'x'.repeat(5000)}`;
    expect(() => buildTestApp({ application: { sql, input: { format: 'JSON', columns: [{ name: 'a', sqlType: 'INT' }] } } }))
      .toThrow(/application: the SQL and input schema make the analytics function's environment \d+ bytes; Lambda allows 4096/);
  });

  it('ticks the clock every minute with the tick event, so windows close on idle shards', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AnalyticsFunction'), 'Arn'] }, Input: JSON.stringify(CLOCK_TICK_EVENT), RetryPolicy: { MaximumRetryAttempts: 0 } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'events.amazonaws.com', Action: 'lambda:InvokeFunction' });
    Template.fromStack(buildTestApp({ clockTickMinutes: 0 }).stacks.streamingApp).resourceCountIs('AWS::Events::Rule', 0);
  });

  it('fails on mapping settings out of range, naming them', () => {
    expect(() => buildTestApp({ clockTickMinutes: 1.5 })).toThrow('clockTickMinutes: must be an integer from 0 (off) to 60. Received 1.5');
    expect(() => buildTestApp({ batchSize: 20000 })).toThrow('batchSize: must be an integer from 1 to 10000. Received 20000');
    expect(() => buildTestApp({ retryAttempts: -2 })).toThrow('retryAttempts: must be an integer from -1 to 10000. Received -2');
  });
});
