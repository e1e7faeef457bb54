import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { ManualClock } from './clock.js';
import { ObjectSink, type ObjectSinkOptions } from './object-sink.js';
import type { ObjectStore } from './object-store.js';
import type { OutputRow } from './sink.js';

const T0 = Date.UTC(2026, 10, 26, 8, 30, 0);

/** Objects kept in a map, in the order they were put; `failWith` makes puts fail. */
class MemoryStore implements ObjectStore {
  readonly objects = new Map<string, string>();
  readonly puts: string[] = [];
  failWith: Error | undefined;
  async put(key: string, body: Buffer): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.puts.push(key);
    this.objects.set(key, body.toString('utf8'));
  }
  async list(prefix: string): Promise<string[]> {
    const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix) && !k.slice(folder.length).includes('/')).sort();
  }
  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }
  describe(key: string): string {
    return `mem://${key}`;
  }
}

/** A 20-byte JSON line: {"N":"nnnnnnnnnn"} plus the newline. */
function row(i: number, stream = 'DEST', rowtime = T0): OutputRow {
  return { stream, row: { N: String(i).padStart(11, '0') }, rowtime };
}
const rows = (from: number, count: number, stream = 'DEST') => Array.from({ length: count }, (_, i) => row(from + i, stream));
const LINE = Buffer.byteLength(JSON.stringify(row(0).row) + '\n');

