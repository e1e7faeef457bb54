/**
 * Stack 4 of the seed (preprocessor.yaml): the KPL de-aggregation Lambda with the KDA preprocessing contract
 * (records in, one record out per record in, user records concatenated). Its code is the bundle the CodeBucket
 * stack uploaded.
 */
import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ConfigError } from '../../src/errors.js';
import { BundleFunction } from './bundle-function.js';
import type { CodeBucketStack } from './code-bucket-stack.js';
import { SeedStack, type SeedStackProps } from './seed-stack.js';

export type PreprocessorExport = 'Preprocessor' | 'PreprocessorArn';

export interface PreprocessorStackProps extends SeedStackProps {
  /** The stack holding the bundle. */
  readonly codeBucket: CodeBucketStack;
  /** @default `{projectName}-preprocessor` */
  readonly functionName?: string;
  /** @default 256 */
  readonly memorySizeMiB?: number;
  /** The KDA preprocessing contract allows up to 5 minutes. @default 60 seconds */
  readonly timeout?: Duration;
}

export class PreprocessorStack extends SeedStack<PreprocessorExport> {
  readonly function: lambda.Function;

  constructor(scope: Construct, props: PreprocessorStackProps) {
    super(scope, 'Preprocessor', { description: 'streaming-analytics: the KPL de-aggregation Lambda (KDA preprocessing contract)', ...props });
    const memorySizeMiB = props.memorySizeMiB ?? 256;
    checkMemory('preprocessorMemorySizeMiB', memorySizeMiB);
    const timeout = props.timeout ?? Duration.seconds(60);
    if (timeout.toSeconds() < 1 || timeout.toSeconds() > 300) throw new ConfigError('preprocessorTimeout', `must be from 1 to 300 seconds (the KDA preprocessing limit). Received ${timeout.toSeconds()} seconds`);
    const codeBucket = s3.Bucket.fromBucketAttributes(this, 'CodeBucket', {
      bucketName: props.codeBucket.importInto(this, 'CodeBucket'),
    });
    this.function = new BundleFunction(this, 'Preprocessor', {
      functionName: props.functionName ?? `${this.projectName}-preprocessor`,
      functionNameField: 'preprocessorFunctionName',
      description: 'De-aggregates KPL records (KDA preprocessing contract)',
      codeBucket,
      codeKey: props.codeBucket.importInto(this, 'PreprocessorCodeKey'),
      memorySizeMiB,
      timeout,
    }).function;
    this.exportSeed('Preprocessor', this.function.functionName, 'Name of the preprocessor function');
    this.exportSeed('PreprocessorArn', this.function.functionArn, 'ARN of the preprocessor function');
  }
}

/** Lambda memory: 128 to 10240 MiB. */
export function checkMemory(field: string, mib: number): void {
  if (!Number.isInteger(mib) || mib < 128 || mib > 10_240) throw new ConfigError(field, `must be an integer from 128 to 10240 (MiB). Received ${JSON.stringify(mib)}`);
}
