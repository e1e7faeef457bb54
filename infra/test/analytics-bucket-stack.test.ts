import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './support/test-app.js';

describe('AnalyticsBucket stack', () => {
  let template: Template;
  beforeAll(() => {
    // GIVEN the app over the test fixtures / WHEN synthesized
    template = Template.fromStack(buildTestApp().stacks.analyticsBucket);
  });

  it('creates the output bucket and its access-log bucket, both private, encrypted and TLS-only', () => {
    // THEN
    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.allResourcesProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    const policies = template.findResources('AWS::S3::BucketPolicy');
    expect(Object.keys(policies)).toHaveLength(2);
    for (const policy of Object.values(policies)) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]));
    }
  });

  it('logs access to the output bucket into the log bucket', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('AccessLogs') }, LogFilePrefix: 'access-logs/' },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('exports the bucket and the prefixes under the seed names', () => {
    template.hasOutput('*', { Export: { Name: 'satest:AnalyticsBucket' } });
    template.hasOutput('*', { Export: { Name: 'satest:AnalyticsBucketArn' } });
    template.hasOutput('*', { Value: 'error_stream/', Export: { Name: 'satest:ErrorStreamPrefix' } });
    template.hasOutput('*', { Value: 'results/', Export: { Name: 'satest:ResultsPrefix' } });
  });

  it('fails when one prefix lies under another, naming both', () => {
    expect(() => buildTestApp({ resultsPrefix: 'out/', errorStreamPrefix: 'out/errors/' }))
      .toThrow(/errorStreamPrefix: must not lie under resultsPrefix \("out\/"\)/);
  });

  it('fails on a prefix that is not a relative folder, naming the prop', () => {
    expect(() => buildTestApp({ errorStreamPrefix: '/errors' })).toThrow(/errorStreamPrefix: must be a relative S3 key prefix.*Received "\/errors"/);
  });
});
