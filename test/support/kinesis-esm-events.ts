/**
 * Real-shaped Kinesis event-source-mapping events for the analytics function's tests: one shard's records, with
 * base64 data (KPL aggregates made with src/kpl's Aggregator, or plain records), sequence numbers of Kinesis's
 * size, and approximateArrivalTimestamp in epoch seconds with a fraction, as Lambda delivers them.
 */
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { Aggregator } from '../../src/kpl/index.js';

export const STREAM_ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/sa-test-input';

/** A user record as a producer writes it. */
export interface UserRecord {
  readonly partitionKey: string;
  readonly data: string;
}

/** One Kinesis record to be: an aggregate of user records, plain data, or raw bytes (base64 given as is). */
export type RecordSpec =
  | { readonly kind: 'aggregate'; readonly users: readonly UserRecord[]; readonly arrivalMs: number }
  | { readonly kind: 'plain'; readonly user: UserRecord; readonly arrivalMs: number }
  | { readonly kind: 'base64'; readonly partitionKey: string; readonly base64: string; readonly arrivalMs: number };

/**
 * Hands out increasing sequence numbers per shard, the way one shard of a real stream would (56-digit decimals).
 */
export class ShardWriter {
  private next: bigint;
  constructor(readonly shardId: string, start = 49_590_338_271_490_256_608_559_692_538_361_571_095_921_575_989_136_588_898n) {
    this.next = start;
  }

  /** Kinesis records for the specs, with fresh sequence numbers. */
  records(specs: readonly RecordSpec[]): KinesisStreamRecord[] {
    return specs.map((spec) => {
      const sequenceNumber = String(this.next);
      this.next += 1_000_000_000n;
      let data: string;
      let partitionKey: string;
      if (spec.kind === 'aggregate') {
        const aggregator = new Aggregator({ maxBytes: 1024 * 1024 });
        for (const u of spec.users) {
          if (aggregator.add({ partitionKey: u.partitionKey, data: u.data }).length > 0) throw new Error('test aggregate too big');
        }
        const [out] = aggregator.flush();
        data = Buffer.from(out.data).toString('base64');
        partitionKey = out.partitionKey;
      } else if (spec.kind === 'plain') {
        data = Buffer.from(spec.user.data).toString('base64');
        partitionKey = spec.user.partitionKey;
      } else {
        data = spec.base64;
        partitionKey = spec.partitionKey;
      }
      return {
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey,
          sequenceNumber,
          data,
          approximateArrivalTimestamp: spec.arrivalMs / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${this.shardId}:${sequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::123456789012:role/sa-test-analytics',
        awsRegion: 'us-east-1',
        eventSourceARN: STREAM_ARN,
      };
    });
  }
}

export function esmEvent(records: readonly KinesisStreamRecord[]): KinesisStreamEvent {
  return { Records: [...records] };
}
