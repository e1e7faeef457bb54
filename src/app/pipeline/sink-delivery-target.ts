/**
 * The local host's delivery target: each output's Sink (local bucket folder, S3, Kinesis, stdout) receives the rows
 * of its stream, written with the epoch as position so that object keys derive from it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DeliveryTarget } from '../../runtime/shard-loop.js';
import type { OutputRow, Sink } from '../../sinks/index.js';
import type { OutputDefinition } from '../../spec/app-definition.js';

export interface TargetOutput {
  readonly definition: OutputDefinition;
  /** The `<name>` of its objects (see objectNames). */
  readonly objectName: string;
  readonly sink: Sink;
}

/** The checkpoint token an epoch's rows are written with: object keys carry it. */
export function epochPosition(epoch: number): string {
  return `epoch-${String(epoch).padStart(10, '0')}`;
}

export class SinkDeliveryTarget implements DeliveryTarget {
  private readonly streams: ReadonlySet<string>;

  constructor(
    private readonly outputs: readonly TargetOutput[],
    private readonly onDelivered?: (output: OutputDefinition, rows: readonly OutputRow[]) => void,
  ) {
    this.streams = new Set(outputs.map((o) => o.definition.stream));
  }

  accepts(stream: string): boolean {
    return this.streams.has(stream);
  }

  async deliver(rows: readonly OutputRow[], epoch: number): Promise<void> {
    const position = epochPosition(epoch);
    for (const o of this.outputs) {
      const mine = rows.filter((r) => r.stream === o.definition.stream);
      if (mine.length > 0) await o.sink.write(mine, position);
      await o.sink.flush();
      if (mine.length > 0) this.onDelivered?.(o.definition, mine);
    }
  }

  async close(): Promise<void> {
    for (const o of this.outputs) await o.sink.close();
  }

  /**
   * The highest epoch whose objects a local-folder output already holds, or undefined when none holds any. A run
   * that finds such objects but no checkpoint would write the same rows again (under keys of epochs that exist);
   * S3, Kinesis and stdout outputs are not looked at (a bucket cannot be listed in bounded time by hour folder).
   */
  highestEpochHeld(): { epoch: number; where: string } | undefined {
    let best: { epoch: number; where: string } | undefined;
    for (const o of this.outputs) {
      const d = o.definition.destination;
      if (d.type !== 'local') continue;
      const own = new RegExp(`^${escapeRegExp(o.objectName)}-epoch-(\\d{10})-\\d+$`);
      for (const file of walk(join(d.path, o.definition.prefix))) {
        const m = own.exec(file.name);
        if (m && (!best || Number(m[1]) > best.epoch)) best = { epoch: Number(m[1]), where: file.path };
      }
    }
    return best;
  }
}

function* walk(folder: string): Generator<{ name: string; path: string }> {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return; // No folder yet: nothing delivered there.
  }
  for (const e of entries) {
    const path = join(folder, e.name);
    if (e.isDirectory()) yield* walk(path);
    else if (e.isFile()) yield { name: e.name, path };
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
