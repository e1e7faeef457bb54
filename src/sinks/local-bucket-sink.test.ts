import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { LocalBucketSink, LocalBucketStore } from './local-bucket-sink.js';
import { SinkDeliveryError } from './sink-delivery-error.js';

const T0 = Date.UTC(2026, 10, 26, 23, 59, 30);

/** Every file under `dir`, relative, with `/` separators, dot-files included. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1).split('\\').join('/')).sort();
}

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sinks-local-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('LocalBucketSink', () => {
  it('lays the folder out as Firehose lays out S3, hour folders following the clock', async () => {
    const clock = new ManualClock(T0);
    const sink = new LocalBucketSink({ folder: join(root, 'bucket'), prefix: 'ticker/', clock, bufferSizeBytes: 1 });
    const r = (n: number, stream = 'DEST') => ({ stream, row: { ROWTIME: '2026-11-26 23:59:30.000', N: n }, rowtime: T0 });
    await sink.write([r(1)], 'c1');
    clock.advance(60_000); // past midnight: the next day's folder
    await sink.write([r(2), r(3, 'error_stream')], 'c2');
    await sink.close();
    expect(await listFiles(join(root, 'bucket'))).toEqual([
      'errors/2026/11/27/00/error_stream-c2-0',
      'ticker/2026/11/26/23/DEST-c1-0',
      'ticker/2026/11/27/00/DEST-c2-0',
    ]);
    expect(await readFile(join(root, 'bucket/ticker/2026/11/27/00/DEST-c2-0'), 'utf8')).toBe('{"N":2}\n');
  });

  it('re-writing a batch at the same position replaces the file: same names, same bytes, no extra file', async () => {
    const run = async () => {
      const sink = new LocalBucketSink({ folder: root, clock: new ManualClock(T0), format: 'CSV' });
      await sink.write([{ stream: 'S', row: { A: 'x,y' }, rowtime: T0 }], 'pos-9');
      await sink.close();
    };
    await run();
    await run();
    expect(await listFiles(root)).toEqual(['2026/11/26/23/S-pos-9-0']);
    expect(await readFile(join(root, '2026/11/26/23/S-pos-9-0'), 'utf8')).toBe('"x,y"\n');
  });
});

describe('LocalBucketSink.recover', () => {
  it('deletes the files written with the position, across hour folders, and leaves the rest', async () => {
    const clock = new ManualClock(T0);
    const sink = new LocalBucketSink({ folder: root, clock, bufferSizeBytes: 1 });
    const r = (n: number, stream = 'DEST') => ({ stream, row: { N: n }, rowtime: T0 });
    await sink.write([r(1)], 'ckpt-1');
    await sink.write([r(2), r(3, 'error_stream')], 'ckpt-2');
    clock.advance(60_000); // next hour (and day)
    await sink.write([r(4), r(5)], 'ckpt-2');
    await writeFile(join(root, '2026/11/27/00/.DEST-ckpt-2-9.123.abcdef01.tmp'), 'partial');
    expect(await sink.recover('ckpt-2', { fromTime: T0 })).toEqual([
      '2026/11/26/23/DEST-ckpt-2-0',
      'errors/2026/11/26/23/error_stream-ckpt-2-0',
      '2026/11/27/00/DEST-ckpt-2-1',
      '2026/11/27/00/DEST-ckpt-2-2',
    ]);
    expect(await listFiles(root)).toEqual(['2026/11/26/23/DEST-ckpt-1-0', '2026/11/27/00/.DEST-ckpt-2-9.123.abcdef01.tmp']);
    await sink.close();
  });
});

describe('LocalBucketStore atomic writes', () => {
  it('a reader sees the old object or the new one, never a mix or a partial file', async () => {
    const store = new LocalBucketStore(root);
    const size = 4 * 1024 * 1024;
    await store.put('k/obj', Buffer.alloc(size, 'A'));
    const writing = store.put('k/obj', Buffer.alloc(size, 'B'));
    const seen = new Set<string>();
    let done = false;
    void writing.then(() => { done = true; });
    while (!done) {
      const text = await readFile(join(root, 'k/obj'), 'latin1');
      expect(text.length).toBe(size);
      seen.add(`${text[0]}${text[size - 1]}`);
    }
    await writing;
    expect([...seen].every((s) => s === 'AA' || s === 'BB')).toBe(true);
    expect(await listFiles(root)).toEqual(['k/obj']); // the temporary file was renamed away
  });

  it('a failed write leaves neither a temporary file nor a change to the existing object', async () => {
    const store = new LocalBucketStore(root);
    await mkdir(join(root, 'a/dir-in-the-way'), { recursive: true });
    await writeFile(join(root, 'a/dir-in-the-way/x'), 'keep');
    const error = await store.put('a/dir-in-the-way', Buffer.from('new')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkDeliveryError);
    expect((error as Error).message).toContain(join(root, 'a/dir-in-the-way'));
    expect(await listFiles(root)).toEqual(['a/dir-in-the-way/x']);
  });

  it('a file where a folder of the key should be (ENOTDIR from mkdir) is a SinkDeliveryError naming the folder', async () => {
    const store = new LocalBucketStore(root);
    await writeFile(join(root, 'file-not-folder'), 'keep');
    const error = await store.put('file-not-folder/2026/01/obj', Buffer.from('new')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkDeliveryError);
    expect((error as Error).message).toBe(`${join(root, 'file-not-folder/2026/01')}: cannot create the folder: ENOTDIR: not a directory, mkdir '${join(root, 'file-not-folder/2026/01')}' (after 1 attempt)`);
    expect(await readFile(join(root, 'file-not-folder'), 'utf8')).toBe('keep');
  });

  it('a process killed (SIGKILL) while writing never leaves a partial object', async () => {
    const moduleUrl = new URL('./local-bucket-sink.ts', import.meta.url).href;
    const script = join(root, 'writer.mts');
    await writeFile(
      script,
      `import { LocalBucketStore } from ${JSON.stringify(moduleUrl)};\n` +
        `const store = new LocalBucketStore(process.argv[2]);\n` +
        `const bodies = [Buffer.alloc(8 << 20, 'A'), Buffer.alloc(8 << 20, 'B')];\n` +
        `for (let i = 0; ; i++) { await store.put('2026/01/01/00/DEST-p-0', bodies[i % 2]); if (i === 0) process.stdout.write('ready\\n'); }\n`,
    );
    const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url));
    for (const killAfterMs of [5, 37, 90]) {
      const bucket = join(root, `bucket-${killAfterMs}`);
      const child = spawn(process.execPath, ['--import', tsx, script, bucket], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
        child.stdout.once('data', () => resolve());
      });
      child.removeAllListeners('exit');
      await new Promise((resolve) => setTimeout(resolve, killAfterMs));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const files = await listFiles(bucket);
      expect(files).toContain('2026/01/01/00/DEST-p-0');
      // Anything else is an abandoned temporary dot-file, never a second object.
      expect(files.filter((f) => f !== '2026/01/01/00/DEST-p-0').every((f) => /\/\.DEST-p-0\.\d+\.[0-9a-f]{8}\.tmp$/.test(f))).toBe(true);
      const body = await readFile(join(bucket, '2026/01/01/00/DEST-p-0'), 'latin1');
      expect(body.length).toBe(8 << 20);
      expect(body === 'A'.repeat(8 << 20) || body === 'B'.repeat(8 << 20)).toBe(true);
    }
  });
});
