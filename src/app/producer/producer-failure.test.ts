// A failure of the in-process producer during `run` on the embedded stream stops the run the graceful way: what
// was read is committed (the checkpoint is written) and the run ends with ProducerFailedError naming the cause,
// never an unhandled rejection.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { KinesisResourceError } from '../../kinesis/index.js';
import { EmbeddedStream } from '../../kinesis/embedded-stream.js';
import { loadApplicationDefinition } from '../definition/index.js';
import { runApplication } from '../run/run-application.js';
import { ProducerFailedError } from './producer-failed-error.js';

const work = mkdtempSync(join(tmpdir(), 'producer-failure-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a producer failure during run', () => {
  it('commits, then ends the run with ProducerFailedError naming the cause', async () => {
    const put = EmbeddedStream.prototype.putRecords;
    let calls = 0;
    const spy = vi.spyOn(EmbeddedStream.prototype, 'putRecords').mockImplementation(function (this: EmbeddedStream, records) {
      if (++calls === 20) throw new KinesisResourceError('embedded', 'simulated failure of the stream');
      return put.call(this, records);
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const def = loadApplicationDefinition(join(import.meta.dirname, '..', '..', '..', 'examples', 'ticker'), { destinations: { DESTINATION_SQL_STREAM: { type: 'local', path: join(work, 'bucket') }, error_stream: { type: 'local', path: join(work, 'bucket') } } });
      const checkpointDir = join(work, 'ckpt');
      const error = await runApplication(def, { checkpointDir, durationMs: 30_000, produceRate: 2000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProducerFailedError);
      expect((error as Error).message).toMatch(/the in-process producer failed \(KinesisResourceError: simulated failure of the stream\); the run committed what it had read and stopped/);
      const cp = JSON.parse(readFileSync(join(checkpointDir, 'checkpoint.json'), 'utf8')) as { epoch: number; state: { positions: unknown[] } };
      expect(cp.epoch).toBeGreaterThanOrEqual(1);
      expect(cp.state.positions.length).toBeGreaterThanOrEqual(1);
      expect(unhandled).toEqual([]);
    } finally {
      spy.mockRestore();
      process.off('unhandledRejection', onUnhandled);
    }
  }, 60_000);
});
