import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileReplaySource, readRecording, type SourceRecord } from '../../kinesis/index.js';
import { loadApplicationDefinition } from '../definition/index.js';
import { runApplication } from '../run/run-application.js';
import { FileTarget } from './producer-targets.js';
import { TickerProducer } from './ticker-producer.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'file-target-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The same producer run (seeded, virtual clock) into `file`. */
async function produce(file: string, records: number): Promise<void> {
  let now = Date.UTC(2026, 0, 5, 12, 0, 0);
  const clock = () => now;
  const target = new FileTarget(file, clock);
  const producer = new TickerProducer(target, { recordsPerSecond: 2000, seed: 7, tickers: 12, clock, sleep: async (ms) => void (now += ms) });
  await producer.run({ maxRecords: records });
  await target.close();
}

async function replayAll(file: string): Promise<SourceRecord[]> {
  const source = new FileReplaySource({ path: file });
  await source.start('TRIM_HORIZON');
  const out: SourceRecord[] = [];
  for (let r = await source.read(); !r.done; r = await source.read()) {
    expect(r.rejected).toBeUndefined();
    out.push(...r.records);
  }
  await source.close();
  return out;
}

function bucketText(folder: string): string {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!name.startsWith('.')) files.push(p);
    }
  };
  walk(folder);
  return files.sort().map((f) => `${path.relative(folder, f)}\n${readFileSync(f, 'utf8')}`).join('\n');
}

describe('FileTarget: the recording produce --to file:// writes', () => {
  const text = path.join(dir, 'ticks.ndjson');
  const binary = path.join(dir, 'ticks.krec');
  beforeAll(async () => {
    await produce(text, 20_000);
    await produce(binary, 20_000);
  });

  it('a .krec path gets the binary format, holding the same records as the NDJSON recording, in fewer bytes', async () => {
    expect(readRecording(readFileSync(binary)).entries.every((e) => e.kind === 'record')).toBe(true);
    expect(statSync(binary).size).toBeLessThan(0.8 * statSync(text).size);
    const plain = (r: SourceRecord) => ({ ...r, data: Buffer.from(r.data).toString('base64') });
    const fromText = await replayAll(text);
    expect(fromText.length).toBeGreaterThan(0);
    expect((await replayAll(binary)).map(plain)).toEqual(fromText.map(plain));
  });

  it('the ticker application run over either recording writes the same objects', async () => {
    const run = async (recording: string) => {
      const bucket = path.join(dir, `bucket-${path.basename(recording)}`);
      const def = loadApplicationDefinition(path.join(ROOT, 'examples', 'ticker'), {
        source: { type: 'file', path: recording },
        destinations: { DESTINATION_SQL_STREAM: { type: 'local', path: bucket }, error_stream: { type: 'local', path: bucket } },
      });
      const summary = await runApplication(def, { checkpointDir: path.join(dir, `ckpt-${path.basename(recording)}`) });
      expect(summary.reason).toBe('end-of-input');
      expect(summary.metrics.errors).toBe(0);
      return bucketText(bucket);
    };
    const fromText = await run(text);
    expect(fromText).toContain('TRADE_COUNT');
    expect(await run(binary)).toBe(fromText);
  });
});
