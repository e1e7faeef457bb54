/**
 * Where the time of the opt-in WebAssembly structural-index fast path goes (src/input/json-flat-fast-path.ts),
 * beside the shipped byte scanner, over bench:sql's records (1M, 6 fields, TICKER and PRICE mapped):
 * `node --import tsx bench/input/structural-index-parts.ts [--records N] [--rounds N]`.
 * Variants run interleaved (the order rotates each round); reported: ns of CPU per record (process.cpuUsage),
 * medians over rounds, with the load average.
 */
import { Buffer } from 'node:buffer';
import { loadavg } from 'node:os';
import { parseJsonPath } from '../../src/input/json-path.js';
import { JsonRecordDecoder } from '../../src/input/json-record-decoder.js';
import { StructuralIndex } from '../../src/input/wasm/structural-index.js';
import { parseSqlType, type Value } from '../../src/types/sql-type.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const N = opt('--records', 1_000_000);
const ROUNDS = opt('--rounds', 7);
const T0 = Date.UTC(2026, 0, 1);
const TICKERS = Array.from({ length: 50 }, (_, i) => `T${String(i).padStart(3, '0')}`);
const SECTORS = ['TECHNOLOGY', 'RETAIL', 'FINANCIAL', 'HEALTHCARE', 'ENERGY'];
function record(i: number): string {
  const x = (Math.imul(i, 1103515245) + 12345) >>> 0;
  const price = ((x >>> 8) % 100000) / 100 + 1;
  const change = (((x >>> 4) % 2001) - 1000) / 100;
  return `{"TICKER":"${TICKERS[x % 50]}","SECTOR":"${SECTORS[x % 5]}","PRICE":${price},"CHANGE":${change},"TS":${T0 + i},"SEQ":${i}}`;
}
const enc = new TextEncoder();
const payloads = Array.from({ length: N }, (_, i) => enc.encode(record(i)));
const BATCH = 150; // ~15 KB, under the index's 16 KiB input limit
const batches: Uint8Array[] = [];
for (let i = 0; i < N; i += BATCH) batches.push(Buffer.concat(payloads.slice(i, i + BATCH).flatMap((p) => [p, Buffer.from('\n')])));

const index = StructuralIndex.create();
if (index === null) throw new Error('no WebAssembly SIMD on this runtime');
const decoderWith = (structuralIndex: boolean) =>
  new JsonRecordDecoder(
    {
      names: ['TICKER', 'PRICE'],
      types: [parseSqlType('VARCHAR(4)'), parseSqlType('DOUBLE')],
      paths: [parseJsonPath('$.TICKER'), parseJsonPath('$.PRICE')],
      rowPath: [],
      structuralIndex,
    },
    (_c, message) => {
      throw new Error(message);
    },
  );
const general = decoderWith(false);
const fast = decoderWith(true);
let sink = 0;
const onRow = (r: Value[]) => {
  sink += r.length;
};
const onError = (e: Error) => {
  throw e;
};
const scratch = new Uint8Array(1 << 16);
const variants: [string, () => void][] = [
  ['byte scanner (shipped decoder), decode only', () => {
    for (let i = 0; i < N; i++) general.decode(payloads[i], onRow, onError);
  }],
  ['structural-index fast path (index + walk of the offsets)', () => {
    for (let i = 0; i < N; i++) fast.decode(payloads[i], onRow, onError);
  }],
  ['index alone, one record per call (copy + call + scan)', () => {
    for (let i = 0; i < N; i++) sink += index.index(payloads[i]);
  }],
  ['index alone over 150-record NDJSON batches (copy included)', () => {
    for (const b of batches) sink += index.index(b);
  }],
  ['copy of each record into a buffer alone', () => {
    for (let i = 0; i < N; i++) scratch.set(payloads[i], 0);
  }],
  ['JavaScript loop that only counts quotes', () => {
    for (let i = 0; i < N; i++) {
      const p = payloads[i];
      for (let j = 0; j < p.length; j++) if (p[j] === 0x22) sink++;
    }
  }],
];
const ns: number[][] = variants.map(() => []);
const load0 = loadavg()[0];
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < variants.length; k++) {
    const v = (k + round) % variants.length;
    const c0 = process.cpuUsage();
    variants[v][1]();
    const c = process.cpuUsage(c0);
    ns[v].push(((c.user + c.system) * 1000) / N);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`${N} records, ${ROUNDS} interleaved rounds, ns of CPU per record (median; rounds), load ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}, node ${process.version}${sink > 0 ? '' : ' '}`);
variants.forEach(([name], v) => console.log(`  ${median(ns[v]).toFixed(0).padStart(5)} ns  ${name.padEnd(60)} [${ns[v].map((x) => x.toFixed(0)).join(' ')}]`));
