import { PlanError } from '../../errors.js';
import { SqlTypes, type Value } from '../../types/sql-type.js';
import { checkIntegerArgument, checkPositiveNumberArgument } from './argument-checks.js';
import { decodeFloat64, encodeTyped } from './state-codec.js';
import { numericColumnIndexes, readNumericValues, type TableFunctionColumn } from './numeric-columns.js';

/** One hotspot of HOTSPOTS_RESULT. */
export interface Hotspot {
  readonly density: number;
  readonly minValues: number[];
  readonly maxValues: number[];
  /** Points of the window in the hotspot (not printed by KDA; kept for tests and callers). */
  readonly size: number;
}

/**
 * Density-based hotspot detection over the last `windowSize` points (HOTSPOTS, SQLREF sqlrf-hotspots).
 *
 * The method is DBSCAN with eps = scanRadius (Euclidean) and minPts = minimumNumberOfPointsInAHotspot: a point
 * whose scanRadius-neighbourhood (itself included) holds at least minPts points is a core point; core points
 * within scanRadius of each other, and the non-core points within scanRadius of a core point, form a hotspot.
 * Its bounding box gives minValues/maxValues, and its `density` is how much denser it is than the window as a
 * whole: (points in hotspot / points in window) / (hotspot box volume / window box volume), with every side
 * of both boxes floored at scanRadius so that flat boxes have a volume. Hotspots are listed densest first.
 * Neighbours are found through a grid of cells of side scanRadius, so one row costs about O(window x neighbours).
 */
export class HotspotDetector {
  readonly windowSize: number;
  readonly scanRadius: number;
  readonly minPoints: number;
  readonly dimensions: number;
  private readonly ring: Float64Array;
  private next = 0;
  private count = 0;

  constructor(dimensions: number, windowSize: number, scanRadius: number, minPoints: number) {
    this.dimensions = dimensions;
    this.windowSize = windowSize;
    this.scanRadius = scanRadius;
    this.minPoints = minPoints;
    this.ring = new Float64Array(windowSize * dimensions);
  }

  /** Adds a point (dropping the oldest once the window is full) and returns the window's hotspots. */
  add(point: ArrayLike<number>): Hotspot[] {
    const dim = this.dimensions;
    for (let d = 0; d < dim; d++) this.ring[this.next * dim + d] = point[d];
    this.next = (this.next + 1) % this.windowSize;
    if (this.count < this.windowSize) this.count++;
    return this.detect();
  }

  snapshot(): { next: number; count: number; ring: string } {
    return { next: this.next, count: this.count, ring: encodeTyped(this.ring) };
  }

  restore(state: { next: number; count: number; ring: string }): void {
    this.next = state.next;
    this.count = state.count;
    decodeFloat64(state.ring, this.ring);
  }

