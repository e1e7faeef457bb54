// Micro-benchmark: RANDOM_CUT_FOREST records/s with KDA's default parameters (100 trees, sample 256,
// timeDecay 100000, shingle 1) on 2, 3 and 4 numeric columns of Gaussian data with rare outliers, and the
// explanation variant on 2 columns.
// Run: node --import tsx bench/analytics/rcf-bench.ts [rows]
import { RandomCutForest } from '../../src/engine/analytics/random-cut-forest.js';
import { SeededRandom } from '../../src/engine/analytics/seeded-random.js';

const rows = Number(process.argv[2] ?? 20000);
const warmupRows = 2000;

const cases: { dimensions: number; explain: boolean }[] = [
  { dimensions: 2, explain: false },
  { dimensions: 3, explain: false },
  { dimensions: 4, explain: false },
  { dimensions: 2, explain: true },
];

for (const { dimensions, explain } of cases) {
  const rng = new SeededRandom(dimensions);
  const gauss = () => Math.sqrt(-2 * Math.log(rng.nextOpen())) * Math.cos(2 * Math.PI * rng.next());
  const data: Float64Array[] = [];
  for (let i = 0; i < warmupRows + rows; i++) {
    const p = new Float64Array(dimensions);
    for (let d = 0; d < dimensions; d++) p[d] = gauss() + (i % 997 === 0 ? 10 : 0);
    data.push(p);
  }
  const forest = new RandomCutForest({ dimensions });
  for (let i = 0; i < warmupRows; i++) forest.process(data[i]);
  let checksum = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (let i = warmupRows; i < data.length; i++) {
    checksum += explain ? forest.processWithAttribution(data[i]).score : forest.process(data[i]);
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // Records per CPU second is the steadier figure on a shared machine; wall-clock rate is printed too.
  console.log(
    `rcf${explain ? ' with explanation' : ''} dims=${dimensions} trees=100 sample=256: ${Math.round(rows / seconds)} records/s wall, ` +
      `${Math.round(rows / cpuSeconds)} records/CPU-s (${rows} rows in ${seconds.toFixed(2)} s after ${warmupRows} ` +
      `warm-up rows; mean score ${(checksum / rows).toFixed(3)})`,
  );
}
