import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointDamagedError, describeError, FileSystemError } from '../../errors.js';
import { CHECKPOINT_FORMAT_VERSION, CheckpointStore, type Checkpoint } from './checkpoint-store.js';

const work = mkdtempSync(join(tmpdir(), 'sa-cp-'));
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) execFileSync('umount', [m]);
  rmSync(work, { recursive: true, force: true });
});

function checkpoint(epoch: number, state: unknown = { n: epoch }): Checkpoint {
  return { version: CHECKPOINT_FORMAT_VERSION, application: 'app', epoch, writtenAt: '2026-01-01T00:00:00.000Z', state };
}

let dirs = 0;
function freshDir(): string {
  const dir = join(work, `d${++dirs}`);
  mkdirSync(dir);
  return dir;
}

/** A tmpfs of `bytes` mounted at a new folder, or undefined where mounting is not allowed (not root). */
function smallTmpfs(bytes: number): string | undefined {
  const dir = freshDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  mounts.push(dir);
  return dir;
}

/** Fills the file system of `dir` with a file, then frees `leaveBytes` of it. */
function fillDisk(dir: string, leaveBytes: number): string {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(4096, 1);
  let size = 0;
  try {
    for (;;) {
      const n = writeSync(fd, chunk);
      size += n;
      if (n < chunk.length) break;
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  truncateSync(filler, Math.max(0, size - leaveBytes));
  return filler;
}

const errnoError = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

describe('CheckpointStore', () => {
  it('returns undefined before the first save, then the last saved checkpoint', () => {
    const dir = freshDir();
    const store = new CheckpointStore(dir);
    expect(store.load('app')).toBeUndefined();
    for (let epoch = 1; epoch <= 3; epoch++) store.save(checkpoint(epoch));
    expect(store.load('app')).toMatchObject({ epoch: 3, state: { n: 3 } });
    expect(readdirSync(dir)).toEqual(['checkpoint.json']);
  });

  it('refuses a checkpoint of another application', () => {
    const store = new CheckpointStore(freshDir());
    store.save({ ...checkpoint(1), application: 'a' });
    expect(() => store.load('b')).toThrow(/belongs to application 'a', not 'b'/);
  });

  describe('a damaged checkpoint is refused, naming the file and what to do, never used', () => {
    const good = () => {
      const store = new CheckpointStore(freshDir());
      store.save(checkpoint(7, { positions: [{ shardId: 'shardId-000000000000', sequenceNumber: '123' }], rows: [{ PRICE: 12.5 }] }));
      return { store, text: readFileSync(store.file, 'utf8') };
    };
    const cases: [string, (text: string) => string, RegExp][] = [
      ['truncated', (t) => t.slice(0, Math.floor(t.length / 2)), /not complete JSON/],
      ['empty', () => '', /is empty/],
      ['garbage', () => '\u0000\u0001garbage\n', /not complete JSON/],
      ['a changed digit in a held row', (t) => t.replace('12.5', '13.5'), /checksum does not match/],
      ['emptied positions', (t) => t.replace(/"positions":\[[^\]]*\]/, '"positions":[]'), /checksum does not match/],
      ['no checksum', (t) => t.replace(/,"sha256":"[0-9a-f]+"\}$/, '}'), /checksum \(sha256, the last member\) is missing/],
      ['an earlier format', (t) => t.replace('"version":2', '"version":1'), /format version 1, written by an earlier version/],
      ['not an object', () => '[1,2]', /not a checkpoint/],
    ];
    for (const [name, damage, problem] of cases) {
      it(name, () => {
        const { store, text } = good();
        writeFileSync(store.file, damage(text));
        let error: unknown;
        try {
          store.load('app');
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(CheckpointDamagedError);
        // The file is a field of the error; the text a user sees (describeError) puts it in front.
        const message = describeError(error as CheckpointDamagedError);
        expect(message).toContain(store.file);
        expect(message).toMatch(problem);
        expect(message).toMatch(/It is not used\. Restore a good copy of it, or move it away to start over/);
      });
    }

    it('a missing field, even with a matching checksum', async () => {
      const { createHash } = await import('node:crypto');
      const { store } = good();
      const body = JSON.stringify({ version: CHECKPOINT_FORMAT_VERSION, application: 'app', writtenAt: 'x', state: {} });
      writeFileSync(store.file, `${body.slice(0, -1)},"sha256":"${createHash('sha256').update(body).digest('hex')}"}`);
      expect(() => store.load('app')).toThrow(/field 'epoch' is missing or invalid/);
    });

    it('a folder in its place', () => {
      const dir = freshDir();
      mkdirSync(join(dir, 'checkpoint.json'));
      expect(() => new CheckpointStore(dir).load('app')).toThrow(CheckpointDamagedError);
      let error: unknown;
      try {
        new CheckpointStore(dir).load('app');
      } catch (e) {
        error = e;
      }
      expect(describeError(error as CheckpointDamagedError)).toMatch(/checkpoint\.json: checkpoint: a folder is in the place of the checkpoint file/);
    });
  });

  describe('a write completes or fails, and a failed one leaves the previous checkpoint intact', () => {
    const big = (epoch: number) => checkpoint(epoch, { rows: Array.from({ length: 2000 }, (_, i) => ({ i, text: 'x'.repeat(20) })) });

    it('on a full disk (a small tmpfs; short writes then ENOSPC)', (ctx) => {
      const dir = smallTmpfs(256 * 1024);
      if (!dir) return ctx.skip();
      const store = new CheckpointStore(dir);
      store.save(checkpoint(1));
      const before = readFileSync(store.file);
      // Less room than the next checkpoint needs (about 70 KB): the write comes back short, then fails.
      const filler = fillDisk(dir, 8192);
      let error: unknown;
      try {
        store.save(big(2));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(FileSystemError);
      expect((error as Error).message).toMatch(/^cannot write the checkpoint .*checkpoint\.json\.\d+\.tmp: (no space left on the device \(ENOSPC\)|only \d+ of \d+ bytes could be written)/);
      expect((error as Error).message).toContain(`the previous checkpoint ${store.file} is unchanged`);
      expect(readFileSync(store.file)).toEqual(before);
      expect(readdirSync(dir).sort()).toEqual(['checkpoint.json', 'filler']);
      expect(store.load('app')).toMatchObject({ epoch: 1 });
      // Space freed: the same save now succeeds.
      rmSync(filler);
      store.save(big(2));
      expect(store.load('app')?.epoch).toBe(2);
    });

    it('on an injected short write that makes no progress, and on an injected ENOSPC', () => {
      for (const writeSync of [
        (_fd: number, _b: Uint8Array, _o: number, length: number) => (length > 100 ? 100 : 0),
        () => {
          throw errnoError('ENOSPC');
        },
      ]) {
        const dir = freshDir();
        new CheckpointStore(dir).save(checkpoint(1));
        const before = readFileSync(join(dir, 'checkpoint.json'));
        const store = new CheckpointStore(dir, { fileSystem: { writeSync } });
        expect(() => store.save(big(2))).toThrow(FileSystemError);
        expect(() => store.save(big(2))).toThrow(/cannot write the checkpoint .*checkpoint\.json\.\d+\.tmp: (only \d+ of \d+ bytes could be written \(is the disk full\?\)|no space left on the device \(ENOSPC\)); the previous checkpoint .* is unchanged/);
        expect(readFileSync(store.file)).toEqual(before);
        expect(readdirSync(dir)).toEqual(['checkpoint.json']);
      }
    });

    it('EACCES on the temporary file and ENOTDIR for the folder are typed errors naming the path', () => {
      const dir = freshDir();
      const denied = new CheckpointStore(dir, { fileSystem: { openSync: () => { throw errnoError('EACCES'); } } });
      expect(() => denied.save(checkpoint(1))).toThrow(/^cannot write the checkpoint .*checkpoint\.json\.\d+\.tmp: permission denied \(EACCES\)/);
      const file = join(freshDir(), 'a-file');
      writeFileSync(file, '');
      expect(() => new CheckpointStore(join(file, 'sub')).save(checkpoint(1))).toThrow(FileSystemError);
      expect(() => new CheckpointStore(join(file, 'sub')).save(checkpoint(1))).toThrow(`cannot create the checkpoint folder ${join(file, 'sub')}: a part of the path is a file, not a folder (ENOTDIR)`);
    });
  });
});
