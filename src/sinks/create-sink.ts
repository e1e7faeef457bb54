/**
 * One sink from a destination description, the shape the application definition uses
 * (`stdout`, `s3://bucket/prefix`, `kinesis://stream`, a local folder).
 */
import { KinesisSink } from './kinesis-sink.js';
import { LocalBucketSink } from './local-bucket-sink.js';
import type { ObjectSinkOptions } from './object-sink.js';
import type { OutputFormat } from './row-formatter.js';
import type { RetryOptions } from './retry.js';
import { S3Sink } from './s3-sink.js';
import type { Sink } from './sink.js';
import { StdoutSink } from './stdout-sink.js';

export type SinkDestination =
  | { readonly type: 'local'; readonly path: string }
  | { readonly type: 's3'; readonly bucket: string; readonly prefix: string; readonly endpoint?: string; readonly region?: string }
  | { readonly type: 'kinesis'; readonly streamName: string; readonly endpoint?: string; readonly region?: string }
  | { readonly type: 'stdout' };

export interface SinkSettings extends Omit<ObjectSinkOptions, 'format'> {
  format?: OutputFormat;
  /** For S3 and Kinesis. Default: the SDK's credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  retry?: RetryOptions;
  /** Kinesis only. */
  partitionKeyColumn?: string;
}

/**
 * For S3, the destination's prefix comes first: `s3://bucket/base/` with `prefix: 'ticker/'` writes under
 * `base/ticker/`, error_stream under `base/<errorPrefix>`. For Kinesis, `bufferIntervalMs` is the longest a
 * record waits for its PutRecords call.
 * @example
 * const sink = createSink({ type: 's3', bucket: 'analytics', prefix: 'app/', endpoint: 'http://127.0.0.1:7480' }, { format: 'CSV' });
 */
export function createSink(destination: SinkDestination, settings: SinkSettings = {}): Sink {
  switch (destination.type) {
    case 'stdout':
      return new StdoutSink({ format: settings.format, csvDelimiter: settings.csvDelimiter });
    case 'local':
      return new LocalBucketSink({ ...settings, folder: destination.path });
    case 's3':
      return new S3Sink({
        ...settings,
        bucket: destination.bucket,
        endpoint: destination.endpoint,
        region: destination.region,
        prefix: destination.prefix + (settings.prefix ?? ''),
        errorPrefix: destination.prefix + (settings.errorPrefix ?? 'errors/'),
      });
    case 'kinesis':
      return new KinesisSink({
        streamName: destination.streamName,
        endpoint: destination.endpoint,
        region: destination.region,
        credentials: settings.credentials,
        format: settings.format,
        csvDelimiter: settings.csvDelimiter,
        partitionKeyColumn: settings.partitionKeyColumn,
        bufferIntervalMs: settings.bufferIntervalMs,
        retry: settings.retry,
        clock: settings.clock,
      });
  }
}
