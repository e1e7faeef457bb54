/**
 * Objects in an S3 bucket through AWS SDK v3, at AWS or any S3-compatible endpoint (a local radosgw).
 */
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ConfigError } from '../errors.js';
import { ObjectSink, type ObjectSinkOptions } from './object-sink.js';
import type { ObjectStore } from './object-store.js';
import { isRetryableError, retryPolicy, withRetries, type RetryOptions, type RetryPolicy } from './retry.js';

/** Where an S3 client connects; shared by S3Sink and test helpers. */
export interface S3ConnectionOptions {
  /** e.g. `http://127.0.0.1:7480`. Default: AWS's endpoint for the region. */
  endpoint?: string;
  /** Default `AWS_REGION`, else `us-east-1`. */
  region?: string;
  /** Default: the SDK's credential chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Path-style URLs (`endpoint/bucket/key`). Default true when an endpoint is given, as most local S3s need it. */
  forcePathStyle?: boolean;
  /** Socket timeout of a request (ms). Default 30 000. */
  requestTimeoutMs?: number;
}

/**
 * An S3 client for our own retry loop (SDK retries off) over HTTP/1.1 with explicit timeouts. Checksums are
 * sent only where S3 requires them, since older S3-compatible servers reject the SDK's newer default headers.
 */
export function createS3Client(options: S3ConnectionOptions = {}): S3Client {
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  return new S3Client({
    endpoint: options.endpoint,
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    credentials: options.credentials,
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    maxAttempts: 1,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: new NodeHttpHandler({ connectionTimeout: Math.min(requestTimeout, 10_000), requestTimeout }),
  });
}

export interface S3SinkOptions extends ObjectSinkOptions, S3ConnectionOptions {
  bucket: string;
  /** A ready client (its own retry settings apply on top of ours). Default: one made by createS3Client. */
  client?: S3Client;
  /** Retries of a failed PUT (5xx, 429/throttling, network errors). Default 6 attempts, 100 ms base, 10 s cap. */
  retry?: RetryOptions;
}

/** PUTs each object, retrying with backoff; after the last attempt a SinkDeliveryError names `s3://bucket/key`. */
export class S3ObjectStore implements ObjectStore {
  readonly bucket: string;
  readonly client: S3Client;
  private readonly ownsClient: boolean;
  private readonly policy: RetryPolicy;
  private readonly contentType: string;

  constructor(options: { bucket: string; client?: S3Client; retry?: RetryOptions; contentType?: string } & S3ConnectionOptions) {
    if (!options.bucket) throw new ConfigError('bucket', 'the S3 bucket name is empty');
    this.bucket = options.bucket;
    this.client = options.client ?? createS3Client(options);
    this.ownsClient = options.client === undefined;
    this.policy = retryPolicy(options.retry, isRetryableError);
    this.contentType = options.contentType ?? 'application/octet-stream';
  }

  describe(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  async put(key: string, body: Buffer): Promise<void> {
    await withRetries(this.describe(key), this.policy, () =>
      this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: this.contentType, ContentLength: body.length })),
    );
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await withRetries(this.describe(prefix), this.policy, () =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token })),
      );
      for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    // One DeleteObject per key: DeleteObjects needs a checksum header that older S3-compatible servers lack.
    await withRetries(this.describe(key), this.policy, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })));
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
  }
}

/**
 * @example
 * const sink = new S3Sink({ bucket: 'analytics', prefix: 'ticker/', endpoint: 'http://127.0.0.1:7480',
 *   credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' }, bufferIntervalMs: 60_000 });
 * await sink.write(rows, checkpointToken);
 * await sink.close();
 */
export class S3Sink extends ObjectSink {
  readonly bucket: string;
  constructor(options: S3SinkOptions) {
    const store = new S3ObjectStore({ ...options, contentType: options.format === 'CSV' ? 'text/csv' : 'application/x-ndjson' });
    super(store, options);
    this.bucket = options.bucket;
  }
}
