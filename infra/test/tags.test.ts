import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { allStacks, buildTestApp } from './support/test-app.js';

/** Resource types of this app that CloudFormation can tag. */
const TAGGABLE = ['AWS::S3::Bucket', 'AWS::Kinesis::Stream', 'AWS::KMS::Key', 'AWS::Lambda::Function', 'AWS::IAM::Role', 'AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::KinesisFirehose::DeliveryStream', 'AWS::Logs::LogGroup'];

describe('ProjectName tag', () => {
  it('is on every taggable resource of every stack', () => {
    const { stacks } = buildTestApp({ projectName: 'tag-check' });
    let checked = 0;
    for (const stack of allStacks(stacks)) {
      const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties?: { Tags?: { Key: string; Value: string }[] } }>;
      for (const [id, r] of Object.entries(resources)) {
        if (!TAGGABLE.includes(r.Type)) continue;
        checked++;
        expect(r.Properties?.Tags, `${stack.node.id}/${id} (${r.Type})`).toEqual(expect.arrayContaining([{ Key: 'ProjectName', Value: 'tag-check' }]));
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
