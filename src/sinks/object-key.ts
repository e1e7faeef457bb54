/**
 * Object keys laid out as Firehose lays out S3: `<prefix>YYYY/MM/DD/HH/<name>-<n>`, the hour folders in UTC.
 */
import { createHash } from 'node:crypto';

/** `YYYY/MM/DD/HH/` of an instant, in UTC. */
export function hourFolder(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${p(d.getUTCHours())}/`;
}

/**
 * @example
 * objectKey({ prefix: 'out/', time: Date.UTC(2026, 0, 2, 3), name: 'DEST', n: 'abc-0' }) // 'out/2026/01/02/03/DEST-abc-0'
 */
export function objectKey(parts: { prefix: string; time: number; name: string; n: string; extension?: string }): string {
  return `${parts.prefix}${hourFolder(parts.time)}${parts.name}-${parts.n}${parts.extension ?? ''}`;
}

const SAFE_TAG = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * A key-safe tag for a checkpoint token: the token itself when it is short and made of safe characters (so keys
 * stay readable), otherwise the first 32 hex digits of its SHA-256. The same token always gives the same tag.
 */
export function positionTag(position: string): string {
  if (SAFE_TAG.test(position) && position !== '.' && position !== '..') return position;
  return createHash('sha256').update(position).digest('hex').slice(0, 32);
}
