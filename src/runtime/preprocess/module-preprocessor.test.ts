import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ExecutionError } from '../../errors.js';
import { ModulePreprocessor } from './module-preprocessor.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/preprocessors/${name}`, import.meta.url));

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

  describe('answers however a Lambda handler may give them', () => {
    const texts = async (file: string) => {
      const p = await ModulePreprocessor.load(fixture(file));
      const res = await p.process([rec('a'), rec('b')]);
      return res.map((r) => (r.result === 'Ok' ? Buffer.from(r.data).toString() : r.result));
    };
    it('a CommonJS (event, context, callback) handler answering later through its callback (the KDA blueprints)', async () => {
      expect(await texts('callback-blueprint.cjs')).toEqual(['A', 'B']);
    });
    it('a CommonJS module.exports handler returning a promise', async () => {
      expect(await texts('promise-handler.cjs')).toEqual(['cjs-promise:a', 'cjs-promise:b']);
    });
    it('an ESM callback handler', async () => {
      expect(await texts('callback-handler.mjs')).toEqual(['mjs-callback:a', 'mjs-callback:b']);
    });
    it('an ESM async handler', async () => {
      expect(await texts('async-handler.mjs')).toEqual(['mjs-async:a', 'mjs-async:b']);
    });
    it('a handler answering through context.succeed', async () => {
      expect(await texts('context-succeed.cjs')).toEqual(['Dropped', 'Dropped']);
    });
    it('a handler that never answers fails the batch with PREPROCESSOR_TIMEOUT after its timeout', async () => {
      const p = await ModulePreprocessor.load(fixture('never-answers.cjs'), { timeoutMs: 200 });
      const started = Date.now();
      const error = await p.process([rec('a')]).catch((e: unknown) => e);
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      expect(error).toBeInstanceOf(ExecutionError);
      expect((error as ExecutionError).errorName).toBe('PREPROCESSOR_TIMEOUT');
      expect((error as Error).message).toMatch(/never-answers\.cjs: the handler did not answer within 0\.2 s/);
    });
    it('an error given to the callback fails the batch with PREPROCESSOR_FAILED and the handler\'s message', async () => {
      const p = await ModulePreprocessor.load(fixture('callback-error.mjs'));
      const error = await p.process([rec('a')]).catch((e: unknown) => e);
      expect((error as ExecutionError).errorName).toBe('PREPROCESSOR_FAILED');
      expect((error as Error).message).toMatch(/callback-error\.mjs: the handler failed: upstream lookup failed/);
    });
    it('refuses a timeout that is not a positive number', async () => {
      await expect(ModulePreprocessor.load(fixture('async-handler.mjs'), { timeoutMs: 0 })).rejects.toThrow(/timeoutSeconds: must be a positive number/);
    });
  });
});
