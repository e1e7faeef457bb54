/**
 * Loads a reference-data table (KDA's ReferenceDataSource) before the first record: reads the object from a local
 * file or from S3 (AWS SDK v3, any endpoint), and maps it to rows with the same input mapping as the stream.
 * As in KDA, the table is loaded once and changes only when reloaded on request. An object over the size limit
 * is an error, never a silently empty table.
 */
import { stat, readFile } from 'node:fs/promises';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ConfigError } from '../../errors.js';
import type { Value } from '../../types/sql-type.js';
import type { ReferenceDefinition } from '../definition/index.js';
import { createInputDecoder } from '../../input/index.js';

/** KDA's limit for a reference object (DG limits.html). */
export const MAX_REFERENCE_OBJECT_BYTES = 1024 * 1024 * 1024;

export interface ReferenceTable {
  readonly tableName: string;
  readonly rows: Value[][];
  /** Rows of the object that did not map (bad values): reported, not loaded. */
  readonly rejected: { readonly message: string }[];
}

export interface LoadReferenceOptions {
  readonly maxBytes?: number;
  /** Credentials and region for S3, when not from the environment. */
  readonly s3?: { readonly region?: string; readonly credentials?: { accessKeyId: string; secretAccessKey: string } };
}

export async function loadReferenceData(def: ReferenceDefinition, options: LoadReferenceOptions = {}): Promise<ReferenceTable> {
  const field = `reference.${def.tableName}`;
  const max = options.maxBytes ?? MAX_REFERENCE_OBJECT_BYTES;
  const bytes = def.location.startsWith('s3://') ? await readS3(def, field, max, options) : await readLocal(def.location, field, max);
  const decoder = createInputDecoder({ ...def, columns: [...def.columns] });
  const rows: Value[][] = [];
  const rejected: { message: string }[] = [];
  decoder.decode(bytes, (row) => rows.push(row), (e) => rejected.push({ message: e.message }));
  return { tableName: def.tableName, rows, rejected };
}

async function readLocal(path: string, field: string, max: number): Promise<Uint8Array> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    throw new ConfigError(field, `cannot read reference data ${path}: ${(e as Error).message}`);
  }
  if (size > max) throw new ConfigError(field, `reference data ${path} is ${size} bytes, over the limit of ${max} bytes`);
  return readFile(path);
}

async function readS3(def: ReferenceDefinition, field: string, max: number, options: LoadReferenceOptions): Promise<Uint8Array> {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(def.location);
  if (!m) throw new ConfigError(field, `'${def.location}' is not an s3://bucket/key URL`);
  const [, Bucket, Key] = m;
  const client = new S3Client({
    endpoint: def.endpoint,
    forcePathStyle: def.endpoint !== undefined,
    region: options.s3?.region ?? process.env.AWS_REGION ?? 'us-east-1',
    credentials: options.s3?.credentials,
    // Local S3 implementations speak HTTP/1.1 only.
    requestHandler: def.endpoint ? new NodeHttpHandler() : undefined,
  });
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket, Key }));
    const size = head.ContentLength ?? 0;
    if (size > max) throw new ConfigError(field, `reference object ${def.location} is ${size} bytes, over the limit of ${max} bytes`);
    const obj = await client.send(new GetObjectCommand({ Bucket, Key }));
    return await obj.Body!.transformToByteArray();
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(field, `cannot read reference object ${def.location}: ${(e as Error).name}: ${(e as Error).message}`);
  } finally {
    client.destroy();
  }
}
