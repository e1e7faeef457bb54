/**
 * Durable checkpoints of a running application: source positions, engine state and the output rows of the epoch
 * being committed, in one file replaced atomically (write a temporary file completely, fsync, rename, fsync the
 * folder), so that a crash or a full disk at any point leaves either the previous checkpoint or the new one, never
 * a torn file.
 *
 * The file is one JSON document whose last member, `sha256`, is the checksum of the document as written without
 * it. A file that fails the checksum, does not parse, lacks a field or is of another format version is refused
 * with a {@link CheckpointDamagedError}: a damaged checkpoint would re-read the input from the wrong place or
 * deliver altered rows, so it is never used.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { dirname, join } from 'node:path';
import { CheckpointDamagedError, ConfigError, FileSystemError } from '../../errors.js';

/** 2: the `sha256` member. 1 (no checksum) is refused: it cannot be checked. */
export const CHECKPOINT_FORMAT_VERSION = 2;

export interface Checkpoint<State = unknown> {
  readonly version: typeof CHECKPOINT_FORMAT_VERSION;
  /** Which application wrote it: a checkpoint of another application is never restored. */
  readonly application: string;
  /** Increases by one per commit; output object keys are derived from it. */
  readonly epoch: number;
  readonly writtenAt: string;
  readonly state: State;
}

/** The file operations a checkpoint uses; tests replace some (a short write, ENOSPC) where no small disk exists. */
export interface CheckpointFileSystem {
  readonly mkdirSync: (path: string, options: { recursive: true }) => unknown;
  readonly openSync: (path: string, flags: string) => number;
  readonly writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => number;
  readonly fsyncSync: (fd: number) => void;
  readonly closeSync: (fd: number) => void;
  readonly renameSync: (from: string, to: string) => void;
  readonly unlinkSync: (path: string) => void;
  readonly readFileSync: (path: string) => Buffer;
}

const nodeFileSystem: CheckpointFileSystem = {
  mkdirSync: (p, o) => fs.mkdirSync(p, o),
  openSync: (p, f) => fs.openSync(p, f),
  writeSync: (fd, b, o, l) => fs.writeSync(fd, b, o, l),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
  renameSync: (a, b) => fs.renameSync(a, b),
  unlinkSync: (p) => fs.unlinkSync(p),
  readFileSync: (p) => fs.readFileSync(p),
};

