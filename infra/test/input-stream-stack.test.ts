import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './support/test-app.js';

describe('InputStream stack', () => {
  let template: Template;
  beforeAll(() => {
    // GIVEN two shards, 48 hours, a stream name / WHEN synthesized
    template = Template.fromStack(buildTestApp({ shardCount: 2, retentionHours: 48, dataStreamName: 'ticker-input' }).stacks.inputStream);
  });

  it('creates a provisioned stream with the shard count, retention and a customer managed KMS key', () => {
    // THEN
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'ticker-input',
      ShardCount: 2,
      RetentionPeriodHours: 48,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('StreamKey'), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('removes the stream and its key on destroy (a buffer that bills by the hour), the key after a 7-day window', () => {
    template.hasResource('AWS::Kinesis::Stream', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', Properties: { PendingWindowInDays: 7 } });
  });

  it('exports the stream name, ARN and key ARN under the seed names', () => {
    for (const key of ['InputStream', 'InputStreamArn', 'InputStreamKeyArn']) template.hasOutput('*', { Export: { Name: `satest:${key}` } });
  });

  it('uses on-demand capacity when asked', () => {
    const onDemand = Template.fromStack(buildTestApp({ shardCount: 'on-demand' }).stacks.inputStream);
    onDemand.hasResourceProperties('AWS::Kinesis::Stream', { StreamModeDetails: { StreamMode: 'ON_DEMAND' }, ShardCount: Match.absent() });
  });

  it('fails on a retention out of range, naming the prop and the value', () => {
    expect(() => buildTestApp({ retentionHours: 8761 })).toThrow('retentionHours: must be an integer from 24 to 8760. Received 8761');
  });

  it('fails on a shard count that is not a positive integer', () => {
    expect(() => buildTestApp({ shardCount: 0 })).toThrow('shardCount: must be an integer from 1 to 10000, or "on-demand". Received 0');
  });
});
