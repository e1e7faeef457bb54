/**
 * Durable checkpoints of a running application: source positions, engine state and the output rows of the epoch
 * being committed, in one file replaced atomically (write a temporary file, fsync, rename), so that a crash at any
 * point leaves either the previous checkpoint or the new one, never a torn file.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../errors.js';

export const CHECKPOINT_FORMAT_VERSION = 1;

export interface Checkpoint<State = unknown> {
  readonly version: typeof CHECKPOINT_FORMAT_VERSION;
  /** Which application wrote it: a checkpoint of another application is never restored. */
  readonly application: string;
  /** Increases by one per commit; output object keys are derived from it. */
  readonly epoch: number;
  readonly writtenAt: string;
  readonly state: State;
}

export class CheckpointStore {
  readonly file: string;

  constructor(directory: string) {
    this.file = join(directory, 'checkpoint.json');
  }

  /** The last committed checkpoint, or undefined when there is none yet. */
  load<State>(application: string): Checkpoint<State> | undefined {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const c = JSON.parse(text) as Checkpoint<State>;
    if (c.version !== CHECKPOINT_FORMAT_VERSION) {
      throw new ConfigError('checkpoint', `${this.file} has format version ${c.version}; this version reads ${CHECKPOINT_FORMAT_VERSION}`);
    }
    if (c.application !== application) {
      throw new ConfigError('checkpoint', `${this.file} belongs to application '${c.application}', not '${application}'; use another --checkpoint-dir or remove it`);
    }
    return c;
  }

  save<State>(checkpoint: Checkpoint<State>): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(checkpoint));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    // The rename itself is durable only once the directory entry is synced.
    const dfd = openSync(dirname(this.file), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }
}