const CHECKSUM_TAIL = /,"sha256":"([0-9a-f]{64})"\}\s*$/;

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export class CheckpointStore {
  readonly file: string;
  private readonly fs: CheckpointFileSystem;

  constructor(directory: string, options: { fileSystem?: Partial<CheckpointFileSystem> } = {}) {
    this.file = join(directory, 'checkpoint.json');
    this.fs = { ...nodeFileSystem, ...options.fileSystem };
  }

  /**
   * The last committed checkpoint, or undefined when there is none yet. Throws CheckpointDamagedError for a file
   * that cannot be trusted, ConfigError for one of another application, FileSystemError when it cannot be read.
   */
  load<State>(application: string): Checkpoint<State> | undefined {
    let text: string;
    try {
      text = this.fs.readFileSync(this.file).toString('utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      if (code === 'EISDIR') throw new CheckpointDamagedError(this.file, 'a folder is in the place of the checkpoint file', { cause: e });
      throw new FileSystemError('read the checkpoint', this.file, e);
    }
    const c = this.verify(text);
    if (c.application !== application) {
      throw new ConfigError('checkpoint', `${this.file} belongs to application '${c.application}', not '${application}'; use another --checkpoint-dir or remove it`);
    }
    return c as Checkpoint<State>;
  }

  /** Parses and checks a checkpoint file's text; throws CheckpointDamagedError saying what is wrong. */
  private verify(text: string): Checkpoint {
    const damaged = (problem: string, cause?: unknown) => new CheckpointDamagedError(this.file, problem, cause === undefined ? undefined : { cause });
    if (text.trim() === '') throw damaged('the file is empty');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw damaged(`the file is not complete JSON (${(e as Error).message}): cut short or overwritten`, e);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw damaged('the file is not a checkpoint (not a JSON object)');
    const doc = parsed as Record<string, unknown>;
    if (doc.version !== CHECKPOINT_FORMAT_VERSION) {
      if (typeof doc.version === 'number' && doc.version < CHECKPOINT_FORMAT_VERSION) {
        throw damaged(`it has format version ${doc.version}, written by an earlier version without a checksum; this version reads ${CHECKPOINT_FORMAT_VERSION} only`);
      }
      throw damaged(`it has format version ${JSON.stringify(doc.version)}; this version reads ${CHECKPOINT_FORMAT_VERSION}`);
    }
    const tail = CHECKSUM_TAIL.exec(text);
    if (!tail) throw damaged('its checksum (sha256, the last member) is missing');
    const body = `${text.slice(0, tail.index)}}`;
    if (sha256(body) !== tail[1]) throw damaged('its checksum does not match its content: the file was altered or damaged');
    for (const [field, ok] of [
      ['application', typeof doc.application === 'string'],
      ['epoch', Number.isSafeInteger(doc.epoch) && (doc.epoch as number) >= 0],
      ['writtenAt', typeof doc.writtenAt === 'string'],
      ['state', typeof doc.state === 'object' && doc.state !== null],
    ] as const) {
      if (!ok) throw damaged(`its field '${field}' is missing or invalid`);
    }
    return { version: CHECKPOINT_FORMAT_VERSION, application: doc.application as string, epoch: doc.epoch as number, writtenAt: doc.writtenAt as string, state: doc.state };
  }

  /**
   * Replaces the checkpoint atomically. Either the new checkpoint is durable when this returns, or it throws a
   * FileSystemError naming the file and the cause (a short write or ENOSPC included) and the previous checkpoint
   * is untouched.
   */
  save<State>(checkpoint: Checkpoint<State>): void {
    const kept = { note: `the previous checkpoint ${this.file} is unchanged` };
    const dir = dirname(this.file);
    const body = JSON.stringify({ version: checkpoint.version, application: checkpoint.application, epoch: checkpoint.epoch, writtenAt: checkpoint.writtenAt, state: checkpoint.state });
    const bytes = Buffer.from(`${body.slice(0, -1)},"sha256":"${sha256(body)}"}`, 'utf8');
    try {
      this.fs.mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new FileSystemError('create the checkpoint folder', dir, e, kept);
    }
    const tmp = `${this.file}.${process.pid}.tmp`;
    let fd: number;
    try {
      fd = this.fs.openSync(tmp, 'w');
    } catch (e) {
      throw new FileSystemError('write the checkpoint', tmp, e, kept);
    }
    try {
      this.writeAll(fd, bytes, tmp, kept.note);
      try {
        this.fs.fsyncSync(fd);
      } catch (e) {
        throw new FileSystemError('write the checkpoint', tmp, e, kept);
      }
    } catch (e) {
      this.discard(fd, tmp);
      throw e;
    }
    try {
      this.fs.closeSync(fd);
      this.fs.renameSync(tmp, this.file);
    } catch (e) {
      this.discard(undefined, tmp);
      throw new FileSystemError('replace the checkpoint', this.file, e, kept);
    }
    // The rename itself is durable only once the directory entry is synced.
    try {
      const dfd = this.fs.openSync(dir, 'r');
      try {
        this.fs.fsyncSync(dfd);
      } finally {
        this.fs.closeSync(dfd);
      }
    } catch (e) {
      throw new FileSystemError('sync the checkpoint folder', dir, e);
    }
  }

  /** Writes every byte or throws: a write that comes back short is retried for the rest, one that writes nothing is an error. */
  private writeAll(fd: number, bytes: Buffer, path: string, note: string): void {
    let offset = 0;
    while (offset < bytes.length) {
      let n: number;
      try {
        n = this.fs.writeSync(fd, bytes, offset, bytes.length - offset);
      } catch (e) {
        throw new FileSystemError('write the checkpoint', path, e, { note });
      }
      if (!(n > 0)) {
        throw new FileSystemError('write the checkpoint', path, undefined, { detail: `only ${offset} of ${bytes.length} bytes could be written (is the disk full?)`, note });
      }
      offset += n;
    }
  }

  /** Removes a temporary file that will not become the checkpoint (so a full disk gets its space back). */
  private discard(fd: number | undefined, tmp: string): void {
    try {
      if (fd !== undefined) this.fs.closeSync(fd);
    } catch {
      // Closing a file whose write failed can fail again; the unlink below is what matters.
    }
    try {
      this.fs.unlinkSync(tmp);
    } catch {
      // Already gone, or the folder is unwritable: the previous checkpoint is untouched either way.
    }
  }
}