/** Lets queued deliveries (started by a timer) run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function setup(options: ObjectSinkOptions = {}) {
  const store = new MemoryStore();
  const clock = new ManualClock(T0);
  const sink = new ObjectSink(store, { clock, bufferIntervalMs: 60_000, ...options });
  return { store, clock, sink };
}

describe('buffering by size', () => {
  it('delivers an object as soon as a stream has buffered bufferSizeBytes, and no sooner', async () => {
    const { store, sink } = setup({ bufferSizeBytes: 3 * LINE });
    await sink.write(rows(0, 2), 'a');
    expect(store.puts).toEqual([]);
    expect(sink.buffered()).toEqual([{ stream: 'DEST', rows: 2, bytes: 2 * LINE }]);
    await sink.write(rows(2, 5), 'b');
    // rows 0..2 reach the size (the object started in write 'a' at offset 0), rows 3..5 fill the next one
    // (it started in write 'b' at offset 1), row 6 waits.
    expect(store.puts).toEqual(['2026/11/26/08/DEST-a-0', '2026/11/26/08/DEST-b-1']);
    expect(store.objects.get('2026/11/26/08/DEST-b-1')?.split('\n').filter(Boolean).map((l) => JSON.parse(l).N)).toEqual(['00000000003', '00000000004', '00000000005']);
    expect(sink.buffered()).toEqual([{ stream: 'DEST', rows: 1, bytes: LINE }]);
  });
  it('puts a row larger than the buffer size alone in its object', async () => {
    const { store, sink } = setup({ bufferSizeBytes: 5 });
    await sink.write(rows(0, 2), 'p');
    expect(store.puts).toEqual(['2026/11/26/08/DEST-p-0', '2026/11/26/08/DEST-p-1']);
  });
  it('counts bytes of the encoded text (UTF-8)', async () => {
    const { store, sink } = setup({ bufferSizeBytes: 12 });
    await sink.write([{ stream: 'S', row: { A: 'é' }, rowtime: T0 }], 'p'); // {"A":"é"}\n = 11 bytes
    expect(store.puts).toEqual([]);
    await sink.write([{ stream: 'S', row: { A: '' }, rowtime: T0 }], 'q');
    expect(store.puts).toHaveLength(1);
  });
});

describe('buffering by interval', () => {
  it('delivers when the oldest buffered row reaches bufferIntervalMs', async () => {
    const { store, clock, sink } = setup({ bufferIntervalMs: 1000 });
    await sink.write(rows(0, 1), 'a');
    clock.advance(600);
    await sink.write(rows(1, 1), 'b'); // joins the open buffer: the interval still counts from row 0
    clock.advance(399);
    await settle();
    expect(store.puts).toEqual([]);
    clock.advance(1);
    await settle();
    expect(store.puts).toEqual(['2026/11/26/08/DEST-a-0']);
    expect(store.objects.get('2026/11/26/08/DEST-a-0')?.trim().split('\n')).toHaveLength(2);
    // the next buffer has its own interval
    await sink.write(rows(2, 1), 'c');
    clock.advance(999);
    await settle();
    expect(store.puts).toHaveLength(1);
    clock.advance(1);
    await settle();
    expect(store.puts).toEqual(['2026/11/26/08/DEST-a-0', '2026/11/26/08/DEST-c-0']);
  });
  it('never delivers by age with an infinite interval', async () => {
    const { store, clock, sink } = setup({ bufferIntervalMs: Infinity });
    await sink.write(rows(0, 1), 'a');
    expect(clock.pendingTimers).toBe(0);
    await sink.flush();
    expect(store.puts).toHaveLength(1);
  });
  it('leaves no timer behind once a size delivery or flush emptied the buffer', async () => {
    const { clock, sink } = setup({ bufferSizeBytes: 2 * LINE, bufferIntervalMs: 1000 });
    await sink.write(rows(0, 1), 'a');
    expect(clock.pendingTimers).toBe(1);
    await sink.write(rows(1, 1), 'b');
    expect(clock.pendingTimers).toBe(0);
    await sink.write(rows(2, 1), 'c');
    await sink.flush();
    expect(clock.pendingTimers).toBe(0);
  });
  it('reports a failed interval delivery on the next call, and then refuses work', async () => {
    const { store, clock, sink } = setup({ bufferIntervalMs: 10 });
    await sink.write(rows(0, 1), 'a');
    store.failWith = new Error('disk full');
    clock.advance(10);
    await settle();
    await expect(sink.write(rows(1, 1), 'b')).rejects.toThrow('disk full');
    store.failWith = undefined;
    await expect(sink.flush()).rejects.toThrow('disk full');
    await expect(sink.close()).rejects.toThrow('disk full');
    expect(store.puts).toEqual([]);
  });
});

describe('layout', () => {
  it('keeps one buffer per stream and puts error_stream under the error prefix', async () => {
    const { store, sink } = setup({ prefix: 'app/' });
    await sink.write([row(0, 'DEST'), row(1, 'error_stream'), row(2, 'OTHER'), row(3, 'DEST')], 'p');
    await sink.flush();
    expect([...store.objects.keys()].sort()).toEqual(['app/2026/11/26/08/DEST-p-0', 'app/2026/11/26/08/OTHER-p-0', 'errors/2026/11/26/08/error_stream-p-0']);
    expect(store.objects.get('app/2026/11/26/08/DEST-p-0')?.trim().split('\n')).toHaveLength(2);
  });
  it('honours a custom error prefix, object name and extension', async () => {
    const { store, sink } = setup({ prefix: 'ok/', errorPrefix: 'bad/', name: 'ticker-analytics', extension: '.ndjson' });
    await sink.write([row(0, 'DEST'), row(1, 'error_stream')], '7');
    await sink.flush();
    expect([...store.objects.keys()].sort()).toEqual(['bad/2026/11/26/08/ticker-analytics-7-0.ndjson', 'ok/2026/11/26/08/ticker-analytics-7-0.ndjson']);
  });
  it('names the hour folder after the delivery time, or the first rowtime when asked', async () => {
    const late = T0 + 2 * 3600_000;
    const delivery = setup();
    delivery.clock.advance(3600_000);
    await delivery.sink.write([row(0, 'DEST', late)], 'p');
    await delivery.sink.flush();
    expect(delivery.store.puts).toEqual(['2026/11/26/09/DEST-p-0']);
    const byRowtime = setup({ hourFrom: 'rowtime' });
    await byRowtime.sink.write([row(0, 'DEST', late), row(1, 'DEST', late + 3600_000)], 'p');
    await byRowtime.sink.flush();
    expect(byRowtime.store.puts).toEqual(['2026/11/26/10/DEST-p-0']);
  });
  it('makes stream names key-safe', async () => {
    const { store, sink } = setup();
    await sink.write([row(0, 'my stream/x')], 'p');
    await sink.flush();
    expect(store.puts).toEqual(['2026/11/26/08/my_stream_x-p-0']);
  });
  it('writes CSV objects when asked', async () => {
    const { store, sink } = setup({ format: 'CSV', csvDelimiter: ';' });
    await sink.write([{ stream: 'S', row: { A: 'x;y', B: 2 }, rowtime: T0 }, { stream: 'S', row: { A: 'z', B: null }, rowtime: T0 }], 'p');
    await sink.flush();
    expect(store.objects.get('2026/11/26/08/S-p-0')).toBe('"x;y";2\nz;\n');
  });
});

describe('idempotent keys', () => {
  async function runOnce(positions: boolean) {
    const { store, sink } = setup({ bufferSizeBytes: 4 * LINE });
    await sink.write(rows(0, 3), positions ? 'ckpt-1' : undefined);
    await sink.write([...rows(3, 3), row(0, 'error_stream')], positions ? 'ckpt-2' : undefined);
    await sink.close();
    return store.objects;
  }
  it('the same rows at the same positions give the same keys and contents', async () => {
    const first = await runOnce(true);
    const second = await runOnce(true);
    expect([...second.entries()]).toEqual([...first.entries()]);
    expect([...first.keys()]).toEqual(['2026/11/26/08/DEST-ckpt-1-0', '2026/11/26/08/DEST-ckpt-2-1', 'errors/2026/11/26/08/error_stream-ckpt-2-0']);
  });
  it('without positions, two sink instances never reuse a key (no overwrite)', async () => {
    const first = await runOnce(false);
    const second = await runOnce(false);
    expect([...first.keys()].filter((k) => second.has(k))).toEqual([]);
    expect(first.size).toBe(3);
  });
  it('with one position for many writes, names objects by the rows written since the position changed', async () => {
    const { store, sink } = setup({ bufferSizeBytes: 3 * LINE });
    await sink.write(rows(0, 2), 'ckpt-A');
    await sink.write(rows(2, 2), 'ckpt-A');
    await sink.write(rows(4, 3), 'ckpt-A');
    await sink.write(rows(7, 1), 'ckpt-B');
    await sink.flush();
    // row 7 (position B) joins the open buffer that started at row 6 of position A
    expect(store.puts).toEqual(['2026/11/26/08/DEST-ckpt-A-0', '2026/11/26/08/DEST-ckpt-A-3', '2026/11/26/08/DEST-ckpt-A-6']);
    expect(store.objects.get('2026/11/26/08/DEST-ckpt-A-6')?.trim().split('\n').map((l) => JSON.parse(l).N)).toEqual(['00000000006', '00000000007']);
  });
  it('hashes positions that are not key-safe', async () => {
    const { store, sink } = setup();
    await sink.write(rows(0, 1), '{"shardId-000000000000":"49590338271490256608559692538361571095921575989136588898:3"}');
    await sink.flush();
    expect(store.puts[0]).toMatch(/^2026\/11\/26\/08\/DEST-[0-9a-f]{32}-0$/);
  });
});

describe('life cycle', () => {
  it('flush on an empty sink writes nothing; close flushes; a closed sink refuses writes', async () => {
    const { store, sink } = setup();
    await sink.flush();
    expect(store.puts).toEqual([]);
    await sink.write(rows(0, 2), 'p');
    await sink.close();
    expect(store.puts).toHaveLength(1);
    await expect(sink.write(rows(2, 1), 'q')).rejects.toThrow(/closed/);
    await sink.close(); // idempotent
  });
  it('a failed size delivery rejects the write that triggered it', async () => {
    const { store, sink } = setup({ bufferSizeBytes: 1 });
    store.failWith = new Error('denied');
    await expect(sink.write(rows(0, 1), 'p')).rejects.toThrow('denied');
  });
  it('reports the delivered objects', async () => {
    const seen: unknown[] = [];
    const { sink } = setup({ onDelivered: (o) => seen.push(o) });
    await sink.write(rows(0, 2), 'p');
    await sink.flush();
    expect(seen).toEqual([{ key: '2026/11/26/08/DEST-p-0', stream: 'DEST', rows: 2, bytes: 2 * LINE }]);
  });
  it.each([
    [{ prefix: '../escape/' }, /prefix/],
    [{ errorPrefix: '/abs/' }, /errorPrefix/],
    [{ name: 'a/b' }, /name/],
    [{ extension: '/x' }, /extension/],
    [{ bufferSizeBytes: 0 }, /bufferSizeBytes/],
    [{ bufferIntervalMs: -1 }, /bufferIntervalMs/],
  ] as [ObjectSinkOptions, RegExp][])('rejects bad options %j', (options, field) => {
    expect(() => new ObjectSink(new MemoryStore(), options)).toThrow(ConfigError);
    expect(() => new ObjectSink(new MemoryStore(), options)).toThrow(field);
  });
});

describe('restart after a crash (the recipe of the README)', () => {
  const TOTAL = 30;
  /**
   * A pipeline that writes every batch with the token of its last checkpoint, and after any delivery flushes
   * and checkpoints. `timerAfter`: the buffer interval fires after that many rows were consumed (wall-clock
   * timing differs between runs). `crashAfter`: the process dies after that many rows (no flush, no checkpoint).
   */
  async function runPipeline(store: MemoryStore, clock: ManualClock, plan: { from: number; batches: number[]; timerAfter?: number; crashAfter?: number; recover: boolean }) {
    let delivered = 0;
    // (a real pipeline restores the checkpoint's own time; both runs here are within one hour)
    let checkpoint = { row: plan.from, token: `ckpt-${plan.from}`, time: clock.now() };
    const sink = new ObjectSink(store, { clock, bufferSizeBytes: 8 * LINE, bufferIntervalMs: 1000, onDelivered: () => delivered++ });
    if (plan.recover) await sink.recover(checkpoint.token, { fromTime: checkpoint.time });
    let row = plan.from;
    for (const size of plan.batches) {
      const batch = rows(row, Math.min(size, TOTAL - row));
      await sink.write(batch, checkpoint.token);
      row += batch.length;
      if (row === plan.crashAfter) return checkpoint;
      if (row === plan.timerAfter) {
        clock.advance(1000);
        await settle();
      }
      if (delivered > 0) {
        await sink.flush();
        checkpoint = { row, token: `ckpt-${row}`, time: clock.now() };
        delivered = 0;
      }
    }
    await sink.close();
    return checkpoint;
  }
  const rowsIn = (store: MemoryStore) =>
    [...store.objects.values()].flatMap((body) => body.trim().split('\n').map((l) => Number(JSON.parse(l).N))).sort((a, b) => a - b);

  async function crashAndRestart(recover: boolean) {
    const store = new MemoryStore();
    // Run 1 checkpoints at row 10, then writes 20 rows (two objects by size) and dies.
    const checkpoint = await runPipeline(store, new ManualClock(T0), { from: 0, batches: [5, 5, 20], crashAfter: 30, recover: false });
    expect(checkpoint.row).toBe(10);
    expect(store.puts.slice(-2)).toEqual(['2026/11/26/08/DEST-ckpt-10-0', '2026/11/26/08/DEST-ckpt-10-8']);
    // Run 2 (a new process: its own timers) resumes at row 10 with other batch sizes, and its buffer interval
    // fires after row 13.
    await runPipeline(store, new ManualClock(T0 + 5000), { from: checkpoint.row, batches: [3, 7, 10], timerAfter: 13, recover });
    return rowsIn(store);
  }

  it("recover() removes the crashed run's objects after the checkpoint: every row exactly once", async () => {
    expect(await crashAndRestart(true)).toEqual(Array.from({ length: TOTAL }, (_, i) => i));
  });
  it("without recover(), the crashed run's second object would stay and duplicate rows (why recover exists)", async () => {
    const seen = await crashAndRestart(false);
    expect(seen.length).toBeGreaterThan(TOTAL);
    expect(new Set(seen).size).toBe(TOTAL);
  });
  it("recover() looks only at objects carrying the position's tag, under both prefixes", async () => {
    const { store, sink } = setup();
    await sink.write([row(0), row(1, 'error_stream')], 'ckpt-1');
    await sink.flush();
    await sink.write([row(2), row(3, 'error_stream')], 'ckpt-2');
    await sink.flush();
    await sink.write([row(4)], 'ckpt-12');
    await sink.flush();
    await sink.write([row(5)], 'x-ckpt-1'); // a longer tag ending in "-ckpt-1"
    await sink.flush();
    const removed = await sink.recover('ckpt-1', { fromTime: T0 - 3600_000, streams: ['DEST', 'error_stream'] });
    expect(removed.sort()).toEqual(['2026/11/26/08/DEST-ckpt-1-0', 'errors/2026/11/26/08/error_stream-ckpt-1-0']);
    expect([...store.objects.keys()].sort()).toEqual([
      '2026/11/26/08/DEST-ckpt-12-0', '2026/11/26/08/DEST-ckpt-2-0', '2026/11/26/08/DEST-x-ckpt-1-0', 'errors/2026/11/26/08/error_stream-ckpt-2-0',
    ]);
  });
  it('recover() matches exactly when the object name is set', async () => {
    const { store, sink } = setup({ name: 'app' });
    await sink.write([row(0)], 'ckpt-1');
    await sink.flush();
    await sink.write([row(1)], 'x-ckpt-1');
    await sink.flush();
    expect(await sink.recover('ckpt-1', { fromTime: T0 })).toEqual(['2026/11/26/08/app-ckpt-1-0']);
    expect([...store.objects.keys()]).toEqual(['2026/11/26/08/app-x-ckpt-1-0']);
  });
});
