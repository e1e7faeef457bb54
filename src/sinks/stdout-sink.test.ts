import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StdoutSink } from './stdout-sink.js';

/** A writable that keeps what it gets, with a tiny buffer and a manually released callback to force `drain`. */
function collector(highWaterMark = 1024) {
  const chunks: string[] = [];
  const held: (() => void)[] = [];
  let hold = false;
  const out = new Writable({
    highWaterMark,
    write(chunk: Buffer, _enc, callback) {
      chunks.push(chunk.toString('utf8'));
      if (hold) held.push(callback);
      else callback();
    },
  });
  return { out, chunks, text: () => chunks.join(''), holdWrites: () => { hold = true; }, release: () => { hold = false; held.splice(0).forEach((cb) => cb()); } };
}

const r = (stream: string, row: Record<string, unknown>) => ({ stream, row, rowtime: 0 });

describe('StdoutSink', () => {
  it('writes one JSON object per line', async () => {
    const c = collector();
    const sink = new StdoutSink({ out: c.out });
    await sink.write([r('DEST', { TICKER: 'AMZN', N: 1 }), r('DEST', { TICKER: 'X"Y', N: null })]);
    await sink.close();
    expect(c.text()).toBe('{"TICKER":"AMZN","N":1}\n{"TICKER":"X\\"Y","N":null}\n');
    expect(c.text().trim().split('\n').map((l) => JSON.parse(l))).toEqual([{ TICKER: 'AMZN', N: 1 }, { TICKER: 'X"Y', N: null }]);
  });
  it('names the stream when asked', async () => {
    const c = collector();
    await new StdoutSink({ out: c.out, includeStream: true }).write([r('error_stream', { MESSAGE: 'bad' })]);
    expect(c.text()).toBe('{"stream":"error_stream","row":{"MESSAGE":"bad"}}\n');
  });
  it('writes CSV lines when asked', async () => {
    const c = collector();
    await new StdoutSink({ out: c.out, format: 'CSV' }).write([r('DEST', { A: 'a,b', B: 2 })]);
    expect(c.text()).toBe('"a,b",2\n');
  });
  it('waits for drain when the stream is full', async () => {
    const c = collector(8);
    const sink = new StdoutSink({ out: c.out });
    c.holdWrites();
    let done = false;
    const writing = sink.write([r('DEST', { LONG: 'x'.repeat(100) })]).then(() => { done = true; });
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    c.release();
    await writing;
    expect(done).toBe(true);
  });
});
