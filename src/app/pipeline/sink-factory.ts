/**
 * Builds the Sink for one output of the definition. Object sinks take the folder of `YYYY/MM/DD/HH/` from the
 * rows' ROWTIME rather than the delivery time, so that an object re-written after a restart keeps its key.
 */
import { LocalBucketSink, S3Sink, type DeliveredObject, type Sink } from '../../sinks/index.js';
import { KinesisSink, StdoutSink } from '../../sinks/index.js';
import type { OutputDefinition } from '../definition/index.js';

export function createSink(out: OutputDefinition, options: { name: string; onDelivered?: (o: DeliveredObject) => void }): Sink {
  const objectOptions = {
    format: out.format,
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
      return new KinesisSink({ streamName: d.streamName, endpoint: d.endpoint, region: d.region, format: out.format });
    case 'stdout':
      return new StdoutSink({ format: out.format });
  }
}
