/**
 * The local host's state store: the shard loop's state in the checkpoint file (CheckpointStore: one file,
 * replaced atomically).
 */
import type { LoopState, StateStore } from '../../runtime/shard-loop.js';
import { CHECKPOINT_FORMAT_VERSION, CheckpointStore } from './checkpoint-store.js';

export class CheckpointStateStore implements StateStore {
  private readonly store: CheckpointStore;

  constructor(
    directory: string,
    private readonly application: string,
    private readonly clock: () => number = Date.now,
  ) {
    this.store = new CheckpointStore(directory);
  }

  get location(): string {
    return this.store.file;
  }

  load(): { epoch: number; state: LoopState } | undefined {
    const cp = this.store.load<LoopState>(this.application);
    return cp ? { epoch: cp.epoch, state: cp.state } : undefined;
  }

  save(epoch: number, state: LoopState): void {
    this.store.save<LoopState>({ version: CHECKPOINT_FORMAT_VERSION, application: this.application, epoch, writtenAt: new Date(this.clock()).toISOString(), state });
  }
}
