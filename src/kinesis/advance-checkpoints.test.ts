import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advanceCheckpoints } from './advance-checkpoints.js';
import { EmbeddedStream } from './embedded-stream.js';
import { EmbeddedStreamSource } from './embedded-stream-source.js';
import type { SourceRecord } from './stream-source.js';

/** Each record holds 3 "user records"; the pipeline stops after `stopAfter` user records and resumes. */
describe('advanceCheckpoints', () => {
  it('resumes a pipeline that stopped anywhere, even inside an aggregate, without loss or repetition', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 89 }), fc.integer({ min: 1, max: 4 }), async (stopAfter, batch) => {
      const stream = new EmbeddedStream({ shardCount: 3 });
      for (let i = 0; i < 30; i++) stream.putRecord({ partitionKey: `k${i}`, data: String(i) });
      const userRecords = (r: SourceRecord) => [0, 1, 2].map((sub) => ({ id: `${Buffer.from(r.data).toString()}.${sub}`, sub }));
      const seen: string[] = [];

      const first = new EmbeddedStreamSource(stream, { pollMs: 1, maxRecordsPerShard: batch });
      await first.start('TRIM_HORIZON');
      let saved = first.checkpoints();
      run: for (;;) {
        const before = first.checkpoints();
        const { records } = await first.read();
        if (records.length === 0) break;
        for (const [k, record] of records.entries()) {
          for (const u of userRecords(record)) {
            if (seen.length === stopAfter) {
              saved = advanceCheckpoints(before, records.slice(0, k), u.sub > 0 ? { record, subSequenceNumber: u.sub - 1 } : undefined);
              break run;
            }
            seen.push(u.id);
          }
        }
      }
      await first.close();

      const second = new EmbeddedStreamSource(stream, { pollMs: 1 });
      await second.start('LAST_STOPPED_POINT', saved);
      for (let r = await second.read(); r.records.length > 0; r = await second.read()) {
        for (const record of r.records) {
          for (const u of userRecords(record)) if (record.resumeAfterSubSequenceNumber === undefined || u.sub > record.resumeAfterSubSequenceNumber) seen.push(u.id);
        }
      }
      expect([...seen].sort()).toEqual(Array.from({ length: 30 }, (_, i) => [0, 1, 2].map((s) => `${i}.${s}`)).flat().sort());
    }), { numRuns: 60 });
  });
});
