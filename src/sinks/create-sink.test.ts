import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFlakyS3Proxy } from '../../test/support/s3-flaky-proxy.js';
import { ManualClock } from './clock.js';
import { createSink } from './create-sink.js';
import { KinesisSink } from './kinesis-sink.js';
import { LocalBucketSink } from './local-bucket-sink.js';
import { S3Sink } from './s3-sink.js';
import { StdoutSink } from './stdout-sink.js';

describe('createSink', () => {
  it('makes the sink for each kind of destination', async () => {
    const sinks = [
      createSink({ type: 'stdout' }, { format: 'CSV' }),
      createSink({ type: 'kinesis', streamName: 's', endpoint: 'http://127.0.0.1:9' }, { credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
      createSink({ type: 's3', bucket: 'bucket', prefix: 'base/', endpoint: 'http://127.0.0.1:9' }, { credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
    ];
    expect(sinks[0]).toBeInstanceOf(StdoutSink);
    expect(sinks[1]).toBeInstanceOf(KinesisSink);
    expect(sinks[2]).toBeInstanceOf(S3Sink);
    for (const s of sinks.slice(1)) await s.close();
  });

  it('writes a local destination under the output prefix, error rows under the error prefix', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sinks-create-'));
    try {
      const sink = createSink({ type: 'local', path: folder }, { prefix: 'app/', errorPrefix: 'bad/', clock: new ManualClock(Date.UTC(2026, 0, 1, 5)) });
      expect(sink).toBeInstanceOf(LocalBucketSink);
      await sink.write([{ stream: 'DEST', row: { N: 1 }, rowtime: 0 }, { stream: 'error_stream', row: { M: 'x' }, rowtime: 0 }], 'p');
      await sink.close();
      expect((await readdir(folder, { recursive: true })).filter((f) => f.endsWith('-p-0')).sort()).toEqual(['app/2026/01/01/05/DEST-p-0', 'bad/2026/01/01/05/error_stream-p-0']);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('puts the S3 destination prefix in front of the output and error prefixes', async () => {
    const server = await startFlakyS3Proxy({ failFirst: 0 }); // answers 200 to every request
    try {
      const sink = createSink(
        { type: 's3', bucket: 'bucket', prefix: 'base/', endpoint: server.endpoint },
        { prefix: 'app/', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, clock: new ManualClock(Date.UTC(2026, 0, 1, 5)) },
      );
      await sink.write([{ stream: 'DEST', row: {}, rowtime: 0 }, { stream: 'error_stream', row: {}, rowtime: 0 }], 'p');
      await sink.close();
      expect(server.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`).sort()).toEqual([
        'PUT /bucket/base/app/2026/01/01/05/DEST-p-0',
        'PUT /bucket/base/errors/2026/01/01/05/error_stream-p-0',
      ]);
    } finally {
      await server.close();
    }
  });
});
