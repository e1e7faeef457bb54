import * as crypto from 'node:crypto';

/**
 * MD5 of `data` as 16 bytes. Uses the one-shot `crypto.hash` where Node has it (20.12+, 21.7+: no Hash object
 * per call) and `createHash` on older Node 20 releases, which the package still allows.
 */
export const md5: (data: Uint8Array | string) => Uint8Array =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (data) => crypto.hash('md5', data, 'buffer')
    : (data) => crypto.createHash('md5').update(data).digest();
