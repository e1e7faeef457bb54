// Micro-benchmark: HOTSPOTS rows/s with the DG example parameters (window 1000, scanRadius 0.2, 17 points) on
// 2-D data: 80 % uniform over 10 x 10, 20 % in a dense spot.
// Run: node --import tsx bench/analytics/hotspots-bench.ts [rows]
import { HotspotDetector } from '../../src/engine/analytics/hotspots.js';
import { SeededRandom } from '../../src/engine/analytics/seeded-random.js';

const rows = Number(process.argv[2] ?? 5000);
const rng = new SeededRandom(1);
const point = (): number[] => (rng.next() < 0.2 ? [3 + 0.3 * rng.next(), 7 + 0.3 * rng.next()] : [10 * rng.next(), 10 * rng.next()]);
const detector = new HotspotDetector(2, 1000, 0.2, 17);
for (let i = 0; i < 1000; i++) detector.add(point());
let found = 0;
const cpuStart = process.cpuUsage();
const start = performance.now();
for (let i = 0; i < rows; i++) found += detector.add(point()).length;
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
console.log(
  `hotspots window=1000 dims=2: ${Math.round(rows / seconds)} rows/s wall, ${Math.round(rows / ((cpu.user + cpu.system) / 1e6))} rows/CPU-s (mean hotspots per row ${(found / rows).toFixed(2)})`,
);
