import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './support/test-app.js';

describe('Preprocessor stack', () => {
  let template: Template;
  beforeAll(() => {
    // GIVEN the app over the fixtures / WHEN synthesized
    template = Template.fromStack(buildTestApp().stacks.preprocessor);
  });

  it('creates the nodejs24.x function with its code from the CodeBucket stack', () => {
    // THEN
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'sa-test-preprocessor',
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Code: { S3Bucket: { 'Fn::ImportValue': 'satest:CodeBucket' }, S3Key: { 'Fn::ImportValue': 'satest:PreprocessorCodeKey' } },
    });
  });

  it('gives the function a role of its own with no managed policy, allowed to write only its log group', () => {
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/lambda/sa-test-preprocessor', RetentionInDays: 30 });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('PreprocessorLogs'), 'Arn'] } }] },
    });
  });

  it('exports the function under the seed names', () => {
    template.hasOutput('*', { Export: { Name: 'satest:Preprocessor' } });
    template.hasOutput('*', { Export: { Name: 'satest:PreprocessorArn' } });
  });

  it('fails on a function name Lambda would refuse, naming the prop', () => {
    expect(() => buildTestApp({ preprocessorFunctionName: 'kpl preprocessor' }))
      .toThrow(/preprocessorFunctionName: must be a Lambda function name: 1-64 characters of letters, digits, hyphens and underscores; .*Received "kpl preprocessor"/);
  });
});
