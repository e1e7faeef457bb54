/**
 * Builds the StreamSource a definition names: the embedded in-process stream (returned too, so a producer in the
 * same process can write to it), the Kinesis API at any endpoint, or a recorded file.
 */
import { EmbeddedStream, EmbeddedStreamSource, FileReplaySource, KinesisApiSource, type StreamSource } from '../../kinesis/index.js';
import type { SourceDefinition } from '../definition/index.js';

export interface BuiltSource {
  readonly source: StreamSource;
  /** The in-process stream, for an embedded source. */
  readonly embedded?: EmbeddedStream;
  /** Replayed files carry their own time; live sources advance windows with the wall clock when idle. */
  readonly live: boolean;
}

export function createSource(def: SourceDefinition, options: { clock?: () => number; pollMs?: number } = {}): BuiltSource {
  switch (def.type) {
    case 'embedded': {
      const embedded = new EmbeddedStream({ name: 'embedded', shardCount: def.shards ?? 2, clock: options.clock });
      return { source: new EmbeddedStreamSource(embedded, { pollMs: options.pollMs ?? 200 }), embedded, live: true };
    }
    case 'kinesis':
      return {
        source: new KinesisApiSource({ streamName: def.streamName, endpoint: def.endpoint, region: def.region, pollMs: options.pollMs ?? 1000 }),
        live: true,
      };
    case 'file':
      // A recording, or plain records (format named or detected by the source from the first line); plain records
      // arrive at the clock's time when read, or at the given rate.
      return {
        source: new FileReplaySource({ path: def.path, speed: def.speed, recordFormat: def.format, rate: def.rate, clock: options.clock }),
        live: false,
      };
  }
}
