/**
 * Builds the Sink for one output of the definition. Object sinks take the folder of `YYYY/MM/DD/HH/` from the
 * rows' ROWTIME rather than the delivery time, so that an object re-written after a restart keeps its key.
 */
import { LocalBucketSink, S3Sink, type DeliveredObject, type Sink } from '../../sinks/index.js';
import { KinesisSink, StdoutSink } from '../../sinks/index.js';
import { resolve } from 'node:path';
import type { OutputDefinition } from '../definition/index.js';

/** Where an object output's keys live (folder or bucket, plus key prefix); undefined for kinesis and stdout. */
function objectPlace(out: OutputDefinition): string | undefined {
  const d = out.destination;
  if (d.type === 'local') return `local:${resolve(d.path)}/${out.prefix}`;
  if (d.type === 's3') return `s3:${d.endpoint ?? ''}:${d.bucket}/${d.prefix}${out.prefix}`;
  return undefined;
}

/**
 * The `<name>` of each output's objects: the application's name, as one Firehose delivery stream per output would
 * carry; where several outputs share a folder (or bucket) and prefix, the stream's name is added, since their
 * objects of one commit would otherwise have the same key and overwrite each other.
 * @example
 * objectNames('ticker', outputs) // ['ticker', 'ticker'] or, sharing a folder, ['ticker-COUNTS', 'ticker-MAXES']
 */
export function objectNames(application: string, outputs: readonly OutputDefinition[]): string[] {
  const places = outputs.map(objectPlace);
  return outputs.map((o, i) => {
    const shared = places[i] !== undefined && places.some((p, j) => j !== i && p === places[i]);
    return shared ? `${application}-${o.stream.replace(/[^A-Za-z0-9._=-]/g, '_')}` : application;
  });
}

export function createSink(out: OutputDefinition, options: { name: string; onDelivered?: (o: DeliveredObject) => void }): Sink {
  const objectOptions = {
    format: out.format,
    includeRowtime: out.includeRowtime ?? false,
    prefix: out.prefix,
    // Each output carries one stream; an error_stream output keeps its prefix too.
    errorPrefix: out.prefix,
    name: options.name,
    bufferSizeBytes: out.bufferSizeBytes,
    bufferIntervalMs: out.bufferIntervalMs,
    hourFrom: 'rowtime' as const,
    onDelivered: options.onDelivered,
  };
  const d = out.destination;
  switch (d.type) {
    case 'local':
      return new LocalBucketSink({ folder: d.path, ...objectOptions });
    case 's3':
      return new S3Sink({
        bucket: d.bucket,
        endpoint: d.endpoint,
        region: d.region,
        forcePathStyle: d.endpoint !== undefined,
        ...objectOptions,
        prefix: d.prefix + out.prefix,
        errorPrefix: d.prefix + out.prefix,
      });
    case 'kinesis':
      return new KinesisSink({ streamName: d.streamName, endpoint: d.endpoint, region: d.region, format: out.format, includeRowtime: out.includeRowtime ?? false });
    case 'stdout':
      return new StdoutSink({ format: out.format, includeRowtime: out.includeRowtime ?? false });
  }
}
