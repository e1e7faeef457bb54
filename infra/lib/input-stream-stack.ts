/** Stack 3 of the seed (input-stream.yaml): the Kinesis data stream of raw (KPL-aggregated) records. */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { ConfigError } from '../../src/errors.js';
import { checkName, NAME_RULES } from './naming.js';
import { SeedStack, type SeedStackProps } from './seed-stack.js';

export type InputStreamExport = 'InputStream' | 'InputStreamArn' | 'InputStreamKeyArn';

export interface InputStreamStackProps extends SeedStackProps {
  /** The seed's DataStreamName. @default `{projectName}-input` */
  readonly dataStreamName?: string;
  /** Provisioned shards; `'on-demand'` for on-demand capacity mode. @default 1 */
  readonly shardCount?: number | 'on-demand';
  /** How long records stay readable, in hours (24 to 8760). @default 24 */
  readonly retentionHours?: number;
}

export class InputStreamStack extends SeedStack<InputStreamExport> {
  readonly stream: kinesis.Stream;
  readonly encryptionKey: kms.Key;

  constructor(scope: Construct, props: InputStreamStackProps) {
    super(scope, 'InputStream', { description: 'streaming-analytics: the Kinesis data stream of raw KPL records', ...props });
    const streamName = checkName('dataStreamName', props.dataStreamName ?? `${this.projectName}-input`, NAME_RULES.kinesisStream);
    const shardCount = props.shardCount ?? 1;
    if (shardCount !== 'on-demand' && (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > 10_000)) {
      throw new ConfigError('shardCount', `must be an integer from 1 to 10000, or "on-demand". Received ${JSON.stringify(shardCount)}`);
    }
    const retentionHours = props.retentionHours ?? 24;
    if (!Number.isInteger(retentionHours) || retentionHours < 24 || retentionHours > 8760) {
      throw new ConfigError('retentionHours', `must be an integer from 24 to 8760. Received ${JSON.stringify(retentionHours)}`);
    }
    this.encryptionKey = new kms.Key(this, 'StreamKey', {
      description: `Encrypts the Kinesis stream ${streamName} at rest`,
      enableKeyRotation: true,
      // The key protects only the stream's transient records: it goes with the stream (after a 7-day window).
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.stream = new kinesis.Stream(this, 'Stream', {
      streamName,
      streamMode: shardCount === 'on-demand' ? kinesis.StreamMode.ON_DEMAND : kinesis.StreamMode.PROVISIONED,
      shardCount: shardCount === 'on-demand' ? undefined : shardCount,
      retentionPeriod: Duration.hours(retentionHours),
      encryption: kinesis.StreamEncryption.KMS,
      encryptionKey: this.encryptionKey,
      // A stream is a buffer, not a store, and bills by the hour: `cdk destroy` removes it rather than leaving it running.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.stream).acknowledge({
      id: 'AwsSolutions-KDS3',
      reason: 'A customer managed key on purpose (cdk-nag only warns about its cost): decrypt rights are granted per function through the key, and rotation is under our control. Kinesis caches data keys, so KMS requests stay low.',
    });
    this.exportSeed('InputStream', this.stream.streamName, 'Name of the input Kinesis data stream');
    this.exportSeed('InputStreamArn', this.stream.streamArn, 'ARN of the input Kinesis data stream');
    this.exportSeed('InputStreamKeyArn', this.encryptionKey.keyArn, 'ARN of the KMS key encrypting the input stream');
  }
}
