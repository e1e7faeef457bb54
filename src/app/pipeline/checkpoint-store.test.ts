import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_FORMAT_VERSION, CheckpointStore } from './checkpoint-store.js';

describe('CheckpointStore', () => {
  it('returns undefined before the first save, then the last saved checkpoint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-cp-'));
    const store = new CheckpointStore(dir);
    expect(store.load('app')).toBeUndefined();
    for (let epoch = 1; epoch <= 3; epoch++) {
      store.save({ version: CHECKPOINT_FORMAT_VERSION, application: 'app', epoch, writtenAt: 'now', state: { n: epoch } });
    }
    expect(store.load('app')).toMatchObject({ epoch: 3, state: { n: 3 } });
    expect(readdirSync(dir)).toEqual(['checkpoint.json']);
  });
  it('refuses a checkpoint of another application or format', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-cp-'));
    const store = new CheckpointStore(dir);
    store.save({ version: CHECKPOINT_FORMAT_VERSION, application: 'a', epoch: 1, writtenAt: 'now', state: {} });
    expect(() => store.load('b')).toThrow(/belongs to application 'a', not 'b'/);
    writeFileSync(store.file, JSON.stringify({ version: 99, application: 'a' }));
    expect(() => store.load('a')).toThrow(/format version 99/);
  });
});
