import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModulePreprocessor } from './module-preprocessor.js';

function moduleFile(source: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'sa-pre-')), 'pre.mjs');
  writeFileSync(f, source);
  return f;
}

const rec = (text: string) => ({ data: Buffer.from(text), shardId: 'shardId-000000000000', partitionKey: 'k', sequenceNumber: '1', approximateArrivalTimestamp: 0 });

describe('ModulePreprocessor', () => {
  it('maps Ok, Dropped and ProcessingFailed per record, in order, even when the response is reordered', async () => {
    const f = moduleFile(`export async function handler(event) {
      const out = event.records.map((r) => {
        const text = Buffer.from(r.data, 'base64').toString();
        if (text === 'drop') return { recordId: r.recordId, result: 'Dropped' };
        if (text === 'bad') return { recordId: r.recordId, result: 'ProcessingFailed' };
        return { recordId: r.recordId, result: 'Ok', data: Buffer.from(text.toUpperCase()).toString('base64') };
      });
      return { records: out.reverse() };
    }`);
    const p = await ModulePreprocessor.load(f);
    const res = await p.process([rec('a'), rec('drop'), rec('bad'), rec('b')]);
    expect(res.map((r) => r.result)).toEqual(['Ok', 'Dropped', 'ProcessingFailed', 'Ok']);
    expect(Buffer.from((res[3] as { data: Uint8Array }).data).toString()).toBe('B');
  });
  it('fails the batch when a recordId is missing or the result is unknown', async () => {
    const missing = await ModulePreprocessor.load(moduleFile('export const handler = () => ({ records: [] });'));
    await expect(missing.process([rec('a')])).rejects.toThrow(/recordId 0 missing/);
    const odd = await ModulePreprocessor.load(moduleFile("export const handler = (e) => ({ records: e.records.map((r) => ({ recordId: r.recordId, result: 'OK' })) });"));
    await expect(odd.process([rec('a')])).rejects.toThrow(/result "OK"; expected Ok, Dropped or ProcessingFailed/);
  });
  it('names the module when it cannot be loaded or has no handler', async () => {
    await expect(ModulePreprocessor.load('/nonexistent/pre.mjs')).rejects.toThrow(/input.preprocessor.module: cannot load/);
    await expect(ModulePreprocessor.load(moduleFile('export const other = 1;'))).rejects.toThrow(/exports no function 'handler'/);
  });
});
