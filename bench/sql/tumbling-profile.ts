/**
 * The tumbling ticker application of bench:sql (bytes -> input decoder -> engine -> rows), alone, for a CPU
 * profile: `node --import tsx bench/sql/tumbling-profile.ts [--records N] [--passes N] [--profile FILE.cpuprofile]
 * [--structural-index]` (the last: the decoder with the opt-in WebAssembly structural-index fast path).
 * The same records, schema and query as bench/sql/bench-sql.ts; it prints CPU ms per pass (process.cpuUsage).
 * With --profile, the V8 CPU profiler (node:inspector) records the passes only, not the generation of the
 * records, and a summary of self time by function is printed (the file opens in Chrome DevTools).
 */
import { createInputDecoder, parseJsonPath } from '../../src/input/index.js';
import { JsonRecordDecoder } from '../../src/input/json-record-decoder.js';
import { parseSqlType } from '../../src/types/sql-type.js';
import { compileApplication } from '../../src/engine/index.js';
import type { Value } from '../../src/types/sql-type.js';
import { ConfigError } from '../../src/errors.js';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { INPUT, INPUT_STREAM, T0, TUMBLING_SQL, record } from './ticker-workload.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const N = opt('--records', 1_000_000);
const PASSES = opt('--passes', 5);
const STRUCTURAL = args.includes('--structural-index');
const PROFILE = args.includes('--profile') ? args[args.indexOf('--profile') + 1] : null;


const enc = new TextEncoder();
const payloads = Array.from({ length: N }, (_, i) => enc.encode(record(i)));

const session = PROFILE === null ? null : new Session();
if (session !== null) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
}
const cpuMs: number[] = [];
for (let pass = 0; pass < PASSES; pass++) {
  const c0 = process.cpuUsage();
  const decoder = STRUCTURAL
    ? new JsonRecordDecoder(
        {
          names: INPUT.columns.map((c) => c.name),
          types: INPUT.columns.map((c) => parseSqlType(c.sqlType)),
          paths: INPUT.columns.map((c) => parseJsonPath(c.mapping)),
          rowPath: [],
          structuralIndex: true,
        },
        (_column, message) => {
          throw new ConfigError(undefined, message);
        },
      )
    : createInputDecoder(INPUT);
  const app = compileApplication({ sql: TUMBLING_SQL, inputs: [{ name: INPUT_STREAM, columns: decoder.columns.map((c) => ({ name: c.name, type: c.type })) }] });
  const engine = app.start();
  let rows = 0;
  engine.onRow(() => {
    rows++;
  });
  let t = 0;
  const insert = (row: Value[]) => engine.insert(INPUT_STREAM, row, t);
  const fail = (e: unknown) => {
    throw e;
  };
  for (let i = 0; i < N; i++) {
    t = T0 + i;
    decoder.decode(payloads[i], insert, fail);
  }
  engine.finish();
  const c = process.cpuUsage(c0);
  if (rows === 0) throw new ConfigError(undefined, 'no output rows');
  cpuMs.push((c.user + c.system) / 1000);
  console.log(`pass ${pass}: ${cpuMs[pass].toFixed(0)} ms CPU, ${rows} rows, load ${loadavg()[0].toFixed(1)}`);
}
const sorted = [...cpuMs].sort((a, b) => a - b);
console.log(`median ${sorted[sorted.length >> 1].toFixed(0)} ms CPU per ${N} records (${((sorted[sorted.length >> 1] * 1e6) / N).toFixed(0)} ns a record)`);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
if (session !== null && PROFILE !== null) {
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
  writeFileSync(PROFILE, JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)?.callFrame;
    const k = `${f?.functionName || '(anonymous)'} ${f?.url.split('/').slice(-2).join('/') ?? ''}`;
    self.set(k, (self.get(k) ?? 0) + profile.timeDeltas[i]);
    total += profile.timeDeltas[i];
  });
  console.log(`self time by function (${(total / 1000).toFixed(0)} ms sampled):`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
}