  /** Hotspots of the current window. */
  detect(): Hotspot[] {
    const n = this.count;
    const dim = this.dimensions;
    const eps = this.scanRadius;
    const eps2 = eps * eps;
    const pts = this.ring;
    // Grid of cells of side eps on the first (up to) 3 dimensions. Cells are hash buckets of their coordinates:
    // a collision only merges two cells' candidate lists, which the distance check then sorts out.
    const cellOfPoint = new Int32Array(n);
    const coords = new Int32Array(n * 3);
    const bucket = new Map<number, number>();
    const cellMembers: number[][] = [];
    for (let i = 0; i < n; i++) {
      for (let d = 0; d < 3; d++) coords[i * 3 + d] = d < dim ? Math.floor(pts[i * dim + d] / eps) : 0;
      const h = hashCell(coords[i * 3], coords[i * 3 + 1], coords[i * 3 + 2]);
      let cell = bucket.get(h);
      if (cell === undefined) {
        cell = cellMembers.length;
        bucket.set(h, cell);
        cellMembers.push([]);
      }
      cellMembers[cell].push(i);
      cellOfPoint[i] = cell;
    }
    const rx = dim > 0 ? 1 : 0;
    const ry = dim > 1 ? 1 : 0;
    const rz = dim > 2 ? 1 : 0;
    // Neighbour cells (3^k of them, deduplicated), computed once per point's cell.
    const neighbourCache = new Map<number, number[]>();
    const neighbourCellsOf = (i: number): number[] => {
      const own = cellOfPoint[i];
      const cached = neighbourCache.get(own);
      if (cached) return cached;
      const out: number[] = [];
      const cx = coords[i * 3];
      const cy = coords[i * 3 + 1];
      const cz = coords[i * 3 + 2];
      for (let ox = -rx; ox <= rx; ox++)
        for (let oy = -ry; oy <= ry; oy++)
          for (let oz = -rz; oz <= rz; oz++) {
            const cell = bucket.get(hashCell(cx + ox, cy + oy, cz + oz));
            if (cell !== undefined && !out.includes(cell)) out.push(cell);
          }
      neighbourCache.set(own, out);
      return out;
    };
    // Core points: at least minPoints points (itself included) within eps; the count stops at minPoints.
    const minPoints = this.minPoints;
    const core = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let count = 0;
      const cells = neighbourCellsOf(i);
      for (let c = 0; c < cells.length && count < minPoints; c++) {
        const members = cellMembers[cells[c]];
        for (let m = 0; m < members.length; m++) {
          const j = members[m];
          let dist = 0;
          for (let d = 0; d < dim && dist <= eps2; d++) {
            const diff = pts[i * dim + d] - pts[j * dim + d];
            dist += diff * diff;
          }
          if (dist <= eps2 && ++count >= minPoints) break;
        }
      }
      if (count >= minPoints) core[i] = 1;
    }
    // Expansion. A cell whose points all have a cluster is skipped, which keeps dense hotspots cheap.
    const unlabeled = Int32Array.from(cellMembers, (m) => m.length);
    const label = new Int32Array(n).fill(-1);
    const clusters: number[][] = [];
    const stack: number[] = [];
    for (let i = 0; i < n; i++) {
      if (!core[i] || label[i] !== -1) continue;
      const id = clusters.length;
      const members: number[] = [];
      label[i] = id;
      unlabeled[cellOfPoint[i]]--;
      stack.push(i);
      while (stack.length > 0) {
        const p = stack.pop() as number;
        members.push(p);
        if (!core[p]) continue;
        const cells = neighbourCellsOf(p);
        for (let c = 0; c < cells.length; c++) {
          if (unlabeled[cells[c]] === 0) continue;
          const candidates = cellMembers[cells[c]];
          for (let m = 0; m < candidates.length; m++) {
            const q = candidates[m];
            if (label[q] !== -1) continue;
            let dist = 0;
            for (let d = 0; d < dim && dist <= eps2; d++) {
              const diff = pts[p * dim + d] - pts[q * dim + d];
              dist += diff * diff;
            }
            if (dist > eps2) continue;
            label[q] = id;
            unlabeled[cellOfPoint[q]]--;
            stack.push(q);
          }
        }
      }
      clusters.push(members);
    }
    if (clusters.length === 0) return [];
    const windowVolume = this.volumeOf(Array.from({ length: n }, (_, i) => i)).volume;
    const hotspots = clusters.map((members) => {
      const { volume, min, max } = this.volumeOf(members);
      const density = members.length / n / (volume / windowVolume);
      return { density, minValues: min, maxValues: max, size: members.length };
    });
    hotspots.sort((a, b) => b.density - a.density);
    return hotspots;
  }

  private volumeOf(members: readonly number[]): { volume: number; min: number[]; max: number[] } {
    const dim = this.dimensions;
    const min = new Array<number>(dim).fill(Infinity);
    const max = new Array<number>(dim).fill(-Infinity);
    for (const i of members) {
      for (let d = 0; d < dim; d++) {
        const v = this.ring[i * dim + d];
        if (v < min[d]) min[d] = v;
        if (v > max[d]) max[d] = v;
      }
    }
    let volume = 1;
    for (let d = 0; d < dim; d++) volume *= Math.max(max[d] - min[d], this.scanRadius);
    return { volume, min, max };
  }
}

