/**
 * A Node.js Lambda function whose code is a bundle zip in the code bucket, with its own role and log group
 * (so the role holds exactly what the function is granted, with no AWS managed policy).
 */
import { type Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { checkName, NAME_RULES } from './naming.js';

export interface BundleFunctionProps {
  readonly functionName: string;
  /** Name of the prop that set `functionName`, for error messages. */
  readonly functionNameField: string;
  readonly description: string;
  readonly codeBucket: s3.IBucket;
  readonly codeKey: string;
  readonly memorySizeMiB: number;
  readonly timeout: Duration;
  readonly environment?: Record<string, string>;
  /** Days the function's logs are kept. @default one month */
  readonly logRetention?: logs.RetentionDays;
}

export class BundleFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: BundleFunctionProps) {
    super(scope, id);
    checkName(props.functionNameField, props.functionName, NAME_RULES.lambdaFunction);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.functionName}`,
    });
    logGroup.grantWrite(this.role);
    Validations.of(props.codeBucket).acknowledge({
      id: 'Annotation::@aws-cdk/aws-lambda:codeFromBucketObjectVersionNotSpecified',
      reason: 'The bundle key holds the content hash of the bundle (lambda/<name>/<hash>.zip), so a changed bundle is a new key and updates the function.',
    });
    this.function = new lambda.Function(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromBucketV2(props.codeBucket, props.codeKey),
      role: this.role,
      logGroup,
      memorySize: props.memorySizeMiB,
      timeout: props.timeout,
      environment: props.environment,
    });
  }
}
