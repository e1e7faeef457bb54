/**
 * Reading what an S3 sink wrote, for tests: every key under a prefix (following continuation tokens), an
 * object's text, and all NDJSON rows under a prefix in key order.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

/** Every key under `prefix`, in listing order, and how many pages that took. */
export async function listAllKeys(client: S3Client, bucket: string, prefix = '', pageSize = 1000): Promise<{ keys: string[]; pages: number }> {
  const keys: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: pageSize, ContinuationToken: token }));
    pages++;
    for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { keys, pages };
}

export async function readObjectText(client: S3Client, bucket: string, key: string): Promise<string> {
  const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await answer.Body?.transformToString('utf8')) ?? '';
}

/** The rows of every NDJSON object under `prefix`, objects in key order, each row with the key it came from. */
export async function readNdjsonRows(client: S3Client, bucket: string, prefix = ''): Promise<{ key: string; row: Record<string, unknown> }[]> {
  const { keys } = await listAllKeys(client, bucket, prefix);
  const out: { key: string; row: Record<string, unknown> }[] = [];
  for (const key of [...keys].sort()) {
    for (const line of (await readObjectText(client, bucket, key)).split('\n')) {
      if (line !== '') out.push({ key, row: JSON.parse(line) as Record<string, unknown> });
    }
  }
  return out;
}
