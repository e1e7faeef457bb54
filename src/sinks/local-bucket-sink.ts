/**
 * A local folder used as a bucket: each object is a file at `<folder>/<key>`, so the folder looks like the
 * S3 bucket Firehose would have filled.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { ObjectSink, type ObjectSinkOptions } from './object-sink.js';
import type { ObjectStore } from './object-store.js';
import { describeError } from './retry.js';
import { SinkDeliveryError } from './sink-delivery-error.js';

export interface LocalBucketSinkOptions extends ObjectSinkOptions {
  /** The bucket folder; created when missing. */
  folder: string;
  /** fsync each file before renaming it into place (survives power loss, not only a killed process). Default false. */
  fsync?: boolean;
}

/**
 * Writes each object atomically: the bytes go to a temporary dot-file in the target folder, which is then
 * renamed over the final name. A reader (or a process killed mid-write) never sees a partial object; a
 * killed process can at most leave a `.<name>.<pid>.<random>.tmp` file, which readers skip as a dot-file.
 */
export class LocalBucketStore implements ObjectStore {
  readonly folder: string;
  private readonly fsync: boolean;
  constructor(folder: string, options: { fsync?: boolean } = {}) {
    this.folder = resolve(folder);
    this.fsync = options.fsync ?? false;
  }

  describe(key: string): string {
    return join(this.folder, ...key.split('/'));
  }

  async list(prefix: string): Promise<string[]> {
    const cut = prefix.lastIndexOf('/') + 1;
    const folder = prefix.slice(0, cut);
    let entries;
    try {
      entries = await readdir(this.describe(folder), { withFileTypes: true });
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return [];
      throw new SinkDeliveryError(this.describe(folder), 1, false, describeError(error), { cause: error });
    }
    // Dot-files are temporary files of writes in progress (or abandoned by a killed process), not objects.
    return entries
      .filter((e) => e.isFile() && !e.name.startsWith('.') && e.name.startsWith(prefix.slice(cut)))
      .map((e) => folder + e.name)
      .sort();
  }

  async delete(key: string): Promise<void> {
    await unlink(this.describe(key)).catch((error: { code?: string }) => {
      if (error.code !== 'ENOENT') throw new SinkDeliveryError(this.describe(key), 1, false, describeError(error), { cause: error });
    });
  }

  async put(key: string, body: Buffer): Promise<void> {
    const path = this.describe(key);
    if (!path.startsWith(this.folder + sep)) {
      throw new SinkDeliveryError(path, 1, false, `object key '${key}' leaves the bucket folder ${this.folder}`);
    }
    const dir = dirname(path);
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      // ENOTDIR (a file where a folder of the key should be), EACCES, ENOSPC: a typed error naming the folder.
      throw new SinkDeliveryError(dir, 1, false, `cannot create the folder: ${describeError(error)}`, { cause: error });
    }
    const temp = join(dir, `.${path.slice(dir.length + 1)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(body);
        if (this.fsync) await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw new SinkDeliveryError(path, 1, false, describeError(error), { cause: error });
    }
  }
}

/**
 * @example
 * const sink = new LocalBucketSink({ folder: './output/analytics-bucket', prefix: 'ticker/', bufferIntervalMs: 1000 });
 * await sink.write([{ stream: 'DESTINATION_SQL_STREAM', row: { ROWTIME: '2026-01-01 00:00:00.000', N: 1 }, rowtime: 0 }], 'ckpt-1');
 * await sink.close(); // ./output/analytics-bucket/ticker/<YYYY/MM/DD/HH>/DESTINATION_SQL_STREAM-ckpt-1-0
 */
export class LocalBucketSink extends ObjectSink {
  readonly folder: string;
  constructor(options: LocalBucketSinkOptions) {
    const store = new LocalBucketStore(options.folder, { fsync: options.fsync });
    super(store, options);
    this.folder = store.folder;
  }
}