function hashCell(x: number, y: number, z: number): number {
  return (Math.imul(x, 73856093) ^ Math.imul(y, 19349663) ^ Math.imul(z, 83492791)) | 0;
}

/** `{"hotspots":[{"density":..,"minValues":[..],"maxValues":[..]}, ...]}` as in SQLREF/DG. */
export function formatHotspotsResult(hotspots: readonly Hotspot[]): string {
  return JSON.stringify({
    hotspots: hotspots.map((h) => ({ density: h.density, minValues: h.minValues, maxValues: h.maxValues })),
  });
}

export interface HotspotsPlan {
  /** Input columns unchanged, then HOTSPOTS_RESULT VARCHAR. */
  readonly outputColumns: readonly TableFunctionColumn[];
  readonly numericColumns: readonly number[];
  readonly windowSize: number;
  readonly scanRadius: number;
  readonly minimumNumberOfPointsInAHotspot: number;
}

/**
 * Plan-time half of HOTSPOTS(CURSOR(...), windowSize, scanRadius, minimumNumberOfPointsInAHotspot).
 * Ranges (SQLREF): windowSize 100..1000, scanRadius > 0, minimumNumberOfPointsInAHotspot 2..windowSize.
 */
export function planHotspots(
  inputColumns: readonly TableFunctionColumn[],
  windowSize: number,
  scanRadius: number,
  minimumNumberOfPointsInAHotspot: number,
): HotspotsPlan {
  checkIntegerArgument('HOTSPOTS', 'windowSize', windowSize, 100, 1000);
  checkPositiveNumberArgument('HOTSPOTS', 'scanRadius', scanRadius);
  checkIntegerArgument('HOTSPOTS', 'minimumNumberOfPointsInAHotspot', minimumNumberOfPointsInAHotspot, 2, windowSize);
  const numericColumns = numericColumnIndexes(inputColumns);
  if (numericColumns.length === 0) {
    throw new PlanError(
      `HOTSPOTS: the input has no numeric column (DOUBLE, INTEGER, FLOAT, TINYINT, SMALLINT, REAL or BIGINT). Received columns ${inputColumns.map((c) => c.name).join(', ')}`,
    );
  }
  if (inputColumns.some((c) => c.name === 'HOTSPOTS_RESULT')) {
    throw new PlanError('HOTSPOTS: the input already has a column named HOTSPOTS_RESULT, which the function adds');
  }
  return {
    outputColumns: [...inputColumns, { name: 'HOTSPOTS_RESULT', type: SqlTypes.varchar() }],
    numericColumns,
    windowSize,
    scanRadius,
    minimumNumberOfPointsInAHotspot,
  };
}

/**
 * Run-time half: `process` returns the output row for one input row immediately (same ROWTIME): the input
 * values and the hotspots of the window that ends with this row. A row with a NULL numeric value is passed
 * through with the hotspots of the window as it stands, and is not added to it.
 */
export class HotspotsFunction {
  private readonly plan: HotspotsPlan;
  private readonly detector: HotspotDetector;
  private readonly values: Float64Array;

  constructor(plan: HotspotsPlan) {
    this.plan = plan;
    this.detector = new HotspotDetector(
      plan.numericColumns.length,
      plan.windowSize,
      plan.scanRadius,
      plan.minimumNumberOfPointsInAHotspot,
    );
    this.values = new Float64Array(plan.numericColumns.length);
  }

  process(row: readonly Value[]): Value[] {
    const hotspots = readNumericValues(row, this.plan.numericColumns, this.values)
      ? this.detector.add(this.values)
      : this.detector.detect();
    return [...row, formatHotspotsResult(hotspots)];
  }

  /** JSON-serialisable state for Engine.snapshot(). */
  snapshot(): unknown {
    return this.detector.snapshot();
  }

  restore(state: unknown): void {
    this.detector.restore(state as ReturnType<HotspotDetector['snapshot']>);
  }
}
